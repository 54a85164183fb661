// Package webhook receives vendors' signed callbacks (webhooks) without a
// web framework: a [Scheme] verifies one vendor's signature over the raw
// body, and a [Receiver] answers the HTTP request: method, encoding and size
// checks, verification, deduplication through a [Store], dispatch to a
// [Handler] by event type, and the answer the vendor expects.
//
// One Receiver serves one vendor's URL:
//
//	scheme, err := webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret(secret)})
//	rc, err := webhook.New(webhook.Config{
//		Scheme:   scheme,
//		Handlers: map[string]webhook.Handler{"1:103": onJoin},
//	})
//	mux.Handle("/webhooks/agora", nethttp.Webhook(rc))
//
// The schemes: [Agora] (NCS), [TencentChat] (also TRTC Live), [TRTC],
// [Zoom], [Zego] and [LiveKit]. Each one's doc comment says what the vendor
// signs and what it does not, the time its window applies to, its dedupe
// key, the answer the vendor expects and the failures it retries on.
//
// Every scheme verifies the exact bytes received, never a re-encoded body,
// compares in constant time, accepts a primary and a secondary secret (for
// rotation) and checks a signed time against a window. The checks run in
// the order malformed, signature, stale; the errors match ErrMalformed,
// ErrSignature and ErrStale. A duplicate is acknowledged with the vendor's
// success answer and not dispatched again: vendors retry and resend on
// purpose.
//
// Schemes whose body is not signed (Tencent Chat, ZEGO) authenticate the
// request's time only: treat their bodies as untrusted, accept HTTPS only
// and keep their windows short.
package webhook
