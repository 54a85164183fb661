package main

import (
	"github.com/gofiber/fiber/v2"
	"github.com/rtctoken/rtctoken/fibermw"
	"github.com/rtctoken/rtctoken/internal/demo"
)

// mountWebhooks mounts each webhook receiver at /webhooks/<vendor>, for
// every method: a wrong one is answered by the receiver, 405 in the
// envelope. The app's BodyLimit bounds callback bodies before the
// receiver's own cap: a larger one gets 413 from errorHandler.
func mountWebhooks(app *fiber.App, env *demo.Env) {
	for _, w := range env.Webhooks {
		fibermw.MountWebhook(app, w.Path, w.Receiver)
	}
}
