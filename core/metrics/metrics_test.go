package metrics_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/metrics"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/nethttp"
)

// fake is a provider with fixed kinds; it issues a constant token.
type fake struct {
	name  string
	kinds []core.KindSpec
}

func (f fake) Name() string           { return f.name }
func (f fake) AppID() string          { return "app-" + f.name }
func (f fake) Kinds() []core.KindSpec { return f.kinds }
func (f fake) Verify(context.Context, string, string, time.Time) (*core.Verified, error) {
	return nil, core.ErrSignature
}
func (f fake) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	if g.Room == "bad" {
		return nil, core.Errorf(core.CodeInvalidRoom, "room", "room refused")
	}
	return &core.Credential{Token: "t", UserID: g.UserID, Room: g.Room, ExpiresAt: g.Now.Add(g.TTL)}, nil
}

func kind(name string, serverOnly bool) core.KindSpec {
	return core.KindSpec{Kind: name, MinTTL: time.Minute, MaxTTL: time.Hour, DefaultTTL: time.Hour,
		NeedsRoom: true, RoomAllowed: true, ServerOnly: serverOnly}
}

func service(t testing.TB) *core.Service {
	t.Helper()
	svc, err := core.NewService([]core.Provider{
		fake{name: "agora", kinds: []core.KindSpec{kind("rtc", false), kind("rtm", false), kind("chat-app", true)}},
		fake{name: "zoom", kinds: []core.KindSpec{kind("video", false)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestIssuedFoldsUnknownLabels(t *testing.T) {
	m := metrics.New(metrics.WithService(service(t)))
	ctx := context.Background()
	m.Issued(ctx, "agora", "rtc", "ok", time.Millisecond)
	m.Issued(ctx, "agora", "rtc", "ok", time.Millisecond)
	m.Issued(ctx, "agora", "rtc", core.CodeInvalidRoom, time.Millisecond)
	m.Issued(ctx, "agora", "../../etc/passwd", core.CodeUnknownKind, time.Millisecond)
	m.Issued(ctx, "agora", "chat-app", core.CodeUnknownKind, time.Millisecond) // server-only: never served
	m.Issued(ctx, "evil\"provider", "rtc", core.CodeUnknownProvider, time.Millisecond)
	m.Issued(ctx, "", "", core.CodeUnauthenticated, time.Millisecond)
	m.Issued(ctx, "zoom", "video", "made_up_code", time.Millisecond)

	want := `
# HELP rtctoken_issue_requests_total Credential requests by provider, kind and outcome ("ok" when a credential was issued, else the error code).
# TYPE rtctoken_issue_requests_total counter
rtctoken_issue_requests_total{kind="other",outcome="ok",provider="agora"} 0
rtctoken_issue_requests_total{kind="other",outcome="ok",provider="other"} 0
rtctoken_issue_requests_total{kind="other",outcome="ok",provider="zoom"} 0
rtctoken_issue_requests_total{kind="other",outcome="unauthenticated",provider="other"} 1
rtctoken_issue_requests_total{kind="other",outcome="unknown_kind",provider="agora"} 2
rtctoken_issue_requests_total{kind="other",outcome="unknown_provider",provider="other"} 1
rtctoken_issue_requests_total{kind="rtc",outcome="invalid_room",provider="agora"} 1
rtctoken_issue_requests_total{kind="rtc",outcome="ok",provider="agora"} 2
rtctoken_issue_requests_total{kind="rtm",outcome="ok",provider="agora"} 0
rtctoken_issue_requests_total{kind="video",outcome="ok",provider="zoom"} 0
rtctoken_issue_requests_total{kind="video",outcome="other",provider="zoom"} 1
`
	expect(t, m, want, "rtctoken_issue_requests_total")
	// Latency is observed for every request, whatever the outcome.
	expectLines(t, scrape(t, gatherer(t, m)),
		`rtctoken_issue_duration_seconds_count{kind="rtc",provider="agora"} 3`,
		`rtctoken_issue_duration_seconds_count{kind="other",provider="agora"} 2`,
		`rtctoken_issue_duration_seconds_count{kind="other",provider="other"} 2`,
		`rtctoken_issue_duration_seconds_count{kind="video",provider="zoom"} 1`,
		`rtctoken_issue_duration_seconds_count{kind="rtm",provider="agora"} 0`,
	)
}

func TestLatencyHistogram(t *testing.T) {
	m := metrics.New(metrics.WithService(service(t)), metrics.WithBuckets(0.0001, 0.001))
	ctx := context.Background()
	m.Issued(ctx, "zoom", "video", "ok", 50*time.Microsecond)
	m.Issued(ctx, "zoom", "video", core.CodeForbidden, 500*time.Microsecond)
	m.Issued(ctx, "zoom", "video", "ok", 2*time.Second)
	want := `
# HELP rtctoken_issue_duration_seconds Time spent handling a credential request, by provider and kind.
# TYPE rtctoken_issue_duration_seconds histogram
rtctoken_issue_duration_seconds_bucket{kind="video",provider="zoom",le="0.0001"} 1
rtctoken_issue_duration_seconds_bucket{kind="video",provider="zoom",le="0.001"} 2
rtctoken_issue_duration_seconds_bucket{kind="video",provider="zoom",le="+Inf"} 3
rtctoken_issue_duration_seconds_sum{kind="video",provider="zoom"} 2.00055
rtctoken_issue_duration_seconds_count{kind="video",provider="zoom"} 3
`
	expectLines(t, scrape(t, gatherer(t, m)), strings.Split(strings.TrimSpace(want), "\n")...)
}

func TestWithBucketsNeverPanics(t *testing.T) {
	m := metrics.New(metrics.WithService(service(t)), metrics.WithBuckets(0.5, math.NaN(), 0.1, 0.5, math.Inf(1)))
	m.Issued(context.Background(), "zoom", "video", "ok", 200*time.Millisecond)
	expectLines(t, scrape(t, gatherer(t, m)),
		`rtctoken_issue_duration_seconds_bucket{kind="video",provider="zoom",le="0.1"} 0`,
		`rtctoken_issue_duration_seconds_bucket{kind="video",provider="zoom",le="0.5"} 1`,
		`rtctoken_issue_duration_seconds_bucket{kind="video",provider="zoom",le="+Inf"} 1`,
	)
	// No bounds keeps the defaults.
	m = metrics.New(metrics.WithBuckets())
	m.Issued(context.Background(), "x", "y", "ok", time.Millisecond)
	expectLines(t, scrape(t, gatherer(t, m)), `rtctoken_issue_duration_seconds_bucket{kind="other",provider="other",le="1e-05"} 0`)
}

func TestDefaultBuckets(t *testing.T) {
	b := metrics.DefaultBuckets
	if b[0] != 10e-6 || b[len(b)-1] != 1 {
		t.Fatalf("buckets span %v..%v, want 1e-05..1", b[0], b[len(b)-1])
	}
	for i := 1; i < len(b); i++ {
		if b[i] <= b[i-1] {
			t.Fatalf("buckets not increasing at %d: %v", i, b)
		}
	}
}

func TestRateLimitedAndResolver(t *testing.T) {
	m := metrics.New(metrics.WithService(service(t)), metrics.WithNamespace("app"))
	ctx := context.Background()
	m.RateLimited(ctx, "agora", "rtm")
	m.RateLimited(ctx, "agora", "rtm")
	m.RateLimited(ctx, "nope", "rtm")
	m.ResolverFailed(ctx)
	want := `
# HELP app_rate_limited_total Credential requests refused by the rate limiter, by provider and kind.
# TYPE app_rate_limited_total counter
app_rate_limited_total{kind="other",provider="agora"} 0
app_rate_limited_total{kind="other",provider="other"} 1
app_rate_limited_total{kind="other",provider="zoom"} 0
app_rate_limited_total{kind="rtc",provider="agora"} 0
app_rate_limited_total{kind="rtm",provider="agora"} 2
app_rate_limited_total{kind="video",provider="zoom"} 0
# HELP app_resolver_failures_total Requests whose credential (session, JWT) was present but invalid.
# TYPE app_resolver_failures_total counter
app_resolver_failures_total 1
`
	expect(t, m, want, "app_rate_limited_total", "app_resolver_failures_total")
}

func TestWithoutServiceEverythingIsOther(t *testing.T) {
	m := metrics.New()
	m.Issued(context.Background(), "agora", "rtc", "ok", time.Millisecond)
	want := `
# HELP rtctoken_issue_requests_total Credential requests by provider, kind and outcome ("ok" when a credential was issued, else the error code).
# TYPE rtctoken_issue_requests_total counter
rtctoken_issue_requests_total{kind="other",outcome="ok",provider="other"} 1
`
	expect(t, m, want, "rtctoken_issue_requests_total")
}

func TestConstLabelsAndEmptyNamespace(t *testing.T) {
	m := metrics.New(metrics.WithNamespace(""), metrics.WithConstLabels(prometheus.Labels{"instance_name": "eu-1"}))
	m.ResolverFailed(context.Background())
	want := `
# HELP resolver_failures_total Requests whose credential (session, JWT) was present but invalid.
# TYPE resolver_failures_total counter
resolver_failures_total{instance_name="eu-1"} 1
`
	expect(t, m, want, "resolver_failures_total")
}

func TestRegister(t *testing.T) {
	reg := prometheus.NewPedanticRegistry()
	m := metrics.New(metrics.WithService(service(t)))
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	err := metrics.New().Register(reg)
	var are prometheus.AlreadyRegisteredError
	if !errors.As(err, &are) {
		t.Fatalf("second Register with the same names: %v, want AlreadyRegisteredError", err)
	}
	// The collectors can be registered one by one instead.
	reg2 := prometheus.NewPedanticRegistry()
	for _, c := range metrics.New(metrics.WithNamespace("x")).Collectors() {
		if err := reg2.Register(c); err != nil {
			t.Fatal(err)
		}
	}
	expectLines(t, scrape(t, reg2), "x_resolver_failures_total 0")
	// A bad namespace is reported by Register, not by a panic in New.
	if err := metrics.New(metrics.WithNamespace("bad\xff")).Register(prometheus.NewRegistry()); err == nil {
		t.Fatal("Register accepted an invalid metric name")
	}
}

func TestConcurrentFirstUse(t *testing.T) {
	m := metrics.New(metrics.WithService(service(t)))
	codes := []core.Code{core.CodeInvalidRoom, core.CodeForbidden, core.CodeInternal, "ok", "weird"}
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 100; i++ {
				m.Issued(context.Background(), "agora", "rtc", codes[i%len(codes)], time.Microsecond)
				m.RateLimited(context.Background(), "zoom", "video")
			}
		}()
	}
	wg.Wait()
	want := `
# HELP rtctoken_issue_requests_total Credential requests by provider, kind and outcome ("ok" when a credential was issued, else the error code).
# TYPE rtctoken_issue_requests_total counter
rtctoken_issue_requests_total{kind="other",outcome="ok",provider="agora"} 0
rtctoken_issue_requests_total{kind="other",outcome="ok",provider="other"} 0
rtctoken_issue_requests_total{kind="other",outcome="ok",provider="zoom"} 0
rtctoken_issue_requests_total{kind="rtc",outcome="forbidden",provider="agora"} 160
rtctoken_issue_requests_total{kind="rtc",outcome="internal",provider="agora"} 160
rtctoken_issue_requests_total{kind="rtc",outcome="invalid_room",provider="agora"} 160
rtctoken_issue_requests_total{kind="rtc",outcome="ok",provider="agora"} 160
rtctoken_issue_requests_total{kind="rtc",outcome="other",provider="agora"} 160
rtctoken_issue_requests_total{kind="rtm",outcome="ok",provider="agora"} 0
rtctoken_issue_requests_total{kind="video",outcome="ok",provider="zoom"} 0
`
	expect(t, m, want, "rtctoken_issue_requests_total")
	expectLines(t, scrape(t, gatherer(t, m)), `rtctoken_rate_limited_total{kind="video",provider="zoom"} 800`)
}

func TestIssuedDoesNotAllocate(t *testing.T) {
	m := metrics.New(metrics.WithService(service(t)))
	ctx := context.Background()
	m.Issued(ctx, "agora", "rtc", core.CodeForbidden, time.Microsecond) // create the child
	for _, c := range []struct {
		provider, kind string
		code           core.Code
	}{
		{"agora", "rtc", "ok"},
		{"agora", "rtc", core.CodeForbidden},
		{"agora", "unknown", "ok"},
		{"unknown", "rtc", "ok"},
	} {
		if n := testing.AllocsPerRun(100, func() { m.Issued(ctx, c.provider, c.kind, c.code, time.Microsecond) }); n != 0 {
			t.Errorf("Issued(%q, %q, %q) allocates %v times", c.provider, c.kind, c.code, n)
		}
	}
	if n := testing.AllocsPerRun(100, func() { m.RateLimited(ctx, "agora", "rtc") }); n != 0 {
		t.Errorf("RateLimited allocates %v times", n)
	}
}

// TestThroughHTTP serves the token API and /metrics from one server and
// checks that real requests show up in the scraped exposition.
func TestThroughHTTP(t *testing.T) {
	svc := service(t)
	m := metrics.New(metrics.WithService(svc))
	reg := prometheus.NewRegistry()
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	limited := false
	api, err := httpapi.New(httpapi.Config{
		Service: svc,
		Resolver: resolve.Func(func(r resolve.Request) (core.Identity, error) {
			switch r.Header("X-User") {
			case "":
				return core.Identity{}, resolve.ErrNoIdentity
			case "forged":
				return core.Identity{}, core.Errorf(core.CodeUnauthenticated, "", "bad session")
			}
			return core.Identity{UserID: r.Header("X-User")}, nil
		}),
		Limiter:  limiterFunc(func() bool { return limited }),
		Observer: m,
		Logger:   discardLogger(),
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api)
	mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	post := func(path, user, body string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, srv.URL+path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if user != "" {
			req.Header.Set("X-User", user)
		}
		res, err := srv.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	post("/rtc/agora/rtc", "alice", `{"room":"r1"}`)
	post("/rtc/agora/rtc", "alice", `{"room":"bad"}`)
	post("/rtc/agora/nosuchkind", "alice", `{"room":"r1"}`)
	post("/rtc/x%22y/rtc", "alice", `{"room":"r1"}`)
	post("/rtc/zoom/video", "forged", `{"room":"r1"}`)
	limited = true
	post("/rtc/zoom/video", "bob", `{"room":"r1"}`)

	res, err := srv.Client().Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	text := string(b)
	expectLines(t, text,
		`rtctoken_issue_requests_total{kind="rtc",outcome="ok",provider="agora"} 1`,
		`rtctoken_issue_requests_total{kind="rtc",outcome="invalid_room",provider="agora"} 1`,
		`rtctoken_issue_requests_total{kind="other",outcome="unknown_kind",provider="agora"} 1`,
		`rtctoken_issue_requests_total{kind="other",outcome="unknown_provider",provider="other"} 1`,
		`rtctoken_issue_requests_total{kind="video",outcome="rate_limited",provider="zoom"} 1`,
		`rtctoken_rate_limited_total{kind="video",provider="zoom"} 1`,
		`rtctoken_resolver_failures_total 1`,
		`rtctoken_issue_duration_seconds_count{kind="rtc",provider="agora"} 2`,
	)
	if strings.Contains(text, "nosuchkind") || strings.Contains(text, `x\"y`) {
		t.Error("a client-chosen path segment became a label value")
	}
	if t.Failed() {
		t.Log(text)
	}
}

type limiterFunc func() bool

func (f limiterFunc) Allow(context.Context, httpapi.LimitKey) error {
	if f() {
		return &httpapi.RateLimitError{RetryAfter: time.Second}
	}
	return nil
}

func gatherer(t *testing.T, m *metrics.Metrics) prometheus.Gatherer {
	t.Helper()
	reg := prometheus.NewPedanticRegistry()
	if err := m.Register(reg); err != nil {
		t.Fatal(err)
	}
	return reg
}

func scrape(t *testing.T, g prometheus.Gatherer) string {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(g, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	return rec.Body.String()
}

func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }

// expectLines fails unless every line is a line of the exposition text.
func expectLines(t *testing.T, text string, lines ...string) {
	t.Helper()
	for _, line := range lines {
		if !strings.Contains("\n"+text, "\n"+line+"\n") {
			t.Errorf("exposition lacks %q", line)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
}

// expect compares the exposition of the named metric families with want,
// HELP and TYPE lines included.
func expect(t *testing.T, m *metrics.Metrics, want string, names ...string) {
	t.Helper()
	var got []string
	for _, line := range strings.Split(scrape(t, gatherer(t, m)), "\n") {
		name := strings.TrimPrefix(strings.TrimPrefix(line, "# HELP "), "# TYPE ")
		if i := strings.IndexAny(name, "{ "); i >= 0 {
			name = name[:i]
		}
		for _, n := range names {
			if name == n || name == n+"_bucket" || name == n+"_sum" || name == n+"_count" {
				got = append(got, line)
			}
		}
	}
	if g, w := strings.Join(got, "\n"), strings.TrimSpace(want); g != w {
		t.Errorf("exposition of %v:\n%s\nwant:\n%s", names, g, w)
	}
}
