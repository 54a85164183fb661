// Package apitest builds an httpapi.API over a stub provider so limiter
// tests can drive real requests through the HTTP contract.
package apitest

import (
	"context"
	"log/slog"
	"net/http"
	"net/netip"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// Provider is the name of the stub provider.
const Provider = "stub"

// Kinds are the kinds the stub provider issues.
var Kinds = []string{"a", "b"}

type stub struct{}

func (stub) Name() string  { return Provider }
func (stub) AppID() string { return "app" }

func (stub) Kinds() []core.KindSpec {
	ks := make([]core.KindSpec, len(Kinds))
	for i, k := range Kinds {
		ks[i] = core.KindSpec{Kind: k, MinTTL: time.Minute, MaxTTL: time.Hour, DefaultTTL: time.Hour}
	}
	return ks
}

func (stub) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	return &core.Credential{
		Token: "t", AppID: "app", UserID: g.UserID,
		IssuedAt: g.Now, ExpiresAt: g.Now.Add(g.TTL), Join: map[string]any{"user": g.UserID},
	}, nil
}

func (stub) Verify(context.Context, string, string, time.Time) (*core.Verified, error) {
	return nil, core.ErrMalformed
}

// NewAPI returns an API over the stub provider that takes the user from the
// X-User header, the client address from the peer address, and asks lim.
// The tests vary the peer address to reach per-IP budgets, so every peer
// may set X-User. Its logs are discarded unless tweak sets a Logger.
func NewAPI(t testing.TB, lim httpapi.Limiter, tweak ...func(*httpapi.Config)) *httpapi.API {
	t.Helper()
	svc, err := core.NewService([]core.Provider{stub{}})
	if err != nil {
		t.Fatal(err)
	}
	cfg := httpapi.Config{
		Service:  svc,
		Resolver: resolve.TrustedHeader(anyPeer, "X-User"),
		Limiter:  lim,
		ClientIP: httpapi.RemoteIP(),
		Logger:   slog.New(slog.DiscardHandler),
	}
	for _, f := range tweak {
		f(&cfg)
	}
	api, err := httpapi.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return api
}

// anyPeer is every IPv4 and IPv6 address.
var anyPeer = []netip.Prefix{netip.MustParsePrefix("0.0.0.0/0"), netip.MustParsePrefix("::/0")}

// Issue asks api for a credential of the given kind as user from addr.
func Issue(api *httpapi.API, user, addr, kind string) httpapi.Response {
	r := &request{ctx: context.Background(), addr: addr, header: http.Header{"X-User": {user}, "Content-Type": {"application/json"}}}
	return api.Serve(r, "/"+Provider+"/"+kind, nil)
}

type request struct {
	ctx    context.Context
	addr   string
	header http.Header
}

func (r *request) Context() context.Context     { return r.ctx }
func (r *request) Header(name string) string    { return r.header.Get(name) }
func (r *request) Cookie(string) (string, bool) { return "", false }
func (r *request) Value(any) any                { return nil }
func (r *request) Method() string               { return http.MethodPost }
func (r *request) RemoteAddr() string           { return r.addr }
func (r *request) HeaderValues(name string) []string {
	return r.header.Values(name)
}
