package webhook

import (
	"crypto/sha1"
	"mime"
	"net/url"
	"slices"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// DefaultZegoWindow is the window on the body's timestamp: 300 s. ZEGO
// documents none; its retries end about a minute after the first attempt.
const DefaultZegoWindow = 300 * time.Second

// ZegoConfig configures the ZEGOCLOUD server callback scheme.
type ZegoConfig struct {
	// Secret is the callback secret from the ZEGO console (the pages call
	// it CallbackSecret or ServerSecret), used as text. Required.
	Secret core.Secret
	// Secondary is optional: a second secret that verifies too, for
	// rotation.
	Secondary core.Secret
	// Window is how far the timestamp may be from now, either way. 0 means
	// DefaultZegoWindow (300 s).
	Window time.Duration
}

type zego struct{ base }

// Zego returns the scheme of ZEGOCLOUD server callbacks (RTC, ZIM, AIGC
// digital human), vendor "zego".
//
// Signed: only the secret, the timestamp and the nonce. signature is the
// lower-case hex SHA-1 (no HMAC) of the three strings sorted in byte order
// and concatenated; the timestamp (Unix seconds) and the nonce are taken
// as their text (a JSON string as is, a JSON integer as its digits). NOT
// signed: the body. The three fields travel in the body next to the event
// data, so anyone holding one callback can attach its fields to any other
// body within the window: the window is applied strictly, and the body
// must be treated as untrusted input (use HTTPS only, and confirm what
// matters through ZEGO's server API).
//
// The body is a JSON object, or a form (Content-Type
// application/x-www-form-urlencoded, values URL-decoded). The fields are
// signature, timestamp and nonce; AIGC callbacks spell them Signature,
// Timestamp and Nonce, which are read when signature is absent.
// Event.Type is the body's event ("room_create", "stream_create", ...), or
// the AIGC EventType number in decimal. ZEGO has no event id; the nonce is
// random per request, so the dedupe key is timestamp ":" nonce, which
// catches an exact replay.
//
// Answer: any 2xx (200 {"status":"ok"}). Otherwise ZEGO retries up to five
// times, 2, 4, 8, 16 and 32 s apart, then drops the callback.
func Zego(c ZegoConfig) (Scheme, error) {
	b, err := newBase("zego", "Secret", c.Secret, c.Secondary, c.Window, DefaultZegoWindow)
	if err != nil {
		return nil, err
	}
	return &zego{b}, nil
}

func (*zego) Name() string { return "zego" }

func (*zego) Ack() httpapi.Response { return jsonAck(`{"status":"ok"}`) }

// zegoNames are the body members Verify reads.
var zegoNames = []string{"signature", "timestamp", "nonce", "Signature", "Timestamp", "Nonce", "event", "EventType"}

// zegoFields are the field names of one spelling.
var zegoFields = [2][3]string{
	{"signature", "timestamp", "nonce"},
	{"Signature", "Timestamp", "Nonce"},
}

func (s *zego) Verify(r Request, body []byte, now time.Time) (Verified, error) {
	get, err := zegoFieldsOf(r, body)
	if err != nil {
		return Verified{}, err
	}
	names := zegoFields[0]
	if _, ok := get(names[0]); !ok {
		if _, ok := get(zegoFields[1][0]); ok {
			names = zegoFields[1]
		}
	}
	var vals [3]string
	for i, n := range names {
		v, ok := get(n)
		if !ok || v == "" {
			return Verified{}, malformed(n, "a required body field is missing or not text")
		}
		vals[i] = v
	}
	want, err := decodeHex(vals[0], sha1.Size, names[0])
	if err != nil {
		return Verified{}, err
	}
	var f fields
	sec, overflow := f.time(vals[1], names[1])
	if f.err != nil {
		return Verified{}, f.err
	}
	typ, ok := get("event")
	if !ok || typ == "" {
		typ, ok = get("EventType")
	}
	if !ok || typ == "" {
		return Verified{}, malformed("event", "a required body field is missing")
	}
	ts, nonce := vals[1], vals[2]
	found := s.keys.find(want, func(k *key, dst []byte) []byte {
		parts := []string{string(k.raw), ts, nonce}
		slices.Sort(parts)
		h := sha1.New()
		for _, p := range parts {
			h.Write([]byte(p))
		}
		return h.Sum(dst)
	})
	if found < 0 {
		return Verified{}, badSignature(names[0], "the signature does not match")
	}
	if err := s.fresh(sec, overflow, 1, now, names[1]); err != nil {
		return Verified{}, err
	}
	return Verified{
		Event:     Event{Vendor: "zego", Type: typ, Time: timeOf(sec, 1), Payload: body},
		DedupeKey: ts + ":" + nonce,
	}, nil
}

// zegoFieldsOf returns a lookup of the body's top-level text fields: JSON
// strings and integers (as their digits), or form values.
func zegoFieldsOf(r Request, body []byte) (func(string) (string, bool), error) {
	if mt, _, err := mime.ParseMediaType(r.Header("Content-Type")); err == nil && mt == "application/x-www-form-urlencoded" {
		q, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, malformed("", "the form body is not valid")
		}
		return func(name string) (string, bool) {
			v := q[name]
			if len(v) != 1 {
				return "", false
			}
			return v[0], true
		}, nil
	}
	m, err := members(body, zegoNames...)
	if err != nil {
		return nil, err
	}
	return func(name string) (string, bool) {
		for i, n := range zegoNames {
			if n == name {
				return m[i].text()
			}
		}
		return "", false
	}, nil
}
