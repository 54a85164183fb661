package zoom

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
)

// Name is the default provider name.
const Name = "zoom"

// Roles offered by both kinds. Host is elevated: core.Service.Issue
// refuses it unless a core.AllowElevated grant allows it.
const (
	RoleParticipant = "participant" // role_type / role 0
	RoleHost        = "host"        // role_type / role 1
)

// MaxIATSkew is the largest Config.IATSkew.
const MaxIATSkew = 10 * time.Minute

// Zoom's limits on exp-iat, as the official auth endpoint samples enforce
// them, and the samples' default. With Config.IATSkew the Provider's MaxTTL
// (exp-now) is MaxTTL - IATSkew.
const (
	MinTTL     = sdkjwt.MinLifetime // 1800 s
	MaxTTL     = sdkjwt.MaxLifetime // 48 h
	DefaultTTL = 2 * time.Hour
)

// Config configures a Provider with one Zoom SDK key pair.
//
// Zoom's Video SDK and Meeting SDK are different products with different
// key pairs: a Video SDK key signs only Video SDK JWTs that Zoom accepts, a
// Meeting SDK key (client id) only Meeting SDK JWTs. Set Kinds to the kind
// your key pair is for. An application using both products configures two
// providers, one per key pair, and gives one of them another Name (a
// Service refuses two providers with the same name).
type Config struct {
	// Name is the provider name: lower-case letters, digits, '-' and '_',
	// at most 64 bytes. Empty means Name ("zoom").
	Name string
	// SDKKey is the public SDK key (Video SDK key, or Meeting SDK client
	// id). It is written into every token and checked by Verify. Required.
	SDKKey string
	// SDKSecret is the matching secret. Issuing signs with its UTF-8 bytes.
	// Required.
	SDKSecret core.Secret
	// SecondarySecret, when set, is also accepted by Verify, for rotation:
	// make the new secret primary and keep the old one here until every
	// token it signed has expired (48 h at most). Default none.
	SecondarySecret core.Secret
	// Kinds lists the kinds offered: KindVideo, KindMeeting or both. Kinds
	// left out are neither issued, verified nor listed. Empty means both,
	// in that order.
	Kinds []string
	// IATSkew back-dates iat, so that a client whose clock runs up to
	// IATSkew fast does not see a token issued in its future. Whole seconds
	// from 0 (the default: no back-dating) to MaxIATSkew.
	//
	// exp stays now+ttl: the lifetime a client gets is never shortened.
	// Zoom requires exp-iat to be within MinTTL..MaxTTL, and exp-iat is
	// ttl+IATSkew, so the largest TTL the kinds offer (KindSpec.MaxTTL)
	// becomes MaxTTL - IATSkew; the smallest stays MinTTL (exp-iat is then
	// MinTTL + IATSkew). Credential.IssuedAt and Verified.IssuedAt report
	// the back-dated iat of the token.
	IATSkew time.Duration
}

// Provider issues and verifies Zoom Video SDK and Meeting SDK JWTs for one
// key pair. It implements core.Provider and is safe for concurrent use.
type Provider struct {
	name           string
	key            string
	keys           core.Keys
	signer         *sdkjwt.Signer // keys.Primary
	video, meeting bool
	kindOrder      []string
	skew           int64 // seconds
	maxTTL         time.Duration
}

var _ core.Provider = (*Provider)(nil)

