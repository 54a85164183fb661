package agora

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/rtctoken/rtctoken/core"
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

// RTC roles.
const (
	RolePublisherName  = "publisher"
	RoleSubscriberName = "subscriber"
)

// TTL limits shared by every kind: Agora tokens are valid for at most 24
// hours. The minimum is this package's choice: a token shorter than a
// minute is almost certainly a mistake (clock skew alone can eat it).
const (
	MinTTL     = time.Minute
	MaxTTL     = 24 * time.Hour
	DefaultTTL = time.Hour
)

// Config configures a Provider.
type Config struct {
	// AppID is the App ID from the Agora console: 32 hex characters.
	AppID string
	// AppCertificate is the primary App Certificate (32 hex characters).
	// Tokens are signed with it.
	AppCertificate core.Secret
	// SecondaryCertificate is optional (32 hex characters): Verify also
	// accepts tokens signed with it, for certificate rotation.
	SecondaryCertificate core.Secret
}

// Option configures a Provider.
type Option interface{ apply(*Provider) error }

type optionFunc func(*Provider) error

func (f optionFunc) apply(p *Provider) error { return f(p) }

// WithName sets the provider name (default "agora"), for a host that
// configures several Agora projects in one service.
func WithName(name string) Option {
	return optionFunc(func(p *Provider) error {
		if name == "" {
			return fmt.Errorf("%w: agora: empty provider name", core.ErrConfig)
		}
		p.name = name
		return nil
	})
}

// Provider issues and verifies Agora AccessToken2 credentials. It
// implements core.Provider and is safe for concurrent use.
type Provider struct {
	name     string
	appID    string
	appIDAny any           // appID, boxed once for the Join maps
	certs    []core.Secret // primary first
}

var _ core.Provider = (*Provider)(nil)

