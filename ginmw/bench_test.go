package ginmw_test

import (
	"bytes"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/ginmw"
)

func quiet(c *httpapi.Config) { c.Logger = slog.New(slog.DiscardHandler) }

type discard struct {
	h http.Header
}

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// BenchmarkAttachHit is the attach middleware on a cache hit.
func BenchmarkAttachHit(b *testing.B) {
	api := httpapitest.NewAPI(b, quiet)
	r := gin.New()
	var ok bool
	// The host's session middleware has the user at hand already.
	var user any = core.Identity{UserID: "alice", DisplayName: "Alice"}
	host := func(c *gin.Context) { c.Set(httpapitest.UserKey{}, user) }
	r.GET("/me", host, ginmw.Attach(api), func(c *gin.Context) { _, ok = ginmw.Credentials(c) })
	req := httptest.NewRequest("GET", "/me", nil)
	req.Header.Set(httpapitest.HostUserHeader, "alice")
	w := discard{h: http.Header{}}
	r.ServeHTTP(w, req)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		r.ServeHTTP(w, req)
	}
	if !ok {
		b.Fatal("no credentials attached")
	}
}

// BenchmarkIssueEndpoint is one in-process POST /rtc/tencent/usersig.
func BenchmarkIssueEndpoint(b *testing.B) {
	api := httpapitest.NewAPI(b, quiet)
	r := gin.New()
	r.Use(hostAuth)
	ginmw.Mount(r.Group("/rtc"), api)
	rd := bytes.NewReader([]byte(`{"ttl":3600}`))
	req := httptest.NewRequest("POST", "/rtc/tencent/usersig", nil)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(httpapitest.HostUserHeader, "alice")
	req.ContentLength = int64(rd.Len())
	w := discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = rd.Seek(0, io.SeekStart)
		req.Body = io.NopCloser(rd)
		clear(w.h)
		r.ServeHTTP(w, req)
	}
}