// New returns a Provider for cfg. Every error is a *core.ConfigError
// naming the Config field at fault; it wraps core.ErrConfig and never
// contains the secrets.
func New(cfg Config) (*Provider, error) {
	name := cfg.Name
	if name == "" {
		name = Name
	}
	if len(name) > 64 || strings.TrimLeft(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return nil, configError("Name", "want lower-case letters, digits, '-' and '_'")
	}
	if d := cfg.IATSkew; d < 0 || d > MaxIATSkew || d%time.Second != 0 {
		return nil, configError("IATSkew", fmt.Sprintf("%s: want whole seconds from 0 to %s", d, MaxIATSkew))
	}
	if err := checkConfigText("SDKKey", cfg.SDKKey, sdkjwt.MaxSDKKeyLen); err != nil {
		return nil, err
	}
	if err := checkConfigText("SDKSecret", cfg.SDKSecret.Reveal(), 1024); err != nil {
		return nil, err
	}
	p := &Provider{
		name: name, key: cfg.SDKKey, keys: core.Keys{Primary: cfg.SDKSecret}, signer: sdkjwt.NewSigner(cfg.SDKSecret),
		skew: int64(cfg.IATSkew / time.Second), maxTTL: MaxTTL - cfg.IATSkew,
	}
	if !cfg.SecondarySecret.IsZero() {
		if err := checkConfigText("SecondarySecret", cfg.SecondarySecret.Reveal(), 1024); err != nil {
			return nil, err
		}
		p.keys.Secondary = cfg.SecondarySecret
	}
	kinds := cfg.Kinds
	if len(kinds) == 0 {
		kinds = []string{KindVideo, KindMeeting}
	}
	for _, k := range kinds {
		switch {
		case k == KindVideo && !p.video:
			p.video = true
		case k == KindMeeting && !p.meeting:
			p.meeting = true
		default:
			return nil, configError("Kinds", fmt.Sprintf("kind %q is unknown or listed twice (want %q and/or %q)",
				strings.ToValidUTF8(k, "?"), KindVideo, KindMeeting))
		}
		p.kindOrder = append(p.kindOrder, k)
	}
	return p, nil
}

func configError(field, msg string) error {
	return &core.ConfigError{Provider: Name, Field: field, Message: msg}
}

// checkConfigText refuses empty, over-long or non-UTF-8 values and any
// whitespace or control character (a pasted newline, say). The value
// itself never appears in the error.
func checkConfigText(field, v string, max int) error {
	switch {
	case v == "":
		return configError(field, "is empty")
	case len(v) > max:
		return configError(field, fmt.Sprintf("is longer than %d bytes", max))
	case !utf8.ValidString(v):
		return configError(field, "is not valid UTF-8")
	case strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return configError(field, "contains whitespace or a control character")
	}
	return nil
}

// Name returns the provider name, Config.Name or "zoom".
func (p *Provider) Name() string { return p.name }

// AppID returns the SDK key.
func (p *Provider) AppID() string { return p.key }

// Kinds describes the configured kinds:
//
//   - "video": room = session name (tpc), required, 1..200 UTF-16 units;
//     roles participant (default, role_type 0) and host (role_type 1,
//     elevated); TTL 1800 s..48 h, default 2 h.
//   - "meeting": room = meeting number, 9 to 11 ASCII digits, optional (no
//     room issues a native SDK JWT without mn and role); same roles (role
//     0/1) and TTLs.
//
// With Config.IATSkew d, MaxTTL is 48 h - d.
func (p *Provider) Kinds() []core.KindSpec {
	out := make([]core.KindSpec, 0, len(p.kindOrder))
	for _, k := range p.kindOrder {
		out = append(out, core.KindSpec{
			Kind: k, MinTTL: MinTTL, MaxTTL: p.maxTTL, DefaultTTL: DefaultTTL,
			Roles:       []core.Role{{Name: RoleParticipant}, {Name: RoleHost, Elevated: true}},
			DefaultRole: RoleParticipant, NeedsRoom: k == KindVideo, RoomAllowed: true,
		})
	}
	return out
}

func (p *Provider) offers(kind string) bool {
	return (kind == KindVideo && p.video) || (kind == KindMeeting && p.meeting)
}

// videoOptions are the options of kind "video".
type videoOptions struct {
	SessionKey             string   `json:"session_key"`
	GeoRegions             []string `json:"geo_regions"`
	CloudRecordingOption   *int64   `json:"cloud_recording_option"`
	CloudRecordingElection *int64   `json:"cloud_recording_election"`
	TelemetryTrackingID    string   `json:"telemetry_tracking_id"`
	VideoWebRTCMode        *int64   `json:"video_webrtc_mode"`
	AudioWebRTCMode        *int64   `json:"audio_webrtc_mode"`
}

