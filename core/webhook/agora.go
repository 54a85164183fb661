package webhook

import (
	"crypto/sha1"
	"crypto/sha256"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// DefaultAgoraWindow is the window on Agora's notifyMs. Agora documents
// none; notifyMs is refreshed on every resend, so a short window does not
// refuse retries.
const DefaultAgoraWindow = 300 * time.Second

// AgoraConfig configures the Agora Notifications (NCS) scheme.
type AgoraConfig struct {
	// Secret is the NCS secret from Agora Console, used as text. Required.
	Secret core.Secret
	// Secondary is optional: callbacks signed with it verify too, so the
	// secret can be rotated without refusing callbacks.
	Secondary core.Secret
	// Window is how far notifyMs may be from now, either way. 0 means
	// DefaultAgoraWindow (300 s).
	Window time.Duration
	// AllowSHA1 accepts the legacy Agora-Signature header (HMAC-SHA1) when
	// Agora-Signature-V2 is absent. Default false: only V2 is accepted.
	AllowSHA1 bool
}

type agora struct {
	base
	allowSHA1 bool
}

// Agora returns the scheme of Agora Notifications (NCS), vendor "agora".
//
// Signed: the raw body, as lower-case hex HMAC-SHA256(Secret, body) in
// Agora-Signature-V2 (and HMAC-SHA1 in Agora-Signature). Not signed: the
// URL, the other headers; there is no timestamp header, so the window is on
// the body's notifyMs (ms), which the signature covers. When
// Agora-Signature-V2 is present it alone decides; Agora-Signature is read
// only when V2 is absent and AllowSHA1 is set. Hex is read in either case,
// at its exact length.
//
// The body must carry noticeId (the event id and dedupe key), productId,
// eventType and notifyMs. Event.Type is "<productId>:<eventType>" in
// decimal ("1:103" is an RTC broadcaster join, "3:31" a cloud recording
// upload), because event type numbers repeat across Agora products.
//
// Answer: 200 with a JSON body ({"status":"ok"}) within 10 s. Any other
// answer (a 4xx or 5xx, a non-JSON body, a timeout) is resent at once and
// then at growing intervals, at most three times; the resend carries the
// same noticeId, so it is deduplicated here.
func Agora(c AgoraConfig) (Scheme, error) {
	b, err := newBase("agora", "Secret", c.Secret, c.Secondary, c.Window, DefaultAgoraWindow)
	if err != nil {
		return nil, err
	}
	return &agora{base: b, allowSHA1: c.AllowSHA1}, nil
}

func (*agora) Name() string { return "agora" }

func (*agora) Ack() httpapi.Response { return jsonAck(`{"status":"ok"}`) }

func (s *agora) Verify(r Request, body []byte, now time.Time) (Verified, error) {
	var sig []byte
	var err error
	v2 := true
	if h := r.Header("Agora-Signature-V2"); h != "" {
		sig, err = decodeHex(h, sha256.Size, "Agora-Signature-V2")
	} else if h := r.Header("Agora-Signature"); h != "" && s.allowSHA1 {
		v2 = false
		sig, err = decodeHex(h, sha1.Size, "Agora-Signature")
	} else {
		err = malformed("Agora-Signature-V2", "the signature header is missing")
	}
	if err != nil {
		return Verified{}, err
	}
	m, err := members(body, "noticeId", "productId", "eventType", "notifyMs")
	if err != nil {
		return Verified{}, err
	}
	var f fields
	notice := f.str(m[0], "noticeId")
	product := f.integer(m[1], "productId")
	event := f.integer(m[2], "eventType")
	ms, overflow := f.time(string(m[3]), "notifyMs")
	if f.err != nil {
		return Verified{}, f.err
	}
	alg := macSHA256
	if !v2 {
		alg = macSHA1
	}
	if s.keys.macIndex(alg, sig, body) < 0 {
		return Verified{}, badSignature("Agora-Signature-V2", "the signature does not match")
	}
	if err := s.fresh(ms, overflow, 1000, now, "notifyMs"); err != nil {
		return Verified{}, err
	}
	return Verified{
		Event: Event{
			Vendor: "agora", Type: product + ":" + event, ID: notice,
			Time: timeOf(ms, 1000), Payload: body,
		},
		DedupeKey: notice,
	}, nil
}
