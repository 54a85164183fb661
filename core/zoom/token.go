package zoom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// Token kinds, as offered by the Provider and reported by Verify.
const (
	KindVideo   = "video"   // Zoom Video SDK JWT
	KindMeeting = "meeting" // Zoom Meeting SDK JWT
)

// SignVideo validates c and returns the Video SDK JWT: base64url header
// {"alg":"HS256","typ":"JWT"}, base64url payload in the sample's key order
// with JSON.stringify escaping, HMAC-SHA256 keyed with the UTF-8 bytes of
// secret. Nothing depends on the clock: c.IssuedAt and c.ExpiresAt are the
// time. Invalid claims are *core.Error values naming the request field the
// claim comes from (tpc "room", user_identity "user_id", role_type "role",
// exp-iat "ttl", other claims "options.<claim>"); an empty key or secret is
// core.ErrConfig.
func SignVideo(secret string, c VideoClaims) (string, error) {
	return signVideo(newMACKey(secret, false), &c)
}

// SignMeeting is SignVideo for a Meeting SDK JWT. mn is "room" in errors.
func SignMeeting(secret string, c MeetingClaims) (string, error) {
	return signMeeting(newMACKey(secret, false), &c)
}

// Token is a verified Zoom SDK JWT.
type Token struct {
	Kind    string         // KindVideo or KindMeeting, told by the claims
	Video   *VideoClaims   // set for KindVideo
	Meeting *MeetingClaims // set for KindMeeting
	// Claims holds every claim as decoded, unknown ones included. Integers
	// are int64, other numbers float64.
	Claims map[string]any
}

// AppKey returns app_key (video) or appKey (meeting).
func (t *Token) AppKey() string {
	if t.Video != nil {
		return t.Video.AppKey
	}
	if t.Meeting != nil {
		return t.Meeting.SDKKey
	}
	return ""
}

func (t *Token) times() (iat, exp int64) {
	if t.Video != nil {
		return t.Video.IssuedAt, t.Video.ExpiresAt
	}
	return t.Meeting.IssuedAt, t.Meeting.ExpiresAt
}

// Verify checks a Zoom SDK JWT at time now and decodes it. The steps and
// their errors, most severe first:
//
//   - core.ErrMalformed: not a compact JWS of at most MaxTokenLen bytes,
//     bad base64url, a header whose alg is not HS256 ("none" included: no
//     other algorithm is ever tried), a payload that is not a JSON object,
//     or claims of the wrong JSON type or missing;
//   - core.ErrSignature: the HMAC-SHA256 matches none of secrets (tried in
//     order, compared in constant time; the payload is parsed only after a
//     match);
//   - core.ErrMismatch: app_key/appKey is not sdkKey, or a Zoom rule is
//     broken (exp-iat outside 1800 s..48 h, role not 0/1, over-long tpc,
//     unknown geo region, mn without role...);
//   - core.ErrExpired: now >= exp.
//
// The kind is told by the claims: app_key means Video SDK, appKey or
// sdkKey Meeting SDK. iat is not compared with now.
func Verify(token, sdkKey string, now time.Time, secrets ...string) (*Token, error) {
	keys := make([]*macKey, 0, len(secrets))
	for _, s := range secrets {
		keys = append(keys, newMACKey(s, false))
	}
	return verify(token, "", sdkKey, now, keys)
}

// verify is Verify with the keys ready; want, when set, is the kind the
// token must be.
func verify(token, want, sdkKey string, now time.Time, keys []*macKey) (*Token, error) {
	payload, err := authenticate(token, keys)
	if err != nil {
		return nil, err
	}
	t, err := decode(payload)
	if err != nil {
		return nil, err
	}
	if want != "" && t.Kind != want {
		return nil, mismatch("a %s token, not %s", t.Kind, want)
	}
	if sdkKey == "" || t.AppKey() != sdkKey {
		return nil, mismatch("the token was issued for another SDK key")
	}
	if t.Video != nil {
		err = t.Video.validate()
	} else {
		err = t.Meeting.validate()
	}
	if err != nil {
		var ce *core.Error
		if errors.As(err, &ce) {
			return nil, mismatch("%s", ce.Message)
		}
		return nil, mismatch("invalid claims")
	}
	if _, exp := t.times(); now.Unix() >= exp {
		return nil, fmt.Errorf("%w: zoom: expired at %s", core.ErrExpired, time.Unix(exp, 0).UTC().Format(time.RFC3339))
	}
	return t, nil
}

// decode parses an authenticated payload into a Token.
func decode(payload []byte) (*Token, error) {
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil || m == nil {
		return nil, malformed("the payload is not a JSON object")
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, malformed("trailing data after the payload")
	}
	normalize(m)
	_, video := m["app_key"]
	_, appKey := m["appKey"]
	_, sdkKey := m["sdkKey"]
	switch {
	case video && (appKey || sdkKey):
		return nil, malformed("the claims mix Video SDK and Meeting SDK keys")
	case video:
		c, err := decodeVideo(m)
		if err != nil {
			return nil, err
		}
		return &Token{Kind: KindVideo, Video: c, Claims: m}, nil
	case appKey || sdkKey:
		c, err := decodeMeeting(m)
		if err != nil {
			return nil, err
		}
		return &Token{Kind: KindMeeting, Meeting: c, Claims: m}, nil
	}
	return nil, malformed("neither app_key nor appKey: not a Zoom SDK JWT")
}

