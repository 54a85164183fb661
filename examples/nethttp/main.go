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
// endpoints), GET /api/kinds, GET /api/me and POST /api/decode (signed in).
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
	mux.Handle("GET "+demo.AssetsPrefix, http.StripPrefix(demo.AssetsPrefix, http.FileServerFS(demo.Assets())))
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		resp, cookie := env.Login(r.Context(), r.Header.Get("Content-Type"), r.Body, r.TLS != nil)
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

	mux.HandleFunc("GET /api/kinds", func(w http.ResponseWriter, r *http.Request) { nethttp.WriteResponse(w, r, env.Kinds()) })
	mux.Handle("GET /api/me", signedIn.Append(nethttp.Attach(env.API)).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		bundle, _ := nethttp.Credentials(r.Context())
		nethttp.WriteResponse(w, r, env.Me(userOf(r.Context()), bundle))
	}))
	mux.Handle("POST /api/decode", signedIn.ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		nethttp.WriteResponse(w, r, env.ServeDecode(r.Context(), r.Header.Get("Content-Type"), r.Body))
	}))
	return mux, nil
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
