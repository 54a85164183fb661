package httpapitest

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// cacheCases are the table rows about the attach and login cache. There
// are none: every cache behaviour takes more than one request, so each is a
// check in cacheChecks, on an app of its own.
func cacheCases(testing.TB) []Case { return nil }

// cacheChecks runs the checks about the attach and login cache that need
// more than one request; each builds its own app with start.
func cacheChecks(t *testing.T, start Start) {
	t.Run("whole identity", func(t *testing.T) { cacheWholeIdentity(t, start) })
	t.Run("banned identity", func(t *testing.T) { cacheBanned(t, start) })
	t.Run("forget", func(t *testing.T) { cacheForget(t, start) })
	t.Run("partial bundle", func(t *testing.T) { cachePartial(t, start) })
	t.Run("failure cached", func(t *testing.T) { cacheFailure(t, start) })
}

// cacheApp is an app on the fixture API with its own clock, a log captured
// in logs, an authorizer that also refuses identities with the attribute
// banned=true, and the given presets (the fixture's when none).
type cacheApp struct {
	api    *httpapi.API
	base   string
	client *http.Client
	logs   *testutil.SyncBuffer

	mu  sync.Mutex
	now time.Time
}

func newCacheApp(t *testing.T, start Start, presets ...httpapi.Preset) *cacheApp {
	t.Helper()
	app := &cacheApp{logs: &testutil.SyncBuffer{}, now: time.Now().Truncate(time.Second), client: &http.Client{Timeout: 10 * time.Second}}
	authz := authorizer()
	banning := core.AuthorizerFunc(func(ctx context.Context, id core.Identity, req *core.Request, k core.KindSpec) error {
		if id.Attributes["banned"] == "true" {
			return core.Errorf(core.CodeForbidden, "", "this user may not use real-time features")
		}
		return authz.Authorize(ctx, id, req, k)
	})
	svc, err := core.NewService(Providers(t), core.WithAuthorizer(banning), core.WithClock(app.clock))
	must(t, err)
	app.api = NewAPI(t, func(c *httpapi.Config) {
		c.Service = svc
		c.Logger = slog.New(slog.NewJSONHandler(app.logs, nil))
		if len(presets) > 0 {
			c.Presets = presets
		}
	})
	app.base = start(t, app.api)
	return app
}

func (a *cacheApp) clock() time.Time { a.mu.Lock(); defer a.mu.Unlock(); return a.now }

func (a *cacheApp) advance(d time.Duration) { a.mu.Lock(); a.now = a.now.Add(d); a.mu.Unlock() }

// presetFailure is a failed preset as a bundle's JSON reports it.
type presetFailure struct {
	Code    core.Code `json:"code"`
	Message string    `json:"message"`
	Field   string    `json:"field"`
}

// partialBundle is a bundle's JSON, errors included.
type partialBundle struct {
	Credentials map[string]core.Credential `json:"credentials"`
	Errors      map[string]presetFailure   `json:"errors"`
	RenewAfter  time.Time                  `json:"renew_after"`
}

// me is GET /me as the host user with the given attributes (plan, tenant,
// banned; "" leaves one out).
func (a *cacheApp) me(t *testing.T, user, plan, tenant, banned string) partialBundle {
	t.Helper()
	h := map[string]string{HostUserHeader: user}
	for k, v := range map[string]string{hostPlanHeader: plan, hostTenantHeader: tenant, hostBannedHeader: banned} {
		if v != "" {
			h[k] = v
		}
	}
	status, _, body := Do(t, a.client, a.base, Case{Method: "GET", Path: "/me", Headers: h})
	if status != 200 {
		t.Fatalf("GET /me as %s: %d %s", user, status, body)
	}
	var b partialBundle
	if err := json.Unmarshal(body, &b); err != nil {
		t.Fatalf("GET /me: %s (%v)", body, err)
	}
	for _, c := range b.Credentials {
		VerifyCredential(t, a.api, c, user, "")
	}
	return b
}

