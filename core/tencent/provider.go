package tencent

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strconv"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
)

// Name is the provider name used in requests and URLs.
const Name = "tencent"

// Kinds issued by the [Provider].
const (
	// KindUserSig is the UserSig a client logs in to Tencent Cloud Chat
	// (IM) and TRTC with. It takes no room and no role.
	KindUserSig = "usersig"
	// KindPrivateMapKey is the TRTC PrivateMapKey (room permission ticket)
	// passed with the UserSig on room entry. It needs a room and has the
	// roles RoleSubscriber (default) and RolePublisher.
	KindPrivateMapKey = "privatemapkey"
)

// Roles of KindPrivateMapKey, each a privilege map.
const (
	// RoleSubscriber may enter the room and receive audio, video and the
	// sub stream (privilege map 170, usersig.PrivSubscribe).
	RoleSubscriber = "subscriber"
	// RolePublisher has every privilege, including creating the room and
	// sending (privilege map 255, usersig.PrivAll).
	RolePublisher = "publisher"
)

// TTL limits of both kinds. Tencent publishes no bounds and no generator
// enforces one; the official Python and PHP generators default to 180
// days, which is taken as the maximum here. A core.Service grants at most
// core.DefaultMaxTTL (30 days) unless core.WithTTL raises it.
const (
	MinTTL = 60 * time.Second
	MaxTTL = 180 * 24 * time.Hour
	// DefaultTTL is the default lifetime of a UserSig.
	DefaultTTL = 24 * time.Hour
	// DefaultTTLPrivateMapKey is the default lifetime of a PrivateMapKey.
	DefaultTTLPrivateMapKey = time.Hour
)

// Identifier limits.
const (
	// MaxUserIDLen is the longest user id: "up to 32 bytes, letters (a-z,
	// A-Z), digits (0-9), underscores and hyphens" (tls-sig-api-v2 doc
	// comment of GenUserSig, the same text in every language; spec §1.1).
	MaxUserIDLen = 32
	// MaxRoomStrLen is the longest strRoomId: 64 bytes of letters, digits,
	// space and !#$%&()+-:;<=.>?@[]^_{}|~, (TRTC SDK API reference,
	// TRTCParams.strRoomId).
	MaxRoomStrLen = 64
	// MaxRoomID is the largest numeric roomId; the range is
	// 1..4294967294 (TRTC SDK API reference, TRTCParams.roomId).
	MaxRoomID = math.MaxUint32 - 1
)

// Config configures a Provider. Only SDKAppID and Key are required.
type Config struct {
	// Name is the provider name in requests and URLs. Empty means Name
	// ("tencent").
	Name string
	// Kinds lists the kinds the provider serves, KindUserSig and/or
	// KindPrivateMapKey. Empty means both. A kind left out is neither
	// issued, verified nor listed by Kinds.
	Kinds []string
	// SDKAppID is the application id from the console. Required; at most
	// 2^32-1, since the PrivateMapKey userbuf carries 32 bits.
	SDKAppID uint64
	// Key is the console "SDKSecretKey". Its bytes as given are the HMAC
	// key. Required.
	Key core.Secret
	// SecondaryKey is optional: tokens signed with it verify too, so a
	// key can be rotated without rejecting live tokens.
	SecondaryKey core.Secret
	// Admins are the application's App Admin accounts (Chat console,
	// "App Admin"). A UserSig for one of them signs any Chat REST API
	// call, so both kinds list them as elevated users (KindSpec.ElevatedUsers):
	// core.Service.Issue refuses a credential for one of them, compared
	// without regard to case, unless an AllowElevated grant allows it;
	// IssueServer issues it. Empty means DefaultAdmins. List every admin
	// account the application has, "administrator" included while it
	// exists. Each must be a valid user id.
	Admins []string
	// Style is the byte layout of issued tokens. The zero value is
	// usersig.StyleGo14, the current official Go generator. Every style
	// verifies the same.
	Style usersig.Style
}

