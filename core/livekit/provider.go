package livekit

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/hs256"
	"github.com/rtctoken/rtctoken/internal/vendorconfig"
)

// Name is the default provider name.
const Name = "livekit"

// Roles of KindRoom. RoleAdmin is elevated: core.Service.Issue refuses it
// unless a core.AllowElevated grant allows it.
const (
	// RoleSubscriber may subscribe, and neither publish tracks nor data
	// (the default).
	RoleSubscriber = "subscriber"
	// RolePublisher may publish tracks and data and subscribe.
	RolePublisher = "publisher"
	// RoleAdmin is a publisher with roomAdmin: it moderates the room
	// (removes and mutes participants, changes their permissions and
	// metadata, updates the room's metadata).
	RoleAdmin = "admin"
)

// Lifetime limits of KindRoom. LiveKit's own default is 6 h and it has no
// maximum; this package defaults to 1 h and caps at 24 h. LiveKit checks
// expiry only when a participant connects, and the server hands a
// connected client fresh tokens by itself, so a long lifetime buys a
// connected client nothing; it only widens the window in which a leaked
// token (a log line, a shared link) can still join. An hour covers a page
// opened well before the call starts.
const (
	MinTTL     = time.Minute
	MaxTTL     = 24 * time.Hour
	DefaultTTL = time.Hour
)

// MinSecretLen is the shortest API secret New accepts: livekit-server
// reports a shorter one as an error outside development mode.
const MinSecretLen = 32

// Options of KindRoom (JSON object keys of core.Request.Options). Every
// option but can_publish_sources and can_publish_data is elevated.
var elevatedOptions = []string{
	"metadata", "attributes", "room_create", "room_list", "room_record", "ingress_admin",
	"hidden", "recorder", "agent", "can_update_own_metadata", "can_subscribe_metrics",
	"can_manage_agent_session", "destination_room", "room_config", "room_preset", "sip_admin", "sip_call",
}

// Config configures a Provider with one LiveKit project's API keys.
type Config struct {
	// Name is the provider name: lower-case letters, digits, '-' and '_',
	// at most 64 bytes. Empty means Name ("livekit").
	Name string
	// APIKey is the API key (the iss of every token). Required.
	APIKey string
	// APISecret is its secret, at least MinSecretLen bytes. Issuing signs
	// with its UTF-8 bytes. Required.
	APISecret core.Secret
	// SecondaryAPIKey and SecondaryAPISecret are a second key pair that
	// Verify accepts, for rotation: LiveKit rotates by adding a key pair,
	// and a verifier picks the secret by the token's iss. Make the new pair
	// primary and keep the old one here until its tokens have expired
	// (24 h at most). An empty SecondaryAPIKey with a SecondaryAPISecret
	// means a second secret for APIKey. Default none.
	SecondaryAPIKey    string
	SecondaryAPISecret core.Secret
	// ServerURL is the LiveKit server's URL that clients connect to
	// (wss://... or ws://..., http(s) is accepted as LiveKit's SDKs do),
	// handed to clients as the join parameter serverUrl. Required.
	ServerURL string
	// Kinds lists the kinds offered. KindRoom is the only one; empty means
	// it.
	Kinds []string
	// MetadataAttribute, when set, names the core.Identity attribute whose
	// value becomes the participant metadata of the signed-in user's
	// tokens. Default none.
	MetadataAttribute string
	// Attributes names the core.Identity attributes copied into the
	// participant attributes of the signed-in user's tokens, under the
	// same names. Other participants see them. Default none.
	Attributes []string
}

// Provider issues and verifies LiveKit access tokens for one project. It
// implements core.Provider and is safe for concurrent use.
type Provider struct {
	name       string
	key        string
	keys       map[string]core.Keys // API key -> its secrets
	signer     *hs256.Signer        // with APISecret
	url        any                  // ServerURL, as the Join value it is
	metaAttr   string
	attributes []string
}

var _ core.Provider = (*Provider)(nil)

