package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// countingProvider issues tokens that are a sequence number, and counts.
type countingProvider struct {
	n     atomic.Int64
	delay time.Duration
	fail  atomic.Bool
}

func (*countingProvider) Name() string  { return "count" }
func (*countingProvider) AppID() string { return "app" }
func (*countingProvider) Kinds() []core.KindSpec {
	return []core.KindSpec{
		{Kind: "tok", MinTTL: time.Minute, MaxTTL: 24 * time.Hour, DefaultTTL: time.Hour},
		{Kind: "room", MinTTL: time.Minute, MaxTTL: 24 * time.Hour, DefaultTTL: time.Hour, RoomAllowed: true},
	}
}
func (*countingProvider) Verify(context.Context, string, string, time.Time) (*core.Verified, error) {
	return nil, core.ErrMalformed
}
func (p *countingProvider) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	if p.delay > 0 {
		time.Sleep(p.delay)
	}
	if p.fail.Load() {
		return nil, errors.New("backend exploded: secret=hunter2")
	}
	n := p.n.Add(1)
	return &core.Credential{Token: strconv.FormatInt(n, 10), UserID: g.UserID, Room: g.Room, IssuedAt: g.Now, ExpiresAt: g.Now.Add(g.TTL), Join: map[string]any{}}, nil
}

type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// view is a Request for tests: hdr holds one-line headers, lines headers
// sent as several lines (each value one line).
type view struct {
	ctx    context.Context
	method string
	hdr    map[string]string
	lines  map[string][]string
	vals   map[any]any
}

func (v view) Context() context.Context {
	if v.ctx == nil {
		return context.Background()
	}
	return v.ctx
}
func (v view) Header(n string) string {
	if vs := v.HeaderValues(n); len(vs) > 0 {
		return vs[0]
	}
	return ""
}
func (v view) Cookie(string) (string, bool) { return "", false }
func (v view) Value(k any) any              { return v.vals[k] }
func (v view) Method() string               { return v.method }
func (v view) RemoteAddr() string           { return "192.0.2.1:40000" }
func (v view) HeaderValues(n string) []string {
	if vs, ok := v.lines[n]; ok {
		return vs
	}
	if h, ok := v.hdr[n]; ok {
		return []string{h}
	}
	return nil
}

type userKey struct{}

func as(user string) view {
	return view{method: "POST", hdr: map[string]string{"Content-Type": "application/json"}, vals: map[any]any{userKey{}: user}}
}

