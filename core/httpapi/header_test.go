package httpapi

import (
	"testing"
	"time"
)

// TestResponseHeadersAreOwn: a host or adapter that changes one answer's
// headers changes no other answer.
func TestResponseHeadersAreOwn(t *testing.T) {
	a := newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil)
	get := view{method: "GET"}
	first := a.Serve(get, "/providers", nil)
	first.Header.Set("Cache-Control", "public, max-age=3600")
	first.Header["Content-Type"][0] = "text/html"
	for _, resp := range []Response{a.Serve(get, "/providers", nil), a.Serve(as("u1"), "/count/tok", nil), a.Serve(get, "/nope", nil)} {
		if cc, ct := resp.Header.Get("Cache-Control"), resp.Header.Get("Content-Type"); cc != "no-store" || ct != "application/json; charset=utf-8" {
			t.Fatalf("status %d: Cache-Control %q, Content-Type %q", resp.Status, cc, ct)
		}
	}
}
