package redislimit_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/ratelimit"
	"github.com/rtctoken/rtctoken/core/ratelimit/internal/apitest"
	"github.com/rtctoken/rtctoken/core/ratelimit/redislimit"
	"github.com/rtctoken/rtctoken/internal/redistest"
)

// newClient returns a client for addr, closed when the test ends. Each
// call is a separate connection pool, as in a separate app instance.
func newClient(t testing.TB, addr string, contextTimeouts bool) *redis.Client {
	c := redis.NewClient(&redis.Options{Addr: addr, ContextTimeoutEnabled: contextTimeouts})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func newLimiter(t testing.TB, c redis.UniversalClient, opts ...redislimit.Option) *redislimit.Limiter {
	t.Helper()
	l, err := redislimit.New(c, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func user(id string) httpapi.LimitKey {
	return httpapi.LimitKey{Scope: "user", Subject: id, Provider: "agora", Kind: "rtc"}
}

// logBuffer collects log output; safe for concurrent use.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func TestBudget(t *testing.T) {
	addr, _ := redistest.Start(t)
	l := newLimiter(t, newClient(t, addr, true), redislimit.WithLimit("user", rate.Every(time.Hour), 5))
	ctx := context.Background()
	for i := range 5 {
		if err := l.Allow(ctx, user("alice")); err != nil {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	err := l.Allow(ctx, user("alice"))
	var rl *httpapi.RateLimitError
	if !errors.As(err, &rl) || !errors.Is(err, httpapi.ErrRateLimited) {
		t.Fatalf("6th request: %v, want a *httpapi.RateLimitError", err)
	}
	if rl.RetryAfter <= time.Hour-time.Minute || rl.RetryAfter > time.Hour {
		t.Fatalf("RetryAfter %v, want just under an hour", rl.RetryAfter)
	}
	// Other users and other scopes have their own buckets.
	if err := l.Allow(ctx, user("bob")); err != nil {
		t.Fatalf("bob: %v", err)
	}
	if err := l.Allow(ctx, httpapi.LimitKey{Scope: "ip", Subject: "alice"}); err != nil {
		t.Fatalf("ip scope: %v", err)
	}
}

func TestRetryAfter(t *testing.T) {
	addr, _ := redistest.Start(t)
	l := newLimiter(t, newClient(t, addr, true), redislimit.WithLimit("user", 10, 1)) // one every 100ms
	ctx := context.Background()
	for round := range 3 {
		if err := l.Allow(ctx, user("alice")); err != nil {
			t.Fatalf("round %d: first request: %v", round, err)
		}
		var rl *httpapi.RateLimitError
		if err := l.Allow(ctx, user("alice")); !errors.As(err, &rl) {
			t.Fatalf("round %d: second request: %v, want refused", round, err)
		}
		if rl.RetryAfter <= 0 || rl.RetryAfter > 100*time.Millisecond {
			t.Fatalf("round %d: RetryAfter %v, want in (0, 100ms]", round, rl.RetryAfter)
		}
		time.Sleep(rl.RetryAfter + time.Millisecond)
	}
}

func TestKindBudgetsAndKeys(t *testing.T) {
	addr, _ := redistest.Start(t)
	c := newClient(t, addr, true)
	ctx := context.Background()
	hourly := rate.Every(time.Hour)
	l := newLimiter(t, c, redislimit.WithPrefix("app1:"), redislimit.Per(ratelimit.Kind),
		redislimit.WithLimit("user", hourly, 2), redislimit.WithKindLimit("zoom", "meeting", hourly, 1))
	count := func(key httpapi.LimitKey) (n int) {
		for range 4 {
			if l.Allow(ctx, key) == nil {
				n++
			}
		}
		return n
	}
	steps := []struct {
		key  httpapi.LimitKey
		want int
	}{
		{httpapi.LimitKey{Scope: "user", Subject: "u:1", Provider: "zoom", Kind: "meeting"}, 1},
		{httpapi.LimitKey{Scope: "user", Subject: "u:1", Provider: "zoom", Kind: "video"}, 2},
		{httpapi.LimitKey{Scope: "user", Subject: "u:1", Provider: "agora", Kind: "rtc"}, 2},
	}
	for i, s := range steps {
		if got := count(s.key); got != s.want {
			t.Errorf("step %d %+v: %d allowed, want %d", i, s.key, got, s.want)
		}
	}
	keys, err := c.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]time.Duration{
		"rate:app1:user:zoom:meeting:u:1": time.Hour,
		"rate:app1:user:zoom:video:u:1":   2 * time.Hour,
		"rate:app1:user:agora:rtc:u:1":    2 * time.Hour,
	}
	if len(keys) != len(want) {
		t.Fatalf("keys %q, want %d keys", keys, len(want))
	}
	for k, full := range want {
		// A key lives until its bucket would be full again.
		ttl, err := c.TTL(ctx, k).Result()
		if err != nil || ttl <= full-time.Minute || ttl > full {
			t.Errorf("key %q: TTL %v (%v), want just under %v", k, ttl, err, full)
		}
	}

	// The default prefix, and one bucket for every kind under Per(Subject).
	l = newLimiter(t, c)
	if err := l.Allow(ctx, user("alice")); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Exists(ctx, "rate:"+redislimit.DefaultPrefix+"user:*:*:alice").Result(); err != nil || n != 1 {
		t.Fatalf("default key: exists %d, %v", n, err)
	}
}

// TestSharedBudget runs two app instances, each with its own Redis client,
// limiter, core.Service and httpapi.API, and shows that together they
// allow exactly one budget.
func TestSharedBudget(t *testing.T) {
	addr, _ := redistest.Start(t)
	const burst = 15
	var apis [2]*httpapi.API
	for i := range apis {
		l := newLimiter(t, newClient(t, addr, true), redislimit.WithLimit("user", rate.Every(time.Hour), burst))
		apis[i] = apitest.NewAPI(t, l)
	}

	t.Run("alternating through the API", func(t *testing.T) {
		var ok, limited int
		for i := range 2 * burst {
			switch st := apitest.Issue(apis[i%2], "alice", "192.0.2.1:1234", apitest.Kinds[i%len(apitest.Kinds)]).Status; st {
			case http.StatusOK:
				ok++
			case http.StatusTooManyRequests:
				limited++
			default:
				t.Fatalf("request %d: status %d", i, st)
			}
		}
		if ok != burst || limited != burst {
			t.Fatalf("%d allowed and %d limited, want %d and %d", ok, limited, burst, burst)
		}
	})

	t.Run("concurrently at the limiter", func(t *testing.T) {
		const budget = 40
		ls := [2]*redislimit.Limiter{
			newLimiter(t, newClient(t, addr, true), redislimit.WithLimit("user", rate.Every(time.Hour), budget)),
			newLimiter(t, newClient(t, addr, true), redislimit.WithLimit("user", rate.Every(time.Hour), budget)),
		}
		var allowed atomic.Int64
		var wg sync.WaitGroup
		for g := range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 15 {
					err := ls[g%2].Allow(context.Background(), user("bob"))
					if err == nil {
						allowed.Add(1)
					} else if !errors.Is(err, httpapi.ErrRateLimited) {
						t.Errorf("unexpected error: %v", err)
					}
				}
			}()
		}
		wg.Wait()
		if got := allowed.Load(); got != budget {
			t.Fatalf("%d of 120 allowed across two instances, want the shared budget of %d", got, budget)
		}
	})
}

// TestRedisDown kills Redis mid-test: FailClosed refuses with code
// unavailable within the timeout, FailOpen allows, and both log.
func TestRedisDown(t *testing.T) {
	for _, policy := range []redislimit.FailurePolicy{redislimit.FailClosed, redislimit.FailOpen} {
		t.Run(policy.String(), func(t *testing.T) {
			addr, kill := redistest.Start(t)
			var logs logBuffer
			const timeout = 100 * time.Millisecond
			l := newLimiter(t, newClient(t, addr, true), redislimit.WithFailurePolicy(policy), redislimit.WithTimeout(timeout),
				redislimit.WithLogger(slog.New(slog.NewTextHandler(&logs, nil))))
			ctx := context.Background()
			if err := l.Allow(ctx, user("alice")); err != nil {
				t.Fatalf("before the outage: %v", err)
			}
			kill()
			for i := range 3 {
				start := time.Now()
				err := l.Allow(ctx, user("alice"))
				elapsed := time.Since(start)
				checkFailure(t, policy, err)
				if elapsed > timeout+50*time.Millisecond { // scheduling slack on a busy machine
					t.Errorf("call %d took %v, want within the %v timeout", i, elapsed, timeout)
				}
			}
			out := logs.String()
			if n := strings.Count(out, "level=ERROR"); n != 1 || !strings.Contains(out, "policy="+policy.String()) {
				t.Errorf("want exactly one error line (the others counted as suppressed), naming the policy; got:\n%s", out)
			}
		})
	}
}

// TestAPILoggerReachesLimiter: a limiter built without WithLogger reports
// an outage to the logger of the API it is configured in; one built with
// WithLogger keeps its own.
func TestAPILoggerReachesLimiter(t *testing.T) {
	addr, kill := redistest.Start(t)
	kill()
	var apiLogs, ownLogs logBuffer
	withAPILogger := func(c *httpapi.Config) { c.Logger = slog.New(slog.NewTextHandler(&apiLogs, nil)) }

	lim := newLimiter(t, newClient(t, addr, true), redislimit.WithTimeout(50*time.Millisecond))
	api := apitest.NewAPI(t, lim, withAPILogger)
	if st := apitest.Issue(api, "alice", "192.0.2.1:1234", apitest.Kinds[0]).Status; st != http.StatusServiceUnavailable {
		t.Fatalf("status %d with Redis down, want 503", st)
	}
	out := apiLogs.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "Redis unavailable") {
		t.Fatalf("the outage did not reach the API's logger at ERROR:\n%s", out)
	}

	apiLogs = logBuffer{}
	own := newLimiter(t, newClient(t, addr, true), redislimit.WithTimeout(50*time.Millisecond),
		redislimit.WithLogger(slog.New(slog.NewTextHandler(&ownLogs, nil))))
	api = apitest.NewAPI(t, own, withAPILogger)
	apitest.Issue(api, "alice", "192.0.2.1:1234", apitest.Kinds[0])
	if !strings.Contains(ownLogs.String(), "Redis unavailable") || strings.Contains(apiLogs.String(), "Redis unavailable") {
		t.Fatalf("WithLogger was overridden: own %q, api %q", ownLogs.String(), apiLogs.String())
	}
}