// New returns a Provider for cfg. Every error is a *core.ConfigError
// naming the Config field at fault; it wraps core.ErrConfig and never
// contains a secret.
func New(cfg Config) (*Provider, error) {
	name, err := vendorconfig.Name(Name, cfg.Name)
	if err != nil {
		return nil, err
	}
	if err := configText("APIKey", cfg.APIKey, 256, 1); err != nil {
		return nil, err
	}
	if err := configText("APISecret", cfg.APISecret.Reveal(), 1024, MinSecretLen); err != nil {
		return nil, err
	}
	p := &Provider{
		name: name, key: cfg.APIKey, signer: hs256.NewSigner(header, cfg.APISecret),
		keys:     map[string]core.Keys{cfg.APIKey: {Primary: cfg.APISecret}},
		metaAttr: cfg.MetadataAttribute, attributes: slices.Clone(cfg.Attributes),
	}
	switch second := cfg.SecondaryAPIKey; {
	case second == "" && cfg.SecondaryAPISecret.IsZero():
	case cfg.SecondaryAPISecret.IsZero():
		return nil, configError("SecondaryAPISecret", "is required with SecondaryAPIKey")
	default:
		if err := configText("SecondaryAPISecret", cfg.SecondaryAPISecret.Reveal(), 1024, MinSecretLen); err != nil {
			return nil, err
		}
		if second == "" || second == cfg.APIKey {
			p.keys[cfg.APIKey] = core.Keys{Primary: cfg.APISecret, Secondary: cfg.SecondaryAPISecret}
			break
		}
		if err := configText("SecondaryAPIKey", second, 256, 1); err != nil {
			return nil, err
		}
		p.keys[second] = core.Keys{Primary: cfg.SecondaryAPISecret}
	}
	u, uerr := url.Parse(cfg.ServerURL)
	switch {
	case cfg.ServerURL == "":
		return nil, configError("ServerURL", "is empty")
	case uerr != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		!slices.Contains([]string{"wss", "ws", "https", "http"}, u.Scheme):
		return nil, configError("ServerURL", "want wss://host[:port][/path] (or ws, https, http) without user, query or fragment")
	}
	p.url = cfg.ServerURL
	for i, k := range cfg.Kinds {
		if k != KindRoom || i > 0 {
			return nil, configError("Kinds", fmt.Sprintf("kind %q is unknown or listed twice (want %q)", strings.ToValidUTF8(k, "?"), KindRoom))
		}
	}
	for _, a := range append([]string{cfg.MetadataAttribute}, cfg.Attributes...) {
		if !utf8.ValidString(a) {
			return nil, configError("Attributes", "an attribute name is not valid UTF-8")
		}
	}
	return p, nil
}

func configError(field, msg string) error { return vendorconfig.Error(Name, field, msg) }

func configText(field, v string, max, min int) error {
	return vendorconfig.Text(Name, field, v, min, max)
}

// Name returns the provider name, Config.Name or "livekit".
func (p *Provider) Name() string { return p.name }

// AppID returns the API key.
func (p *Provider) AppID() string { return p.key }

// Kinds describes KindRoom: a room (video.room) is required; roles
// subscriber (default), publisher and admin (elevated); TTL 1 min..24 h,
// default 1 h. Every option but can_publish_sources and can_publish_data
// is elevated (see Issue).
func (p *Provider) Kinds() []core.KindSpec {
	return []core.KindSpec{{
		Kind: KindRoom, MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTL,
		Roles:       []core.Role{{Name: RoleSubscriber}, {Name: RolePublisher}, {Name: RoleAdmin, Elevated: true}},
		DefaultRole: RoleSubscriber, NeedsRoom: true, RoomAllowed: true,
		ElevatedOptions: slices.Clone(elevatedOptions),
	}}
}

// roomOptions are the options of KindRoom.
type roomOptions struct {
	CanPublishSources     []string          `json:"can_publish_sources"`
	CanPublishData        *bool             `json:"can_publish_data"`
	Metadata              *string           `json:"metadata"`
	Attributes            map[string]string `json:"attributes"`
	RoomCreate            bool              `json:"room_create"`
	RoomList              bool              `json:"room_list"`
	RoomRecord            bool              `json:"room_record"`
	IngressAdmin          bool              `json:"ingress_admin"`
	Hidden                bool              `json:"hidden"`
	Recorder              bool              `json:"recorder"`
	Agent                 bool              `json:"agent"`
	CanUpdateOwnMetadata  bool              `json:"can_update_own_metadata"`
	CanSubscribeMetrics   bool              `json:"can_subscribe_metrics"`
	CanManageAgentSession bool              `json:"can_manage_agent_session"`
	DestinationRoom       string            `json:"destination_room"`
	RoomConfig            json.RawMessage   `json:"room_config"`
	RoomPreset            string            `json:"room_preset"`
	SIPAdmin              bool              `json:"sip_admin"`
	SIPCall               bool              `json:"sip_call"`
}

// Limits on what options and identity attributes put into a token
// (livekit-server's defaults: metadata 512 KiB, attributes 64 KiB; these
// are smaller, for a credential a browser fetches).
const (
	maxMetadata   = 64 << 10
	maxAttributes = 16 << 10
)

func optionError(field, format string, args ...any) error {
	return core.Errorf(core.CodeInvalidOption, "options."+field, format, args...)
}

// yes and no are the values of the tri-state permissions Issue sets. Its
// claims never leave it and nothing writes through their *bool fields, so
// they can share two variables.
var yes, no = true, false

// boolPtr is &yes or &no.
func boolPtr(b bool) *bool {
	if b {
		return &yes
	}
	return &no
}

