package main

import (
	"net/http"

	"github.com/rtctoken/rtctoken/internal/demo"
	"github.com/rtctoken/rtctoken/nethttp"
)

// mountWebhooks mounts each webhook receiver at /webhooks/<vendor>, for
// every method: a wrong one is answered by the receiver, 405 in the
// envelope.
func mountWebhooks(mux *http.ServeMux, env *demo.Env) {
	for _, w := range env.Webhooks {
		mux.Handle(w.Path, nethttp.Webhook(w.Receiver))
	}
}
