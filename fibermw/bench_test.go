package fibermw_test

import (
	"log/slog"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/fibermw"
	"github.com/valyala/fasthttp"
)

func quiet(c *httpapi.Config) { c.Logger = slog.New(slog.DiscardHandler) }

// serveFast runs app's handler on a prepared fasthttp request, in process.
func serveFast(b *testing.B, app *fiber.App, method, path, body string) {
	h := app.Handler()
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		ctx.Request.Reset()
		ctx.Response.Reset()
		ctx.Request.Header.SetMethod(method)
		ctx.Request.SetRequestURI(path)
		ctx.Request.Header.Set(httpapitest.HostUserHeader, "alice")
		if body != "" {
			ctx.Request.Header.SetContentType("application/json")
			ctx.Request.SetBodyString(body)
		}
		h(&ctx)
		if ctx.Response.StatusCode() != 200 {
			b.Fatalf("status %d: %s", ctx.Response.StatusCode(), ctx.Response.Body())
		}
	}
}

// BenchmarkAttachHit is the attach middleware on a cache hit.
func BenchmarkAttachHit(b *testing.B) {
	api := httpapitest.NewAPI(b, quiet)
	app := fiber.New()
	var user any = core.Identity{UserID: "alice", DisplayName: "Alice"}
	host := func(c *fiber.Ctx) error { c.Locals(httpapitest.UserKey{}, user); return c.Next() }
	app.Get("/me", host, fibermw.Attach(api), func(c *fiber.Ctx) error {
		if _, ok := fibermw.Credentials(c); !ok {
			return c.SendStatus(500)
		}
		return nil
	})
	serveFast(b, app, "GET", "/me", "")
}

// BenchmarkIssueEndpoint is one in-process POST /rtc/tencent/usersig.
func BenchmarkIssueEndpoint(b *testing.B) {
	api := httpapitest.NewAPI(b, quiet)
	app := fiber.New()
	app.Use(hostAuth)
	fibermw.Mount(app.Group("/rtc"), api)
	serveFast(b, app, "POST", "/rtc/tencent/usersig", `{"ttl":3600}`)
}