// New returns a Provider for one Agora project. Errors wrap core.ErrConfig
// and never contain a certificate.
func New(cfg Config, opts ...Option) (*Provider, error) {
	if !isHex32(cfg.AppID) {
		return nil, fmt.Errorf("%w: agora: the app id must be 32 hexadecimal characters", core.ErrConfig)
	}
	if !isHex32(cfg.AppCertificate.Reveal()) {
		return nil, fmt.Errorf("%w: agora: the app certificate must be 32 hexadecimal characters", core.ErrConfig)
	}
	p := &Provider{name: Name, appID: cfg.AppID, appIDAny: cfg.AppID, certs: []core.Secret{cfg.AppCertificate}}
	if !cfg.SecondaryCertificate.IsZero() {
		if !isHex32(cfg.SecondaryCertificate.Reveal()) {
			return nil, fmt.Errorf("%w: agora: the secondary certificate must be 32 hexadecimal characters", core.ErrConfig)
		}
		p.certs = append(p.certs, cfg.SecondaryCertificate)
	}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o.apply(p); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// Name implements core.Provider.
func (p *Provider) Name() string { return p.name }

// AppID implements core.Provider.
func (p *Provider) AppID() string { return p.appID }

// Kinds implements core.Provider: rtc (room required; roles publisher and
// subscriber, default subscriber; option any_uid is elevated), rtm and chat (no room, no role), and the
// server-only chat_app. Every kind allows MinTTL..MaxTTL, default
// DefaultTTL.
func (p *Provider) Kinds() []core.KindSpec {
	spec := func(kind string) core.KindSpec {
		return core.KindSpec{Kind: kind, MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTL}
	}
	rtc := spec(KindRTC)
	rtc.Roles = []core.Role{{Name: RolePublisherName}, {Name: RoleSubscriberName}}
	rtc.DefaultRole = RoleSubscriberName
	rtc.NeedsRoom = true
	// A uid-0 token lets its holder join as any uid: core.Service.Issue
	// treats it like an elevated role.
	rtc.ElevatedOptions = []string{"any_uid"}
	app := spec(KindChatApp)
	app.ServerOnly = true
	return []core.KindSpec{rtc, spec(KindRTM), spec(KindChat), app}
}

// Issue implements core.Provider. See the package documentation for the
// kinds, their options and their Join parameters.
func (p *Provider) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	switch g.Kind {
	case KindRTC, KindRTM, KindChat, KindChatApp:
	default:
		return nil, core.Errorf(core.CodeUnknownKind, "kind", "agora has no kind %q", g.Kind)
	}
	ttl, err := grantTTL(g.TTL)
	if err != nil {
		return nil, err
	}
	ts, err := IssueTs(g.Now)
	if err != nil {
		return nil, err
	}
	c := &core.Credential{
		AppID:     p.appID,
		IssuedAt:  time.Unix(int64(ts), 0).UTC(),
		ExpiresAt: time.Unix(int64(ts)+int64(ttl), 0).UTC(),
	}
	var svcs [2]Service
	n := 1
	switch g.Kind {
	case KindRTC:
		r, err := p.rtc(g, ttl, c)
		if err != nil {
			return nil, err
		}
		svcs[0] = RTCService(g.Room, r.uid, r.role, r.privs)
		if r.rtm {
			svcs[1] = RTMService(g.UserID, ttl)
			n = 2
		}
	default:
		if err := noRoomRoleOptions(g); err != nil {
			return nil, err
		}
		switch g.Kind {
		case KindRTM:
			if err := checkRTMUser(g.UserID); err != nil {
				return nil, err
			}
			svcs[0] = RTMService(g.UserID, ttl)
		case KindChat:
			if err := checkChatUser(g.UserID); err != nil {
				return nil, err
			}
			svcs[0] = ChatUserService(g.UserID, ttl)
		default:
			svcs[0] = ChatAppService(ttl)
		}
		c.Join = map[string]any{joinAppID: p.appIDAny}
		if g.Kind != KindChatApp {
			c.UserID = g.UserID
			c.Join[joinUserID] = g.UserID
		}
	}
	s := getScratch()
	defer putScratch(s)
	salt, err := s.newSalt(g.Rand)
	if err != nil {
		return nil, err
	}
	t := AccessToken2{AppID: p.appID, IssueTs: ts, Expire: ttl, Salt: salt, Services: svcs[:n]}
	if c.Token, err = t.build(s, p.certs[0].Reveal()); err != nil {
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

// limits are the TTL limits every kind shares.
var limits = core.KindSpec{MinTTL: MinTTL, MaxTTL: MaxTTL, DefaultTTL: DefaultTTL}

// grantTTL checks a grant's TTL against the kinds' limits (0 means the
// default) and returns it in seconds.
func grantTTL(d time.Duration) (uint32, error) {
	d, err := core.CheckTTL(limits, d)
	return uint32(d / time.Second), err
}

func noRoomRoleOptions(g core.Grant) error {
	if g.Room != "" {
		return core.Errorf(core.CodeInvalidRoom, "room", "kind %s takes no room", g.Kind)
	}
	if g.Role != "" {
		return core.Errorf(core.CodeInvalidRole, "role", "kind %s takes no role", g.Kind)
	}
	var none struct{}
	return core.DecodeOptions(g.Options, &none)
}

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
	role  Role
	privs RTCPrivileges
	rtm   bool
}

// rtc validates an rtc grant and fills the credential's user, room, role
// and Join.
func (p *Provider) rtc(g core.Grant, ttl uint32, c *core.Credential) (rtcPlan, error) {
	var o RTCOptions
	if len(g.Options) > 0 { // only then does o need to be on the heap
		po := new(RTCOptions)
		if err := core.DecodeOptions(g.Options, po); err != nil {
			return rtcPlan{}, err
		}
		o = *po
	}
	if err := checkChannel(g.Room); err != nil {
		return rtcPlan{}, err
	}
	role := RoleSubscriber
	switch g.Role {
	case RolePublisherName:
		role = RolePublisher
	case RoleSubscriberName, "":
	default:
		return rtcPlan{}, core.Errorf(core.CodeInvalidRole, "role", "role must be %s or %s", RolePublisherName, RoleSubscriberName)
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

func roleName(r Role) string {
	if r == RolePublisher {
		return RolePublisherName
	}
	return RoleSubscriberName
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
func (o *RTCOptions) privileges(ttl uint32, role Role) (p RTCPrivileges, err error) {
	def, err := optTTL("options.privilege_ttl", o.PrivilegeTTL, ttl, ttl, true)
	if err != nil {
		return p, err
	}
	pub := role == RolePublisher
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

// Verify implements core.Provider: it checks the signature with the
// primary, then the secondary certificate, the app id, that the token
// holds the service (and privilege) of the kind, and expiry at now: the
// token's expire and the kind's privilege (join, login, user or app), each
// expired when now > issue_ts + value (0: no limit of its own). UserID is
// the RTC uid string ("" for an any_uid token), the RTM or Chat user id, or
// "" for chat_app; Room is the RTC channel; Claims are [Decoded.Claims].
func (p *Provider) Verify(_ context.Context, kind, token string, now time.Time) (*core.Verified, error) {
	d, err := Parse(token)
	if err != nil {
		if len(token) > 3 && token[:3] == LegacyVersion {
			return nil, errMalformed("legacy 006 tokens cannot be verified without their channel and uid (use VerifyLegacy006)")
		}
		return nil, err
	}
	for _, c := range p.certs {
		if err = d.VerifySignature(c.Reveal()); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if d.AppID != p.appID {
		return nil, fmt.Errorf("%w: agora: the token is for another app id", core.ErrMismatch)
	}
	svc, priv, err := kindService(d, kind)
	if err != nil {
		return nil, err
	}
	if expired(d.IssueTs, d.Expire, now) || expired(d.IssueTs, priv, now) {
		return nil, fmt.Errorf("%w: agora: the token or its %s privilege expired", core.ErrExpired, kind)
	}
	v := &core.Verified{
		Provider: p.name, Kind: kind, AppID: d.AppID,
		IssuedAt: time.Unix(int64(d.IssueTs), 0).UTC(),
		Claims:   d.Claims(),
	}
	v.ExpiresAt, _ = d.ExpiresAt()
	switch kind {
	case KindRTC:
		v.UserID, v.Room = svc.UID, svc.Channel
	case KindRTM, KindChat:
		v.UserID = svc.UserID
	}
	return v, nil
}

// kindService finds the service a kind implies and the expire of its key
// privilege, or fails with core.ErrMismatch.
func kindService(d *Decoded, kind string) (*Service, uint32, error) {
	var typ ServiceType
	var priv uint16
	switch kind {
	case KindRTC:
		typ, priv = ServiceRTC, PrivilegeJoinChannel
	case KindRTM:
		typ, priv = ServiceRTM, PrivilegeLogin
	case KindChat:
		typ, priv = ServiceChat, PrivilegeChatUser
	case KindChatApp:
		typ, priv = ServiceChat, PrivilegeChatApp
	default:
		return nil, 0, fmt.Errorf("%w: agora: unknown kind %q", core.ErrMismatch, kind)
	}
	for i := range d.Services {
		s := &d.Services[i]
		if s.Type != typ || (kind == KindChat && s.UserID == "") {
			continue
		}
		if exp, ok := s.Privilege(priv); ok {
			return s, exp, nil
		}
	}
	return nil, 0, fmt.Errorf("%w: agora: the token holds no %s service", core.ErrMismatch, kind)
}

// Claims renders the token as a JSON-friendly map: version, app_id,
// issue_ts, expire, expires_at (unix seconds, nil for no limit), salt and
// services, each with type, name, its fields (channel_name, uid, user_id,
// account, room_uuid, user_uuid, role, rtm2_permissions, raw_hex) and
// privileges (id, name, expire, expires_at). Numbers are int64.
func (d *Decoded) Claims() map[string]any {
	svcs := make([]any, 0, len(d.Services))
	for _, s := range d.Services {
		privs := make([]any, 0, len(s.Privileges))
		for _, p := range s.Privileges {
			privs = append(privs, map[string]any{
				"id": int64(p.ID), "name": PrivilegeName(s.Type, p.ID), "expire": int64(p.Expire),
				"expires_at": deadline(d.IssueTs, p.Expire),
			})
		}
		m := map[string]any{"type": int64(s.Type), "name": s.Type.String(), "privileges": privs}
		switch s.Type {
		case ServiceRTC:
			m["channel_name"], m["uid"] = s.Channel, s.UID
		case ServiceRTM, ServiceChat:
			m["user_id"] = s.UserID
		case ServiceStreaming, ServiceFCDN:
			m["channel_name"], m["account"] = s.Channel, s.Account
		case ServiceAPaaS:
			m["room_uuid"], m["user_uuid"], m["role"] = s.Room, s.UserID, int64(s.Role)
		case ServiceRTM2:
			perms := make([]any, 0, len(s.Permissions))
			for _, p := range s.Permissions {
				perms = append(perms, map[string]any{
					"resource_type": int64(p.ResourceType), "permission_type": int64(p.PermissionType),
					"resources": append([]string{}, p.Resources...),
				})
			}
			m["user_id"], m["rtm2_permissions"] = s.UserID, perms
		}
		if !s.Type.Known() {
			m["raw_hex"] = fmt.Sprintf("%x", s.Raw)
		}
		svcs = append(svcs, m)
	}
	return map[string]any{
		"version": Version, "app_id": d.AppID, "issue_ts": int64(d.IssueTs), "expire": int64(d.Expire),
		"expires_at": deadline(d.IssueTs, d.Expire), "salt": int64(d.Salt), "services": svcs,
	}
}

// deadline returns issue+expire as unix seconds, or nil when expire is 0.
func deadline(issue, expire uint32) any {
	if expire == 0 {
		return nil
	}
	return int64(issue) + int64(expire)
}

// parseUID parses a canonical decimal uid in 1..4294967295.
func parseUID(s string) (uint32, bool) {
	if s == "" || s[0] == '0' || !allDigits(s) {
		return 0, false
	}
	n, err := strconv.ParseUint(s, 10, 32)
	return uint32(n), err == nil
}