// normalize turns json.Number values into int64 when they are integers and
// float64 otherwise, so Claims is plain JSON-friendly data.
func normalize(v any) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = normalize(e)
		}
	case []any:
		for i, e := range x {
			x[i] = normalize(e)
		}
	case json.Number:
		if n, err := strconv.ParseInt(string(x), 10, 64); err == nil {
			return n
		}
		if f, err := strconv.ParseFloat(string(x), 64); err == nil {
			return f
		}
		return string(x)
	}
	return v
}

// claims reads typed claims from a normalized map; the first type error
// sticks and is ErrMalformed.
type claims struct {
	m   map[string]any
	err error
}

func (r *claims) str(name string, required bool) (string, bool) {
	v, ok := r.m[name]
	if !ok {
		if required {
			r.fail("claim %s is missing", name)
		}
		return "", false
	}
	s, ok := v.(string)
	if !ok {
		r.fail("claim %s is not a string", name)
	}
	return s, true
}

func (r *claims) int(name string, required bool) (int64, bool) {
	v, ok := r.m[name]
	if !ok {
		if required {
			r.fail("claim %s is missing", name)
		}
		return 0, false
	}
	n, ok := v.(int64)
	if !ok {
		r.fail("claim %s is not an integer", name)
	}
	return n, ok
}

// bit reads a 0/1 claim; other integers give an invalid value that
// validation reports as a mismatch.
func (r *claims) bit(name string) Flag {
	if n, ok := r.int(name, false); ok {
		return FlagOf(n)
	}
	return Unset
}

func (r *claims) fail(format string, args ...any) {
	if r.err == nil {
		r.err = malformed(format, args...)
	}
}

func decodeVideo(m map[string]any) (*VideoClaims, error) {
	r := claims{m: m}
	c := &VideoClaims{}
	c.AppKey, _ = r.str("app_key", true)
	if n, ok := r.int("role_type", true); ok {
		c.RoleType = -1 // refused by validation
		if n == 0 || n == 1 {
			c.RoleType = int(n)
		}
	}
	c.Topic, _ = r.str("tpc", true)
	if v, ok := r.int("version", false); ok {
		c.Version = -1
		if v == 1 {
			c.Version = 1
		}
	}
	c.IssuedAt, _ = r.int("iat", true)
	c.ExpiresAt, _ = r.int("exp", true)
	c.UserIdentity, _ = r.str("user_identity", false)
	c.SessionKey, _ = r.str("session_key", false)
	if g, ok := r.str("geo_regions", false); ok {
		c.GeoRegions = strings.Split(g, ",")
	}
	c.CloudRecordingOption = r.bit("cloud_recording_option")
	c.CloudRecordingElection = r.bit("cloud_recording_election")
	c.TelemetryTrackingID, _ = r.str("telemetry_tracking_id", false)
	c.VideoWebRTCMode = r.bit("video_webrtc_mode")
	c.AudioWebRTCMode = r.bit("audio_webrtc_mode")
	if r.err != nil {
		return nil, r.err
	}
	return c, nil
}

func decodeMeeting(m map[string]any) (*MeetingClaims, error) {
	r := claims{m: m}
	c := &MeetingClaims{}
	app, hasApp := r.str("appKey", false)
	sdk, hasSDK := r.str("sdkKey", false)
	c.SDKKey = app
	if !hasApp {
		c.SDKKey = sdk
	}
	switch v := m["mn"].(type) {
	case nil:
		if _, present := m["mn"]; present {
			r.fail("claim mn is null")
		}
	case string:
		if v == "" {
			r.fail("claim mn is empty")
		}
		c.MeetingNumber = MeetingNumber{Text: v}
	case int64:
		c.MeetingNumber = MeetingNumber{Text: strconv.FormatInt(v, 10), Numeric: true}
	default:
		r.fail("claim mn is neither a string nor an integer")
	}
	c.Role = r.bit("role")
	c.IssuedAt, _ = r.int("iat", true)
	c.ExpiresAt, _ = r.int("exp", true)
	tokenExp, hasTokenExp := r.int("tokenExp", false)
	c.VideoWebRTCMode = r.bit("video_webrtc_mode")
	if r.err != nil {
		return nil, r.err
	}
	if hasApp && hasSDK && app != sdk {
		return nil, mismatch("appKey and sdkKey differ")
	}
	if hasTokenExp && tokenExp != c.ExpiresAt {
		return nil, mismatch("tokenExp differs from exp")
	}
	return c, nil
}
