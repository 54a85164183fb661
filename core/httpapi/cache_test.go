package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// failingProvider refuses every user id, as a vendor refuses ids it does
// not accept, and counts the attempts.
type failingProvider struct{ countingProvider }

func (*failingProvider) Name() string { return "fail" }
func (p *failingProvider) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	p.n.Add(1)
	return nil, core.Errorf(core.CodeInvalidUser, "user_id", "user id %q is not accepted", g.UserID)
}

// gatedProvider hands every issuance's release channel to the test and
// waits for it to be closed before issuing.
type gatedProvider struct {
	countingProvider
	started chan chan struct{}
}

func (p *gatedProvider) Issue(ctx context.Context, g core.Grant) (*core.Credential, error) {
	release := make(chan struct{})
	p.started <- release
	<-release
	return p.countingProvider.Issue(ctx, g)
}

// policy is a host authorizer that decides from the identity's
// attributes: a banned user is refused, the free plan is narrowed to ten
// minutes.
func policy() core.Option {
	return core.WithAuthorizer(core.AuthorizerFunc(func(_ context.Context, id core.Identity, req *core.Request, _ core.KindSpec) error {
		if id.Attributes["banned"] == "true" {
			return core.Errorf(core.CodeForbidden, "", "this user may not use real-time features")
		}
		if id.Attributes["plan"] == "free" && req.TTL > 10*time.Minute {
			req.TTL = 10 * time.Minute
		}
		return nil
	}))
}

// cacheAPI is an API on the providers with the policy authorizer, the
// test clock and a JSON log written to logs.
func cacheAPI(t *testing.T, clk *clock, logs *testutil.SyncBuffer, presets []Preset, providers ...core.Provider) *API {
	t.Helper()
	svc, err := core.NewService(providers, core.WithClock(clk.now), policy())
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Service: svc, Resolver: resolve.FromValue(userKey{}), Presets: presets, Logger: slog.New(slog.NewJSONHandler(logs, nil))})
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// asIdentity is a request whose host session holds id.
func asIdentity(id core.Identity) view {
	return view{method: "GET", vals: map[any]any{userKey{}: id}}
}

func attrs(kv ...string) map[string]string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return m
}

func start() *clock { return &clock{t: time.Unix(1_700_000_000, 0)} }

var longPreset = []Preset{{Name: "t", Request: core.Request{Provider: "count", Kind: "tok", TTL: 24 * time.Hour}}}

// TestCacheKeyIsWholeIdentity: two tenants' "alice" get bundles issued
// separately, and a change of plan is a new identity that the authorizer
// narrows, while the same identity is served from the cache.
func TestCacheKeyIsWholeIdentity(t *testing.T) {
	p := &countingProvider{}
	a := cacheAPI(t, start(), &testutil.SyncBuffer{}, longPreset, p)
	attach := func(id core.Identity) *Bundle {
		t.Helper()
		b, err := a.Attach(asIdentity(id))
		if err != nil || b.Get("t") == nil {
			t.Fatalf("attach %+v: %+v %v", id, b, err)
		}
		return b
	}
	acme := attach(core.Identity{UserID: "alice", Attributes: attrs("tenant", "acme", "plan", "pro")})
	globex := attach(core.Identity{UserID: "alice", Attributes: attrs("tenant", "globex", "plan", "pro")})
	if acme.Get("t").Token == globex.Get("t").Token {
		t.Fatal("the second tenant's alice was served the first tenant's credential")
	}
	if again := attach(core.Identity{UserID: "alice", Attributes: attrs("plan", "pro", "tenant", "acme")}); again != acme {
		t.Fatal("the same identity was not served from the cache")
	}
	free := attach(core.Identity{UserID: "alice", Attributes: attrs("tenant", "acme", "plan", "free")})
	if ttl := free.Get("t").ExpiresAt.Sub(free.Get("t").IssuedAt); ttl != 10*time.Minute {
		t.Fatalf("downgraded plan got a %v credential, want the narrowed 10m", ttl)
	}
	if ttl := acme.Get("t").ExpiresAt.Sub(acme.Get("t").IssuedAt); ttl != 24*time.Hour {
		t.Fatalf("pro plan got %v", ttl)
	}
	named := attach(core.Identity{UserID: "alice", DisplayName: "Alice", Attributes: attrs("tenant", "acme", "plan", "pro")})
	if named == acme {
		t.Fatal("another display name was served the same bundle")
	}
	if n := p.n.Load(); n != 4 {
		t.Fatalf("%d issuances, want 4 (one per identity)", n)
	}
}

