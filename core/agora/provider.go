package agora

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
)

// Name is the default provider name.
const Name = "agora"

// Kinds offered by the provider.
const (
	// KindRTC is an RTC (video/voice calling) token for a channel, with
	// an optional RTM service for the same user.
	KindRTC = "rtc"
	// KindRTM is a Signaling (RTM) login token.
	KindRTM = "rtm"
	// KindChat is an Agora Chat user token.
	KindChat = "chat"
	// KindChatApp is the Agora Chat app token for the host's own server
	// (REST API); it is server-only and never served over HTTP.
	KindChatApp = "chat_app"
)

// RTC roles. A publisher gets the join and the three publish privileges, a
// subscriber (the default) the join privilege only.
const (
	RolePublisher  = "publisher"
	RoleSubscriber = "subscriber"
)

// TTL limits shared by every kind: Agora tokens are valid for at most 24
// hours. The minimum is this package's choice: a token shorter than a
// minute is almost certainly a mistake (clock skew alone can eat it).
const (
	MinTTL     = time.Minute
	MaxTTL     = 24 * time.Hour
	DefaultTTL = time.Hour
)

// Config configures a Provider. Only AppID and AppCertificate are
// required.
type Config struct {
	// Name is the provider name (default Name, "agora"): set it to serve
	// several Agora projects from one core.Service.
	Name string
	// AppID is the App ID from the Agora console: 32 hex characters.
	AppID string
	// AppCertificate is the primary App Certificate (32 hex characters).
	// Tokens are signed with it.
	AppCertificate core.Secret
	// SecondaryCertificate is optional (32 hex characters): Verify also
	// accepts tokens signed with it, for certificate rotation.
	SecondaryCertificate core.Secret
	// Kinds lists the kinds the provider serves (default: all of KindRTC,
	// KindRTM, KindChat and KindChatApp). A kind not listed is neither
	// issued, verified nor listed by Provider.Kinds.
	Kinds []string
	// Compression is the tokens' deflate encoder. The zero value,
	// accesstoken.CompressFast, is the format package's own;
	// accesstoken.CompressZlib gives the bytes of Agora's Go generator
	// and costs about 12 us more per token. Agora accepts both: its
	// servers inflate the token and never compare compressed bytes.
	Compression accesstoken.Compression
}

// Provider issues and verifies Agora AccessToken2 credentials. It
// implements core.Provider and is safe for concurrent use.
type Provider struct {
	name     string
	appID    string
	appIDAny any // appID, boxed once for the Join maps
	keys     core.Keys
	kinds    map[string]bool // the enabled kinds
	compress accesstoken.Compression
}

var _ core.Provider = (*Provider)(nil)

// allKinds lists every kind, in the order Provider.Kinds reports them.
var allKinds = []string{KindRTC, KindRTM, KindChat, KindChatApp}

// New returns a Provider for one Agora project. Every error is a
// *core.ConfigError naming the Config field at fault; none contains a
// certificate.
func New(cfg Config) (*Provider, error) {
	bad := func(field, msg string) error {
		return &core.ConfigError{Provider: Name, Field: field, Message: msg}
	}
	if !isHex32(cfg.AppID) {
		return nil, bad("AppID", "the app id must be 32 hexadecimal characters")
	}
	if !isHex32(cfg.AppCertificate.Reveal()) {
		return nil, bad("AppCertificate", "the app certificate must be 32 hexadecimal characters")
	}
	if s := cfg.SecondaryCertificate; !s.IsZero() && !isHex32(s.Reveal()) {
		return nil, bad("SecondaryCertificate", "the secondary certificate must be 32 hexadecimal characters")
	}
	if cfg.Compression > accesstoken.CompressZlib {
		return nil, bad("Compression", "unknown compression")
	}
	p := &Provider{name: cmp.Or(cfg.Name, Name), appID: cfg.AppID, appIDAny: cfg.AppID,
		keys: core.Keys{Primary: cfg.AppCertificate, Secondary: cfg.SecondaryCertificate}, kinds: map[string]bool{},
		compress: cfg.Compression}
	kinds := cfg.Kinds
	if len(kinds) == 0 {
		kinds = allKinds
	}
	for _, k := range kinds {
		if !slices.Contains(allKinds, k) {
			return nil, bad("Kinds", fmt.Sprintf("agora has no kind %q", k))
		}
		p.kinds[k] = true
	}
	return p, nil
}

