package webhooktest_test

import (
	"maps"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/nethttp"
)

// chiRequest is the webhook.Request view of a request routed by chi, in
// a test-only adapter: the token contract's view of net/http requests plus
// the raw query.
type chiRequest struct {
	httpapi.Request
	r *http.Request
}

func (q chiRequest) RawQuery() string { return q.r.URL.RawQuery }

// startChi mounts rc at path on a chi router, for every method.
func startChi(t testing.TB, path string, rc *webhook.Receiver) string {
	r := chi.NewRouter()
	r.Handle(path, http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		resp := rc.Serve(chiRequest{nethttp.View(req), req}, req.Body) // the body as received
		maps.Copy(w.Header(), resp.Header)
		w.WriteHeader(resp.Status)
		_, _ = w.Write(resp.Body)
	}))
	srv := httptest.NewServer(r) // on 127.0.0.1
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestChi(t *testing.T) { webhooktest.Run(t, startChi) }