// DefaultAdmins are the admin identifiers assumed when Config.Admins is
// empty: "administrator", the App Admin every Chat application is created
// with.
var DefaultAdmins = []string{"administrator"}

// Provider issues and verifies Tencent UserSigs and TRTC PrivateMapKeys.
// It implements core.Provider and is safe for concurrent use.
type Provider struct {
	name      string
	kinds     []core.KindSpec
	appID     string
	joinAppID any // the SDKAppID boxed once for Join maps
	signer    *usersig.Signer
	keys      core.Keys
}

var _ core.Provider = (*Provider)(nil)

// New returns a Provider. Every error is a *core.ConfigError naming the
// Config field at fault; none contains a key.
func New(cfg Config) (*Provider, error) {
	fail := func(field, format string, args ...any) (*Provider, error) {
		return nil, &core.ConfigError{Provider: Name, Field: field, Message: fmt.Sprintf(format, args...)}
	}
	if cfg.SDKAppID == 0 || cfg.SDKAppID > math.MaxUint32 {
		return fail("SDKAppID", "must be between 1 and %d", uint64(math.MaxUint32))
	}
	if cfg.Key.IsZero() {
		return fail("Key", "is required")
	}
	admins := cfg.Admins
	if len(admins) == 0 {
		admins = DefaultAdmins
	}
	for i, a := range admins {
		if CheckUserID(a) != nil {
			return fail("Admins", "entry %d is not a valid user id (1 to %d letters, digits, '_' or '-')", i, MaxUserIDLen)
		}
	}
	p := &Provider{name: cmp.Or(cfg.Name, Name), appID: strconv.FormatUint(cfg.SDKAppID, 10), joinAppID: cfg.SDKAppID,
		keys: core.Keys{Primary: cfg.Key, Secondary: cfg.SecondaryKey}}
	for i, k := range cfg.Kinds {
		if !slices.ContainsFunc(kinds, func(s core.KindSpec) bool { return s.Kind == k }) || slices.Contains(cfg.Kinds[:i], k) {
			return fail("Kinds", "must list distinct kinds among %s and %s", KindUserSig, KindPrivateMapKey)
		}
	}
	for _, k := range kinds {
		if len(cfg.Kinds) == 0 || slices.Contains(cfg.Kinds, k.Kind) {
			k.ElevatedUsers = slices.Clone(admins)
			p.kinds = append(p.kinds, k)
		}
	}
	var err error
	if p.signer, err = usersig.NewSigner(cfg.SDKAppID, cfg.Key, cfg.Style); err != nil {
		return fail("Style", "is not a known layout")
	}
	return p, nil
}

// Name implements core.Provider: Config.Name, by default Name.
func (p *Provider) Name() string { return p.name }

// AppID implements core.Provider: the decimal SDKAppID.
func (p *Provider) AppID() string { return p.appID }

// enabled reports whether the provider serves kind.
func (p *Provider) enabled(kind string) bool {
	return slices.ContainsFunc(p.kinds, func(k core.KindSpec) bool { return k.Kind == kind })
}

var kinds = []core.KindSpec{
	{Kind: KindUserSig, MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTL},
	{
		Kind: KindPrivateMapKey, MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTLPrivateMapKey,
		Roles:       []core.Role{{Name: RoleSubscriber}, {Name: RolePublisher}},
		DefaultRole: RoleSubscriber, NeedsRoom: true,
	},
}

// Kinds implements core.Provider: the enabled kinds. Each lists the configured admin
// identifiers as ElevatedUsers.
func (p *Provider) Kinds() []core.KindSpec {
	out := make([]core.KindSpec, len(p.kinds))
	for i, k := range p.kinds {
		k.Roles = slices.Clone(k.Roles)
		k.ElevatedUsers = slices.Clone(k.ElevatedUsers)
		out[i] = k
	}
	return out
}

// privateMapKeyOptions are the JSON options of KindPrivateMapKey.
type privateMapKeyOptions struct {
	// RoomType is "numeric" (TRTC roomId) or "string" (strRoomId). It is
	// required for an all-digit room; any other room is a string room.
	RoomType string `json:"room_type"`
	// PrivilegeMap narrows the role's privileges: an integer 0..255 whose
	// bits must all belong to the role.
	PrivilegeMap *int64 `json:"privilege_map"`
}

