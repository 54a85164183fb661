package ratelimit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/ratelimit"
	"github.com/rtctoken/rtctoken/core/ratelimit/internal/apitest"
	"github.com/rtctoken/rtctoken/core/ratelimit/internal/budget"
)

// clock is a manual clock safe for concurrent use.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func newMemory(t testing.TB, c *clock, opts ...ratelimit.Option) *ratelimit.Memory {
	t.Helper()
	m, err := ratelimit.NewMemory(append([]ratelimit.Option{ratelimit.WithClock(c.Now)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func user(id, provider, kind string) httpapi.LimitKey {
	return httpapi.LimitKey{Scope: "user", Subject: id, Provider: provider, Kind: kind}
}

// retryAfter returns the RetryAfter of a refusal, or -1 when err is nil.
func retryAfter(t *testing.T, err error) time.Duration {
	t.Helper()
	if err == nil {
		return -1
	}
	var rl *httpapi.RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("error %v (%T) is not a *httpapi.RateLimitError", err, err)
	}
	if !errors.Is(err, httpapi.ErrRateLimited) || core.CodeOf(err) != httpapi.CodeRateLimited {
		t.Fatalf("error %v does not match ErrRateLimited / code rate_limited", err)
	}
	return rl.RetryAfter
}

// allowN calls Allow n times and returns how many were allowed.
func allowN(t *testing.T, l httpapi.Limiter, key httpapi.LimitKey, n int) int {
	t.Helper()
	ok := 0
	for range n {
		err := l.Allow(context.Background(), key)
		if err == nil {
			ok++
		} else {
			retryAfter(t, err)
		}
	}
	return ok
}

func TestBurstThenRate(t *testing.T) {
	c := newClock()
	m := newMemory(t, c, ratelimit.WithLimit("user", 2, 3)) // 2 a second, 3 at once
	k := user("alice", "agora", "rtc")
	if got := allowN(t, m, k, 3); got != 3 {
		t.Fatalf("burst: %d of 3 allowed", got)
	}
	steps := []struct {
		advance time.Duration
		want    time.Duration // -1: allowed
	}{
		{0, 500 * time.Millisecond},
		{499 * time.Millisecond, time.Millisecond},
		{time.Millisecond, -1},
		{0, 500 * time.Millisecond},
		{250 * time.Millisecond, 250 * time.Millisecond},
		{250 * time.Millisecond, -1},
	}
	for i, s := range steps {
		c.Add(s.advance)
		// Exact up to the nanosecond rounding of float arithmetic.
		if got := retryAfter(t, m.Allow(context.Background(), k)); got < s.want-2 || got > s.want+2 {
			t.Fatalf("step %d: RetryAfter %v, want %v (-1 = allowed)", i, got, s.want)
		}
	}
	// A long pause refills up to the burst, not beyond.
	c.Add(time.Hour)
	if got := allowN(t, m, k, 10); got != 3 {
		t.Fatalf("after an hour: %d allowed, want the burst of 3", got)
	}
}

func TestRetryAfterIsExact(t *testing.T) {
	budgets := []struct {
		r     rate.Limit
		burst int
	}{
		{rate.Every(3 * time.Second), 20},
		{7, 1},
		{0.1, 2},
		{1000, 50},
		{rate.Every(time.Hour), 5},
		{3, 4},
	}
	for _, b := range budgets {
		t.Run(fmt.Sprintf("%g/s burst %d", float64(b.r), b.burst), func(t *testing.T) {
			c := newClock()
			m := newMemory(t, c, ratelimit.WithLimit("user", b.r, b.burst))
			k := user("u", "p", "k")
			for round := range 5 {
				for allowN(t, m, k, 1) == 1 {
				}
				d := retryAfter(t, m.Allow(context.Background(), k))
				want := time.Duration(math.Ceil(float64(time.Second) / float64(b.r)))
				if d <= 0 || d > want {
					t.Fatalf("round %d: RetryAfter %v, want in (0, %v]", round, d, want)
				}
				c.Add(d - time.Microsecond)
				if err := m.Allow(context.Background(), k); err == nil {
					t.Fatalf("round %d: allowed 1µs before RetryAfter %v", round, d)
				}
				c.Add(time.Microsecond)
				if err := m.Allow(context.Background(), k); err != nil {
					t.Fatalf("round %d: refused at RetryAfter %v: %v", round, d, err)
				}
				c.Add(d / 3)
			}
		})
	}
}

func TestDefaults(t *testing.T) {
	c := newClock()
	m := newMemory(t, c)
	if got := allowN(t, m, user("alice", "agora", "rtc"), 50); got != 20 {
		t.Errorf("default user burst: %d allowed, want 20", got)
	}
	c.Add(3 * time.Second)
	if got := allowN(t, m, user("alice", "agora", "rtc"), 5); got != 1 {
		t.Errorf("default user rate: %d allowed 3s later, want 1", got)
	}
	ip := httpapi.LimitKey{Scope: "ip", Subject: "192.0.2.1", Provider: "agora", Kind: "rtc"}
	if got := allowN(t, m, ip, 200); got != 100 {
		t.Errorf("default ip burst: %d allowed, want 100", got)
	}
	c.Add(time.Second)
	if got := allowN(t, m, ip, 5); got != 2 {
		t.Errorf("default ip rate: %d allowed a second later, want 2", got)
	}
}

// step is one key of a sequence and how many of 5 attempts it is allowed.
type step struct {
	key   httpapi.LimitKey
	allow int
}

func TestKindBudgets(t *testing.T) {
	hourly := rate.Every(time.Hour)
	tests := []struct {
		name string
		opts []ratelimit.Option
		// seq is run in order: each request and whether it is allowed.
		seq []step
	}{
		{
			name: "exact kind has its own bucket; others share the default",
			opts: []ratelimit.Option{ratelimit.WithLimit("user", hourly, 3), ratelimit.WithKindLimit("agora", "rtc", hourly, 1)},
			seq: []step{
				{user("a", "agora", "rtc"), 1},
				{user("a", "agora", "rtm"), 3},
				{user("a", "zoom", "video"), 0}, // shares the spent default
				{user("a", "agora", "rtc"), 0},
				{user("b", "agora", "rtc"), 1},
			},
		},
		{
			name: "Per(Kind) splits the default",
			opts: []ratelimit.Option{ratelimit.WithLimit("user", hourly, 2), ratelimit.Per(ratelimit.Kind)},
			seq: []step{
				{user("a", "agora", "rtc"), 2},
				{user("a", "agora", "rtm"), 2},
				{user("a", "zoom", "video"), 2},
				{user("a", "zoom", "video"), 0},
			},
		},
		{
			name: "Per(Provider) splits the default by provider",
			opts: []ratelimit.Option{ratelimit.WithLimit("user", hourly, 2), ratelimit.Per(ratelimit.Provider)},
			seq: []step{
				{user("a", "agora", "rtc"), 2},
				{user("a", "agora", "rtm"), 0},
				{user("a", "zoom", "video"), 2},
			},
		},
		{
			name: "provider-wide budget, shared by its kinds",
			opts: []ratelimit.Option{ratelimit.WithLimit("user", hourly, 1), ratelimit.WithKindLimit("zoom", "", hourly, 3)},
			seq: []step{
				{user("a", "zoom", "video"), 3},
				{user("a", "zoom", "meeting"), 0},
				{user("a", "agora", "rtc"), 1},
			},
		},
		{
			name: "provider-wide budget split by Per(Kind); exact kind wins",
			opts: []ratelimit.Option{
				ratelimit.WithLimit("user", hourly, 1), ratelimit.Per(ratelimit.Kind),
				ratelimit.WithKindLimit("zoom", "", hourly, 3), ratelimit.WithKindLimit("zoom", "meeting", hourly, 4),
			},
			seq: []step{
				{user("a", "zoom", "video"), 3},
				{user("a", "zoom", "webinar"), 3},
				{user("a", "zoom", "meeting"), 4},
				{user("a", "agora", "rtc"), 1},
			},
		},
		{
			name: "scoped kind budget applies in its scope only",
			opts: []ratelimit.Option{ratelimit.WithLimit("user", hourly, 2), ratelimit.WithKindLimit("agora", "rtc", hourly, 4, "ip")},
			seq: []step{
				{user("a", "agora", "rtc"), 2},
				{httpapi.LimitKey{Scope: "ip", Subject: "a", Provider: "agora", Kind: "rtc"}, 4},
			},
		},
		{
			name: "names that look alike do not share buckets",
			opts: []ratelimit.Option{ratelimit.WithLimit("user", hourly, 1), ratelimit.Per(ratelimit.Kind)},
			seq: []step{
				{user("c", "a:b", "c"), 1},
				{user("c", "a", "b:c"), 1},
				{user("b:c", "a", "c"), 1},
				{user("c", "*", "*"), 1},
				{user("c", "a", "*"), 1},
				{user("c", "a", "%2A"), 1},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := newMemory(t, newClock(), tt.opts...)
			for i, s := range tt.seq {
				if got := allowN(t, m, s.key, 5); got != s.allow {
					t.Errorf("step %d %+v: %d of 5 allowed, want %d", i, s.key, got, s.allow)
				}
			}
		})
	}
}

func TestScopesAndSubjectsIndependent(t *testing.T) {
	m := newMemory(t, newClock(), ratelimit.WithLimit("user", 1, 2), ratelimit.WithLimit("ip", 1, 3))
	ip := func(s string) httpapi.LimitKey {
		return httpapi.LimitKey{Scope: "ip", Subject: s, Provider: "p", Kind: "k"}
	}
	steps := []struct {
		key  httpapi.LimitKey
		want int
	}{
		{user("192.0.2.1", "p", "k"), 2},
		{ip("192.0.2.1"), 3}, // same subject text, other scope
		{user("bob", "p", "k"), 2},
		{ip("192.0.2.2"), 3},
		{user("192.0.2.1", "p", "k"), 0},
	}
	for i, s := range steps {
		if got := allowN(t, m, s.key, 10); got != s.want {
			t.Errorf("step %d %+v: %d allowed, want %d", i, s.key, got, s.want)
		}
	}
}

func TestUnknownScope(t *testing.T) {
	m := newMemory(t, newClock())
	err := m.Allow(context.Background(), httpapi.LimitKey{Scope: "tenant", Subject: "x"})
	if core.CodeOf(err) != core.CodeInternal {
		t.Fatalf("unknown scope: got %v, want code internal", err)
	}
	m = newMemory(t, newClock(), ratelimit.WithLimit("tenant", 1, 1))
	if err := m.Allow(context.Background(), httpapi.LimitKey{Scope: "tenant", Subject: "x"}); err != nil {
		t.Fatalf("configured scope: %v", err)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := map[string]ratelimit.Option{
		"zero rate":          ratelimit.WithLimit("user", 0, 1),
		"negative rate":      ratelimit.WithLimit("user", -1, 1),
		"NaN rate":           ratelimit.WithLimit("user", rate.Limit(math.NaN()), 1),
		"infinite rate":      ratelimit.WithLimit("user", rate.Inf, 1),
		"zero burst":         ratelimit.WithLimit("user", 1, 0),
		"empty scope":        ratelimit.WithLimit("", 1, 1),
		"kind zero burst":    ratelimit.WithKindLimit("agora", "rtc", 1, 0),
		"kind empty provdr":  ratelimit.WithKindLimit("", "rtc", 1, 1),
		"kind unknown scope": ratelimit.WithKindLimit("agora", "rtc", 1, 1, "tenant"),
		"bad granularity":    ratelimit.Per(ratelimit.Granularity(7)),
		"zero max keys":      ratelimit.WithMaxKeys(0),
		"nil clock":          ratelimit.WithClock(nil),
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			m, err := ratelimit.NewMemory(o)
			if !errors.Is(err, core.ErrConfig) || m != nil {
				t.Fatalf("got %v (limiter returned: %t); want a core.ErrConfig error", err, m != nil)
			}
		})
	}
	if _, err := ratelimit.NewMemory(ratelimit.WithLimit("tenant", 1, 1), ratelimit.WithKindLimit("a", "b", 1, 1, "tenant"), nil); err != nil {
		t.Fatalf("valid options: %v", err)
	}
}

func TestGranularityValues(t *testing.T) {
	for g, want := range map[ratelimit.Granularity]budget.Granularity{ratelimit.Subject: budget.Subject, ratelimit.Provider: budget.Provider, ratelimit.Kind: budget.Kind} {
		if budget.Granularity(g) != want {
			t.Errorf("%s = %d, want %d as in the budget package", g, g, want)
		}
	}
}

func TestGranularityString(t *testing.T) {
	for g, want := range map[ratelimit.Granularity]string{ratelimit.Subject: "subject", ratelimit.Provider: "provider", ratelimit.Kind: "kind", 9: "Granularity(9)"} {
		if got := g.String(); got != want {
			t.Errorf("%d: %q, want %q", uint8(g), got, want)
		}
	}
}

func TestConcurrentHotKey(t *testing.T) {
	c := newClock() // frozen: exactly the burst may pass
	m := newMemory(t, c, ratelimit.WithLimit("user", 1, 500))
	var allowed atomic.Int64
	var wg sync.WaitGroup
	for g := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 100 {
				if m.Allow(context.Background(), user("hot", "p", "k")) == nil {
					allowed.Add(1)
				}
				// Other keys, sweeps and counts run alongside.
				_ = m.Allow(context.Background(), user(strconv.Itoa(g*1000+i), "p", "k"))
				if i%25 == 0 {
					m.Sweep()
					_ = m.Len()
				}
			}
		}()
	}
	wg.Wait()
	if got := allowed.Load(); got != 500 {
		t.Fatalf("%d allowed on the hot key, want exactly the burst of 500", got)
	}
	if got := m.Len(); got != 1+32*100 {
		t.Fatalf("Len %d, want %d", got, 1+32*100)
	}
}

