package zego

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego/token04"
)

// Name is the default provider name.
const Name = "zego"

// Kinds offered by the Provider.
const (
	// KindToken04 is a Token04 for the ZEGO Express SDK (loginRoom's
	// token): a basic token without a room, a room privilege token with one.
	KindToken04 = "token04"
	// KindKit is a UIKit Kit Token for ZegoUIKitPrebuilt.create: a room
	// privilege Token04 plus the user, room and display name.
	KindKit = "kit"
)

// Roles of both kinds. Neither is elevated.
const (
	// RolePublisher may log in to the room and publish streams.
	RolePublisher = "publisher"
	// RoleSubscriber may log in to the room but not publish (the default).
	RoleSubscriber = "subscriber"
)

// Lifetime limits of both kinds. ZEGO itself only requires a positive
// effective time; these bounds are this package's policy: a token shorter
// than a minute is useless (the SDK warns 30 s before expiry), and a
// credential handed to a browser should not outlive a day.
const (
	MinTTL     = time.Minute
	MaxTTL     = 24 * time.Hour
	DefaultTTL = time.Hour
)

// ZEGO identifier limits, from the Express SDK reference (ZegoUser,
// loginRoom, startPublishingStream).
const (
	// MaxUserIDLen is the longest user id: 64 bytes.
	MaxUserIDLen = 64
	// MaxRoomIDLen is the longest room id: 128 bytes.
	MaxRoomIDLen = 128
	// MaxUserNameLen is the longest display name: 256 bytes of UTF-8.
	MaxUserNameLen = 256
	// MaxStreamIDLen is the longest stream id: 256 bytes.
	MaxStreamIDLen = 256
	// MaxStreamIDs is the most stream ids one token may list (a limit of
	// this package, keeping tokens small).
	MaxStreamIDs = 32
)

// idPunct is the punctuation ZEGO allows in user and room ids besides
// ASCII letters and digits. '%' is left out: ZEGO advises against it for
// interoperability with the Web SDK.
const idPunct = "~!@#$^&*()_+=-`;',.<>/\\"

var idChars = func() (t [128]bool) {
	for c := '0'; c <= '9'; c++ {
		t[c] = true
	}
	for c := 'a'; c <= 'z'; c++ {
		t[c], t[c-'a'+'A'] = true, true
	}
	for _, c := range idPunct {
		t[c] = true
	}
	return t
}()

// validID reports whether s is 1..max bytes of allowed characters.
func validID(s string, max int, allowed *[128]bool) bool {
	if s == "" || len(s) > max {
		return false
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || !allowed[c] {
			return false
		}
	}
	return true
}

// streamChars: stream ids allow ASCII letters, digits, '-' and '_'.
var streamChars = func() (t [128]bool) {
	for i := range idChars {
		t[i] = idChars[i] && (i == '-' || i == '_' || unicode.IsLetter(rune(i)) || unicode.IsDigit(rune(i)))
	}
	return t
}()

// Mode is the Token04 encryption mode of issued tokens.
type Mode = token04.Mode

// Encryption modes for Config.Mode.
const (
	// ModeCBC is AES-CBC, the mode of the official generators and the
	// default.
	ModeCBC = token04.ModeCBC
	// ModeGCM is AES-GCM (the official Go generator's GCM branch).
	ModeGCM = token04.ModeGCM
)

// Config configures a Provider.
type Config struct {
	// Name is the provider name (default Name, "zego"); set it for a
	// service that serves several ZEGO applications.
	Name string
	// Kinds lists the kinds the Provider issues, verifies and lists
	// (default: all, KindToken04 and KindKit).
	Kinds []string
	// AppID is the ZEGO application id (required, not 0).
	AppID uint32
	// ServerSecret is the application's ServerSecret (required): exactly
	// 32 bytes (32 hexadecimal characters in the ZEGO console). Tokens are
	// issued with it.
	ServerSecret core.Secret
	// SecondarySecret is optional (default none): a previous or next
	// ServerSecret that Verify also accepts during a rotation. It too must
	// be 32 bytes.
	SecondarySecret core.Secret
	// Mode is the encryption mode of issued tokens: ModeCBC (the default,
	// accepted by every ZEGO server) or ModeGCM. Verify accepts both.
	Mode Mode
}

// Provider issues and verifies ZEGOCLOUD Token04 and UIKit Kit Tokens. It
// implements core.Provider and is safe for concurrent use.
type Provider struct {
	name     string
	kinds    []string
	appID    uint32
	appIDStr string
	appIDAny any // boxed once for the Join maps
	mode     Mode
	keys     []*token04.Key // primary first; the primary issues
}

var _ core.Provider = (*Provider)(nil)