// Name implements core.Provider.
func (p *Provider) Name() string { return p.name }

// AppID implements core.Provider.
func (p *Provider) AppID() string { return p.appID }

// Kinds implements core.Provider: rtc (room required; roles publisher and
// subscriber, default subscriber; option any_uid is elevated), rtm and
// chat (no room, no role), and the server-only chat_app, leaving out the
// kinds Config.Kinds does not list. Every kind allows MinTTL..MaxTTL,
// default DefaultTTL.
func (p *Provider) Kinds() []core.KindSpec {
	all := p.allKinds()
	return slices.DeleteFunc(all, func(k core.KindSpec) bool { return !p.kinds[k.Kind] })
}

func (p *Provider) allKinds() []core.KindSpec {
	spec := func(kind string) core.KindSpec {
		return core.KindSpec{Kind: kind, MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTL}
	}
	rtc := spec(KindRTC)
	rtc.Roles = []core.Role{{Name: RolePublisher}, {Name: RoleSubscriber}}
	rtc.DefaultRole = RoleSubscriber
	rtc.NeedsRoom = true
	// A uid-0 token lets its holder join as any uid: core.Service.Issue
	// treats it like an elevated role.
	rtc.ElevatedOptions = []string{"any_uid"}
	app := spec(KindChatApp)
	app.ServerOnly = true
	return []core.KindSpec{rtc, spec(KindRTM), spec(KindChat), app}
}

// Issue implements core.Provider. See the package documentation for the
// kinds, their options and their Join parameters; a kind Config.Kinds
// leaves out is core.CodeUnknownKind. The grant's room, role and TTL are
// taken as core.Service validated them against Kinds; Issue checks only
// Agora's own rules on names and the options. A grant without an issuance
// time or a TTL is a core.CodeInternal error.
func (p *Provider) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	if !p.kinds[g.Kind] {
		return nil, core.Errorf(core.CodeUnknownKind, "kind", "agora has no kind %q", g.Kind)
	}
	if g.Now.IsZero() || g.TTL <= 0 {
		return nil, core.Errorf(core.CodeInternal, "", "agora: incomplete grant: no issuance time or TTL")
	}
	ttl := uint32(g.TTL / time.Second)
	ts, err := accesstoken.IssueTs(g.Now)
	if err != nil {
		return nil, err
	}
	c := &core.Credential{
		AppID:     p.appID,
		IssuedAt:  time.Unix(int64(ts), 0).UTC(),
		ExpiresAt: time.Unix(int64(ts)+int64(ttl), 0).UTC(),
	}
	var svcs [2]accesstoken.Service
	n := 1
	switch g.Kind {
	case KindRTC:
		r, err := p.rtc(g, ttl, c)
		if err != nil {
			return nil, err
		}
		svcs[0] = accesstoken.RTCService(g.Room, r.uid, r.role, r.privs)
		if r.rtm {
			svcs[1] = accesstoken.RTMService(g.UserID, ttl)
			n = 2
		}
	default:
		if err := core.DecodeOptions(g.Options, &struct{}{}); err != nil {
			return nil, err
		}
		switch g.Kind {
		case KindRTM:
			if err := checkRTMUser(g.UserID); err != nil {
				return nil, err
			}
			svcs[0] = accesstoken.RTMService(g.UserID, ttl)
		case KindChat:
			if err := checkChatUser(g.UserID); err != nil {
				return nil, err
			}
			svcs[0] = accesstoken.ChatUserService(g.UserID, ttl)
		default:
			svcs[0] = accesstoken.ChatAppService(ttl)
		}
		c.Join = map[string]any{joinAppID: p.appIDAny}
		if g.Kind != KindChatApp {
			c.UserID = g.UserID
			c.Join[joinUserID] = g.UserID
		}
	}
	b := accesstoken.Builder{AppID: p.appID, Certificate: p.keys.Primary.Reveal(), Now: g.Now, Rand: g.Rand, Compression: p.compress}
	if c.Token, err = b.Build(ttl, svcs[:n]...); err != nil {
		return nil, err
	}
	c.Join[joinToken] = c.Token
	return c, nil
}

