package ginmw_test

import (
	"context"
	"log"

	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/ginmw"
)

// Example mounts the token endpoints on a gin route group, attaches fresh
// credentials to a protected route and returns them at login.
func Example() {
	zg, err := zego.New(zego.Config{AppID: 1234567890, ServerSecret: core.NewSecret("fa94dd0f974cf2e293728a526b028271")})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := core.NewService([]core.Provider{zg})
	if err != nil {
		log.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{
		Service:  svc,
		Resolver: resolve.FromValue("user"), // your auth middleware did c.Set("user", core.Identity{...})
		Presets:  []httpapi.Preset{{Name: "zego", Request: core.Request{Provider: "zego", Kind: "token04"}}},
	})
	if err != nil {
		log.Fatal(err)
	}

	r := gin.New()
	r.Use(func(c *gin.Context) { c.Set("user", core.Identity{UserID: "alice"}); c.Next() }) // stands for your auth
	ginmw.Mount(r.Group("/rtc"), api)
	r.GET("/room", ginmw.Attach(api), func(c *gin.Context) {
		creds, _ := ginmw.Credentials(c)
		c.JSON(200, creds.Get("zego"))
	})
	r.POST("/login", func(c *gin.Context) {
		user := core.Identity{UserID: "alice"} // after checking the password
		creds, err := api.Login(c.Request.Context(), user)
		if err != nil {
			c.JSON(500, gin.H{"error": "try again"})
			return
		}
		c.JSON(200, gin.H{"user": user.UserID, "rtc": creds})
	})
	_ = r // r.Run("127.0.0.1:8080")
}

// ExampleMountWebhook receives Zoom's signed webhooks at /webhooks/zoom,
// answering Zoom's endpoint.url_validation challenge once its signature
// verifies.
func ExampleMountWebhook() {
	scheme, err := webhook.Zoom(webhook.ZoomConfig{Secret: core.NewSecret("the app's Secret Token")})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := webhook.New(webhook.Config{
		Scheme: scheme,
		Default: webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
			log.Printf("zoom %s", ev.Type) // "meeting.started", ...
			return nil
		}),
	})
	if err != nil {
		log.Fatal(err)
	}
	r := gin.New()
	ginmw.MountWebhook(r, "/webhooks/zoom", rc) // every method: a GET gets 405 in the envelope
	_ = r                                       // r.Run("127.0.0.1:8080")
}
