package fibermw_test

import (
	"context"
	"log"

	"github.com/gofiber/fiber/v2"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/zoom"
	"github.com/rtctoken/rtctoken/fibermw"
)

// Example mounts the token endpoints on a fiber router group, attaches
// fresh credentials to a protected route and returns them at login.
func Example() {
	zm, err := zoom.New(zoom.Config{SDKKey: "zoomSdkKey", SDKSecret: core.NewSecret("zoomSdkSecret"), Kinds: []string{zoom.KindVideo}})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := core.NewService([]core.Provider{zm})
	if err != nil {
		log.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{
		Service:  svc,
		Resolver: resolve.FromValue("user"), // your auth middleware did c.Locals("user", core.Identity{...})
	})
	if err != nil {
		log.Fatal(err)
	}

	app := fiber.New()
	app.Use(func(c *fiber.Ctx) error { c.Locals("user", core.Identity{UserID: "alice"}); return c.Next() }) // your auth
	fibermw.Mount(app.Group("/rtc"), api)
	app.Post("/login", func(c *fiber.Ctx) error {
		user := core.Identity{UserID: "alice"} // after checking the password
		creds, err := api.Login(c.UserContext(), user)
		if err != nil {
			return c.Status(500).JSON(fiber.Map{"error": "try again"})
		}
		return c.JSON(fiber.Map{"user": user.UserID, "rtc": creds})
	})
	_ = app // app.Listen("127.0.0.1:8080")
}

// ExampleMountWebhook receives ZEGOCLOUD's signed callbacks at
// /webhooks/zego. ZEGO signs the time and a nonce but not the body, so the
// handler treats the payload as untrusted.
func ExampleMountWebhook() {
	scheme, err := webhook.Zego(webhook.ZegoConfig{Secret: core.NewSecret("the CallbackSecret of the project")})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := webhook.New(webhook.Config{
		Scheme: scheme,
		Handlers: map[string]webhook.Handler{
			"room_create": webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
				log.Printf("zego room created at %v", ev.Time)
				return nil
			}),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	app := fiber.New()
	fibermw.MountWebhook(app, "/webhooks/zego", rc) // every method: a GET gets 405 in the envelope
	_ = app                                         // app.Listen("127.0.0.1:8080")
}