// TestBannedIdentityGetsNothing: a bundle cached for the user before the
// ban is not served to the banned identity.
func TestBannedIdentityGetsNothing(t *testing.T) {
	a := cacheAPI(t, start(), &testutil.SyncBuffer{}, longPreset, &countingProvider{})
	ok, _ := a.Attach(asIdentity(core.Identity{UserID: "bob"}))
	if ok.Get("t") == nil {
		t.Fatalf("unbanned: %+v", ok)
	}
	b, err := a.Attach(asIdentity(core.Identity{UserID: "bob", Attributes: attrs("banned", "true")}))
	if err != nil || b.Get("t") != nil || b.Errors["t"] == nil || b.Errors["t"].Code != core.CodeForbidden {
		t.Fatalf("banned identity: %+v %v", b, err)
	}
	l, err := a.Login(context.Background(), core.Identity{UserID: "bob", Attributes: attrs("banned", "true")})
	if err != nil || len(l.Credentials) != 0 {
		t.Fatalf("banned login: %+v %v", l, err)
	}
}

// TestKeyCanonical: the key does not depend on map order, and identities
// that a naive concatenation would confuse have different keys.
func TestKeyCanonical(t *testing.T) {
	same := [][2]core.Identity{
		{{UserID: "u"}, {UserID: "u", Attributes: map[string]string{}}},
		{{UserID: "u", Attributes: attrs("a", "1", "b", "2", "c", "3")}, {UserID: "u", Attributes: attrs("c", "3", "a", "1", "b", "2")}},
	}
	for _, p := range same {
		if keyOf(p[0]) != keyOf(p[1]) {
			t.Errorf("%+v and %+v have different keys", p[0], p[1])
		}
	}
	many := attrs()
	for i := range 20 {
		many[strings.Repeat("k", i+1)] = strings.Repeat("v", 40)
	}
	distinct := []core.Identity{
		{},
		{DisplayName: "ab"},
		{DisplayName: "a", Attributes: attrs("b", "")},
		{Attributes: attrs("ab", "")},
		{Attributes: attrs("a", "b")},
		{Attributes: attrs("a", "bc")},
		{Attributes: attrs("ab", "c")},
		{Attributes: attrs("a", "", "b", "c")},
		{Attributes: attrs("a", "\x00b")},
		{Attributes: attrs("a", "\x01\x01b")},
		{DisplayName: "\x00"},
		{DisplayName: "\x01\x00\x00"},
		{Attributes: many},
		// Encodings of 32 bytes (kept as is) and 33 (hashed).
		{DisplayName: strings.Repeat("n", 30)},
		{DisplayName: strings.Repeat("n", 31)},
		{DisplayName: strings.Repeat("n", 29), Attributes: attrs("", "")},
	}
	seen := map[identityKey]int{}
	for i, id := range distinct {
		k := keyOf(id)
		if j, ok := seen[k]; ok {
			t.Errorf("identities %d %+v and %d %+v share a key", j, distinct[j], i, id)
		}
		seen[k] = i
	}
}

// TestForget drops every identity variant of one user and only that user.
func TestForget(t *testing.T) {
	p := &countingProvider{}
	a := cacheAPI(t, start(), &testutil.SyncBuffer{}, longPreset, p)
	ids := []core.Identity{
		{UserID: "alice", Attributes: attrs("tenant", "acme")},
		{UserID: "alice", DisplayName: "Alice"},
		{UserID: "bob"},
	}
	first := make([]*Bundle, len(ids))
	for i, id := range ids {
		first[i], _ = a.Attach(asIdentity(id))
	}
	a.Forget("alice")
	a.Forget("nobody")
	if n := a.cache.len(); n != 1 {
		t.Fatalf("%d bundles after Forget, want bob's only", n)
	}
	for i, id := range ids {
		b, _ := a.Attach(asIdentity(id))
		if fresh := b != first[i]; fresh != (id.UserID == "alice") {
			t.Errorf("%+v: issued anew %v", id, fresh)
		}
	}
	if n := p.n.Load(); n != 5 {
		t.Fatalf("%d issuances, want 5", n)
	}
}