func newTestAPI(t *testing.T, p *countingProvider, clk *clock, logs io.Writer, tweak ...func(*Config)) *API {
	t.Helper()
	svc, err := core.NewService([]core.Provider{p}, core.WithClock(clk.now))
	if err != nil {
		t.Fatal(err)
	}
	if logs == nil {
		logs = io.Discard
	}
	cfg := Config{Service: svc, Resolver: resolve.FromValue(userKey{}), Logger: slog.New(slog.NewJSONHandler(logs, nil)),
		Presets: []Preset{{Name: "t", Request: core.Request{Provider: "count", Kind: "tok"}}}}
	for _, f := range tweak {
		f(&cfg)
	}
	a, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func TestAttachCachesUntilRenewAfter(t *testing.T) {
	p := &countingProvider{}
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	a := newTestAPI(t, p, clk, nil)
	b1, err := a.Attach(as("u1"))
	if err != nil || b1.Get("t").Token != "1" {
		t.Fatalf("first: %v %+v", err, b1)
	}
	clk.add(54 * time.Minute) // renew_after is at 55 minutes for a 1 h ttl
	b2, _ := a.Attach(as("u1"))
	if b2 != b1 {
		t.Fatal("bundle reissued before renew_after")
	}
	clk.add(time.Minute)
	b3, _ := a.Attach(as("u1"))
	if b3.Get("t").Token != "2" || !clk.now().Before(b3.Get("t").ExpiresAt) {
		t.Fatalf("bundle not renewed at renew_after: %+v", b3.Get("t"))
	}
	if b, err := a.Attach(view{vals: map[any]any{}}); b != nil || err != nil {
		t.Fatalf("anonymous: %v %v", b, err)
	}
}

// TestAttachRenewsOnlyDueCredentials: with a 1 h and a 24 h preset, the
// bundle is replaced at the 1 h credential's renew_after, and only that one
// is issued again.
func TestAttachRenewsOnlyDueCredentials(t *testing.T) {
	p := &countingProvider{}
	clk := &clock{t: time.Unix(1_700_000_000, 0)}
	a := newTestAPI(t, p, clk, nil, func(c *Config) {
		c.Presets = []Preset{
			{Name: "short", Request: core.Request{Provider: "count", Kind: "tok"}},
			{Name: "long", Request: core.Request{Provider: "count", Kind: "tok", TTL: 24 * time.Hour}},
		}
	})
	b1, err := a.Attach(as("u1"))
	if err != nil || b1.Get("short").Token != "1" || b1.Get("long").Token != "2" {
		t.Fatalf("first: %v %+v", err, b1)
	}
	if !b1.RenewAfter.Equal(b1.Get("short").RenewAfter) {
		t.Fatalf("bundle renew_after %v is not the earliest", b1.RenewAfter)
	}
	clk.add(56 * time.Minute)
	b2, _ := a.Attach(as("u1"))
	if b2 == b1 || b2.Get("short").Token != "3" || b2.Get("long") != b1.Get("long") {
		t.Fatalf("renewal: short %s, long reissued %v", b2.Get("short").Token, b2.Get("long") != b1.Get("long"))
	}
	if p.n.Load() != 3 {
		t.Fatalf("%d issuances, want 3", p.n.Load())
	}
}

func TestAttachSingleIssuancePerKey(t *testing.T) {
	p := &countingProvider{delay: 20 * time.Millisecond}
	a := newTestAPI(t, p, &clock{t: time.Unix(1_700_000_000, 0)}, nil)
	var wg sync.WaitGroup
	tokens := make([]string, 50)
	for i := range tokens {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b, err := a.Attach(as("same"))
			if err != nil {
				t.Error(err)
				return
			}
			tokens[i] = b.Get("t").Token
		}()
	}
	wg.Wait()
	if p.n.Load() != 1 {
		t.Fatalf("%d issuances for one key", p.n.Load())
	}
	for _, tok := range tokens {
		if tok != "1" {
			t.Fatalf("tokens %v", tokens)
		}
	}
}

func TestAttachCacheBounded(t *testing.T) {
	p := &countingProvider{}
	a := newTestAPI(t, p, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) { c.CacheSize = 100 })
	for i := range 1000 {
		if _, err := a.Attach(as("user-" + strconv.Itoa(i))); err != nil {
			t.Fatal(err)
		}
		if n := a.cache.len(); n > 100 {
			t.Fatalf("cache holds %d bundles, bound is 100", n)
		}
	}
}

func TestInternalErrorHidden(t *testing.T) {
	p := &countingProvider{}
	p.fail.Store(true)
	var logs bytes.Buffer
	a := newTestAPI(t, p, &clock{t: time.Unix(1_700_000_000, 0)}, &logs)
	resp := a.Serve(as("u1"), "/count/tok", strings.NewReader(`{}`))
	if resp.Status != 500 || string(resp.Body) != `{"error":{"code":"internal","message":"internal error"}}` {
		t.Fatalf("%d %s", resp.Status, resp.Body)
	}
	if !strings.Contains(logs.String(), "backend exploded") {
		t.Fatalf("internal detail not logged: %s", logs.String())
	}
	// A failed issuance does not take the host's route down: the bundle
	// has no credential, names the preset with the code only, and the
	// failure is logged.
	b, err := a.Attach(as("u2"))
	if err != nil || b == nil || len(b.Credentials) != 0 || *b.Errors["t"] != (PresetError{Code: core.CodeInternal, Message: "internal error"}) {
		t.Fatalf("attach after a failed issuance: %+v %v", b, err)
	}
	if !strings.Contains(logs.String(), "preset not issued") {
		t.Fatalf("failed attach not logged: %s", logs.String())
	}
}

