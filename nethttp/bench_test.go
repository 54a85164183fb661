package nethttp_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/nethttp"
)

// quiet sends the audit log to io.Discard: benchmarks measure the library,
// not the terminal.
func quiet(c *httpapi.Config) { c.Logger = slog.New(slog.DiscardHandler) }

// discard is a ResponseWriter that allocates nothing.
type discard struct{ h http.Header }

func (d discard) Header() http.Header       { return d.h }
func (discard) Write(b []byte) (int, error) { return len(b), nil }
func (discard) WriteHeader(int)             {}

// BenchmarkAttachHit is the attach middleware on a cache hit: identity from
// the host's context value, bundle from the cache, handed to the next
// handler.
func BenchmarkAttachHit(b *testing.B) {
	api := httpapitest.NewAPI(b, quiet)
	var got bool
	h := nethttp.Attach(api)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, got = nethttp.Credentials(r.Context())
	}))
	req := httptest.NewRequest("GET", "/me", nil)
	req = req.WithContext(context.WithValue(req.Context(), httpapitest.UserKey{}, core.Identity{UserID: "alice", DisplayName: "Alice"}))
	w := discard{h: http.Header{}}
	h.ServeHTTP(w, req) // fill the cache
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		h.ServeHTTP(w, req)
	}
	if !got {
		b.Fatal("no credentials attached")
	}
}

// BenchmarkIssueEndpoint is one in-process POST /rtc/tencent/usersig.
func BenchmarkIssueEndpoint(b *testing.B) {
	benchIssue(b, "/rtc/tencent/usersig", `{"ttl":3600}`)
}

// BenchmarkIssueEndpointAgoraRTC is one in-process POST /rtc/agora/rtc.
func BenchmarkIssueEndpointAgoraRTC(b *testing.B) {
	benchIssue(b, "/rtc/agora/rtc", `{"room":"chan1","role":"publisher"}`)
}

func benchIssue(b *testing.B, path, body string) {
	api := httpapitest.NewAPI(b, quiet)
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api)
	h := hostAuth(mux)
	rd := bytes.NewReader([]byte(body))
	req := httptest.NewRequest("POST", path, nil)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set(httpapitest.HostUserHeader, "alice")
	w := discard{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		rd.Seek(0, io.SeekStart)
		req.Body = io.NopCloser(rd)
		clear(w.h)
		h.ServeHTTP(w, req)
	}
}

// BenchmarkIssueEndpointLiveKit is one in-process POST /rtc/livekit/room.
func BenchmarkIssueEndpointLiveKit(b *testing.B) {
	benchIssue(b, "/rtc/livekit/room", `{"room":"daily-standup","role":"publisher"}`)
}

// BenchmarkIssueEndpointTwilioVideo is one in-process POST /rtc/twilio/video.
func BenchmarkIssueEndpointTwilioVideo(b *testing.B) {
	benchIssue(b, "/rtc/twilio/video", `{"room":"DailyStandup"}`)
}
