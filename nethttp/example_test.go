package nethttp_test

import (
	"context"
	"encoding/json"
	"log"
	"net/http"

	"github.com/justinas/alice"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/nethttp"
)

// sessionUser is where the host's own session middleware keeps the user.
type sessionUser struct{}

// Example mounts the token endpoints under /rtc, attaches fresh credentials
// to a protected route in an alice chain, and returns them at login.
func Example() {
	chat, err := tencent.New(tencent.Config{SDKAppID: 1400000001, Key: core.NewSecret("tencent-key")})
	if err != nil {
		log.Fatal(err)
	}
	rtc, err := agora.New(agora.Config{AppID: "970ca35de60c44645bbae8a215061b33", AppCertificate: core.NewSecret("5cfd2fd1755d40ecb72977518be15d3b")})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := core.NewService([]core.Provider{chat, rtc})
	if err != nil {
		log.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{
		Service:  svc,
		Resolver: resolve.FromValue(sessionUser{}), // the user your session middleware found
		Presets:  []httpapi.Preset{{Name: "chat", Request: core.Request{Provider: "tencent", Kind: "usersig"}}},
	})
	if err != nil {
		log.Fatal(err)
	}

	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api) // POST /rtc/agora/rtc, GET /rtc/providers, ...
	mux.Handle("GET /chat", alice.New(nethttp.Attach(api)).ThenFunc(func(w http.ResponseWriter, r *http.Request) {
		creds, _ := nethttp.Credentials(r.Context())
		_ = json.NewEncoder(w).Encode(creds.Get("chat"))
	}))
	mux.HandleFunc("POST /login", func(w http.ResponseWriter, r *http.Request) {
		user := core.Identity{UserID: "alice"} // after checking the password
		creds, err := api.Login(r.Context(), user)
		if err != nil {
			http.Error(w, "try again", http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"user": user.UserID, "rtc": creds})
	})
	session := func(next http.Handler) http.Handler { // stands for your auth middleware
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := context.WithValue(r.Context(), sessionUser{}, core.Identity{UserID: "alice"})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
	_ = http.ListenAndServe // e.g. http.ListenAndServe("127.0.0.1:8080", session(mux))
	_ = session(mux)
}

// ExampleHandler mounts the contract behind http.StripPrefix, e.g. on a
// nested prefix of an existing mux.
func ExampleHandler() {
	var api *httpapi.API // built with httpapi.New
	mux := http.NewServeMux()
	mux.Handle("/api/v1/rtc/", http.StripPrefix("/api/v1/rtc", nethttp.Handler(api)))
}

// ExampleWebhook receives Agora's signed notifications at /webhooks/agora:
// the receiver verifies each one over the raw body, acknowledges a
// duplicate without dispatching it again, and hands the event to the
// handler of its type.
func ExampleWebhook() {
	scheme, err := webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret("the NCS secret from Agora Console")})
	if err != nil {
		log.Fatal(err)
	}
	rc, err := webhook.New(webhook.Config{
		Scheme: scheme,
		Handlers: map[string]webhook.Handler{
			"1:103": webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
				log.Printf("broadcaster joined (notice %s)", ev.ID)
				return nil // an error answers 500, and Agora resends
			}),
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/agora", nethttp.Webhook(rc)) // every method: a GET gets 405 in the envelope
	_ = http.ListenAndServe                            // e.g. http.ListenAndServe(":8080", mux)
}