// New validates cfg and returns a Provider. Every error is a
// *core.ConfigError naming the Config field at fault; none contains a
// secret.
func New(cfg Config) (*Provider, error) {
	bad := func(field, format string, args ...any) error {
		return &core.ConfigError{Provider: Name, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if cfg.AppID == 0 {
		return nil, bad("AppID", "required")
	}
	if cfg.Mode != ModeCBC && cfg.Mode != ModeGCM {
		return nil, bad("Mode", "unknown mode %d", cfg.Mode)
	}
	for _, k := range cfg.Kinds {
		if k != KindToken04 && k != KindKit {
			return nil, bad("Kinds", "unknown kind %q (want %s or %s)", k, KindToken04, KindKit)
		}
	}
	p := &Provider{
		name: cfg.Name, kinds: cfg.Kinds, appID: cfg.AppID, appIDStr: strconv.FormatUint(uint64(cfg.AppID), 10),
		appIDAny: cfg.AppID, mode: cfg.Mode,
	}
	if p.name == "" {
		p.name = Name
	}
	if len(p.kinds) == 0 {
		p.kinds = []string{KindToken04, KindKit}
	}
	for _, s := range []struct {
		name   string
		secret core.Secret
	}{{"ServerSecret", cfg.ServerSecret}, {"SecondarySecret", cfg.SecondarySecret}} {
		if s.secret.IsZero() && s.name == "SecondarySecret" {
			continue
		}
		if s.secret.Len() != token04.SecretSize {
			return nil, bad(s.name, "must be exactly %d bytes, not %d", token04.SecretSize, s.secret.Len())
		}
		k, err := token04.NewKey([]byte(s.secret.Reveal()))
		if err != nil {
			return nil, bad(s.name, "%v", err)
		}
		p.keys = append(p.keys, k)
	}
	return p, nil
}

// Name implements core.Provider.
func (p *Provider) Name() string { return p.name }

// AppID implements core.Provider: the decimal app id.
func (p *Provider) AppID() string { return p.appIDStr }

var roles = []core.Role{{Name: RolePublisher}, {Name: RoleSubscriber}}

// Kinds implements core.Provider: the enabled kinds (Config.Kinds).
func (p *Provider) Kinds() []core.KindSpec {
	out := make([]core.KindSpec, 0, len(p.kinds))
	for _, kind := range p.kinds {
		k := core.KindSpec{
			Kind: kind, MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTL,
			Roles: append([]core.Role(nil), roles...), DefaultRole: RoleSubscriber,
		}
		k.RoomAllowed, k.NeedsRoom = kind == KindToken04, kind == KindKit
		out = append(out, k)
	}
	return out
}

// enabled reports whether kind is one of the enabled kinds.
func (p *Provider) enabled(kind string) bool { return slices.Contains(p.kinds, kind) }

// token04Options are the options of the token04 kind.
type token04Options struct {
	// StreamIDs lists the stream ids a publisher may publish.
	StreamIDs []string `json:"stream_ids"`
}

// Issue implements core.Provider. The grant is one core.Service checked
// against Kinds (room, role, TTL); Issue checks only what ZEGO adds: the
// charsets and lengths of user, room and stream ids and of the display
// name, the options, and that a publisher has a room. A grant without Now,
// TTL or Rand is refused with core.CodeInternal.
func (p *Provider) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	kit := g.Kind == KindKit
	if !p.enabled(g.Kind) {
		return nil, core.Errorf(core.CodeUnknownKind, "kind", "provider %s has no kind %q", p.name, g.Kind)
	}
	if g.Now.IsZero() || g.TTL < time.Second || g.Rand == nil {
		return nil, core.Errorf(core.CodeInternal, "", "zego: incomplete grant: no issuance time, TTL or randomness source")
	}
	if !validID(g.UserID, MaxUserIDLen, &idChars) {
		return nil, core.Errorf(core.CodeInvalidUser, "user_id", "a ZEGO user id is 1 to %d ASCII letters, digits or %s", MaxUserIDLen, idPunct)
	}
	if g.Room != "" && !validID(g.Room, MaxRoomIDLen, &idChars) {
		return nil, core.Errorf(core.CodeInvalidRoom, "room", "a ZEGO room id is 1 to %d ASCII letters, digits or %s", MaxRoomIDLen, idPunct)
	}
	if g.Role == RolePublisher && g.Room == "" {
		return nil, core.Errorf(core.CodeInvalidRole, "role", "a role needs a room")
	}
	streams, err := p.streamIDs(g, kit)
	if err != nil {
		return nil, err
	}
	// The caller's display name only goes on the caller's own token.
	name := g.UserID
	if g.Identity.DisplayName != "" && g.Identity.UserID == g.UserID {
		name = g.Identity.DisplayName
	}
	if kit && (len(name) > MaxUserNameLen || !utf8.ValidString(name)) {
		return nil, core.Errorf(core.CodeInvalidUser, "user_name", "the display name must be valid UTF-8 of at most %d bytes", MaxUserNameLen)
	}

	prm := token04.Params{AppID: p.appID, UserID: g.UserID, CTime: g.Now.Unix(), Effective: int64(g.TTL / time.Second), Mode: p.mode}
	var (
		priv *token04.RoomPrivilege
		kp   *token04.Kit
	)
	if g.Room != "" {
		priv = &token04.RoomPrivilege{RoomID: g.Room, Login: true, Publish: g.Role == RolePublisher, StreamIDs: streams}
	}
	if kit {
		kp = &token04.Kit{AppID: p.appID, UserID: g.UserID, RoomID: g.Room, UserName: name}
	}
	token, err := p.keys[0].Issue(g.Rand, prm, priv, kp)
	if err != nil {
		return nil, core.RenameField(err, claimFields)
	}

	c := &core.Credential{
		Token: token, AppID: p.appIDStr, UserID: g.UserID, Room: g.Room,
		IssuedAt: time.Unix(prm.CTime, 0).UTC(), ExpiresAt: time.Unix(prm.CTime+prm.Effective, 0).UTC(),
	}
	switch {
	case kit:
		c.Role = g.Role
		c.Join = map[string]any{"appID": p.appIDAny, "roomID": g.Room, "userID": g.UserID, "userName": name, "kitToken": token}
	case g.Room != "":
		c.Role = g.Role
		c.Join = map[string]any{"appID": p.appIDAny, "userID": g.UserID, "token": token, "roomID": g.Room}
	default:
		c.Join = map[string]any{"appID": p.appIDAny, "userID": g.UserID, "token": token}
	}
	return c, nil
}

// streamIDs decodes and checks the options of the grant.
func (p *Provider) streamIDs(g core.Grant, kit bool) ([]string, error) {
	if len(g.Options) == 0 {
		return nil, nil
	}
	if kit {
		return nil, core.DecodeOptions(g.Options, &struct{}{})
	}
	var o token04Options
	if err := core.DecodeOptions(g.Options, &o); err != nil || o.StreamIDs == nil {
		return nil, err
	}
	const field = "options.stream_ids"
	switch {
	case g.Room == "":
		return nil, core.Errorf(core.CodeInvalidOption, field, "stream ids need a room")
	case g.Role != RolePublisher:
		return nil, core.Errorf(core.CodeInvalidOption, field, "stream ids only apply to the %s role", RolePublisher)
	case len(o.StreamIDs) == 0:
		return nil, core.Errorf(core.CodeInvalidOption, field, "list at least one stream id, or leave the option out")
	case len(o.StreamIDs) > MaxStreamIDs:
		return nil, core.Errorf(core.CodeInvalidOption, field, "at most %d stream ids", MaxStreamIDs)
	}
	seen := make(map[string]bool, len(o.StreamIDs))
	for i, id := range o.StreamIDs {
		f := field + "[" + strconv.Itoa(i) + "]"
		if !validID(id, MaxStreamIDLen, &streamChars) {
			return nil, core.Errorf(core.CodeInvalidOption, f, "a ZEGO stream id is 1 to %d ASCII letters, digits, '-' or '_'", MaxStreamIDLen)
		}
		if seen[id] {
			return nil, core.Errorf(core.CodeInvalidOption, f, "duplicate stream id")
		}
		seen[id] = true
	}
	return o.StreamIDs, nil
}

// claimFields maps the claims token04 names in its errors to the request
// fields they come from.
var claimFields = map[string]string{
	"expire": "ttl", "userID": "user_id", "roomID": "room", "userName": "user_name",
}

// Verify implements core.Provider: it decrypts the token with the primary
// secret, then the secondary, and checks the app id and the expiry
// (now >= expire is expired; a zero now skips the check). Either mode is
// accepted, whatever Config.Mode says.
//
// For a Kit Token, the user and room come from the Token04 alone: Room is
// the room of its room privilege, "" when it has none. The kit part must
// agree with the Token04 (app id, user, and room when the Token04 has one:
// core.ErrMismatch otherwise); what only the kit part says is reported
// under Claims["kit_unverified"] ({"appID","userID","roomID","userName"}),
// the display name included, because nothing authenticates it.
func (p *Provider) Verify(_ context.Context, kind, token string, now time.Time) (*core.Verified, error) {
	if !p.enabled(kind) {
		return nil, fmt.Errorf("%w: provider %s has no kind %q", core.ErrMismatch, p.name, kind)
	}
	t, err := verify(token, p.keys, core.Expect{Kind: kind, AppID: p.appIDStr, At: now})
	if err != nil {
		return nil, err
	}
	return t.verified(p.name), nil
}