// login is POST /login for user; it answers the rtc bundle.
func (a *cacheApp) login(t *testing.T, user string) partialBundle {
	t.Helper()
	status, _, body := Do(t, a.client, a.base, Case{Method: "POST", Path: "/login", Headers: map[string]string{"X-Login-User": user}})
	if status != 200 {
		t.Fatalf("login %s: %d %s", user, status, body)
	}
	for _, secret := range fixtureSecrets {
		if strings.Contains(string(body), secret) {
			t.Fatal("login response leaks a secret")
		}
	}
	var resp struct {
		RTC partialBundle `json:"rtc"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatalf("login: %s (%v)", body, err)
	}
	for _, c := range resp.RTC.Credentials {
		VerifyCredential(t, a.api, c, user, "")
	}
	return resp.RTC
}

// longPresets are the fixture's presets asking for a day, so that the
// fixture authorizer's narrowing of the free plan shows in the TTL.
var longPresets = []httpapi.Preset{
	{Name: "chat", Request: core.Request{Provider: "tencent", Kind: "usersig", TTL: 24 * time.Hour}},
	{Name: "rtm", Request: core.Request{Provider: "agora", Kind: "rtm", TTL: 24 * time.Hour}},
}

// failingPreset fails for any user id that is not a decimal number: an
// Agora uid must be one.
var failingPreset = httpapi.Preset{Name: "call", Request: core.Request{Provider: "agora", Kind: "rtc", Room: "lobby", Options: json.RawMessage(`{"id_type":"uid"}`)}}

func ttlOf(c core.Credential) time.Duration { return c.ExpiresAt.Sub(c.IssuedAt) }

// cacheWholeIdentity: the same user id in two tenants gets two bundles
// (the Agora RTM token carries a random salt, so a reissue shows), a plan
// downgrade gets the narrowed TTL at once, and the same identity is served
// from the cache.
func cacheWholeIdentity(t *testing.T, start Start) {
	app := newCacheApp(t, start, longPresets...)
	acme := app.me(t, "alice", "pro", "acme", "")
	globex := app.me(t, "alice", "pro", "globex", "")
	if acme.Credentials["rtm"].Token == globex.Credentials["rtm"].Token {
		t.Fatal("the second tenant's alice was served the first tenant's bundle")
	}
	if again := app.me(t, "alice", "pro", "acme", ""); again.Credentials["rtm"].Token != acme.Credentials["rtm"].Token {
		t.Fatal("the same identity was not served from the cache")
	}
	if d := ttlOf(acme.Credentials["chat"]); d != 24*time.Hour {
		t.Fatalf("pro plan: %v credential", d)
	}
	free := app.me(t, "alice", "free", "acme", "")
	for name, c := range free.Credentials {
		if d := ttlOf(c); d != 10*time.Minute {
			t.Fatalf("downgraded plan: %s is a %v credential, want the narrowed 10m", name, d)
		}
	}
	if len(free.Credentials) != len(longPresets) {
		t.Fatalf("downgraded plan: %d credentials", len(free.Credentials))
	}
}

// cacheBanned: a bundle cached for the user is not served once the
// identity says banned; the authorizer is asked and refuses.
func cacheBanned(t *testing.T, start Start) {
	app := newCacheApp(t, start)
	if b := app.me(t, "bob", "", "", ""); len(b.Credentials) != len(Presets) {
		t.Fatalf("before the ban: %d credentials", len(b.Credentials))
	}
	if b := app.me(t, "bob", "", "", "true"); len(b.Credentials) != 0 {
		t.Fatalf("banned identity was served %d credentials", len(b.Credentials))
	}
}

// cacheForget: Forget drops every bundle of the user, in every tenant, and
// only theirs.
func cacheForget(t *testing.T, start Start) {
	app := newCacheApp(t, start)
	a1, a2, other := app.me(t, "ivy", "", "acme", ""), app.me(t, "ivy", "", "globex", ""), app.me(t, "jack", "", "", "")
	app.api.Forget("ivy")
	if b := app.me(t, "ivy", "", "acme", ""); b.Credentials["rtm"].Token == a1.Credentials["rtm"].Token {
		t.Fatal("a forgotten bundle was served (first tenant)")
	}
	if b := app.me(t, "ivy", "", "globex", ""); b.Credentials["rtm"].Token == a2.Credentials["rtm"].Token {
		t.Fatal("a forgotten bundle was served (second tenant)")
	}
	if b := app.me(t, "jack", "", "", ""); b.Credentials["rtm"].Token != other.Credentials["rtm"].Token {
		t.Fatal("Forget of one user dropped another's bundle")
	}
}

// cachePartial: a preset that fails leaves the others attached and is
// reported by name at login with its stable code; when every preset fails,
// login still answers, with every failure named.
func cachePartial(t *testing.T, start Start) {
	app := newCacheApp(t, start, append([]httpapi.Preset{failingPreset}, Presets...)...)
	b := app.me(t, "kate", "", "", "")
	if _, ok := b.Credentials["call"]; ok || len(b.Credentials) != len(Presets) {
		t.Fatalf("attached %v, want every preset but call", keysOf(b.Credentials))
	}
	l := app.login(t, "kate")
	if len(l.Credentials) != len(Presets) || l.Errors["call"].Code != core.CodeInvalidUser || l.Errors["call"].Field != "user_id" || l.Errors["call"].Message == "" {
		t.Fatalf("login bundle: credentials %v, errors %+v", keysOf(l.Credentials), l.Errors)
	}
	if len(l.Errors) != 1 {
		t.Fatalf("errors %+v", l.Errors)
	}
	// The fixture authorizer refuses mallory everything.
	all := app.login(t, "mallory")
	if len(all.Credentials) != 0 || len(all.Errors) != len(Presets)+1 {
		t.Fatalf("login with every preset failing: credentials %v, errors %+v", keysOf(all.Credentials), all.Errors)
	}
	for name, e := range all.Errors {
		if e.Code == "" || e.Code == core.CodeInternal {
			t.Fatalf("preset %s: code %q", name, e.Code)
		}
	}
}

// cacheFailure: many requests for a user whose preset fails try it once
// and log it once until the failure TTL has passed, then once more.
func cacheFailure(t *testing.T, start Start) {
	app := newCacheApp(t, start, append([]httpapi.Preset{failingPreset}, Presets...)...)
	lines := func() int { return strings.Count(app.logs.String(), `"msg":"rtctoken preset not issued"`) }
	first := app.me(t, "liam", "", "", "")
	for range 5 {
		app.advance(httpapi.DefaultFailureTTL / 6)
		app.me(t, "liam", "", "", "")
	}
	if n := lines(); n != 1 {
		t.Fatalf("%d warning lines for 6 requests within the failure TTL, want 1", n)
	}
	app.advance(httpapi.DefaultFailureTTL / 6)
	again := app.me(t, "liam", "", "", "")
	if n := lines(); n != 2 {
		t.Fatalf("%d warning lines after the failure TTL, want 2: the preset was not tried again", n)
	}
	if again.Credentials["rtm"].Token != first.Credentials["rtm"].Token {
		t.Fatal("retrying the failed preset issued the others again")
	}
}

func keysOf[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