// Join parameter names, as the Agora SDKs call them.
const (
	joinAppID   = "appId"
	joinChannel = "channel"
	joinUID     = "uid"
	joinAccount = "userAccount"
	joinRTMUser = "rtmUserId"
	joinUserID  = "userId"
	joinToken   = "token"
)

// ID types of the rtc kind's "id_type" option.
const (
	IDTypeUID     = "uid"
	IDTypeAccount = "account"
)

// RTCOptions are the options of the rtc kind (JSON in core.Request.Options).
// TTLs are in seconds, at least 1 and at most the token's TTL.
type RTCOptions struct {
	// IDType is "uid" (the user id is a decimal uid, 1..4294967295) or
	// "account" (a string user account). A user id made only of digits
	// must state it; any other user id defaults to "account".
	IDType string `json:"id_type,omitempty"`
	// AnyUID issues the token for uid 0, which any uid may use to join.
	// It requires IDType "uid".
	AnyUID bool `json:"any_uid,omitempty"`
	// RTM adds an RTM login for the same user (the account, or the uid in
	// decimal) to the token, lasting as long as the token.
	RTM bool `json:"rtm,omitempty"`
	// PrivilegeTTL is the default lifetime of every privilege (default:
	// the token's TTL).
	PrivilegeTTL *int64 `json:"privilege_ttl,omitempty"`
	// JoinTTL and the Publish*TTL set single privileges (default:
	// PrivilegeTTL). A subscriber has no publish privileges, so a
	// Publish*TTL for one is an error.
	JoinTTL         *int64 `json:"join_ttl,omitempty"`
	PublishAudioTTL *int64 `json:"publish_audio_ttl,omitempty"`
	PublishVideoTTL *int64 `json:"publish_video_ttl,omitempty"`
	PublishDataTTL  *int64 `json:"publish_data_ttl,omitempty"`
}

// rtcPlan is what an rtc grant asks for.
type rtcPlan struct {
	uid   string // the RTC service's uid string
	role  accesstoken.Role
	privs accesstoken.RTCPrivileges
	rtm   bool
}

// rtc validates an rtc grant and fills the credential's user, room, role
// and Join.
func (p *Provider) rtc(g core.Grant, ttl uint32, c *core.Credential) (rtcPlan, error) {
	o, err := core.DecodeOptionsAs[RTCOptions](g.Options)
	if err != nil {
		return rtcPlan{}, err
	}
	if err := checkChannel(g.Room); err != nil {
		return rtcPlan{}, err
	}
	role := accesstoken.RoleSubscriber
	if g.Role == RolePublisher {
		role = accesstoken.RolePublisher
	}
	privs, err := o.privileges(ttl, role)
	if err != nil {
		return rtcPlan{}, err
	}
	c.Room, c.Role, c.UserID = g.Room, roleName(role), g.UserID
	c.Join = make(map[string]any, 5)
	c.Join[joinAppID], c.Join[joinChannel] = p.appIDAny, g.Room
	tokenUID := g.UserID
	switch idType, err := o.idType(g.UserID); {
	case err != nil:
		return rtcPlan{}, err
	case idType == IDTypeUID:
		uid, ok := parseUID(g.UserID)
		if !ok {
			return rtcPlan{}, core.Errorf(core.CodeInvalidUser, "user_id", "a uid is a decimal number from 1 to 4294967295 without leading zeros")
		}
		if o.AnyUID {
			tokenUID = ""
		}
		c.Join[joinUID] = uid
	default:
		if err := checkAccount(g.UserID); err != nil {
			return rtcPlan{}, err
		}
		c.Join[joinAccount] = g.UserID
	}
	if o.RTM {
		if err := checkRTMUser(g.UserID); err != nil {
			return rtcPlan{}, err
		}
		c.Join[joinRTMUser] = g.UserID
	}
	return rtcPlan{uid: tokenUID, role: role, privs: privs, rtm: o.RTM}, nil
}

