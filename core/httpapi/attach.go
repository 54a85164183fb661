package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// Bundle is the set of preset credentials issued for one user. It is shared
// between requests: treat it as read-only.
type Bundle struct {
	// Credentials maps preset names to credentials.
	Credentials map[string]*core.Credential `json:"credentials"`
	// RenewAfter is the earliest renew_after among the credentials; the
	// bundle is replaced after that.
	RenewAfter time.Time `json:"renew_after"`
}

// Get returns the named preset's credential, or nil.
func (b *Bundle) Get(name string) *core.Credential {
	if b == nil {
		return nil
	}
	return b.Credentials[name]
}

// Attach resolves the request's identity and returns its preset bundle,
// from the cache while every credential in it is before its renew_after.
//
// An anonymous request returns (nil, nil). A present but invalid credential
// returns an unauthenticated error: the middleware refuses the request. A
// failed issuance (a user id a vendor does not accept, say) is logged and
// returns (nil, nil), so that the host's own route still answers, without
// credentials.
func (a *API) Attach(r Request) (*Bundle, error) {
	id, err := a.resolver.Resolve(r)
	if errors.Is(err, resolve.ErrNoIdentity) || (err == nil && id.UserID == "") {
		return nil, nil
	}
	if err != nil {
		return nil, a.identityError(r.Context(), err)
	}
	b, err := a.bundle(r.Context(), id)
	if err != nil {
		a.log.LogAttrs(r.Context(), slog.LevelWarn, "rtctoken presets not attached", slog.String("user", id.UserID), slog.String("code", string(core.CodeOf(err))))
		return nil, nil
	}
	return b, nil
}

// Login issues (or reuses, while fresh) the preset bundle for a user who
// just signed in, for the login handler to put in its JSON response.
func (a *API) Login(ctx context.Context, id core.Identity) (*Bundle, error) {
	if id.UserID == "" {
		return nil, core.Errorf(core.CodeUnauthenticated, "", "no identity")
	}
	return a.bundle(ctx, id)
}

func (a *API) bundle(ctx context.Context, id core.Identity) (*Bundle, error) {
	if len(a.presets) == 0 {
		return &Bundle{Credentials: map[string]*core.Credential{}}, nil
	}
	key := cacheKey{user: id.UserID, name: id.DisplayName}
	return a.cache.get(ctx, key, a.svc.Now, func(stale *Bundle) (*Bundle, error) { return a.issuePresets(ctx, id, stale) })
}

// issuePresets builds a new bundle: credentials of the stale one that are
// still before their own renew_after are kept, the others are issued anew.
func (a *API) issuePresets(ctx context.Context, id core.Identity, stale *Bundle) (*Bundle, error) {
	now := a.svc.Now()
	b := &Bundle{Credentials: make(map[string]*core.Credential, len(a.presets))}
	for _, p := range a.presets {
		c := stale.Get(p.Name)
		if c == nil || !now.Before(c.RenewAfter) {
			start := time.Now()
			var err error
			c, err = a.svc.Issue(ctx, id, p.Request)
			a.audit(ctx, p.Request, id, c, err, start)
			if err != nil {
				return nil, err
			}
		}
		b.Credentials[p.Name] = c
		if b.RenewAfter.IsZero() || c.RenewAfter.Before(b.RenewAfter) {
			b.RenewAfter = c.RenewAfter
		}
	}
	return b, nil
}

// cacheKey identifies a user's bundle: the display name is part of it
// because some kinds (the ZEGO Kit Token) carry it.
type cacheKey struct{ user, name string }

// cache holds one bundle per user, bounded in size, with at most one
// issuance in flight per user. A bundle is replaced at its earliest
// renew_after; only the credentials that reached their own renew_after are
// issued again.
type cache struct {
	mu       sync.Mutex
	max      int
	m        map[cacheKey]*Bundle
	inflight map[cacheKey]*call
}

type call struct {
	done chan struct{}
	b    *Bundle
	err  error
}

func newCache(max int) *cache {
	return &cache{max: max, m: make(map[cacheKey]*Bundle), inflight: make(map[cacheKey]*call)}
}

func (c *cache) get(ctx context.Context, key cacheKey, now func() time.Time, issue func(stale *Bundle) (*Bundle, error)) (*Bundle, error) {
	c.mu.Lock()
	b, ok := c.m[key]
	if ok && now().Before(b.RenewAfter) {
		c.mu.Unlock()
		return b, nil
	}
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.b, cl.err
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	cl.b, cl.err = issue(b)

	c.mu.Lock()
	delete(c.inflight, key)
	if cl.err == nil {
		c.store(key, cl.b, now())
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.b, cl.err
}

// store inserts b; when the cache is full it first drops stale bundles and,
// if that is not enough, about a tenth of the others (map order is random).
func (c *cache) store(key cacheKey, b *Bundle, now time.Time) {
	if _, ok := c.m[key]; !ok && len(c.m) >= c.max {
		for k, v := range c.m {
			if !now.Before(v.RenewAfter) {
				delete(c.m, k)
			}
		}
		for k := range c.m {
			if len(c.m) < c.max-c.max/10 {
				break
			}
			delete(c.m, k)
		}
	}
	c.m[key] = b
}

// len reports the number of cached bundles (tests).
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.m)
}