// meetingOptions are the options of kind "meeting".
type meetingOptions struct {
	VideoWebRTCMode *int64 `json:"video_webrtc_mode"`
}

func optFlag(v *int64) sdkjwt.Flag {
	if v == nil {
		return sdkjwt.Unset
	}
	return sdkjwt.FlagOf(*v)
}

// Issue mints a Video SDK or Meeting SDK JWT for the grant. The token's iat
// is g.Now (less Config.IATSkew) and its exp g.Now + g.TTL.
//
// The grant is one core.Service checked against Kinds (room, role, TTL);
// Issue checks only what Zoom adds: the UTF-16 lengths of the session name
// and user identity, meeting numbers, the options, that a host has a
// meeting number, and exp-iat within MinTTL..MaxTTL. A grant without Now or
// TTL is refused with core.CodeInternal.
//
// Video Join: sessionName, signature, userName and, when set, sessionKey:
// the arguments of client.join(topic, signature, userName). Meeting Join:
// meetingNumber (web JWT only), signature, sdkKey, userName. userName is
// the identity's display name when the grant is for the signed-in user,
// the user id otherwise.
func (p *Provider) Issue(ctx context.Context, g core.Grant) (*core.Credential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !p.offers(g.Kind) {
		return nil, core.Errorf(core.CodeUnknownKind, "kind", "provider %s has no kind %q", p.name, strings.ToValidUTF8(g.Kind, "?"))
	}
	if g.Now.IsZero() || g.TTL < time.Second {
		return nil, core.Errorf(core.CodeInternal, "", "zoom: incomplete grant: no issuance time or TTL")
	}
	now := g.Now.Unix()
	iat, exp := now-p.skew, now+int64(g.TTL/time.Second)
	if g.UserID == "" || !plainText(g.UserID) {
		return nil, core.Errorf(core.CodeInvalidUser, "user_id", "user id is required and must be printable UTF-8")
	}
	if !plainText(g.Room) {
		return nil, core.Errorf(core.CodeInvalidRoom, "room", "room must be printable UTF-8")
	}
	c := &core.Credential{
		AppID: p.key, UserID: g.UserID, Room: g.Room, Role: g.Role,
		IssuedAt: time.Unix(iat, 0).UTC(), ExpiresAt: time.Unix(exp, 0).UTC(),
	}
	role := 0
	if g.Role == RoleHost {
		role = 1
	}
	var err error
	if g.Kind == KindVideo {
		err = p.issueVideo(c, &g, role, iat, exp)
	} else {
		err = p.issueMeeting(c, &g, role, iat, exp)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (p *Provider) issueVideo(c *core.Credential, g *core.Grant, role int, iat, exp int64) error {
	v := sdkjwt.VideoClaims{AppKey: p.key, RoleType: role, Topic: g.Room, IssuedAt: iat, ExpiresAt: exp, UserIdentity: g.UserID}
	if len(g.Options) > 0 {
		var o videoOptions
		if err := core.DecodeOptions(g.Options, &o); err != nil {
			return err
		}
		if !plainText(o.SessionKey) {
			return core.Errorf(core.CodeInvalidOption, "options.session_key", "session_key must be printable UTF-8")
		}
		if !plainText(o.TelemetryTrackingID) {
			return core.Errorf(core.CodeInvalidOption, "options.telemetry_tracking_id", "telemetry_tracking_id must be printable UTF-8")
		}
		if o.GeoRegions != nil && len(o.GeoRegions) == 0 {
			return core.Errorf(core.CodeInvalidOption, "options.geo_regions", "geo_regions must list at least one region")
		}
		v.SessionKey, v.GeoRegions, v.TelemetryTrackingID = o.SessionKey, o.GeoRegions, o.TelemetryTrackingID
		v.CloudRecordingOption, v.CloudRecordingElection = optFlag(o.CloudRecordingOption), optFlag(o.CloudRecordingElection)
		v.VideoWebRTCMode, v.AudioWebRTCMode = optFlag(o.VideoWebRTCMode), optFlag(o.AudioWebRTCMode)
	}
	tok, err := p.signer.Video(v)
	if err != nil {
		return core.RenameField(err, claimFields)
	}
	c.Token = tok
	c.Join = map[string]any{"sessionName": g.Room, "signature": tok, "userName": userName(g)}
	if v.SessionKey != "" {
		c.Join["sessionKey"] = v.SessionKey
	}
	return nil
}

// claimFields maps the claims sdkjwt names in its errors to the request
// fields they come from.
var claimFields = map[string]string{
	"tpc": "room", "mn": "room", "user_identity": "user_id", "role_type": "role", "role": "role", "exp": "ttl",
	"session_key": "options.session_key", "geo_regions": "options.geo_regions",
	"telemetry_tracking_id":  "options.telemetry_tracking_id",
	"cloud_recording_option": "options.cloud_recording_option", "cloud_recording_election": "options.cloud_recording_election",
	"video_webrtc_mode": "options.video_webrtc_mode", "audio_webrtc_mode": "options.audio_webrtc_mode",
}

func (p *Provider) issueMeeting(c *core.Credential, g *core.Grant, role int, iat, exp int64) error {
	m := sdkjwt.MeetingClaims{SDKKey: p.key, IssuedAt: iat, ExpiresAt: exp}
	switch {
	case g.Room != "":
		if !meetingNumber(g.Room) {
			return core.Errorf(core.CodeInvalidRoom, "room", "a Zoom meeting number is 9 to 11 digits")
		}
		m.MeetingNumber, m.Role = sdkjwt.MeetingNumber{Text: g.Room}, sdkjwt.FlagOf(int64(role))
	case role != 0:
		return core.Errorf(core.CodeInvalidRoom, "room", "role %s needs a meeting number", RoleHost)
	default:
		c.Role = "" // a native SDK JWT carries no role
	}
	if len(g.Options) > 0 {
		var o meetingOptions
		if err := core.DecodeOptions(g.Options, &o); err != nil {
			return err
		}
		m.VideoWebRTCMode = optFlag(o.VideoWebRTCMode)
	}
	tok, err := p.signer.Meeting(m)
	if err != nil {
		return core.RenameField(err, claimFields)
	}
	c.Token = tok
	c.Join = map[string]any{"signature": tok, "sdkKey": p.key, "userName": userName(g)}
	if g.Room != "" {
		c.Join["meetingNumber"] = g.Room
	}
	return nil
}

// userName is the display name when the grant is for the signed-in user
// (another user's grant must not carry the caller's name), else the user id.
func userName(g *core.Grant) string {
	if g.Identity.DisplayName != "" && g.Identity.UserID == g.UserID {
		return g.Identity.DisplayName
	}
	return g.UserID
}

func meetingNumber(s string) bool {
	if len(s) < 9 || len(s) > 11 {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// plainText reports whether s is valid UTF-8 without control characters or
// U+2028/U+2029, the rule the service applies to user ids and rooms.
func plainText(s string) bool {
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size == 1) || unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return false
		}
		i += size
	}
	return true
}

// Verify checks a token of the given kind with the top-level Verify,
// against the SDK key and the primary, then the secondary secret, at time
// now (zero: no time check). Errors wrap core.ErrMalformed,
// core.ErrSignature, core.ErrMismatch (another SDK key, another kind, a
// broken Zoom rule) or core.ErrExpired (now >= exp). A kind the provider
// does not offer is a *core.Error with code unknown_kind that also wraps
// core.ErrMismatch.
//
// Verified: AppID is the SDK key, UserID user_identity (video; empty for
// meeting), Room tpc or mn, IssuedAt iat, ExpiresAt exp, Claims every claim.
func (p *Provider) Verify(ctx context.Context, kind, token string, now time.Time) (*core.Verified, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if !p.offers(kind) {
		return nil, &core.Error{Code: core.CodeUnknownKind, Field: "kind", Message: "provider " + p.name + " has no such kind", Err: core.ErrMismatch}
	}
	t, err := Verify(token, p.keys, core.Expect{Kind: kind, AppID: p.key, At: now})
	if err != nil {
		return nil, err
	}
	return t.verified(p.name), nil
}