func TestIdleEviction(t *testing.T) {
	c := newClock()
	m := newMemory(t, c, ratelimit.WithLimit("user", 1, 2)) // refills in 2s at most
	const n = 1000
	for i := range n {
		if err := m.Allow(context.Background(), user(strconv.Itoa(i), "p", "k")); err != nil {
			t.Fatal(err)
		}
	}
	// The hot key drains its bucket; it stays longer than the others.
	allowN(t, m, user("hot", "p", "k"), 2)
	if got := m.Len(); got != n+1 {
		t.Fatalf("Len %d, want %d", got, n+1)
	}
	c.Add(900 * time.Millisecond) // not yet refilled
	m.Sweep()
	if got := m.Len(); got != n+1 {
		t.Fatalf("sweep before refill dropped keys: Len %d, want %d", got, n+1)
	}
	c.Add(100 * time.Millisecond) // one token back: the others are full again
	m.Sweep()
	if got := m.Len(); got != 1 {
		t.Fatalf("after refill: Len %d, want only the hot key", got)
	}
	// The hot key's state survived: one token is back, not two.
	if got := allowN(t, m, user("hot", "p", "k"), 3); got != 1 {
		t.Fatalf("hot key after sweep: %d allowed, want 1", got)
	}
	// A refilled bucket that was dropped behaves like the one it replaces.
	if got := allowN(t, m, user("7", "p", "k"), 3); got != 2 {
		t.Fatalf("dropped key: %d allowed, want the burst of 2", got)
	}
}