// TestForgetDuringIssuance: an issuance that was running when the user was
// forgotten is answered to its own request but neither stored nor joined by
// later requests.
func TestForgetDuringIssuance(t *testing.T) {
	p := &gatedProvider{started: make(chan chan struct{})}
	a := cacheAPI(t, start(), &testutil.SyncBuffer{}, longPreset, p)
	id := core.Identity{UserID: "alice"}
	attach := func() chan *Bundle {
		out := make(chan *Bundle, 1)
		go func() {
			b, _ := a.Attach(asIdentity(id))
			out <- b
		}()
		return out
	}
	wait := func(what string) chan struct{} {
		t.Helper()
		select {
		case rel := <-p.started:
			return rel
		case <-time.After(5 * time.Second):
			t.Fatalf("%s did not start an issuance", what)
			return nil
		}
	}
	before := attach()
	relBefore := wait("the request before Forget")
	a.Forget("alice")
	after := attach()
	relAfter := wait("the request after Forget")
	close(relAfter)
	bAfter := <-after
	close(relBefore)
	bBefore := <-before
	if bBefore.Get("t") == nil || bAfter.Get("t") == nil || bBefore == bAfter {
		t.Fatalf("bundles %+v %+v", bBefore, bAfter)
	}
	if cached, _ := a.Attach(asIdentity(id)); cached != bAfter {
		t.Fatal("the issuance from before Forget replaced the one after it")
	}
	// Forgotten with nothing after: the running issuance is not stored.
	a.Forget("alice")
	again := attach()
	rel := wait("the request after the second Forget")
	a.Forget("alice")
	close(rel)
	<-again
	if a.cache.len() != 0 {
		t.Fatal("an issuance forgotten while running was stored")
	}
}

// TestPartialBundle: a preset that fails is reported by name with its code
// and the others are served, by Attach and by Login; with every preset
// failing, Login still answers the bundle of errors.
func TestPartialBundle(t *testing.T) {
	clk := start()
	presets := []Preset{
		{Name: "ok", Request: core.Request{Provider: "count", Kind: "tok"}},
		{Name: "bad", Request: core.Request{Provider: "fail", Kind: "tok"}},
	}
	a := cacheAPI(t, clk, &testutil.SyncBuffer{}, presets, &countingProvider{}, &failingProvider{})
	b, err := a.Attach(asIdentity(core.Identity{UserID: "u1"}))
	if err != nil || b.Get("ok") == nil || b.Get("bad") != nil {
		t.Fatalf("attach: %+v %v", b, err)
	}
	want := PresetError{Code: core.CodeInvalidUser, Message: `user id "u1" is not accepted`, Field: "user_id"}
	if e := b.Failed("bad"); e == nil || *e != want || b.Failed("ok") != nil || (*Bundle)(nil).Failed("bad") != nil {
		t.Fatalf("errors %+v", b.Errors)
	}
	if !b.RenewAfter.Equal(clk.now().Add(DefaultFailureTTL)) {
		t.Fatalf("renew_after %v, want the failure's retry at %v", b.RenewAfter, clk.now().Add(DefaultFailureTTL))
	}
	out, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(out), `"errors":{"bad":{"code":"invalid_user","message":"user id \"u1\" is not accepted","field":"user_id"}}`) {
		t.Fatalf("JSON %s", out)
	}
	l, err := a.Login(context.Background(), core.Identity{UserID: "u2"})
	if err != nil || l.Get("ok") == nil || l.Errors["bad"].Code != core.CodeInvalidUser {
		t.Fatalf("login: %+v %v", l, err)
	}
	whole, _ := json.Marshal(&Bundle{Credentials: map[string]*core.Credential{}})
	if strings.Contains(string(whole), "errors") {
		t.Fatalf("a whole bundle shows errors: %s", whole)
	}

	only := cacheAPI(t, clk, &testutil.SyncBuffer{}, presets[1:], &failingProvider{})
	l, err = only.Login(context.Background(), core.Identity{UserID: "u3"})
	if err != nil || l == nil || len(l.Credentials) != 0 || l.Errors["bad"] == nil {
		t.Fatalf("login with every preset failing: %+v %v", l, err)
	}
	if out, _ := json.Marshal(l); !strings.HasPrefix(string(out), `{"credentials":{},"errors":{"bad":`) {
		t.Fatalf("JSON %s", out)
	}
}

