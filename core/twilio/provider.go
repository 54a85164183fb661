package twilio

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/hs256"
	"github.com/rtctoken/rtctoken/internal/vendorconfig"
)

// Name is the default provider name.
const Name = "twilio"

// Lifetime limits of every kind. Twilio accepts up to 24 h; Conversations
// documents a 3-minute minimum. twilio-go raises anything under an hour to
// an hour and issues longer than 24 h; this package does neither.
const (
	MinTTL     = 3 * time.Minute
	MaxTTL     = MaxLifetime
	DefaultTTL = time.Hour
)

// OptionAnyRoom is the video option ({"any_room": true}) for a grant
// without a room, which opens every room of the account. It is elevated:
// core.Service.Issue refuses it unless a core.AllowElevated grant allows it.
const OptionAnyRoom = "any_room"

// Config configures a Provider with one Twilio account's API key. The
// service SIDs, the voice application and the chat role are chosen here
// and never by a request.
type Config struct {
	// Name is the provider name: lower-case letters, digits, '-' and '_',
	// at most 64 bytes. Empty means Name ("twilio").
	Name string
	// AccountSID is the Account SID (AC and 32 hex digits), the sub of
	// every token. Required.
	AccountSID string
	// APIKeySID is the API key SID (SK and 32 hex digits), the iss.
	// Required.
	APIKeySID string
	// APIKeySecret is the API key's secret (shown once when the key is
	// created). Issuing signs with its UTF-8 bytes. Required.
	APIKeySecret core.Secret
	// SecondaryAPIKeySID and SecondaryAPIKeySecret are a second API key
	// that Verify accepts, for rotation (the key is picked by iss). Empty
	// SecondaryAPIKeySID with a secret means a second secret for APIKeySID.
	// Default none.
	SecondaryAPIKeySID    string
	SecondaryAPIKeySecret core.Secret
	// Region, when set, is written as the twr header: the Twilio home
	// region of the API key (us1, ie1, au1...). A non-US1 region needs a
	// key created in that region; Video needs a US1 key. Default none (US1).
	Region string
	// Kinds lists the kinds offered. Empty means video and voice, and chat
	// and sync when their service SIDs are set. Listing chat or sync without
	// its service SID is an error.
	Kinds []string
	// ChatServiceSID is the Conversations (or Chat) service SID (IS...) of
	// chat tokens. Required for KindChat.
	ChatServiceSID string
	// ChatRoleSID, when set, is the deployment role SID (RL...) every chat
	// token assigns. Default none (the service's default role).
	ChatRoleSID string
	// SyncServiceSID is the Sync service SID (IS...) of sync tokens.
	// Required for KindSync.
	SyncServiceSID string
	// VoiceAppSID, when set, is the TwiML application SID (AP...) voice
	// tokens may place outgoing calls through, with VoiceAppParams. Without
	// it voice tokens only receive calls.
	VoiceAppSID    string
	VoiceAppParams map[string]string
	// VoicePushCredentialSID, when set, is the push credential SID (CR...)
	// of voice tokens (mobile SDKs). Default none.
	VoicePushCredentialSID string
}

// Provider issues and verifies Twilio Access Tokens for one account. It
// implements core.Provider and is safe for concurrent use.
type Provider struct {
	name    string
	cfg     Config
	signer  *hs256.Signer        // with APIKeySecret and Region
	keys    map[string]core.Keys // API key SID -> its secrets
	kinds   []string
	offered map[string]bool
	// fixed holds the voice, chat and sync grants, which the
	// configuration decides. Issue's claims share them and never leave
	// it; nothing writes to them.
	fixed Grants
}

var _ core.Provider = (*Provider)(nil)

// sidOK reports whether s is prefix and 32 lower-case hex digits.
func sidOK(s, prefix string) bool {
	if len(s) != 34 || !strings.HasPrefix(s, prefix) {
		return false
	}
	return strings.Trim(s[2:], "0123456789abcdef") == ""
}