// Issue mints an access token for the grant: iss the API key, sub and
// identity the user id, nbf and iat g.Now, exp g.Now + g.TTL, name the
// identity's display name (for the signed-in user only), and a video grant
// with roomJoin and room:
//
//   - subscriber: canPublish false, canSubscribe true, canPublishData false;
//   - publisher: canPublish, canSubscribe and canPublishData true;
//   - admin: a publisher with roomAdmin.
//
// Options (JSON): can_publish_sources (camera, microphone, screen_share,
// screen_share_audio; publisher and admin only) narrows publishing to
// those sources; can_publish_data (bool) turns data messages on or off
// whatever the role. Every other option is elevated: metadata (string)
// and attributes (object of strings), which override what Config's
// MetadataAttribute and Attributes take from the identity (apps use them
// for roles, so a client must not choose them); the video grants
// room_create, room_list, room_record, ingress_admin, hidden, recorder,
// agent, can_update_own_metadata, can_subscribe_metrics,
// can_manage_agent_session (bools) and destination_room (string, admin
// only); room_config (a livekit.RoomConfiguration as protobuf JSON, with
// no egress member: storage credentials would reach the client) and
// room_preset (string), applied when this participant's join creates the
// room; sip_admin and sip_call (bools) for the SIP grant.
//
// The grant is one core.Service checked against Kinds (room, role, TTL);
// Issue checks only the options. A grant without Now or TTL is refused
// with core.CodeInternal.
//
// Join: serverUrl (Config.ServerURL), token, roomName and identity, the
// arguments of room.connect(serverUrl, token).
func (p *Provider) Issue(ctx context.Context, g core.Grant) (*core.Credential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if g.Kind != KindRoom {
		return nil, core.Errorf(core.CodeUnknownKind, "kind", "provider %s has no kind %q", p.name, strings.ToValidUTF8(g.Kind, "?"))
	}
	if g.Now.IsZero() || g.TTL < time.Second {
		return nil, core.Errorf(core.CodeInternal, "", "livekit: incomplete grant: no issuance time or TTL")
	}
	if g.UserID == "" {
		return nil, core.Errorf(core.CodeInvalidUser, "user_id", "user id is required")
	}
	o, err := core.DecodeOptionsAs[roomOptions](g.Options)
	if err != nil {
		return nil, err
	}
	now := g.Now.Unix()
	c := &Claims{
		Issuer: p.key, Subject: g.UserID, ExpiresAt: now + int64(g.TTL/time.Second), NotBefore: now, IssuedAt: now,
		Identity: g.UserID, RoomPreset: o.RoomPreset,
	}
	own := g.Identity.UserID == g.UserID
	if own {
		c.Name = g.Identity.DisplayName
	}
	v := &VideoGrant{
		RoomJoin: true, Room: g.Room, RoomAdmin: g.Role == RoleAdmin,
		CanPublish: boolPtr(g.Role != RoleSubscriber), CanSubscribe: boolPtr(true),
		RoomCreate: o.RoomCreate, RoomList: o.RoomList, RoomRecord: o.RoomRecord, IngressAdmin: o.IngressAdmin,
		Hidden: o.Hidden, Recorder: o.Recorder, Agent: o.Agent, DestinationRoom: o.DestinationRoom,
	}
	v.CanPublishData = boolPtr(*v.CanPublish)
	if o.CanPublishData != nil {
		v.CanPublishData = boolPtr(*o.CanPublishData)
	}
	for _, b := range []struct {
		set bool
		dst **bool
	}{{o.CanUpdateOwnMetadata, &v.CanUpdateOwnMetadata}, {o.CanSubscribeMetrics, &v.CanSubscribeMetrics}, {o.CanManageAgentSession, &v.CanManageAgentSession}} {
		if b.set {
			*b.dst = boolPtr(true)
		}
	}
	if err := p.checkOptions(&o, g.Role, v); err != nil {
		return nil, err
	}
	c.Video = v
	if o.SIPAdmin || o.SIPCall {
		c.SIP = &SIPGrant{Admin: o.SIPAdmin, Call: o.SIPCall}
	}
	c.RoomConfig = o.RoomConfig
	if err := p.hostData(c, &o, g.Identity, own); err != nil {
		return nil, err
	}
	tok, err := sign(c, p.signer)
	if err != nil {
		return nil, err
	}
	return &core.Credential{
		Token: tok, AppID: p.key, UserID: g.UserID, Room: g.Room, Role: g.Role,
		IssuedAt: hs256.Unix(c.IssuedAt), ExpiresAt: hs256.Unix(c.ExpiresAt),
		Join: map[string]any{"serverUrl": p.url, "token": tok, "roomName": g.Room, "identity": g.UserID},
	}, nil
}

