package nethttp_test

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/justinas/alice"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/nethttp"
)

// hostAuth is the test host's own auth middleware: it stores the identity
// in the request context, as a real app's session middleware would.
func hostAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := httpapitest.HostIdentity(r.Header.Get); id != nil {
			r = r.WithContext(context.WithValue(r.Context(), httpapitest.UserKey{}, *id))
		}
		next.ServeHTTP(w, r)
	})
}

func newApp(api *httpapi.API) http.Handler {
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api)
	mux.HandleFunc("GET /health", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("ok")) })
	mux.Handle("GET /me", nethttp.Attach(api)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := nethttp.Credentials(r.Context())
		writeJSON(w, map[string]any{"credentials": credsOf(b), "renew_after": renewOf(b)})
	})))
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		id := core.Identity{UserID: r.Header.Get("X-Login-User")}
		b, err := api.Login(r.Context(), id)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, map[string]any{"user": id.UserID, "rtc": b})
	})
	return alice.New(hostAuth).Then(mux)
}

func credsOf(b *httpapi.Bundle) any {
	if b == nil {
		return nil
	}
	return b.Credentials
}

func renewOf(b *httpapi.Bundle) any {
	if b == nil {
		return nil
	}
	return b.RenewAfter
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func serve(t testing.TB, h http.Handler) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(h)
	srv.Listener.Close()
	srv.Listener = ln
	srv.Start()
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestConformance(t *testing.T) {
	httpapitest.Run(t, func(t *testing.T, api *httpapi.API) string { return serve(t, newApp(api)) })
}

// TestStripPrefixAndPatterns mounts the handler the two other documented
// ways: behind http.StripPrefix on a Go 1.22 method pattern, and on a nested
// prefix.
func TestStripPrefixAndPatterns(t *testing.T) {
	api := httpapitest.NewAPI(t)
	mux := http.NewServeMux()
	mux.Handle("/api/v1/rtc/", http.StripPrefix("/api/v1/rtc", nethttp.Handler(api)))
	mux.HandleFunc("GET /api/v1/other", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte("other")) })
	base := serve(t, alice.New(hostAuth).Then(mux))
	client := &http.Client{}
	status, _, body := httpapitest.Do(t, client, base, httpapitest.Case{Method: "POST", Path: "/api/v1/rtc/tencent/usersig", Headers: map[string]string{httpapitest.HostUserHeader: "alice"}})
	if status != 200 || !strings.Contains(string(body), `"provider":"tencent"`) {
		t.Fatalf("%d %s", status, body)
	}
	status, _, body = httpapitest.Do(t, client, base, httpapitest.Case{Method: "GET", Path: "/api/v1/other"})
	if status != 200 || string(body) != "other" {
		t.Fatalf("host route: %d %s", status, body)
	}
}

// TestAliceChain shows Attach composes with other middleware in an alice
// chain, in order.
func TestAliceChain(t *testing.T) {
	api := httpapitest.NewAPI(t)
	var order []string
	mark := func(name string) alice.Constructor {
		return func(next http.Handler) http.Handler {
			return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				order = append(order, name)
				next.ServeHTTP(w, r)
			})
		}
	}
	h := alice.New(mark("first"), hostAuth, nethttp.Attach(api), mark("last")).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		b, ok := nethttp.Credentials(r.Context())
		if !ok || b.Get("chat") == nil || b.Get("chat").UserID != "alice" {
			http.Error(w, "no credentials", 500)
			return
		}
		_, _ = w.Write([]byte(b.Get("chat").Token))
	})
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/anything", nil)
	req.Header.Set(httpapitest.HostUserHeader, "alice")
	h.ServeHTTP(rec, req)
	if rec.Code != 200 || rec.Body.Len() == 0 {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
	if strings.Join(order, ",") != "first,last" {
		t.Fatalf("order %v", order)
	}
	p, _ := api.Service().Provider("tencent")
	if _, err := p.Verify(context.Background(), "usersig", rec.Body.String(), api.Service().Now()); err != nil {
		t.Fatal(err)
	}
}

func TestCORS(t *testing.T) {
	api := httpapitest.NewAPI(t)
	mw, err := nethttp.CORS(httpapi.CORS{AllowedOrigins: []string{"https://app.example.com"}})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api)
	base := serve(t, mw(alice.New(hostAuth).Then(mux)))
	httpapitest.CheckCORS(t, base)
	if _, err := nethttp.CORS(httpapi.CORS{AllowedOrigins: []string{"*"}}); err == nil {
		t.Fatal("wildcard origin accepted")
	}
}

func TestBadInput(t *testing.T) {
	httpapitest.RunAbuse(t, func(t *testing.T, api *httpapi.API) string { return serve(t, newApp(api)) })
}

func TestWebhooks(t *testing.T) {
	webhooktest.Run(t, func(t testing.TB, path string, rc *webhook.Receiver) string {
		mux := http.NewServeMux()
		mux.Handle(path, nethttp.Webhook(rc))
		return serve(t, mux)
	})
}

// TestWebhookViewRawQuery checks that the webhook view hands over the
// query exactly as sent, undecoded.
func TestWebhookViewRawQuery(t *testing.T) {
	const raw = "Sign=ab%2Bcd&RequestTime=1&Note=a+b%26c&Empty="
	base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = w.Write([]byte(nethttp.WebhookView(r).RawQuery()))
	}))
	status, _, body := httpapitest.Do(t, &http.Client{}, base, httpapitest.Case{Method: "POST", Path: "/webhooks/x?" + raw})
	if status != 200 || string(body) != raw {
		t.Fatalf("%d %q, want %q", status, body, raw)
	}
}

// TestMountEscapedPrefix: a path whose prefix is spelled with escapes
// reaches Mount's handler (the mux matches the decoded path) but not the
// contract's routes: it is a 404 in the JSON envelope, not a token.
func TestMountEscapedPrefix(t *testing.T) {
	api := httpapitest.NewAPI(t)
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api)
	base := serve(t, hostAuth(mux))
	req, err := http.NewRequest(http.MethodPost, base+"/%72tc/tencent/usersig", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(httpapitest.HostUserHeader, "alice")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<16))
	if resp.StatusCode != http.StatusNotFound || !strings.Contains(string(body), `"code":"not_found"`) {
		t.Fatalf("%d %s %s", resp.StatusCode, resp.Header.Get("Content-Type"), body)
	}
}
