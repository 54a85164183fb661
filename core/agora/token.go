package agora

import (
	"fmt"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
)

// Token is a decoded AccessToken2 seen as one credential of this package's
// kinds. The fields name the service of Kind; Content holds the whole
// token, every service and privilege included.
type Token struct {
	// Kind is the kind the token was verified as, or for Parse the first
	// kind its services hold, in the order rtc, chat, chat_app, rtm (an
	// RTC token with an RTM login is rtc); "" when it holds none.
	Kind string
	// AppID is the App ID the token is for.
	AppID string
	// UserID is the RTC uid string or user account ("" for a uid 0 token,
	// which any uid may use), or the RTM or Chat user id; "" for chat_app.
	UserID string
	// Room is the RTC channel; "" for the other kinds.
	Room string
	// IssuedAt is the issue time. ExpiresAt is the token's own deadline,
	// the issue time plus its expire, zero when it has none.
	IssuedAt, ExpiresAt time.Time
	// PrivilegeExpiresAt is the deadline of the kind's key privilege
	// (RTC join, RTM login, Chat user or app), zero when it has none.
	PrivilegeExpiresAt time.Time
	// Content is the decoded token, with its signature and signed bytes.
	Content *accesstoken.Decoded
}

// kindOrder is the order in which Parse looks for a kind.
var kindOrder = []string{KindRTC, KindChat, KindChatApp, KindRTM}

// Parse decodes a "007" token without a certificate: nothing is checked
// but its structure, and every field of Token is available. A legacy
// "006" token is malformed here (see accesstoken.ParseLegacy006). Errors
// wrap core.ErrMalformed.
func Parse(token string) (*Token, error) {
	d, err := decode(token)
	if err != nil {
		return nil, err
	}
	return newToken(d, "")
}

func decode(token string) (*accesstoken.Decoded, error) {
	d, err := accesstoken.Parse(token)
	if err != nil && strings.HasPrefix(token, accesstoken.LegacyVersion) {
		return nil, fmt.Errorf("%w: agora: legacy 006 tokens cannot be verified without their channel and uid (use accesstoken.VerifyLegacy006)", core.ErrMalformed)
	}
	return d, err
}

// Verify decodes a "007" token and checks, in this order, its signature
// with keys.Primary then keys.Secondary (core.ErrSignature), the app id,
// that it holds the service and key privilege of want.Kind (when empty,
// the kind is found as by Parse), and its user
// id and channel (core.ErrMismatch; each only when set in want; UserID is
// compared with Token.UserID as it is, so a uid 0 token matches no user),
// then, unless want.At is zero, that neither the token nor that privilege
// has expired at want.At (core.ErrExpired; expired when at > issue time +
// expire, 0 meaning no limit of its own). Malformed tokens fail with
// core.ErrMalformed.
func Verify(token string, keys core.Keys, want core.Expect) (*Token, error) {
	d, err := decode(token)
	if err != nil {
		return nil, err
	}
	err = errNoKey
	for _, k := range [...]core.Secret{keys.Primary, keys.Secondary} {
		if k.IsZero() {
			continue
		}
		if err = d.VerifySignature(k.Reveal()); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if want.AppID != "" && d.AppID != want.AppID {
		return nil, fmt.Errorf("%w: agora: the token is for another app id", core.ErrMismatch)
	}
	t, err := newToken(d, want.Kind)
	switch {
	case err != nil:
		return nil, err
	case want.UserID != "" && t.UserID != want.UserID:
		return nil, fmt.Errorf("%w: agora: the token is for another user", core.ErrMismatch)
	case want.Room != "" && t.Room != want.Room:
		return nil, fmt.Errorf("%w: agora: the token is for another channel", core.ErrMismatch)
	case !want.At.IsZero() && after(want.At, t.Deadline()):
		return nil, fmt.Errorf("%w: agora: the token or its %s privilege expired", core.ErrExpired, t.Kind)
	}
	return t, nil
}

// errNoKey is the error of Verify without a certificate.
var errNoKey = fmt.Errorf("%w: %w", core.ErrSignature, accesstoken.ErrNoCertificate)

// after applies the vendor's rule to a deadline at whole seconds: expired
// when at > deadline; a zero deadline never expires.
// Deadline is when the token stops working for its kind: the earlier of
// ExpiresAt and PrivilegeExpiresAt, zero when neither is set. The token is
// still valid during the second of its deadline.
func (t *Token) Deadline() time.Time {
	if t.ExpiresAt.IsZero() || (!t.PrivilegeExpiresAt.IsZero() && t.PrivilegeExpiresAt.Before(t.ExpiresAt)) {
		return t.PrivilegeExpiresAt
	}
	return t.ExpiresAt
}

func after(at, deadline time.Time) bool {
	return !deadline.IsZero() && at.Unix() > deadline.Unix()
}

// newToken finds the service of kind ("": the first kind found) in d.
func newToken(d *accesstoken.Decoded, kind string) (*Token, error) {
	t := &Token{AppID: d.AppID, IssuedAt: time.Unix(int64(d.IssueTs), 0).UTC(), Content: d}
	t.ExpiresAt, _ = d.ExpiresAt()
	kinds := kindOrder
	if kind != "" {
		kinds = []string{kind}
	}
	for _, k := range kinds {
		svc, priv, err := kindService(d, k)
		if err != nil {
			if kind == "" {
				continue
			}
			return nil, err
		}
		t.Kind = k
		switch k {
		case KindRTC:
			t.UserID, t.Room = svc.UID, svc.Channel
		case KindRTM, KindChat:
			t.UserID = svc.UserID
		}
		if priv != 0 {
			t.PrivilegeExpiresAt = time.Unix(int64(d.IssueTs)+int64(priv), 0).UTC()
		}
		return t, nil
	}
	return t, nil
}

// kindService finds the service a kind implies and the expire of its key
// privilege, or fails with core.ErrMismatch.
func kindService(d *accesstoken.Decoded, kind string) (*accesstoken.Service, uint32, error) {
	var typ accesstoken.ServiceType
	var priv uint16
	switch kind {
	case KindRTC:
		typ, priv = accesstoken.ServiceRTC, accesstoken.PrivilegeJoinChannel
	case KindRTM:
		typ, priv = accesstoken.ServiceRTM, accesstoken.PrivilegeLogin
	case KindChat:
		typ, priv = accesstoken.ServiceChat, accesstoken.PrivilegeChatUser
	case KindChatApp:
		typ, priv = accesstoken.ServiceChat, accesstoken.PrivilegeChatApp
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

// verified is the token as core.Verified for the provider named name.
func (t *Token) verified(name string) *core.Verified {
	return &core.Verified{
		Provider: name, Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Content.Claims(),
	}
}

// Notes says, for a person reading t, what its fields do not: that an RTC
// token also logs its user in to RTM, that a token holds none of this
// package's services (only its own expire then means anything), that it
// has no expiry of its own. rtctoken inspect prints them.
func (t *Token) Notes() []string {
	var notes []string
	if _, rtm := t.Content.Service(accesstoken.ServiceRTM); rtm && t.Kind == KindRTC {
		notes = append(notes, "carries an RTM login for the same user")
	}
	if t.Kind == "" {
		notes = append(notes, "holds no rtc, rtm or chat service; only the token's own expire is checked")
	}
	if t.Deadline().IsZero() {
		notes = append(notes, "has no expiry of its own")
	}
	return notes
}