func (p *Provider) checkOptions(o *roomOptions, role string, v *VideoGrant) error {
	if o.CanPublishSources != nil {
		if role == RoleSubscriber {
			return optionError("can_publish_sources", "a subscriber publishes no tracks")
		}
		if len(o.CanPublishSources) == 0 {
			return optionError("can_publish_sources", "list at least one source")
		}
		for i, s := range o.CanPublishSources {
			if !slices.Contains([]string{SourceCamera, SourceMicrophone, SourceScreenShare, SourceScreenShareAudio}, s) || slices.Contains(o.CanPublishSources[:i], s) {
				return optionError("can_publish_sources", "want distinct sources among camera, microphone, screen_share, screen_share_audio")
			}
		}
		v.CanPublishSources = o.CanPublishSources // o is Issue's own
	}
	if o.DestinationRoom != "" && role != RoleAdmin {
		return optionError("destination_room", "destination_room needs the admin role")
	}
	if !plainText(o.DestinationRoom) || len(o.DestinationRoom) > 256 {
		return optionError("destination_room", "destination_room must be printable UTF-8 of at most 256 bytes")
	}
	if !plainText(o.RoomPreset) || len(o.RoomPreset) > 256 {
		return optionError("room_preset", "room_preset must be printable UTF-8 of at most 256 bytes")
	}
	if o.RoomConfig != nil {
		var cfg map[string]json.RawMessage
		if err := json.Unmarshal(o.RoomConfig, &cfg); err != nil || cfg == nil {
			return optionError("room_config", "room_config must be a JSON object")
		}
		if _, ok := cfg["egress"]; ok {
			return optionError("room_config", "room_config may not configure egress: its storage credentials would reach the client")
		}
		if len(o.RoomConfig) > maxMetadata {
			return optionError("room_config", "room_config is longer than %d bytes", maxMetadata)
		}
	}
	return nil
}

// hostData fills metadata and attributes: from the identity (Config's
// MetadataAttribute and Attributes, for the signed-in user's own tokens),
// then from the elevated options, which override.
func (p *Provider) hostData(c *Claims, o *roomOptions, id core.Identity, own bool) error {
	if own && p.metaAttr != "" {
		c.Metadata = id.Attributes[p.metaAttr]
	}
	if own {
		for _, a := range p.attributes {
			if v, ok := id.Attributes[a]; ok {
				if c.Attributes == nil {
					c.Attributes = map[string]string{}
				}
				c.Attributes[a] = v
			}
		}
	}
	if o.Metadata != nil {
		c.Metadata = *o.Metadata
	}
	if c.Attributes == nil && len(o.Attributes) > 0 {
		c.Attributes = o.Attributes // o is Issue's own
	} else {
		maps.Copy(c.Attributes, o.Attributes)
	}
	if !utf8.ValidString(c.Metadata) || len(c.Metadata) > maxMetadata {
		return optionError("metadata", "metadata must be UTF-8 of at most %d bytes", maxMetadata)
	}
	n := 0
	for k, v := range c.Attributes {
		n += len(k) + len(v)
		if k == "" || !utf8.ValidString(k) || !utf8.ValidString(v) {
			return optionError("attributes", "attribute names must be non-empty and names and values UTF-8")
		}
	}
	if n > maxAttributes {
		return optionError("attributes", "attributes are longer than %d bytes", maxAttributes)
	}
	return nil
}

// plainText reports whether s is valid UTF-8 without control characters.
func plainText(s string) bool {
	return utf8.ValidString(s) && strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }) < 0
}

// Verify checks a token of KindRoom with the top-level Verify at time now
// (zero: no time check), with the secrets of the API key its iss names
// among the configured key pairs, as LiveKit's key provider does. A token
// of an unconfigured API key fails with core.ErrSignature; other errors are
// Verify's. A kind the provider does not offer is a *core.Error with code
// unknown_kind that also wraps core.ErrMismatch.
//
// Verified: AppID is the API key (iss), UserID the identity, Room
// video.room, IssuedAt iat, ExpiresAt exp, Claims every claim.
func (p *Provider) Verify(ctx context.Context, kind, token string, now time.Time) (*core.Verified, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if kind != KindRoom {
		return nil, &core.Error{Code: core.CodeUnknownKind, Field: "kind", Message: "provider " + p.name + " has no such kind", Err: core.ErrMismatch}
	}
	t, parts, err := parse(token)
	if err != nil {
		return nil, err
	}
	keys, err := hs256.Lookup("livekit", p.keys, t.APIKey)
	if err != nil {
		return nil, err
	}
	t, err = check(t, parts, keys, core.Expect{Kind: kind, AppID: t.APIKey, At: now})
	if err != nil {
		return nil, err
	}
	return t.verified(p.name), nil
}