// Issue implements core.Provider. KindUserSig takes no options;
// KindPrivateMapKey takes "room_type" and "privilege_map". The grant's
// room, role and TTL are taken as core.Service validated them against
// Kinds; Issue checks only Tencent's own rules on user ids and rooms and
// the options. A grant without an issuance time or a TTL is a
// core.CodeInternal error.
func (p *Provider) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	if g.Now.IsZero() || g.TTL <= 0 {
		return nil, core.Errorf(core.CodeInternal, "", "tencent: incomplete grant: no issuance time or TTL")
	}
	if err := CheckUserID(g.UserID); err != nil {
		return nil, err
	}
	switch {
	case !p.enabled(g.Kind):
	case g.Kind == KindUserSig:
		return p.issueUserSig(g)
	case g.Kind == KindPrivateMapKey:
		return p.issuePrivateMapKey(g)
	}
	return nil, core.Errorf(core.CodeUnknownKind, "kind", "provider %s has no kind %s", p.name, strconv.Quote(g.Kind))
}

func (p *Provider) issueUserSig(g core.Grant) (*core.Credential, error) {
	if len(g.Options) > 0 {
		if err := core.DecodeOptions(g.Options, &struct{}{}); err != nil {
			return nil, err
		}
	}
	expire := int64(g.TTL / time.Second)
	tok, err := p.signer.UserSig(g.UserID, expire, g.Now)
	if err != nil {
		return nil, core.RenameField(err, claimFields)
	}
	c := p.credential(g, tok, expire)
	c.Join = map[string]any{"sdkAppID": p.joinAppID, "userID": g.UserID, "userSig": tok}
	return c, nil
}

func (p *Provider) issuePrivateMapKey(g core.Grant) (*core.Credential, error) {
	bits := uint32(usersig.PrivSubscribe)
	if g.Role == RolePublisher {
		bits = usersig.PrivAll
	}
	var opt privateMapKeyOptions
	if err := core.DecodeOptions(g.Options, &opt); err != nil {
		return nil, err
	}
	if opt.PrivilegeMap != nil {
		v := *opt.PrivilegeMap
		if v < 0 || v > int64(usersig.PrivAll) {
			return nil, core.Errorf(core.CodeInvalidOption, "options.privilege_map", "privilege_map must be between 0 and 255")
		}
		if uint32(v)&^bits != 0 {
			return nil, core.Errorf(core.CodeInvalidOption, "options.privilege_map", "privilege_map %d grants bits outside role %s (%d)", v, g.Role, bits)
		}
		bits = uint32(v)
	}
	roomID, numeric, err := parseRoom(g.Room, opt.RoomType)
	if err != nil {
		return nil, err
	}
	expire := int64(g.TTL / time.Second)
	var tok string
	if numeric {
		tok, err = p.signer.PrivateMapKey(g.UserID, expire, g.Now, roomID, bits)
	} else {
		tok, err = p.signer.PrivateMapKeyWithStringRoomID(g.UserID, expire, g.Now, g.Room, bits)
	}
	if err != nil {
		return nil, core.RenameField(err, claimFields)
	}
	c := p.credential(g, tok, expire)
	c.Join = map[string]any{"sdkAppID": p.joinAppID, "userID": g.UserID, "privateMapKey": tok}
	if numeric {
		c.Join["roomId"] = roomID
	} else {
		c.Join["strRoomId"] = g.Room
	}
	return c, nil
}

func (p *Provider) credential(g core.Grant, tok string, expire int64) *core.Credential {
	issued := g.Now.Unix()
	return &core.Credential{
		Provider: p.name, Kind: g.Kind, Token: tok, AppID: p.appID, UserID: g.UserID, Room: g.Room, Role: g.Role,
		IssuedAt: time.Unix(issued, 0).UTC(), ExpiresAt: time.Unix(issued+expire, 0).UTC(),
	}
}