func TestLazySweep(t *testing.T) {
	c := newClock()
	m := newMemory(t, c, ratelimit.WithLimit("user", 1, 1))
	for i := range 5000 {
		_ = m.Allow(context.Background(), user("old"+strconv.Itoa(i), "p", "k"))
	}
	c.Add(2 * time.Minute) // past a sweep interval; every old key is idle
	for i := range 5000 {
		_ = m.Allow(context.Background(), user("new"+strconv.Itoa(i), "p", "k"))
	}
	// Every shard saw traffic after the interval and dropped its idle keys.
	if got := m.Len(); got != 5000 {
		t.Fatalf("Len %d after lazy sweeps, want the 5000 new keys", got)
	}
}

func TestCapKeepsDrainedKeys(t *testing.T) {
	c := newClock()
	const max = 10
	m := newMemory(t, c, ratelimit.WithMaxKeys(max), ratelimit.WithLimit("user", rate.Every(time.Hour), 4))
	drained := user("drained", "p", "k")
	allowN(t, m, drained, 4)
	for i := range 1000 {
		_ = m.Allow(context.Background(), user(strconv.Itoa(i), "p", "k"))
		if got := m.Len(); got > max {
			t.Fatalf("Len %d over the cap %d", got, max)
		}
	}
	// Fuller buckets were dropped first: the drained key is still refused.
	if err := m.Allow(context.Background(), drained); err == nil {
		t.Fatal("the drained key was evicted before fuller ones")
	}
}

