package zoom

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
)

// Token kinds, as offered by the Provider and reported by Parse and Verify.
const (
	KindVideo   = "video"   // Zoom Video SDK JWT
	KindMeeting = "meeting" // Zoom Meeting SDK JWT
)

// Token is a decoded Zoom SDK JWT.
type Token struct {
	// Kind is KindVideo or KindMeeting, told by the claims: app_key means
	// Video SDK, appKey or sdkKey Meeting SDK.
	Kind string
	// AppID is the SDK key: app_key (video) or appKey/sdkKey (meeting).
	AppID string
	// UserID is user_identity (video; "" when absent). A Meeting SDK JWT
	// names no user.
	UserID string
	// Room is the session name tpc (video) or the meeting number mn
	// (meeting; "" for a native SDK JWT).
	Room string
	// IssuedAt and ExpiresAt are iat and exp.
	IssuedAt, ExpiresAt time.Time
	// Video and Meeting are the typed claims; exactly one is set.
	Video   *sdkjwt.VideoClaims
	Meeting *sdkjwt.MeetingClaims
	// Header is the JOSE header. Claims holds every claim as decoded,
	// unknown ones included; integers are int64, other numbers float64.
	Header, Claims map[string]any
}

func newToken(j *sdkjwt.JWT) *Token {
	t := &Token{Video: j.Video, Meeting: j.Meeting, Header: j.Header, Claims: j.Claims}
	var iat, exp int64
	if v := j.Video; v != nil {
		t.Kind, t.AppID, t.UserID, t.Room, iat, exp = KindVideo, v.AppKey, v.UserIdentity, v.Topic, v.IssuedAt, v.ExpiresAt
	} else {
		m := j.Meeting
		t.Kind, t.AppID, t.Room, iat, exp = KindMeeting, m.SDKKey, m.MeetingNumber.Text, m.IssuedAt, m.ExpiresAt
	}
	t.IssuedAt, t.ExpiresAt = time.Unix(iat, 0).UTC(), time.Unix(exp, 0).UTC()
	return t
}

// Parse decodes a Zoom SDK JWT without a key, for inspection: no signature,
// Zoom rule or time check, so nothing in the Token is authenticated. Every
// field is available. Errors wrap core.ErrMalformed: not a compact JWS of
// at most sdkjwt.MaxTokenLen bytes, bad base64url, a header whose alg is
// not HS256 ("none" included), a payload that is not a JSON object, or
// claims of the wrong JSON type or missing.
func Parse(token string) (*Token, error) {
	j, err := sdkjwt.Decode(token)
	if err != nil {
		return nil, err
	}
	return newToken(j), nil
}

// Verify checks a Zoom SDK JWT and decodes it. The steps and their errors,
// most severe first:
//
//   - core.ErrMalformed: what Parse refuses;
//   - core.ErrSignature: the HMAC-SHA256 matches neither keys.Primary nor
//     keys.Secondary (compared in constant time; the payload is parsed only
//     after a match), or both are empty;
//   - core.ErrMismatch: the token is not of want.Kind, not for want.AppID
//     (the SDK key), a Zoom rule is broken (exp-iat outside 1800 s..48 h,
//     role not 0/1, over-long tpc, unknown geo region, mn without role...),
//     or it is not for want.UserID (user_identity; a Meeting SDK JWT names
//     no user, so it matches no UserID) or want.Room (the session name,
//     compared case-insensitively as Zoom does, or the meeting number);
//   - core.ErrExpired: want.At >= exp (not checked when want.At is zero).
//
// iat is not compared with want.At.
func Verify(token string, keys core.Keys, want core.Expect) (*Token, error) {
	j, err := sdkjwt.Authenticate(token, keys.Primary, keys.Secondary)
	if err != nil {
		return nil, err
	}
	t := newToken(j)
	switch {
	case want.Kind != "" && t.Kind != want.Kind:
		return nil, mismatch("a %s token, not %s", t.Kind, strings.ToValidUTF8(want.Kind, "?"))
	case want.AppID != "" && t.AppID != want.AppID:
		return nil, mismatch("the token was issued for another SDK key")
	}
	if err := j.Validate(); err != nil {
		var ce *core.Error
		if errors.As(err, &ce) {
			return nil, mismatch("%s", ce.Message)
		}
		return nil, mismatch("invalid claims")
	}
	switch {
	case want.UserID != "" && (t.Kind != KindVideo || t.UserID != want.UserID):
		return nil, mismatch("the token is for another user")
	case want.Room != "" && t.Room != want.Room && (t.Kind != KindVideo || !strings.EqualFold(t.Room, want.Room)):
		return nil, mismatch("the token is for another room")
	case !want.At.IsZero() && want.At.Unix() >= t.ExpiresAt.Unix():
		return nil, fmt.Errorf("%w: zoom: expired at %s", core.ErrExpired, t.ExpiresAt.Format(time.RFC3339))
	}
	return t, nil
}

// verified is the Token as a core.Verified of the named provider.
func (t *Token) verified(provider string) *core.Verified {
	return &core.Verified{
		Provider: provider, Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Claims,
	}
}

func mismatch(format string, args ...any) error {
	return fmt.Errorf("%w: zoom: "+format, append([]any{core.ErrMismatch}, args...)...)
}

// Notes says, for a person reading t, what its fields do not: that a
// Meeting SDK JWT without a meeting number is one for the native SDKs.
// rtctoken inspect prints them.
func (t *Token) Notes() []string {
	if t.Kind == KindMeeting && t.Room == "" {
		return []string{"no meeting number: a JWT for the native Meeting SDKs"}
	}
	return nil
}