// TestRedisHung pauses Redis (SIGSTOP): connections stay open and nothing
// answers. The timeout holds even though the client does not enable
// context timeouts.
func TestRedisHung(t *testing.T) {
	for _, policy := range []redislimit.FailurePolicy{redislimit.FailClosed, redislimit.FailOpen} {
		t.Run(policy.String(), func(t *testing.T) {
			s := redistest.StartServer(t)
			const timeout = 150 * time.Millisecond
			l := newLimiter(t, newClient(t, s.Addr, false), redislimit.WithFailurePolicy(policy), redislimit.WithTimeout(timeout),
				redislimit.WithLogger(nil))
			ctx := context.Background()
			if err := l.Allow(ctx, user("alice")); err != nil {
				t.Fatalf("before the pause: %v", err)
			}
			if err := s.Pause(); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			err := l.Allow(ctx, user("alice"))
			elapsed := time.Since(start)
			if err := s.Resume(); err != nil {
				t.Fatal(err)
			}
			checkFailure(t, policy, err)
			if elapsed < timeout || elapsed > timeout+50*time.Millisecond {
				t.Errorf("call took %v, want about the %v timeout", elapsed, timeout)
			}
		})
	}
}

func checkFailure(t *testing.T, policy redislimit.FailurePolicy, err error) {
	t.Helper()
	if policy == redislimit.FailOpen {
		if err != nil {
			t.Fatalf("fail-open: %v, want allowed", err)
		}
		return
	}
	var ce *core.Error
	if !errors.As(err, &ce) || !errors.Is(err, core.ErrUnavailable) || ce.Code != core.CodeUnavailable {
		t.Fatalf("fail-closed: %v, want a *core.Error with code unavailable", err)
	}
	if ce.Message != "rate limiter unavailable" || strings.Contains(err.Error(), "127.0.0.1") {
		t.Fatalf("fail-closed: message %q / %q carries detail", ce.Message, err.Error())
	}
	if ce.Err == nil {
		t.Fatal("fail-closed: the cause is not kept for the log")
	}
}

