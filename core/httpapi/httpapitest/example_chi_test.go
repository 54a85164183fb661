package httpapitest_test

import (
	"context"
	"encoding/json"
	"io"
	"maps"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
)

// chiRequest is the httpapi.Request view of a request routed by chi.
type chiRequest struct{ r *http.Request }

func (q chiRequest) Method() string                    { return q.r.Method }
func (q chiRequest) Context() context.Context          { return q.r.Context() }
func (q chiRequest) Header(name string) string         { return q.r.Header.Get(name) }
func (q chiRequest) HeaderValues(name string) []string { return slices.Clone(q.r.Header.Values(name)) }
func (q chiRequest) RemoteAddr() string                { return q.r.RemoteAddr }
func (q chiRequest) Value(key any) any                 { return q.r.Context().Value(key) }
func (q chiRequest) Cookie(name string) (string, bool) {
	if c, err := q.r.Cookie(name); err == nil {
		return c.Value, true
	}
	return "", false
}

// write sends a contract response back through chi's http.ResponseWriter.
func write(w http.ResponseWriter, r *http.Request, resp httpapi.Response) {
	maps.Copy(w.Header(), resp.Header)
	w.WriteHeader(resp.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(resp.Body)
	}
}

// startChi is the suite's Start: a chi router with the contract under /rtc.
func startChi(t *testing.T, api *httpapi.API) string {
	r := chi.NewRouter()
	r.Use(func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
			if id := httpapitest.HostIdentity(req.Header.Get); id != nil {
				req = req.WithContext(context.WithValue(req.Context(), httpapitest.UserKey{}, *id))
			}
			next.ServeHTTP(w, req)
		})
	})
	r.Handle("/rtc/*", http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		write(w, req, api.Serve(chiRequest{req}, "/"+chi.URLParam(req, "*"), req.Body)) // the body as received
	}))
	r.Get("/health", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") })
	r.Get("/me", func(w http.ResponseWriter, req *http.Request) {
		// What an Attach middleware does, inline.
		b, err := api.Attach(chiRequest{req})
		if err != nil {
			write(w, req, api.ErrorResponse(req.Context(), err))
			return
		}
		var v any = map[string]any{"credentials": nil}
		if b != nil {
			v = b
		}
		_ = json.NewEncoder(w).Encode(v)
	})
	r.Post("/login", func(w http.ResponseWriter, req *http.Request) {
		id := core.Identity{UserID: req.Header.Get("X-Login-User")}
		b, err := api.Login(req.Context(), id)
		if err != nil {
			write(w, req, api.ErrorResponse(req.Context(), err))
			return
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"user": id.UserID, "rtc": b})
	})
	srv := httptest.NewServer(r) // on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv.URL
}

// An adapter for github.com/go-chi/chi/v5 passes the suite with a request
// view and a Start; its tests are two lines:
//
//	func TestChi(t *testing.T)      { httpapitest.Run(t, startChi) }
//	func TestChiAbuse(t *testing.T) { httpapitest.RunAbuse(t, startChi) }
func Example() { var _ httpapitest.Start = startChi }