// TestDecodeStrict covers the body rules shared by every adapter.
func TestDecodeStrict(t *testing.T) {
	cases := []struct {
		body  string
		code  core.Code
		field string
	}{
		{`{"room":"a","room":"b"}`, core.CodeInvalidRequest, "room"},
		{`{"options":{"a":1,"a":2}}`, core.CodeInvalidRequest, "a"},
		{`{"room":1}`, core.CodeInvalidRoom, "room"},
		{`{"role":true}`, core.CodeInvalidRole, "role"},
		{`{"user_id":[]}`, core.CodeInvalidUser, "user_id"},
		{`{"ttl":1.5}`, core.CodeInvalidTTL, "ttl"},
		{`{"ttl":1e3}`, core.CodeInvalidTTL, "ttl"},
		{`{"ttl":-5}`, core.CodeInvalidTTL, "ttl"},
		{`{"ttl":0}`, core.CodeInvalidTTL, "ttl"},
		{`{"ttl":99999999999999999999}`, core.CodeInvalidTTL, "ttl"},
		{`{"ttl":"60"}`, core.CodeInvalidTTL, "ttl"},
		{`{"x":1}`, core.CodeInvalidRequest, "x"},
		{`[]`, core.CodeInvalidRequest, ""},
		{`"str"`, core.CodeInvalidRequest, ""},
		{`{} {}`, core.CodeInvalidRequest, ""},
		{`{}x`, core.CodeInvalidRequest, ""},
		{`{"room":"a"`, core.CodeInvalidRequest, ""},
		{"{\"room\":\"\xff\"}", core.CodeInvalidRequest, ""},
		{`{"options":` + strings.Repeat(`{"a":`, 20) + `1` + strings.Repeat(`}`, 20) + `}`, core.CodeInvalidRequest, ""},
		{`{"options":` + strings.Repeat(`[`, 20) + strings.Repeat(`]`, 20) + `}`, core.CodeInvalidRequest, ""},
	}
	for _, tc := range cases {
		_, err := decodeIssue([]byte(tc.body))
		var e *core.Error
		if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field {
			t.Errorf("%.60q: got %v, want %s/%q", tc.body, err, tc.code, tc.field)
		}
	}
	r, err := decodeIssue([]byte(` {"room":"r","role":"x","ttl":120,"options":{"k":[1,{"a":null}]}} `))
	if err != nil || r.Room != "r" || r.TTL != 2*time.Minute || !json.Valid(r.Options) {
		t.Fatalf("valid body: %v %+v", err, r)
	}
}

// FuzzDecode checks the body scanner never panics, never reports an
// internal error, and agrees with encoding/json on what it accepts.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"room":"a","ttl":60}`, `{"requests":[{"provider":"a","kind":"b"}]}`, `{"options":{"b":[1,2,{"c":null}]}}`,
		`{"room":"a","room":"b"}`, `[`, ``, `{"room":"\ud83d\ude00\u00e9\n"}`, `{"room":"\ud800x"}`, `{"ttl":1e3}`, `{"role":null,"options":null}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeIssue(b)
		if err != nil && core.CodeOf(err) == core.CodeInternal {
			t.Fatalf("client input gave an internal error: %v", err)
		}
		if err == nil {
			if r.TTL < 0 {
				t.Fatalf("negative ttl accepted")
			}
			if len(bytes.Trim(b, " \t\r\n")) > 0 && !json.Valid(b) {
				t.Fatalf("accepted invalid JSON %q", b)
			}
			var ref struct {
				UserID, Room, Role string
				Options            json.RawMessage
			}
			ref.UserID, ref.Room, ref.Role = "", "", ""
			if len(bytes.Trim(b, " \t\r\n")) > 0 {
				if jerr := json.Unmarshal(b, &struct {
					UserID  *string         `json:"user_id"`
					Room    *string         `json:"room"`
					Role    *string         `json:"role"`
					Options json.RawMessage `json:"options"`
				}{&ref.UserID, &ref.Room, &ref.Role, ref.Options}); jerr != nil {
					t.Fatalf("encoding/json refuses what the scanner accepted: %v", jerr)
				}
			}
			if ref.UserID != r.UserID || ref.Room != r.Room || ref.Role != r.Role {
				t.Fatalf("decoded %q/%q/%q, encoding/json %q/%q/%q", r.UserID, r.Room, r.Role, ref.UserID, ref.Room, ref.Role)
			}
		}
		if _, err := decodeBatch(b); err != nil && core.CodeOf(err) == core.CodeInternal {
			t.Fatalf("client input gave an internal error: %v", err)
		}
	})
}
