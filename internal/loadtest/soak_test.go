package loadtest

import (
	"bytes"
	"context"
	"log/slog"
	"os"
	"runtime"
	"strconv"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
)

// view is a minimal httpapi.Request for in-process calls.
type view struct {
	ctx  context.Context
	user string
}

func (v view) Context() context.Context     { return v.ctx }
func (v view) Method() string               { return "POST" }
func (v view) Cookie(string) (string, bool) { return "", false }
func (v view) Value(k any) any {
	if _, ok := k.(httpapitest.UserKey); ok {
		return core.Identity{UserID: v.user}
	}
	return nil
}
func (v view) Header(n string) string {
	if n == "Content-Type" {
		return "application/json"
	}
	return ""
}
func (v view) HeaderValues(n string) []string {
	if h := v.Header(n); h != "" {
		return []string{h}
	}
	return nil
}
func (v view) RemoteAddr() string { return "127.0.0.1:40000" }

// TestSoak issues 1,000,000 credentials in one process, through the HTTP
// contract and the attach cache, across all four providers and a million
// distinct users, and checks the heap after GC stays within a few MB of its
// size after the first 100,000. Set RTCTOKEN_SOAK=1 to run it (CI does).
func TestSoak(t *testing.T) {
	if os.Getenv("RTCTOKEN_SOAK") == "" {
		t.Skip("set RTCTOKEN_SOAK=1 to run the 1,000,000-issuance soak")
	}
	const total, first = 1_000_000, 100_000
	api := httpapitest.NewAPI(t, func(c *httpapi.Config) { c.Logger = slog.New(slog.DiscardHandler) })
	type call struct{ path, body string }
	calls := []call{
		{"/tencent/usersig", `{}`},
		{"/agora/rtc", `{"room":"soak","role":"publisher"}`},
		{"/zego/token04", `{"room":"soak"}`},
		{"/zoom/video", `{"room":"soak"}`},
	}
	heap := func() uint64 {
		runtime.GC()
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	ctx := context.Background()
	var base uint64
	issued := 0
	for i := 0; issued < total; i++ {
		v := view{ctx: ctx, user: "u" + strconv.Itoa(i)}
		c := calls[i%len(calls)]
		resp := api.Serve(v, c.path, bytes.NewReader([]byte(c.body)))
		if resp.Status != 200 {
			t.Fatalf("issuance %d: %d %s", i, resp.Status, resp.Body)
		}
		issued++
		if i%4 == 0 { // every fourth user also goes through the attach cache (two presets)
			if _, err := api.Attach(v); err != nil {
				t.Fatal(err)
			}
			issued += len(httpapitest.Presets)
		}
		if base == 0 && issued >= first {
			base = heap()
			t.Logf("heap after %d issuances: %.1f MB", issued, float64(base)/1e6)
		}
	}
	end := heap()
	runtime.KeepAlive(api) // the cache must be measured, not collected
	t.Logf("heap after %d issuances: %.1f MB (first %d: %.1f MB)", issued, float64(end)/1e6, first, float64(base)/1e6)
	const slack = 8 << 20
	if end > base+slack {
		t.Fatalf("heap grew from %d to %d bytes", base, end)
	}
}