func configError(field, msg string) error { return vendorconfig.Error(Name, field, msg) }

func checkSID(field, v, prefix string, required bool) error {
	if v == "" && !required {
		return nil
	}
	if !sidOK(v, prefix) {
		return configError(field, "want "+prefix+" and 32 lower-case hex digits")
	}
	return nil
}

// New returns a Provider for cfg. Every error is a *core.ConfigError
// naming the Config field at fault; it wraps core.ErrConfig and never
// contains a secret.
func New(cfg Config) (*Provider, error) {
	name, err := vendorconfig.Name(Name, cfg.Name)
	if err != nil {
		return nil, err
	}
	for _, s := range []struct {
		field, v, prefix string
		required         bool
	}{
		{"AccountSID", cfg.AccountSID, "AC", true}, {"APIKeySID", cfg.APIKeySID, "SK", true},
		{"SecondaryAPIKeySID", cfg.SecondaryAPIKeySID, "SK", false},
		{"ChatServiceSID", cfg.ChatServiceSID, "IS", false}, {"ChatRoleSID", cfg.ChatRoleSID, "RL", false},
		{"SyncServiceSID", cfg.SyncServiceSID, "IS", false}, {"VoiceAppSID", cfg.VoiceAppSID, "AP", false},
		{"VoicePushCredentialSID", cfg.VoicePushCredentialSID, "CR", false},
	} {
		if err := checkSID(s.field, s.v, s.prefix, s.required); err != nil {
			return nil, err
		}
	}
	if err := vendorconfig.Text(Name, "APIKeySecret", cfg.APIKeySecret.Reveal(), 16, 1024); err != nil {
		return nil, err
	}
	if cfg.Region != "" && (len(cfg.Region) > 16 || strings.Trim(cfg.Region, "abcdefghijklmnopqrstuvwxyz0123456789") != "") {
		return nil, configError("Region", "want a region id such as us1, ie1 or au1")
	}
	if len(cfg.VoiceAppParams) > 0 && cfg.VoiceAppSID == "" {
		return nil, configError("VoiceAppParams", "needs VoiceAppSID")
	}
	p := &Provider{name: name, cfg: cfg, signer: hs256.NewSigner(appendHeader(nil, cfg.Region), cfg.APIKeySecret), keys: map[string]core.Keys{cfg.APIKeySID: {Primary: cfg.APIKeySecret}}}
	p.cfg.VoiceAppParams = maps.Clone(cfg.VoiceAppParams)
	p.cfg.Kinds = nil
	p.fixed = Grants{
		Voice: &VoiceGrant{Incoming: &VoiceIncoming{Allow: true}, PushCredentialSID: cfg.VoicePushCredentialSID},
		Chat:  &ChatGrant{ServiceSID: cfg.ChatServiceSID, DeploymentRoleSID: cfg.ChatRoleSID},
		Sync:  &SyncGrant{ServiceSID: cfg.SyncServiceSID},
	}
	if cfg.VoiceAppSID != "" {
		p.fixed.Voice.Outgoing = &VoiceOutgoing{ApplicationSID: cfg.VoiceAppSID}
		if len(cfg.VoiceAppParams) > 0 {
			p.fixed.Voice.Outgoing.Params = map[string]any{}
			for k, v := range cfg.VoiceAppParams {
				p.fixed.Voice.Outgoing.Params[k] = v
			}
		}
	}
	switch {
	case cfg.SecondaryAPIKeySecret.IsZero() && cfg.SecondaryAPIKeySID != "":
		return nil, configError("SecondaryAPIKeySecret", "is required with SecondaryAPIKeySID")
	case cfg.SecondaryAPIKeySecret.IsZero():
	default:
		if err := vendorconfig.Text(Name, "SecondaryAPIKeySecret", cfg.SecondaryAPIKeySecret.Reveal(), 16, 1024); err != nil {
			return nil, err
		}
		if cfg.SecondaryAPIKeySID == "" || cfg.SecondaryAPIKeySID == cfg.APIKeySID {
			p.keys[cfg.APIKeySID] = core.Keys{Primary: cfg.APIKeySecret, Secondary: cfg.SecondaryAPIKeySecret}
		} else {
			p.keys[cfg.SecondaryAPIKeySID] = core.Keys{Primary: cfg.SecondaryAPIKeySecret}
		}
	}
	kinds := cfg.Kinds
	if len(kinds) == 0 {
		kinds = []string{KindVideo, KindVoice}
		if cfg.ChatServiceSID != "" {
			kinds = append(kinds, KindChat)
		}
		if cfg.SyncServiceSID != "" {
			kinds = append(kinds, KindSync)
		}
	}
	p.offered = map[string]bool{}
	for _, k := range kinds {
		switch {
		case !slices.Contains([]string{KindVideo, KindVoice, KindChat, KindSync}, k) || p.offered[k]:
			return nil, configError("Kinds", fmt.Sprintf("kind %q is unknown or listed twice (want video, voice, chat, sync)", strings.ToValidUTF8(k, "?")))
		case k == KindChat && cfg.ChatServiceSID == "":
			return nil, configError("ChatServiceSID", "is required for kind chat")
		case k == KindSync && cfg.SyncServiceSID == "":
			return nil, configError("SyncServiceSID", "is required for kind sync")
		}
		p.offered[k] = true
		p.kinds = append(p.kinds, k)
	}
	return p, nil
}

