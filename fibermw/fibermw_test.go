package fibermw_test

import (
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/fibermw"
)

// hostAuth is the test host's own auth middleware: it stores the identity
// in a fiber local.
func hostAuth(c *fiber.Ctx) error {
	if id := httpapitest.HostIdentity(func(h string) string { return c.Get(h) }); id != nil {
		c.Locals(httpapitest.UserKey{}, *id)
	}
	return c.Next()
}

func newApp(api *httpapi.API) *fiber.App {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(hostAuth)
	fibermw.Mount(app.Group("/rtc"), api)
	app.Get("/health", func(c *fiber.Ctx) error { return c.SendString("ok") })
	app.Get("/me", fibermw.Attach(api), func(c *fiber.Ctx) error {
		b, ok := fibermw.Credentials(c)
		if !ok {
			return c.JSON(fiber.Map{"credentials": nil})
		}
		return c.JSON(b)
	})
	app.Post("/login", func(c *fiber.Ctx) error {
		id := core.Identity{UserID: c.Get("X-Login-User")}
		b, err := api.Login(c.UserContext(), id)
		if err != nil {
			return c.Status(500).SendString(err.Error())
		}
		return c.JSON(fiber.Map{"user": id.UserID, "rtc": b})
	})
	return app
}

func serve(t testing.TB, app *fiber.App) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestConformance(t *testing.T) {
	httpapitest.Run(t, func(t *testing.T, api *httpapi.API) string { return serve(t, newApp(api)) })
}

func TestMountBesideHostRoutes(t *testing.T) {
	api := httpapitest.NewAPI(t)
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(hostAuth)
	g := app.Group("/api")
	g.Get("/profile", func(c *fiber.Ctx) error { return c.SendString("profile") })
	g.Get("/items/:id", func(c *fiber.Ctx) error { return c.SendString("item " + c.Params("id")) })
	fibermw.Mount(g.Group("/rtc"), api)
	base := serve(t, app)
	client := &http.Client{}
	for path, want := range map[string]string{"/api/profile": "profile", "/api/items/7": "item 7"} {
		status, _, body := httpapitest.Do(t, client, base, httpapitest.Case{Method: "GET", Path: path})
		if status != 200 || string(body) != want {
			t.Fatalf("%s: %d %s", path, status, body)
		}
	}
	status, _, body := httpapitest.Do(t, client, base, httpapitest.Case{Method: "POST", Path: "/api/rtc/zego/token04", Headers: map[string]string{httpapitest.HostUserHeader: "alice"}})
	if status != 200 || !strings.Contains(string(body), `"provider":"zego"`) {
		t.Fatalf("%d %s", status, body)
	}
}

func TestCORS(t *testing.T) {
	api := httpapitest.NewAPI(t)
	mw, err := fibermw.CORS(httpapi.CORS{AllowedOrigins: []string{"https://app.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(mw, hostAuth)
	fibermw.Mount(app.Group("/rtc"), api)
	httpapitest.CheckCORS(t, serve(t, app))
	if _, err := fibermw.CORS(httpapi.CORS{AllowedOrigins: []string{"https://*.example.com"}}); err == nil {
		t.Fatal("wildcard origin accepted")
	}
}

func TestBadInput(t *testing.T) {
	httpapitest.RunAbuse(t, func(t *testing.T, api *httpapi.API) string { return serve(t, newApp(api)) })
}

func TestWebhooks(t *testing.T) {
	webhooktest.Run(t, func(t testing.TB, path string, rc *webhook.Receiver) string {
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		fibermw.MountWebhook(app, path, rc)
		return serve(t, app)
	})
}

// TestWebhookStreamed runs the table on an app that streams request
// bodies (StreamRequestBody), where the handler reads the body stream.
func TestWebhookStreamed(t *testing.T) {
	webhooktest.Run(t, func(t testing.TB, path string, rc *webhook.Receiver) string {
		app := fiber.New(fiber.Config{DisableStartupMessage: true, StreamRequestBody: true})
		app.Group("/webhooks").All(strings.TrimPrefix(path, "/webhooks"), fibermw.Webhook(rc))
		return serve(t, app)
	})
}

// TestWebhookViewRawQuery checks that the webhook view hands over the
// query exactly as sent, undecoded.
func TestWebhookViewRawQuery(t *testing.T) {
	const raw = "Sign=ab%2Bcd&RequestTime=1&Note=a+b%26c&Empty="
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Post("/webhooks/x", func(c *fiber.Ctx) error { return c.SendString(fibermw.WebhookView(c).RawQuery()) })
	status, _, body := httpapitest.Do(t, &http.Client{}, serve(t, app), httpapitest.Case{Method: "POST", Path: "/webhooks/x?" + raw})
	if status != 200 || string(body) != raw {
		t.Fatalf("%d %q, want %q", status, body, raw)
	}
}
