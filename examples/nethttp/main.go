// Command nethttp is the rtctoken demo app on net/http: users sign in,
// get their real-time credentials at login, and ask for more (and renew
// them) from the token endpoints, with middleware composed by
// github.com/justinas/alice.
//
// Run it from the repository root and open http://127.0.0.1:8080:
//
//	go run ./examples/nethttp
//
// Demo users: alice / alice-password and bob / bob-password.
//
// Environment: the vendors are configured with the RTCTOKEN_* variables
// described in core/config (e.g. RTCTOKEN_AGORA_APP_ID and
// RTCTOKEN_AGORA_APP_CERTIFICATE); with none set, random demo credentials
// are generated and printed: their tokens verify locally but no vendor
// accepts them. PORT (default 8080) and HOST (default 127.0.0.1) set the
// listen address; CORS_ORIGINS (comma-separated origins) lets other
// origins call /rtc with the session cookie.
//
// Routes: GET / (the page), POST /login, POST /logout, /rtc/... (the token
// endpoints), GET /api/kinds, GET /api/me and POST /api/decode (signed in),
// POST /webhooks/<vendor> (the vendors' signed callbacks; see core/config
// for their RTCTOKEN_* secrets, generated and printed in the demo).
// Every answer, an unknown route or a wrong method included, is JSON in
// the contract's error envelope (but for the page and its assets) and
// carries Cache-Control: no-store.
package main

import (
	"context"
	"log"
	"net/http"
	"os"

	"github.com/justinas/alice"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/internal/demo"
	"github.com/rtctoken/rtctoken/nethttp"
)

func main() {
	env, err := demo.FromEnv(os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	app, err := newApp(env)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("net/http demo on http://%s", env.Settings.Addr)
	log.Fatal(demo.ListenAndServe(env.Settings.Addr, app))
}

// newApp builds the demo app on env.
func newApp(env *demo.Env) (http.Handler, error) {
	cors, err := nethttp.CORS(env.Settings.CORS)
	if err != nil {
		return nil, err
	}
	signedIn := alice.New(requireUser(env))

	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { nethttp.WriteResponse(w, r, demo.Page()) })
	mux.HandleFunc("GET "+demo.AssetsPrefix+"{name...}", func(w http.ResponseWriter, r *http.Request) {
		nethttp.WriteResponse(w, r, demo.Asset(r.PathValue("name")))
	})
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		resp, cookie := env.Login(nethttp.View(r), r.Body, r.TLS != nil)
		writeWithCookie(w, r, resp, cookie)
	})
	mux.HandleFunc("POST /logout", func(w http.ResponseWriter, r *http.Request) {
		resp, cookie := env.Logout(nethttp.View(r), r.TLS != nil)
		writeWithCookie(w, r, resp, cookie)
	})

	// The token endpoints; the user comes from the session cookie.
	rtc := http.NewServeMux()
	nethttp.Mount(rtc, "/rtc", env.API)
	mux.Handle("/rtc/", cors(rtc))
	mountWebhooks(mux, env)

	mux.HandleFunc("GET /api/kinds", func(w http.ResponseWriter, r *http.Request) { nethttp.WriteResponse(w, r, env.Kinds()) })
	mux.Handle("GET /api/me", signedIn.Append(nethttp.Attach(env.API)).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		bundle, _ := nethttp.Credentials(r.Context())
		nethttp.WriteResponse(w, r, env.Me(userOf(r.Context()), bundle))
	}))
	mux.Handle("POST /api/decode", signedIn.ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		nethttp.WriteResponse(w, r, env.ServeDecode(nethttp.View(r), r.Body))
	}))
	return hostAnswers(mux), nil
}

// hostAnswers serves mux, but answers what the mux would answer by itself
// in plain text, no route (404) and a wrong method (405 with its Allow
// header), with the error envelope instead.
func hostAnswers(mux *http.ServeMux) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// h is the mux's own 404 or 405 handler: only its status and its
		// Allow header are kept.
		rec := &statusRecorder{header: http.Header{}}
		h.ServeHTTP(rec, r)
		nethttp.WriteResponse(w, r, demo.HostError(rec.status, rec.header.Get("Allow")))
	})
}

// statusRecorder keeps the header and status a handler writes and drops
// its body.
type statusRecorder struct {
	header http.Header
	status int
}

func (s *statusRecorder) Header() http.Header { return s.header }

func (s *statusRecorder) WriteHeader(status int) {
	if s.status == 0 {
		s.status = status
	}
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	s.WriteHeader(http.StatusOK)
	return len(b), nil
}

type userKey struct{}

// requireUser refuses requests without a live session with 401 and puts
// the user in the request context.
func requireUser(env *demo.Env) alice.Constructor {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u, err := env.Authenticate(nethttp.View(r))
			if err != nil {
				nethttp.WriteResponse(w, r, env.Error(r.Context(), err))
				return
			}
			next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), userKey{}, u)))
		})
	}
}

func userOf(ctx context.Context) demo.User {
	u, _ := ctx.Value(userKey{}).(demo.User)
	return u
}

func writeWithCookie(w http.ResponseWriter, r *http.Request, resp httpapi.Response, cookie *http.Cookie) {
	if cookie != nil {
		http.SetCookie(w, cookie)
	}
	nethttp.WriteResponse(w, r, resp)
}
