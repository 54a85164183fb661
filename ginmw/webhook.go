package ginmw

import (
	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// RawQuery is the request URL's raw query, undecoded: the webhook.Request
// view of Tencent Chat's signed query parameters.
func (q request) RawQuery() string { return q.c.Request.URL.RawQuery }

// WebhookView returns the webhook.Request view of c, for a host that calls
// webhook.Receiver.Serve itself.
func WebhookView(c *gin.Context) webhook.Request { return request{c} }

// Webhook returns a handler that answers one vendor's signed callbacks
// with rc: it hands rc the body exactly as received (never inflated; rc
// refuses a Content-Encoding, caps the size and verifies the signature
// over those bytes) and writes rc's answer back, the vendor's
// acknowledgement or an error in the envelope. Register it for every
// method (MountWebhook does), so that a wrong one is answered by rc with
// 405 in the envelope rather than by gin.
func Webhook(rc *webhook.Receiver) gin.HandlerFunc {
	return func(c *gin.Context) { WriteResponse(c, rc.Serve(request{c}, rawBody(c))) }
}

// MountWebhook registers Webhook(rc) on r at path, for every method:
//
//	ginmw.MountWebhook(r, "/webhooks/agora", rc)
func MountWebhook(r gin.IRouter, path string, rc *webhook.Receiver) {
	r.Any(path, Webhook(rc))
}
