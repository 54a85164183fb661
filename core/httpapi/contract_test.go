package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// recorder is a slog.Handler keeping every record, for assertions on
// levels and attributes.
type recorder struct {
	mu   sync.Mutex
	recs []slog.Record
}

func (h *recorder) Enabled(context.Context, slog.Level) bool { return true }
func (h *recorder) WithAttrs([]slog.Attr) slog.Handler       { return h }
func (h *recorder) WithGroup(string) slog.Handler            { return h }
func (h *recorder) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.recs = append(h.recs, r.Clone())
	return nil
}

// find returns the records with the message.
func (h *recorder) find(msg string) []slog.Record {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []slog.Record
	for _, r := range h.recs {
		if r.Message == msg {
			out = append(out, r)
		}
	}
	return out
}

func attr(r slog.Record, key string) (slog.Value, bool) {
	var v slog.Value
	found := false
	r.Attrs(func(a slog.Attr) bool {
		if a.Key == key {
			v, found = a.Value, true
			return false
		}
		return true
	})
	return v, found
}

// post is a signed-in (or, with user "", anonymous) POST view with the
// given headers; each value is one header line.
func post(user string, hdr map[string][]string) view {
	v := view{method: "POST", hdr: map[string]string{}, lines: hdr, vals: map[any]any{}}
	if user != "" {
		v.vals[userKey{}] = user
	}
	return v
}

var jsonType = map[string][]string{"Content-Type": {"application/json"}}

// unreadable fails the test if anything reads it.
type unreadable struct{ t *testing.T }

func (u unreadable) Read([]byte) (int, error) {
	u.t.Error("the body was read")
	return 0, io.EOF
}

// countingResolver counts its calls.
type countingResolver struct {
	resolve.Resolver
	n atomic.Int64
}

func (c *countingResolver) Resolve(r resolve.Request) (core.Identity, error) {
	c.n.Add(1)
	return c.Resolver.Resolve(r)
}

func errorOf(t *testing.T, resp Response) errorDetail {
	t.Helper()
	var e errorEnvelope
	if err := json.Unmarshal(resp.Body, &e); err != nil {
		t.Fatalf("not the error envelope: %s", resp.Body)
	}
	return e.Error
}

// TestEncodedBodyRefusedUnread: a body with any Content-Encoding but
// identity is 415 on the headers alone, before the resolver runs and
// before one byte of the body is read, anonymous or signed in.
func TestEncodedBodyRefusedUnread(t *testing.T) {
	res := &countingResolver{Resolver: resolve.FromValue(userKey{})}
	a := newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) { c.Resolver = res })
	for _, enc := range [][]string{{"gzip"}, {"gzip, gzip, deflate"}, {"br"}, {"identity", "deflate"}, {"identity, x-gzip"}, {"GZIP"}} {
		for _, user := range []string{"", "u1"} {
			for _, path := range []string{"/count/tok", "/batch"} {
				resp := a.Serve(post(user, map[string][]string{"Content-Type": {"application/json"}, "Content-Encoding": enc}), path, unreadable{t})
				if e := errorOf(t, resp); resp.Status != 415 || e.Code != CodeUnsupportedMedia || e.Field != "Content-Encoding" {
					t.Errorf("%q user %q %s: %d %s", enc, user, path, resp.Status, resp.Body)
				}
			}
		}
	}
	if n := res.n.Load(); n != 0 {
		t.Fatalf("the resolver ran %d times for encoded bodies", n)
	}
	for _, enc := range [][]string{nil, {""}, {"identity"}, {"Identity", " identity "}} {
		hdr := map[string][]string{"Content-Type": {"application/json"}, "Content-Encoding": enc}
		if resp := a.Serve(post("u1", hdr), "/count/tok", strings.NewReader(`{}`)); resp.Status != 200 {
			t.Errorf("encoding %q: %d %s", enc, resp.Status, resp.Body)
		}
	}
}

// TestEveryPostNeedsJSON: the Content-Type rule holds for an empty body
// too, so a cross-site form (which cannot send application/json) gets 415
// and never reaches the resolver.
func TestEveryPostNeedsJSON(t *testing.T) {
	res := &countingResolver{Resolver: resolve.FromValue(userKey{})}
	a := newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) { c.Resolver = res })
	for _, ct := range [][]string{nil, {""}, {"text/plain"}, {"application/x-www-form-urlencoded"}, {"multipart/form-data; boundary=x"}, {"application/json", "text/plain"}, {"application/jsonx"}} {
		for _, body := range []io.Reader{nil, strings.NewReader("")} {
			for _, path := range []string{"/count/tok", "/batch"} {
				resp := a.Serve(post("u1", map[string][]string{"Content-Type": ct}), path, body)
				if e := errorOf(t, resp); resp.Status != 415 || e.Code != CodeUnsupportedMedia || e.Field != "Content-Type" {
					t.Errorf("Content-Type %q %s: %d %s", ct, path, resp.Status, resp.Body)
				}
			}
		}
	}
	if n := res.n.Load(); n != 0 {
		t.Fatalf("the resolver ran %d times for non-JSON posts", n)
	}
	for _, ct := range []string{"application/json", "application/json; charset=utf-8", "application/problem+json"} {
		for _, body := range []io.Reader{nil, strings.NewReader(""), strings.NewReader(" {} ")} {
			if resp := a.Serve(post("u1", map[string][]string{"Content-Type": {ct}}), "/count/tok", body); resp.Status != 200 {
				t.Errorf("%q: %d %s", ct, resp.Status, resp.Body)
			}
		}
	}
}

