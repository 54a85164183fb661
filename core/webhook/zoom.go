package webhook

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// DefaultZoomWindow is the window on x-zm-request-timestamp: 300 s. Zoom
// documents none. Whether its retries (5, 25 and 85 minutes after the
// first attempt) carry a fresh timestamp is not documented: if they do
// not, a window this short refuses them, and a longer Window trades replay
// exposure for them.
const DefaultZoomWindow = 300 * time.Second

// ZoomURLValidation is the event type of Zoom's endpoint challenge.
const ZoomURLValidation = "endpoint.url_validation"

// ZoomConfig configures the Zoom webhook scheme (platform apps and the
// Video SDK).
type ZoomConfig struct {
	// Secret is the app's Secret Token (Marketplace, feature page), used
	// as text. Required.
	Secret core.Secret
	// Secondary is optional: a second Secret Token that verifies too, for
	// rotation.
	Secondary core.Secret
	// Window is how far x-zm-request-timestamp may be from now, either
	// way. 0 means DefaultZoomWindow (300 s).
	Window time.Duration
}

type zoom struct{ base }

// Zoom returns the scheme of Zoom webhooks, vendor "zoom".
//
// Signed: the timestamp and the raw body. x-zm-signature is "v0=" and the
// lower-case hex HMAC-SHA256(Secret, "v0:" + x-zm-request-timestamp + ":"
// + body), the timestamp (Unix seconds) taken as sent. Not signed: the URL,
// the other headers (x-zm-trackingid among them). Hex is read in either
// case; a prefix other than "v0=" (also "V0=") is ErrMalformed.
//
// Event.Type is the body's event ("meeting.started", "session.user_joined",
// ...). Zoom documents no event id and no dedupe rule, and forum answers
// disagree on whether x-zm-trackingid survives a retry; the dedupe key is
// the x-zm-signature value ("v0=" + lower-case hex), which repeats only for
// the same timestamp and body.
//
// endpoint.url_validation is answered only after its signature and time
// verify: 200 {"plainToken":…,"encryptedToken":hex(HMAC-SHA256(secret,
// plainToken))}, under the secret that signed the request, and it is not
// dispatched. Answering an unsigned challenge would hand out the HMAC of a
// chosen text, which is a valid signature of a forged event.
//
// Answer: 200 within 3 s. On any other answer or a timeout Zoom sends the
// event three more times, 5, 20 and 60 minutes apart.
func Zoom(c ZoomConfig) (Scheme, error) {
	b, err := newBase("zoom", "Secret", c.Secret, c.Secondary, c.Window, DefaultZoomWindow)
	if err != nil {
		return nil, err
	}
	return &zoom{b}, nil
}

func (*zoom) Name() string { return "zoom" }

func (*zoom) Ack() httpapi.Response { return jsonAck(`{"status":"ok"}`) }

func (s *zoom) Verify(r Request, body []byte, now time.Time) (Verified, error) {
	h := r.Header("x-zm-signature")
	if h == "" {
		return Verified{}, malformed("x-zm-signature", "the signature header is missing")
	}
	hexSig, ok := strings.CutPrefix(h, "v0=")
	if !ok {
		return Verified{}, malformed("x-zm-signature", "the signature is not v0")
	}
	want, err := decodeHex(hexSig, sha256.Size, "x-zm-signature")
	if err != nil {
		return Verified{}, err
	}
	ts := r.Header("x-zm-request-timestamp")
	if ts == "" {
		return Verified{}, malformed("x-zm-request-timestamp", "the timestamp header is missing")
	}
	var f fields
	sec, overflow := f.time(ts, "x-zm-request-timestamp")
	if f.err != nil {
		return Verified{}, f.err
	}
	m, err := members(body, "event", "payload")
	if err != nil {
		return Verified{}, err
	}
	event, _ := m[0].str()
	if event == "" {
		return Verified{}, malformed("event", "a required body field is missing")
	}
	var plain string
	if event == ZoomURLValidation {
		if plain = plainToken(m[1]); plain == "" {
			return Verified{}, malformed("payload.plainToken", "the challenge has no plainToken")
		}
	}
	found := s.keys.macIndex(macSHA256, want, []byte("v0:"+ts+":"), body)
	if found < 0 {
		return Verified{}, badSignature("x-zm-signature", "the signature does not match")
	}
	if err := s.fresh(sec, overflow, 1, now, "x-zm-request-timestamp"); err != nil {
		return Verified{}, err
	}
	v := Verified{Event: Event{Vendor: "zoom", Type: event, Time: timeOf(sec, 1), Payload: body}}
	if event == ZoomURLValidation {
		reply, err := s.challenge(s.keys[found], plain)
		if err != nil {
			return Verified{}, err
		}
		v.Reply = &reply
		return v, nil
	}
	v.DedupeKey = "v0=" + hex.EncodeToString(want)
	return v, nil
}

// plainToken returns payload.plainToken, "" when absent.
func plainToken(payload jsonValue) string {
	if len(payload) == 0 || payload[0] != '{' {
		return ""
	}
	m, err := members(payload, "plainToken")
	if err != nil {
		return ""
	}
	s, _ := m[0].str()
	return s
}

// challenge answers endpoint.url_validation under the key that signed it.
func (*zoom) challenge(k *key, plain string) (httpapi.Response, error) {
	b, err := json.Marshal(struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}{plain, hex.EncodeToString(k.mac(macSHA256, nil, []byte(plain)))})
	if err != nil {
		return httpapi.Response{}, malformed("payload.plainToken", "the plainToken cannot be answered")
	}
	return httpapi.Response{Status: http.StatusOK, Header: httpapi.JSONHeader(), Body: b}, nil
}