func TestThroughAPI(t *testing.T) {
	c := newClock()
	m := newMemory(t, c, ratelimit.WithLimit("user", rate.Every(time.Minute), 2), ratelimit.WithLimit("ip", rate.Every(time.Minute), 3))
	api := apitest.NewAPI(t, m)
	want := []struct {
		user, addr string
		status     int
	}{
		{"alice", "192.0.2.1:1000", http.StatusOK},
		{"alice", "192.0.2.1:1000", http.StatusOK},
		{"alice", "192.0.2.2:1000", http.StatusTooManyRequests}, // user budget spent
		{"bob", "192.0.2.1:1000", http.StatusOK},
		{"carol", "192.0.2.1:1000", http.StatusTooManyRequests}, // address budget spent
		{"carol", "192.0.2.3:1000", http.StatusOK},
	}
	for i, w := range want {
		resp := apitest.Issue(api, w.user, w.addr, "a")
		if resp.Status != w.status {
			t.Fatalf("request %d: status %d, want %d: %s", i, resp.Status, w.status, resp.Body)
		}
		if w.status != http.StatusTooManyRequests {
			continue
		}
		var env struct {
			Error struct{ Code string } `json:"error"`
		}
		if err := json.Unmarshal(resp.Body, &env); err != nil || env.Error.Code != "rate_limited" {
			t.Errorf("request %d: body %s, want code rate_limited", i, resp.Body)
		}
		if got := resp.Header.Get("Retry-After"); got != "60" {
			t.Errorf("request %d: Retry-After %q, want 60", i, got)
		}
	}
}