// countingLimiter allows everything and counts the units spent.
type countingLimiter struct {
	mu   sync.Mutex
	keys []LimitKey
}

func (l *countingLimiter) Allow(_ context.Context, k LimitKey) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.keys = append(l.keys, k)
	return nil
}

func (l *countingLimiter) spent() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := len(l.keys)
	l.keys = nil
	return n
}

// TestWhichRefusalsSpendBudget: every refusal about the request's form is
// free; once a well-formed request names a served kind, it spends one unit
// per credential asked for, and the service's refusals come after that.
func TestWhichRefusalsSpendBudget(t *testing.T) {
	lim := &countingLimiter{}
	a := newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) {
		c.Limiter = lim
		c.MaxBody = 200
	})
	cases := []struct {
		name   string
		r      view
		path   string
		body   string
		status int
		spent  int
	}{
		{"encoded", post("u1", map[string][]string{"Content-Type": {"application/json"}, "Content-Encoding": {"gzip"}}), "/count/tok", `{}`, 415, 0},
		{"not JSON", post("u1", map[string][]string{"Content-Type": {"text/plain"}}), "/count/tok", `{}`, 415, 0},
		{"anonymous", post("", jsonType), "/count/tok", `{}`, 401, 0},
		{"too large", post("u1", jsonType), "/count/tok", `{"room":"` + strings.Repeat("a", 200) + `"}`, 413, 0},
		{"malformed", post("u1", jsonType), "/count/tok", `{"ttl":`, 400, 0},
		{"unknown field", post("u1", jsonType), "/count/tok", `{"x":1}`, 400, 0},
		{"unknown provider", post("u1", jsonType), "/nope/tok", `{}`, 404, 0},
		{"unknown kind", post("u1", jsonType), "/count/nope", `{}`, 404, 0},
		{"batch with an unknown kind last", post("u1", jsonType), "/batch", `{"requests":[{"provider":"count","kind":"tok"},{"provider":"count","kind":"nope"}]}`, 404, 0},
		{"ttl below the kind's minimum", post("u1", jsonType), "/count/tok", `{"ttl":1}`, 400, 1},
		{"another user", post("u1", jsonType), "/count/tok", `{"user_id":"u2"}`, 400, 1},
		{"issued", post("u1", jsonType), "/count/tok", `{}`, 200, 1},
		{"batch", post("u1", jsonType), "/batch", `{"requests":[{"provider":"count","kind":"tok"},{"provider":"count","kind":"tok"}]}`, 200, 2},
	}
	for _, tc := range cases {
		resp := a.Serve(tc.r, tc.path, strings.NewReader(tc.body))
		if resp.Status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.name, resp.Status, tc.status, resp.Body)
		}
		if n := lim.spent(); n != tc.spent {
			t.Errorf("%s: spent %d units, want %d", tc.name, n, tc.spent)
		}
	}
	// Presets served by Attach and Login are not rate limited.
	if b, err := a.Attach(as("u3")); err != nil || b.Get("t") == nil {
		t.Fatalf("attach: %v %+v", err, b)
	}
	if _, err := a.Login(context.Background(), core.Identity{UserID: "u4"}); err != nil {
		t.Fatal(err)
	}
	if n := lim.spent(); n != 0 {
		t.Fatalf("presets spent %d units", n)
	}
}

