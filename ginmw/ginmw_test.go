package ginmw_test

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/ginmw"
)

func init() { gin.SetMode(gin.ReleaseMode) }

// hostAuth is the test host's own auth middleware: it stores the identity
// under a gin context key.
func hostAuth(c *gin.Context) {
	if id := httpapitest.HostIdentity(c.GetHeader); id != nil {
		c.Set(httpapitest.UserKey{}, *id)
	}
	c.Next()
}

func newApp(api *httpapi.API) *gin.Engine {
	r := gin.New()
	r.Use(hostAuth)
	ginmw.Mount(r.Group("/rtc"), api)
	r.GET("/health", func(c *gin.Context) { c.String(200, "ok") })
	r.GET("/me", ginmw.Attach(api), func(c *gin.Context) {
		b, ok := ginmw.Credentials(c)
		if !ok {
			c.JSON(200, gin.H{"credentials": nil})
			return
		}
		c.JSON(200, b)
	})
	r.POST("/login", func(c *gin.Context) {
		id := core.Identity{UserID: c.GetHeader("X-Login-User")}
		b, err := api.Login(c.Request.Context(), id)
		if err != nil {
			c.String(500, err.Error())
			return
		}
		c.JSON(200, gin.H{"user": id.UserID, "rtc": b})
	})
	return r
}

func serve(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := &http.Server{Handler: h}
	go func() { _ = srv.Serve(ln) }()
	t.Cleanup(func() { _ = srv.Shutdown(context.Background()) })
	return "http://" + ln.Addr().String()
}

func TestConformance(t *testing.T) {
	httpapitest.Run(t, func(t *testing.T, api *httpapi.API) string { return serve(t, newApp(api)) })
}

// TestMountBesideHostRoutes mounts on a group that also holds the host's own
// routes, including a static route next to the contract's parameters.
func TestMountBesideHostRoutes(t *testing.T) {
	api := httpapitest.NewAPI(t)
	r := gin.New()
	r.Use(hostAuth)
	g := r.Group("/api")
	g.GET("/profile", func(c *gin.Context) { c.String(200, "profile") })
	g.GET("/items/:id", func(c *gin.Context) { c.String(200, "item "+c.Param("id")) })
	ginmw.Mount(g.Group("/rtc"), api)
	base := serve(t, r)
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
	mw, err := ginmw.CORS(httpapi.CORS{AllowedOrigins: []string{"https://app.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	r := gin.New()
	r.Use(mw, hostAuth)
	ginmw.Mount(r.Group("/rtc"), api)
	httpapitest.CheckCORS(t, serve(t, r))
	if _, err := ginmw.CORS(httpapi.CORS{AllowAnyOrigin: true, AllowCredentials: true}); err == nil {
		t.Fatal("credentials with any origin accepted")
	}
}

func TestBadInput(t *testing.T) {
	httpapitest.RunAbuse(t, func(t *testing.T, api *httpapi.API) string { return serve(t, newApp(api)) })
}

func TestWebhooks(t *testing.T) {
	webhooktest.Run(t, func(t testing.TB, path string, rc *webhook.Receiver) string {
		r := gin.New()
		ginmw.MountWebhook(r, path, rc)
		return serve(t, r)
	})
}

// TestWebhookOnGroup mounts the handler itself on a route group, next to
// the host's routes.
func TestWebhookOnGroup(t *testing.T) {
	webhooktest.Run(t, func(t testing.TB, path string, rc *webhook.Receiver) string {
		r := gin.New()
		g := r.Group("/webhooks")
		g.GET("/health", func(c *gin.Context) { c.String(200, "ok") })
		g.Any(strings.TrimPrefix(path, "/webhooks"), ginmw.Webhook(rc))
		return serve(t, r)
	})
}

// TestWebhookViewRawQuery checks that the webhook view hands over the
// query exactly as sent, undecoded.
func TestWebhookViewRawQuery(t *testing.T) {
	const raw = "Sign=ab%2Bcd&RequestTime=1&Note=a+b%26c&Empty="
	r := gin.New()
	r.POST("/webhooks/x", func(c *gin.Context) { c.String(200, ginmw.WebhookView(c).RawQuery()) })
	status, _, body := httpapitest.Do(t, &http.Client{}, serve(t, r), httpapitest.Case{Method: "POST", Path: "/webhooks/x?" + raw})
	if status != 200 || string(body) != raw {
		t.Fatalf("%d %q, want %q", status, body, raw)
	}
}