// Name returns the provider name, Config.Name or "twilio".
func (p *Provider) Name() string { return p.name }

// AppID returns the Account SID.
func (p *Provider) AppID() string { return p.cfg.AccountSID }

// Kinds describes the configured kinds, none with roles, each with TTLs
// from 3 min to 24 h, 1 h by default:
//
//   - "video": a room may be given and is required unless the elevated
//     option any_room asks for a grant that opens every room;
//   - "voice", "chat", "sync": no room.
func (p *Provider) Kinds() []core.KindSpec {
	out := make([]core.KindSpec, 0, len(p.kinds))
	for _, k := range p.kinds {
		s := core.KindSpec{Kind: k, MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTL}
		if k == KindVideo {
			s.RoomAllowed, s.ElevatedOptions = true, []string{OptionAnyRoom}
		}
		out = append(out, s)
	}
	return out
}

type videoOptions struct {
	AnyRoom bool `json:"any_room"`
}

// Issue mints an Access Token for the grant: header cty twilio-fpa;v=1 (and
// twr Config.Region), iss the API key SID, sub the Account SID, jti
// <key SID>-<g.Now>, nbf g.Now, exp g.Now + g.TTL, grants.identity the
// user id and one grant:
//
//   - video: {"room": g.Room}, or {} with the option any_room;
//   - voice: incoming allowed, outgoing through Config.VoiceAppSID with
//     Config.VoiceAppParams when set, Config.VoicePushCredentialSID;
//   - chat: Config.ChatServiceSID and Config.ChatRoleSID;
//   - sync (grants.data_sync): Config.SyncServiceSID.
//
// The identity is always the signed-in user's: a grant for another user id
// is refused with core.CodeInvalidUser, whatever core.AllowUser says,
// because a Twilio identity receives that user's calls and messages. Voice
// identities are letters, digits and '_' only, as Twilio requires. A grant
// without Now or TTL is refused with core.CodeInternal.
//
// Join, for each SDK: video {"token", "name"} for Video.connect(token,
// {name}) ("name" left out without a room); voice {"token"} for new
// Device(token); chat {"token"} for new Client(token); sync {"token"} for
// new SyncClient(token).
func (p *Provider) Issue(ctx context.Context, g core.Grant) (*core.Credential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !p.offered[g.Kind] {
		return nil, core.Errorf(core.CodeUnknownKind, "kind", "provider %s has no kind %q", p.name, strings.ToValidUTF8(g.Kind, "?"))
	}
	if g.Now.IsZero() || g.TTL < time.Second {
		return nil, core.Errorf(core.CodeInternal, "", "twilio: incomplete grant: no issuance time or TTL")
	}
	if g.UserID == "" || (g.Identity.UserID != "" && g.UserID != g.Identity.UserID) {
		return nil, core.Errorf(core.CodeInvalidUser, "user_id", "a Twilio identity is always the signed-in user's")
	}
	now := g.Now.Unix()
	c := &Claims{
		ExpiresAt: now + int64(g.TTL/time.Second), Issuer: p.cfg.APIKeySID, ID: JTI(p.cfg.APIKeySID, now),
		NotBefore: now, Subject: p.cfg.AccountSID, Grants: Grants{Identity: g.UserID},
	}
	switch g.Kind {
	case KindVideo:
		o, err := core.DecodeOptionsAs[videoOptions](g.Options)
		if err != nil {
			return nil, err
		}
		switch {
		case g.Room == "" && !o.AnyRoom:
			return nil, core.Errorf(core.CodeInvalidRoom, "room", "room is required (a grant for every room is the elevated option %s)", OptionAnyRoom)
		case g.Room != "" && o.AnyRoom:
			return nil, core.Errorf(core.CodeInvalidOption, "options."+OptionAnyRoom, "%s and a room exclude each other", OptionAnyRoom)
		}
		c.Grants.Video = &VideoGrant{Room: g.Room}
	default:
		if err := core.DecodeOptions(g.Options, &struct{}{}); err != nil {
			return nil, err
		}
		p.grant(c, g.Kind)
	}
	if g.Kind == KindVoice && strings.Trim(g.UserID, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		return nil, core.Errorf(core.CodeInvalidUser, "user_id", "a Twilio Voice identity is letters, digits and '_' only")
	}
	tok, err := sign(c, p.signer)
	if err != nil {
		return nil, err
	}
	join := map[string]any{"token": tok}
	if g.Kind == KindVideo && g.Room != "" {
		join["name"] = g.Room
	}
	return &core.Credential{
		Token: tok, AppID: p.cfg.AccountSID, UserID: g.UserID, Room: g.Room,
		IssuedAt: hs256.Unix(now), ExpiresAt: hs256.Unix(c.ExpiresAt), Join: join,
	}, nil
}

