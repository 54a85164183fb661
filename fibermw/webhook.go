package fibermw

import (
	"github.com/gofiber/fiber/v2"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// RawQuery is the request URL's raw query, undecoded and copied: the
// webhook.Request view of Tencent Chat's signed query parameters.
func (q request) RawQuery() string { return string(q.c.Request().URI().QueryString()) }

// WebhookView returns the webhook.Request view of c, for a host that calls
// webhook.Receiver.Serve itself.
func WebhookView(c *fiber.Ctx) webhook.Request { return request{c} }

// Webhook returns a handler that answers one vendor's signed callbacks
// with rc: it hands rc the body exactly as received, from
// c.Request().Body() or the body stream and never from c.Body(), which
// would inflate a Content-Encoding before rc can refuse it. rc caps the
// size and verifies the signature over those bytes; its answer, the
// vendor's acknowledgement or an error in the envelope, is written back.
// Register it for every method (MountWebhook does), so that a wrong one is
// answered by rc with 405 in the envelope rather than by fiber.
//
// fasthttp reads a whole body before any handler runs, up to the app's
// BodyLimit (4 MiB by default): keep BodyLimit at or above the receiver's
// MaxBody, and answer fiber's own 413 in the envelope with an
// ErrorHandler if it is lower.
func Webhook(rc *webhook.Receiver) fiber.Handler {
	return func(c *fiber.Ctx) error { return WriteResponse(c, rc.Serve(request{c}, rawBody(c))) }
}

// MountWebhook registers Webhook(rc) on r at path, for every method:
//
//	fibermw.MountWebhook(app, "/webhooks/agora", rc)
func MountWebhook(r fiber.Router, path string, rc *webhook.Receiver) {
	r.All(path, Webhook(rc))
}
