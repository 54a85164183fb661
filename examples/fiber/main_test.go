package main

import (
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/internal/demo"
	"github.com/rtctoken/rtctoken/internal/demo/demotest"
)

func start(t *testing.T, env *demo.Env) string {
	app, err := newApp(env)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestExample(t *testing.T) { demotest.Run(t, start) }

func TestBrowser(t *testing.T) { demotest.RunBrowser(t, start) }

// call sends one request to app in process, with the session cookie when
// sid is not empty, and returns the response's session cookie, if any.
func call(t *testing.T, app *fiber.App, method, path, sid string, header map[string]string, body string) (*http.Response, *http.Cookie) {
	t.Helper()
	req := httptest.NewRequest(method, path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	if sid != "" {
		req.AddCookie(&http.Cookie{Name: demo.CookieName, Value: sid})
	}
	resp, err := app.Test(req, -1)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	for _, c := range resp.Cookies() {
		if c.Name == demo.CookieName {
			return resp, c
		}
	}
	return resp, nil
}

const alice = `{"username":"alice","password":"alice-password"}`

func TestSessionCookie(t *testing.T) {
	app, err := newApp(demotest.NewEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	hexID := regexp.MustCompile(`^[0-9a-f]{64}$`)
	for _, tls := range []bool{false, true} {
		header := map[string]string{}
		if tls {
			header["X-Forwarded-Proto"] = "https"
		}
		resp, c := call(t, app, "POST", "/login", "", header, alice)
		if resp.StatusCode != 200 || c == nil {
			t.Fatalf("login (TLS %v): %d, cookie %v", tls, resp.StatusCode, c)
		}
		if !hexID.MatchString(c.Value) || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Path != "/" ||
			c.MaxAge != int(demo.SessionTTL/time.Second) || c.Secure != tls {
			t.Errorf("login (TLS %v): cookie %q", tls, resp.Header.Get("Set-Cookie"))
		}
		resp, gone := call(t, app, "POST", "/logout", c.Value, header, "")
		if resp.StatusCode != 200 || gone == nil || gone.Value != "" || !gone.Expires.Before(time.Now()) || !gone.HttpOnly || gone.Secure != tls {
			t.Errorf("logout (TLS %v): %d, cookie %q", tls, resp.StatusCode, resp.Header.Get("Set-Cookie"))
		}
	}
}

func TestLoginRenewsSessionID(t *testing.T) {
	app, err := newApp(demotest.NewEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	planted := strings.Repeat("cd", 32)
	_, first := call(t, app, "POST", "/login", planted, nil, alice)
	if first == nil || first.Value == planted {
		t.Fatalf("login kept the planted session id: %v", first)
	}
	// Signing in again on a live session moves it to a new id and ends
	// the old one.
	_, second := call(t, app, "POST", "/login", first.Value, nil, `{"username":"bob","password":"bob-password"}`)
	if second == nil || second.Value == first.Value {
		t.Fatalf("second login kept the session id: %v", second)
	}
	for sid, want := range map[string]int{planted: 401, first.Value: 401, second.Value: 200} {
		if resp, _ := call(t, app, "GET", "/api/me", sid, nil, ""); resp.StatusCode != want {
			t.Errorf("GET /api/me with session %.8s…: %d, want %d", sid, resp.StatusCode, want)
		}
	}
	if resp, _ := call(t, app, "POST", "/rtc/agora/rtm", first.Value, nil, "{}"); resp.StatusCode != 401 {
		t.Errorf("token endpoint with the replaced session: %d", resp.StatusCode)
	}
}

// TestErrorHandler checks the mapping of errorHandler for the errors the
// suite cannot provoke over HTTP: every status keeps its code in the
// envelope, and neither fiber's message nor an internal error's text
// reaches the client.
func TestErrorHandler(t *testing.T) {
	app, err := newApp(demotest.NewEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	app.Get("/fiber-error/:code", func(c *fiber.Ctx) error {
		code, _ := c.ParamsInt("code")
		return fiber.NewError(code, "echo of <the request> hunter2")
	})
	app.Get("/plain-error", func(*fiber.Ctx) error { return errors.New("db password hunter2") })
	app.Get("/panic", func(*fiber.Ctx) error { panic("boom hunter2") })
	for path, want := range map[string]struct {
		status int
		code   core.Code
	}{
		"/fiber-error/400": {400, core.CodeInvalidRequest},
		"/fiber-error/408": {408, core.CodeInvalidRequest},
		"/fiber-error/431": {431, core.CodeInvalidRequest},
		"/fiber-error/413": {413, httpapi.CodeBodyTooLarge},
		"/fiber-error/415": {415, httpapi.CodeUnsupportedMedia},
		"/fiber-error/429": {429, httpapi.CodeRateLimited},
		"/fiber-error/503": {503, core.CodeUnavailable},
		"/fiber-error/502": {500, core.CodeInternal},
		"/plain-error":     {500, core.CodeInternal},
		"/panic":           {500, core.CodeInternal},
	} {
		resp, _ := call(t, app, "GET", path, "", nil, "")
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		var env struct {
			Error struct {
				Code core.Code `json:"code"`
			} `json:"error"`
		}
		if resp.StatusCode != want.status || json.Unmarshal(b, &env) != nil || env.Error.Code != want.code ||
			resp.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%s: %d %v %s, want %d %s", path, resp.StatusCode, resp.Header, b, want.status, want.code)
		}
		if strings.Contains(string(b), "hunter2") || strings.Contains(string(b), "<the request>") {
			t.Errorf("%s: the error text reached the client: %s", path, b)
		}
	}
}