func TestCallerGivesUp(t *testing.T) {
	addr, kill := redistest.Start(t)
	l := newLimiter(t, newClient(t, addr, true), redislimit.WithFailurePolicy(redislimit.FailOpen), redislimit.WithLogger(nil))
	kill()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := l.Allow(ctx, user("alice")); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled request: %v, want context.Canceled even when failing open", err)
	}
}

func TestUnknownScope(t *testing.T) {
	addr, _ := redistest.Start(t)
	l := newLimiter(t, newClient(t, addr, true))
	if err := l.Allow(context.Background(), httpapi.LimitKey{Scope: "tenant", Subject: "x"}); core.CodeOf(err) != core.CodeInternal {
		t.Fatalf("unknown scope: %v, want code internal", err)
	}
}

func TestConfigErrors(t *testing.T) {
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1"}) // never dialled
	defer c.Close()
	tests := map[string]redislimit.Option{
		"zero timeout":       redislimit.WithTimeout(0),
		"unknown policy":     redislimit.WithFailurePolicy(7),
		"zero rate":          redislimit.WithLimit("user", 0, 1),
		"zero burst":         redislimit.WithKindLimit("zoom", "", 1, 0),
		"kind unknown scope": redislimit.WithKindLimit("zoom", "", 1, 1, "tenant"),
		"bad granularity":    redislimit.Per(9),
	}
	for name, o := range tests {
		t.Run(name, func(t *testing.T) {
			if _, err := redislimit.New(c, o); !errors.Is(err, core.ErrConfig) {
				t.Fatalf("got %v, want a core.ErrConfig error", err)
			}
		})
	}
	if _, err := redislimit.New(nil); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("nil client: %v", err)
	}
	if _, err := redislimit.New(c, redislimit.WithPrefix(""), redislimit.Per(ratelimit.Provider), nil); err != nil {
		t.Fatalf("valid options: %v", err)
	}
}

func TestFailurePolicyString(t *testing.T) {
	if redislimit.FailClosed.String() != "fail-closed" || redislimit.FailOpen.String() != "fail-open" {
		t.Fatal("FailurePolicy.String")
	}
}