// Verify implements core.Provider with the top-level [Verify]: the
// signature with the primary, then the secondary key, the SDKAppID, the
// kind and the expiry at now. Claims holds the TLS.* values and, for a
// PrivateMapKey, the decoded userbuf under "userbuf" (see
// usersig.PrivateMap.Fields).
func (p *Provider) Verify(_ context.Context, kind, token string, now time.Time) (*core.Verified, error) {
	if !p.enabled(kind) {
		return nil, fmt.Errorf("%w: tencent: unknown kind %s", core.ErrMismatch, strconv.QuoteToASCII(kind))
	}
	t, err := Verify(token, p.keys, core.Expect{Kind: kind, AppID: p.appID, At: now})
	if err != nil {
		return nil, err
	}
	return t.verified(p.name), nil
}

// claimFields maps the claims usersig names in its errors to the request
// fields they come from.
var claimFields = map[string]string{
	"TLS.identifier": "user_id", "account": "user_id", "TLS.expire": "ttl", "roomStr": "room", "TLS.time": "",
}

// CheckUserID enforces Tencent's user id rule: 1 to 32 bytes of letters,
// digits, '_' and '-'. A violation is a core.Error with code invalid_user
// and field user_id.
func CheckUserID(id string) error {
	if id == "" {
		return core.Errorf(core.CodeInvalidUser, "user_id", "user id is required")
	}
	if len(id) > MaxUserIDLen {
		return core.Errorf(core.CodeInvalidUser, "user_id", "user id is longer than %d bytes", MaxUserIDLen)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !isAlnum(c) && c != '_' && c != '-' {
			return core.Errorf(core.CodeInvalidUser, "user_id", "user id may contain only letters, digits, '_' and '-'")
		}
	}
	return nil
}

// parseRoom resolves the room of a PrivateMapKey: a numeric roomId when
// numeric is true, a strRoomId otherwise. An all-digit room must state its
// type, since roomId 123 and strRoomId "123" are different TRTC rooms.
func parseRoom(room, roomType string) (id uint32, numeric bool, err error) {
	switch roomType {
	case "numeric":
		if !allDigits(room) || room[0] == '0' {
			return 0, false, core.Errorf(core.CodeInvalidRoom, "room", "a numeric room is a decimal number from 1 to %d without leading zeros", uint64(MaxRoomID))
		}
		n, perr := strconv.ParseUint(room, 10, 32)
		if perr != nil || n > MaxRoomID {
			return 0, false, core.Errorf(core.CodeInvalidRoom, "room", "a numeric room is at most %d", uint64(MaxRoomID))
		}
		return uint32(n), true, nil
	case "":
		if allDigits(room) {
			return 0, false, core.Errorf(core.CodeInvalidOption, "options.room_type",
				"the room is all digits: set room_type to \"numeric\" (TRTC roomId) or \"string\" (strRoomId)")
		}
	case "string":
	default:
		return 0, false, core.Errorf(core.CodeInvalidOption, "options.room_type", "room_type must be \"numeric\" or \"string\"")
	}
	if room == "" || len(room) > MaxRoomStrLen {
		return 0, false, core.Errorf(core.CodeInvalidRoom, "room", "a string room is 1 to %d bytes", MaxRoomStrLen)
	}
	for i := 0; i < len(room); i++ {
		if !isRoomStrChar(room[i]) {
			return 0, false, core.Errorf(core.CodeInvalidRoom, "room", "a string room may contain only letters, digits, space and !#$%%&()+-:;<=.>?@[]^_{}|~,")
		}
	}
	return 0, false, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// roomStrSymbols are the punctuation characters TRTC allows in strRoomId.
const roomStrSymbols = " !#$%&()+-:;<=.>?@[]^_{}|~,"

func isRoomStrChar(c byte) bool {
	if isAlnum(c) {
		return true
	}
	for i := 0; i < len(roomStrSymbols); i++ {
		if roomStrSymbols[i] == c {
			return true
		}
	}
	return false
}
