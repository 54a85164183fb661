package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/nethttp"
)

type userKey struct{}

// A service with one provider, the contract on a net/http mux, and the
// host's own auth middleware putting the signed-in user in the context.
// The body never names the user: the credential is for the caller.
func Example() {
	tc, err := tencent.New(tencent.Config{SDKAppID: 1400000001, Key: core.NewSecret("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e")})
	if err != nil {
		log.Fatal(err)
	}
	svc, err := core.NewService([]core.Provider{tc})
	if err != nil {
		log.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{
		Service:  svc,
		Resolver: resolve.FromValue(userKey{}),
		Logger:   slog.New(slog.DiscardHandler),
	})
	if err != nil {
		log.Fatal(err)
	}
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api)
	hostAuth := func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			ctx := context.WithValue(r.Context(), userKey{}, core.Identity{UserID: "alice"})
			next.ServeHTTP(w, r.WithContext(ctx))
		})
	}
	app := hostAuth(mux)

	for _, body := range []string{`{"ttl":3600}`, `{"user_id":"bob"}`} {
		req := httptest.NewRequest(http.MethodPost, "/rtc/tencent/usersig", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, req)
		var out struct {
			core.Credential
			Error struct{ Code, Field string }
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			log.Fatal(err)
		}
		if rec.Code == http.StatusOK {
			fmt.Println(rec.Code, out.Provider, out.Kind, out.UserID, out.ExpiresAt.Sub(out.IssuedAt))
		} else {
			fmt.Println(rec.Code, out.Error.Code, out.Error.Field)
		}
	}
	// Output:
	// 200 tencent usersig alice 1h0m0s
	// 400 invalid_user user_id
}
