package main

import (
	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/ginmw"
	"github.com/rtctoken/rtctoken/internal/demo"
)

// mountWebhooks mounts each webhook receiver at /webhooks/<vendor>, for
// every method: a wrong one is answered by the receiver, 405 in the
// envelope.
func mountWebhooks(r *gin.Engine, env *demo.Env) {
	for _, w := range env.Webhooks {
		ginmw.MountWebhook(r, w.Path, w.Receiver)
	}
}