func roleName(r accesstoken.Role) string {
	if r == accesstoken.RolePublisher {
		return RolePublisher
	}
	return RoleSubscriber
}

func (o *RTCOptions) idType(user string) (string, error) {
	switch o.IDType {
	case IDTypeUID:
	case IDTypeAccount:
		if o.AnyUID {
			return "", core.Errorf(core.CodeInvalidOption, "options.any_uid", "any_uid requires id_type uid")
		}
	case "":
		if o.AnyUID {
			return "", core.Errorf(core.CodeInvalidOption, "options.any_uid", "any_uid requires id_type uid")
		}
		if allDigits(user) {
			return "", core.Errorf(core.CodeInvalidOption, "options.id_type", "a numeric user id must state id_type %q or %q", IDTypeUID, IDTypeAccount)
		}
		return IDTypeAccount, nil
	default:
		return "", core.Errorf(core.CodeInvalidOption, "options.id_type", "id_type must be %q or %q", IDTypeUID, IDTypeAccount)
	}
	return o.IDType, nil
}

// privileges resolves the per-privilege TTLs.
func (o *RTCOptions) privileges(ttl uint32, role accesstoken.Role) (p accesstoken.RTCPrivileges, err error) {
	def, err := optTTL("options.privilege_ttl", o.PrivilegeTTL, ttl, ttl, true)
	if err != nil {
		return p, err
	}
	pub := role == accesstoken.RolePublisher
	if p.Join, err = optTTL("options.join_ttl", o.JoinTTL, def, ttl, true); err != nil {
		return p, err
	}
	if p.PublishAudio, err = optTTL("options.publish_audio_ttl", o.PublishAudioTTL, def, ttl, pub); err != nil {
		return p, err
	}
	if p.PublishVideo, err = optTTL("options.publish_video_ttl", o.PublishVideoTTL, def, ttl, pub); err != nil {
		return p, err
	}
	p.PublishData, err = optTTL("options.publish_data_ttl", o.PublishDataTTL, def, ttl, pub)
	return p, err
}

// optTTL returns a privilege TTL option's value, def when it is absent.
// allowed is false for a publish privilege of a subscriber.
func optTTL(field string, v *int64, def, max uint32, allowed bool) (uint32, error) {
	if v == nil {
		return def, nil
	}
	if !allowed {
		return 0, core.Errorf(core.CodeInvalidOption, field, "a subscriber has no publish privileges")
	}
	if *v < 1 || *v > int64(max) {
		return 0, core.Errorf(core.CodeInvalidOption, field, "must be from 1 to %d seconds (the token's ttl)", max)
	}
	return uint32(*v), nil
}

// Verify implements core.Provider with the package's [Verify]: the
// primary, then the secondary certificate, the app id, the kind's service
// and privilege, and expiry at now. UserID is the RTC uid string ("" for
// an any_uid token), the RTM or Chat user id, or "" for chat_app; Room is
// the RTC channel; Claims are [accesstoken.Decoded.Claims].
func (p *Provider) Verify(_ context.Context, kind, token string, now time.Time) (*core.Verified, error) {
	if !p.kinds[kind] {
		return nil, fmt.Errorf("%w: agora: unknown kind %q", core.ErrMismatch, kind)
	}
	t, err := Verify(token, p.keys, core.Expect{Kind: kind, AppID: p.appID, At: now})
	if err != nil {
		return nil, err
	}
	return t.verified(p.name), nil
}

// parseUID parses a canonical decimal uid in 1..4294967295.
func parseUID(s string) (uint32, bool) {
	if s == "" || s[0] == '0' || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}