// TestFailureCached: many requests for a user whose preset fails try it
// once and log it once per failure TTL; the preset that worked is not
// issued again when the failed one is retried.
func TestFailureCached(t *testing.T) {
	for _, tc := range []struct {
		name string
		ttl  time.Duration
		want time.Duration
	}{
		{"default", 0, DefaultFailureTTL},
		{"configured", 5 * time.Second, 5 * time.Second},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clk := start()
			logs := &testutil.SyncBuffer{}
			ok, bad := &countingProvider{}, &failingProvider{}
			a := cacheAPI(t, clk, logs, []Preset{
				{Name: "ok", Request: core.Request{Provider: "count", Kind: "tok"}},
				{Name: "bad", Request: core.Request{Provider: "fail", Kind: "tok"}},
			}, ok, bad)
			a.cache = newCache(100, tc.ttl)
			lines := func() int { return strings.Count(logs.String(), `"msg":"rtctoken preset not issued"`) }
			id := asIdentity(core.Identity{UserID: "bad-id"})
			t0 := clk.now()
			first, _ := a.Attach(id)
			for range 20 {
				_, _ = a.Attach(id)
				clk.add(tc.want / 20)
			}
			if lines() != 1 || bad.n.Load() != 1 {
				t.Fatalf("%d warning lines and %d attempts within the failure TTL, want 1: %s", lines(), bad.n.Load(), logs.String())
			}
			if !strings.Contains(logs.String(), `"level":"WARN","msg":"rtctoken preset not issued","preset":"bad","user":"bad-id","code":"invalid_user"`) {
				t.Fatalf("warning line: %s", logs.String())
			}
			if !first.RenewAfter.Equal(t0.Add(tc.want)) {
				t.Fatalf("renew_after %v, want %v", first.RenewAfter, t0.Add(tc.want))
			}
			retried, _ := a.Attach(id)
			if lines() != 2 || bad.n.Load() != 2 {
				t.Fatalf("not retried after the failure TTL: %d lines, %d attempts", lines(), bad.n.Load())
			}
			if retried.Get("ok") != first.Get("ok") || ok.n.Load() != 1 {
				t.Fatal("the preset that worked was issued again with the failed one")
			}
		})
	}
	t.Run("negative retries every request", func(t *testing.T) {
		clk := start()
		bad := &failingProvider{}
		a := cacheAPI(t, clk, &testutil.SyncBuffer{}, []Preset{{Name: "bad", Request: core.Request{Provider: "fail", Kind: "tok"}}}, bad)
		a.cache = newCache(100, -1)
		for range 3 {
			_, _ = a.Attach(asIdentity(core.Identity{UserID: "x"}))
		}
		if bad.n.Load() != 3 {
			t.Fatalf("%d attempts, want 3", bad.n.Load())
		}
	})
}

// TestFailureTTLConfig: Config.FailureTTL reaches the cache.
func TestFailureTTLConfig(t *testing.T) {
	svc, err := core.NewService([]core.Provider{&countingProvider{}})
	if err != nil {
		t.Fatal(err)
	}
	a, err := New(Config{Service: svc, Resolver: resolve.FromValue(userKey{}), FailureTTL: 7 * time.Second})
	if err != nil || a.cache.failureTTL != 7*time.Second {
		t.Fatalf("%v %v", a.cache.failureTTL, err)
	}
}

// BenchmarkAttachHitAttributes is Attach on a cache hit for an identity
// with a display name and two attributes.
func BenchmarkAttachHitAttributes(b *testing.B) {
	svc, err := core.NewService([]core.Provider{&countingProvider{}})
	if err != nil {
		b.Fatal(err)
	}
	a, err := New(Config{Service: svc, Resolver: resolve.FromValue(userKey{}), Logger: slog.New(slog.DiscardHandler),
		Presets: []Preset{{Name: "t", Request: core.Request{Provider: "count", Kind: "tok"}}}})
	if err != nil {
		b.Fatal(err)
	}
	r := asIdentity(core.Identity{UserID: "alice", DisplayName: "Alice", Attributes: attrs("tenant", "acme", "plan", "pro")})
	if bd, _ := a.Attach(r); bd.Get("t") == nil {
		b.Fatal("no credential")
	}
	b.ReportAllocs()
	for b.Loop() {
		_, _ = a.Attach(r)
	}
}

// TestCacheOwnsItsStrings: the cache keeps nothing that points into the
// request's memory, which some frameworks reuse for the next request.
func TestCacheOwnsItsStrings(t *testing.T) {
	a := cacheAPI(t, start(), &testutil.SyncBuffer{}, longPreset, &countingProvider{})
	buf := []byte("alice/acme")
	id := core.Identity{UserID: unsafe.String(&buf[0], 5), Attributes: map[string]string{"tenant": unsafe.String(&buf[6], 4)}}
	b, _ := a.Attach(asIdentity(id))
	copy(buf, "bobby/xxxx")
	if got := b.Get("t").UserID; got != "alice" {
		t.Fatalf("cached credential's user changed to %q with the request buffer", got)
	}
	if again, _ := a.Attach(asIdentity(core.Identity{UserID: "alice", Attributes: attrs("tenant", "acme")})); again != b {
		t.Fatal("the bundle is not found under the identity it was issued for")
	}
	a.Forget("alice")
	if a.cache.len() != 0 {
		t.Fatal("Forget did not find the user")
	}
}