// TestLogLevelsAndFields: a client's mistake is logged at INFO with the
// requested room, an internal error at ERROR, and latency is a number of
// milliseconds.
func TestLogLevelsAndFields(t *testing.T) {
	p := &countingProvider{}
	rec := &recorder{}
	a := newTestAPI(t, p, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) { c.Logger = slog.New(rec) })

	a.Serve(as("u1"), "/count/room", strings.NewReader(`{"room":"lobby-7","ttl":1}`))
	a.Serve(as("u1"), "/batch", strings.NewReader(`{"requests":[{"provider":"count","kind":"room"},{"provider":"count","kind":"room","room":"side-room","ttl":1}]}`))
	a.Serve(as("u1"), "/count/room", strings.NewReader(`{"room":"lobby-9","ttl":"soon"}`))
	a.Serve(post("", jsonType), "/count/room", strings.NewReader(`{}`))
	a.Serve(as("u1"), "/count/room", strings.NewReader(`{"room":"main-hall"}`))
	p.fail.Store(true)
	a.Serve(as("u1"), "/count/room", strings.NewReader(`{"room":"boiler"}`))

	refused := rec.find("rtctoken refused")
	issued := rec.find("rtctoken issued")
	if len(refused) != 5 || len(issued) != 1 {
		t.Fatalf("%d refusal and %d issuance lines", len(refused), len(issued))
	}
	want := []struct {
		level slog.Level
		code  core.Code
		room  string
	}{
		{slog.LevelInfo, core.CodeInvalidTTL, "lobby-7"},
		{slog.LevelInfo, core.CodeInvalidTTL, "side-room"},
		{slog.LevelInfo, core.CodeInvalidTTL, "lobby-9"},
		{slog.LevelInfo, core.CodeUnauthenticated, ""},
		{slog.LevelError, core.CodeInternal, "boiler"},
	}
	for i, w := range want {
		r := refused[i]
		code, _ := attr(r, "code")
		room, ok := attr(r, "room")
		if r.Level != w.level || code.String() != string(w.code) || !ok || room.String() != w.room {
			t.Errorf("refusal %d: level %v code %v room %v, want %v %v %q", i, r.Level, code, room, w.level, w.code, w.room)
		}
	}
	if room, _ := attr(issued[0], "room"); issued[0].Level != slog.LevelInfo || room.String() != "main-hall" {
		t.Errorf("issuance: level %v room %v", issued[0].Level, room)
	}
	for _, r := range append(refused, issued...) {
		lat, ok := attr(r, "latency_ms")
		if !ok || lat.Kind() != slog.KindFloat64 || lat.Float64() < 0 || lat.Float64() > 10_000 {
			t.Errorf("%s: latency_ms %v", r.Message, lat)
		}
		if _, ok := attr(r, "latency"); ok {
			t.Errorf("%s: latency still logged as a duration", r.Message)
		}
	}
	if lines := rec.find("rtctoken internal error"); len(lines) != 1 || lines[0].Level != slog.LevelError {
		t.Errorf("internal error lines: %v", lines)
	}
}

// TestCancelledRequestIsNotAnError: a client that goes away is answered
// unavailable and logged below WARN.
func TestCancelledRequestIsNotAnError(t *testing.T) {
	rec := &recorder{}
	a := newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) { c.Logger = slog.New(rec) })
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	v := as("u1")
	v.ctx = ctx
	resp := a.Serve(v, "/count/tok", strings.NewReader(`{}`))
	if e := errorOf(t, resp); resp.Status != 503 || e.Code != core.CodeUnavailable {
		t.Fatalf("%d %s", resp.Status, resp.Body)
	}
	for _, r := range rec.recs {
		if r.Level >= slog.LevelWarn {
			t.Errorf("%s logged at %v", r.Message, r.Level)
		}
	}
}

// TestErrorsNotHTMLEscaped: messages and fields quoting client text keep
// & < > as themselves.
func TestErrorsNotHTMLEscaped(t *testing.T) {
	a := newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil)
	resp := a.Serve(as("u1"), "/a<b&c>/tok", strings.NewReader(`{}`))
	if resp.Status != 404 || !bytes.Contains(resp.Body, []byte(`provider \"a<b&c>\"`)) {
		t.Errorf("unknown provider: %d %s", resp.Status, resp.Body)
	}
	resp = a.Serve(as("u1"), "/count/tok", strings.NewReader(`{"<b>&x":1}`))
	if e := errorOf(t, resp); e.Field != "<b>&x" || !bytes.Contains(resp.Body, []byte(`"field":"<b>&x"`)) {
		t.Errorf("unknown field: %s", resp.Body)
	}
	if bytes.Contains(resp.Body, []byte(`\u00`)) || bytes.HasSuffix(resp.Body, []byte("\n")) {
		t.Errorf("escaped or newline-terminated: %q", resp.Body)
	}
}

// loggedLimiter records the logger the API hands it.
type loggedLimiter struct {
	countingLimiter
	log *slog.Logger
}

func (l *loggedLimiter) SetLogger(log *slog.Logger) { l.log = log }

func TestLoggerReachesComponents(t *testing.T) {
	lim := &loggedLimiter{}
	var logger *slog.Logger
	newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) {
		c.Limiter = lim
		logger = c.Logger
	})
	if lim.log == nil || lim.log != logger {
		t.Fatalf("limiter got logger %p, want the API's %p", lim.log, logger)
	}
}
