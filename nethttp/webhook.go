package nethttp

import (
	"net/http"

	"github.com/rtctoken/rtctoken/core/webhook"
)

// RawQuery is the request URL's raw query, undecoded: the webhook.Request
// view of Tencent Chat's signed query parameters.
func (q request) RawQuery() string { return q.r.URL.RawQuery }

// WebhookView returns the webhook.Request view of r, for a host that calls
// webhook.Receiver.Serve itself.
func WebhookView(r *http.Request) webhook.Request { return request{r} }

// Webhook returns a handler that answers one vendor's signed callbacks
// with rc. Mount it at the exact path given to the vendor's console, for
// every method, so that a wrong one is answered by rc (405 in the error
// envelope) rather than by the mux:
//
//	mux.Handle("/webhooks/agora", nethttp.Webhook(rc))
//
// The handler hands rc the body exactly as received (never inflated; rc
// refuses a Content-Encoding, caps the size and verifies the signature
// over those bytes) and writes rc's answer back: the vendor's
// acknowledgement, or an error in the envelope.
func Webhook(rc *webhook.Receiver) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteResponse(w, r, rc.Serve(request{r}, rawBody(r)))
	})
}
