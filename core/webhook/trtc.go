package webhook

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// DefaultTRTCWindow is the window on CallbackTs: 120 s. TRTC documents
// none; its retries stop one minute after the first attempt, so 120 s
// covers them whether or not a retry refreshes CallbackTs.
const DefaultTRTCWindow = 120 * time.Second

// TRTCConfig configures the TRTC room, media and recording callback scheme.
type TRTCConfig struct {
	// Key is the callback signing key from the TRTC console (at most 32
	// letters and digits), used as text. Required.
	Key core.Secret
	// Secondary is optional: a second key that verifies too, for rotation.
	Secondary core.Secret
	// SDKAppID is the receiver's own application id; a callback whose
	// SdkAppId header differs is refused. Required.
	SDKAppID uint64
	// Window is how far CallbackTs may be from now, either way. 0 means
	// DefaultTRTCWindow (120 s).
	Window time.Duration
}

type trtc struct {
	base
	appID string
}

// TRTC returns the scheme of TRTC room, media and cloud recording
// callbacks, vendor "trtc".
//
// Signed: the raw body, as standard base64 (padded, 44 characters) of
// HMAC-SHA256(Key, body) in the Sign header. Not signed: the SdkAppId
// header and the URL. The window is on the body's CallbackTs (ms), which
// the signature covers. SdkAppId must equal SDKAppID (ErrSignature
// otherwise). base64url, hex or a digest of another length is
// ErrMalformed.
//
// The body must carry EventGroupId, EventType and CallbackTs. Event.Type is
// EventType in decimal ("103" enter room, "204" stop audio, "310" MP4
// recording stopped: the numbers are unique across groups). TRTC has no
// event id, and UniqueId is absent from callbacks configured after
// 2021-07-30, so the dedupe key is composite: EventGroupId, EventType,
// EventInfo.RoomId (as sent: a string and a number are different rooms),
// UserId and EventMsTs; for recording events (group 3) TaskId, EventType
// and EventMsTs. A body without EventInfo.EventMsTs has no dedupe key.
//
// Answer: 200 ({"code":0}; TRTC ignores the body) within 5 s. On any other
// answer or a timeout TRTC retries at once and then every 10 s, and stops
// one minute after the first attempt.
func TRTC(c TRTCConfig) (Scheme, error) {
	b, err := newBase("trtc", "Key", c.Key, c.Secondary, c.Window, DefaultTRTCWindow)
	if err != nil {
		return nil, err
	}
	for _, s := range []core.Secret{c.Key, c.Secondary} {
		if !alnum(s.Reveal(), 32) {
			return nil, &core.ConfigError{Provider: "trtc", Field: "Key", Message: "must be at most 32 letters and digits"}
		}
	}
	app, err := appIDText("trtc", c.SDKAppID)
	if err != nil {
		return nil, err
	}
	return &trtc{base: b, appID: app}, nil
}

// alnum reports whether s is at most n ASCII letters and digits.
func alnum(s string, n int) bool {
	if len(s) > n {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return false
		}
	}
	return true
}

func (*trtc) Name() string { return "trtc" }

func (*trtc) Ack() httpapi.Response { return jsonAck(`{"code":0}`) }

func (s *trtc) Verify(r Request, body []byte, now time.Time) (Verified, error) {
	sign := r.Header("Sign")
	if sign == "" {
		return Verified{}, malformed("Sign", "the signature header is missing")
	}
	want, err := base64.StdEncoding.Strict().DecodeString(sign)
	switch {
	case err != nil || strings.ContainsAny(sign, "\r\n"): // the decoder skips newlines
		return Verified{}, malformed("Sign", "the signature is not standard base64")
	case len(want) != sha256.Size:
		return Verified{}, malformed("Sign", "the signature has the wrong length")
	}
	app := r.Header("SdkAppId")
	if app == "" {
		return Verified{}, malformed("SdkAppId", "the application id header is missing")
	}
	m, err := members(body, "EventGroupId", "EventType", "CallbackTs", "EventInfo")
	if err != nil {
		return Verified{}, err
	}
	var f fields
	group := f.integer(m[0], "EventGroupId")
	typ := f.integer(m[1], "EventType")
	ms, overflow := f.time(string(m[2]), "CallbackTs")
	if f.err != nil {
		return Verified{}, f.err
	}
	if s.keys.macIndex(macSHA256, want, body) < 0 {
		return Verified{}, badSignature("Sign", "the signature does not match")
	}
	if app != s.appID {
		return Verified{}, badSignature("SdkAppId", "the callback is for another application")
	}
	if err := s.fresh(ms, overflow, 1000, now, "CallbackTs"); err != nil {
		return Verified{}, err
	}
	return Verified{
		Event:     Event{Vendor: "trtc", Type: typ, Time: timeOf(ms, 1000), Payload: body},
		DedupeKey: trtcKey(group, typ, m[3]),
	}, nil
}

// trtcKey is the composite dedupe key of a TRTC callback, from its
// EventInfo; "" without EventInfo.EventMsTs.
func trtcKey(group, typ string, info jsonValue) string {
	if len(info) == 0 || info[0] != '{' {
		return ""
	}
	m, err := members(info, "RoomId", "UserId", "TaskId", "EventMsTs")
	if err != nil {
		return ""
	}
	ms, ok := m[3].integer()
	if !ok {
		return ""
	}
	if group == "3" {
		return strings.Join([]string{typ, string(m[2]), ms}, "|")
	}
	return strings.Join([]string{group, typ, string(m[0]), string(m[1]), ms}, "|")
}