// grant adds the voice, chat or sync grant the configuration describes.
func (p *Provider) grant(c *Claims, kind string) {
	switch kind {
	case KindVoice:
		c.Grants.Voice = p.fixed.Voice
	case KindChat:
		c.Grants.Chat = p.fixed.Chat
	case KindSync:
		c.Grants.Sync = p.fixed.Sync
	}
}

// Verify checks a token of the given kind with the top-level Verify at
// time now (zero: no time check), with the secrets of the API key its iss
// names among the configured keys, and for the configured account. A token
// of an unconfigured API key fails with core.ErrSignature; other errors
// are Verify's. A kind the provider does not offer is a *core.Error with
// code unknown_kind that also wraps core.ErrMismatch.
//
// Verified: AppID is the Account SID (sub), UserID the identity, Room
// grants.video.room, IssuedAt the jti's time, ExpiresAt exp, Claims every
// claim.
func (p *Provider) Verify(ctx context.Context, kind, token string, now time.Time) (*core.Verified, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !p.offered[kind] {
		return nil, &core.Error{Code: core.CodeUnknownKind, Field: "kind", Message: "provider " + p.name + " has no such kind", Err: core.ErrMismatch}
	}
	t, parts, err := parse(token)
	if err != nil {
		return nil, err
	}
	keys, err := hs256.Lookup("twilio", p.keys, t.APIKeySID)
	if err != nil {
		return nil, err
	}
	t, err = check(t, parts, keys, core.Expect{Kind: kind, AppID: p.cfg.AccountSID, At: now})
	if err != nil {
		return nil, err
	}
	return t.verified(p.name), nil
}
