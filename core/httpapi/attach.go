package httpapi

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// DefaultFailureTTL is how long a preset that could not be issued is
// remembered before it is tried again, unless Config.FailureTTL says
// otherwise.
const DefaultFailureTTL = 30 * time.Second

// Bundle is the set of preset credentials issued for one identity. It is
// shared between requests: treat it as read-only.
//
// A bundle may be partial: a preset that could not be issued (a user id one
// vendor does not accept, a host authorizer that refuses one kind) is left
// out of Credentials and reported in Errors under its name, and the others
// are served all the same.
type Bundle struct {
	// Credentials maps preset names to credentials.
	Credentials map[string]*core.Credential `json:"credentials"`
	// Errors maps the names of the presets that could not be issued to
	// why, as the client may see it. It is empty when every preset was
	// issued.
	Errors map[string]*PresetError `json:"errors,omitempty"`
	// RenewAfter is when the bundle is replaced: the earliest renew_after
	// among the credentials or, when a preset failed and that is earlier,
	// the time it is tried again. Only the due credentials and the failed
	// presets are issued anew then.
	RenewAfter time.Time `json:"renew_after"`
}

// Get returns the named preset's credential, or nil.
func (b *Bundle) Get(name string) *core.Credential {
	if b == nil {
		return nil
	}
	return b.Credentials[name]
}

// Failed returns why the named preset was not issued: nil when it was, for
// an unknown name, and for a nil bundle (an anonymous request).
func (b *Bundle) Failed(name string) *PresetError {
	if b == nil {
		return nil
	}
	return b.Errors[name]
}

// PresetError is why one preset of a bundle was not issued, in the terms of
// the contract's error envelope: the stable code, and the message and field
// the token endpoint would have answered. It never carries a cause: an
// internal failure reads "internal error" and its detail goes to the log.
type PresetError struct {
	Code    core.Code `json:"code"`
	Message string    `json:"message"`
	Field   string    `json:"field,omitempty"`
}

// Error implements error.
func (e *PresetError) Error() string {
	if e.Field != "" {
		return string(e.Code) + " (" + e.Field + "): " + e.Message
	}
	return string(e.Code) + ": " + e.Message
}

// presetError keeps what a client may see of an issuance error, as the
// error envelope would show it.
func presetError(err error) *PresetError {
	e, _ := publicError(err)
	return &PresetError{Code: e.Code, Message: e.Message, Field: e.Field}
}

// Attach resolves the request's identity and returns its preset bundle,
// from the cache while it is before its renew_after.
//
// An anonymous request returns (nil, nil). A present but invalid credential
// returns an unauthenticated error: the middleware refuses the request. A
// preset that cannot be issued (a user id a vendor does not accept, say) is
// logged once per failure TTL and reported in the bundle's Errors; the
// bundle is returned with the presets that were issued, possibly none, so
// that the host's own route still answers.
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
		// The request's context ended while another request was issuing
		// the same bundle; the client is gone.
		return nil, nil
	}
	return b, nil
}

// Login issues (or reuses, while fresh) the preset bundle for a user who
// just signed in, for the login handler to put in its JSON response.
//
// Like Attach, it answers a partial bundle when some presets fail, and a
// bundle with no credentials and every preset in Errors when all of them
// fail: signing in does not depend on the credential vendors, and the
// client sees which preset failed and why. The error is unauthenticated for
// an identity without a user id, or the context's error when ctx ends while
// another request is issuing the same bundle.
func (a *API) Login(ctx context.Context, id core.Identity) (*Bundle, error) {
	if id.UserID == "" {
		return nil, core.Errorf(core.CodeUnauthenticated, "", "no identity")
	}
	return a.bundle(ctx, id)
}

// Forget drops every cached bundle of the user, whatever the rest of their
// identity (display name, attributes), and keeps a bundle being issued for
// them at the time from being stored or shared with later requests: the
// next Attach or Login for that user issues anew. Call it when the user
// signs out, and whenever what the authorizer decides from may have changed
// outside the identity (a ban or a plan change kept in the host's database).
func (a *API) Forget(userID string) { a.cache.forget(userID) }

func (a *API) bundle(ctx context.Context, id core.Identity) (*Bundle, error) {
	if len(a.presets) == 0 {
		return &Bundle{Credentials: map[string]*core.Credential{}}, nil
	}
	return a.cache.get(ctx, id, a.svc.Now, func(id core.Identity, stale *Bundle) *Bundle { return a.issuePresets(ctx, id, stale) })
}

// issuePresets builds a new bundle: credentials of the stale one that are
// still before their own renew_after are kept, the others and the presets
// that failed are issued anew. A failure is logged here, once per
// issuance, and not on every request the cached bundle then serves.
func (a *API) issuePresets(ctx context.Context, id core.Identity, stale *Bundle) *Bundle {
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
				a.presetFailed(ctx, p.Name, id, err)
				if b.Errors == nil {
					b.Errors = make(map[string]*PresetError, 1)
				}
				b.Errors[p.Name] = presetError(err)
				continue
			}
		}
		b.Credentials[p.Name] = c
		b.renewBy(c.RenewAfter)
	}
	if len(b.Errors) > 0 {
		b.renewBy(now.Add(a.cache.failureTTL))
	}
	return b
}

// renewBy moves the bundle's renew_after to t when t is earlier.
func (b *Bundle) renewBy(t time.Time) {
	if b.RenewAfter.IsZero() || t.Before(b.RenewAfter) {
		b.RenewAfter = t
	}
}

// presetFailed logs a preset that could not be issued. A refusal is a
// warning: the host configured the preset for its own users. An internal
// failure is an error, with its detail, as on the token endpoints.
func (a *API) presetFailed(ctx context.Context, preset string, id core.Identity, err error) {
	code := core.CodeOf(err)
	attrs := []slog.Attr{slog.String("preset", preset), slog.String("user", id.UserID), slog.String("code", string(code))}
	level := slog.LevelWarn
	if code == core.CodeInternal {
		level = slog.LevelError
		attrs = append(attrs, slog.String("error", err.Error()))
	}
	a.log.LogAttrs(ctx, level, "rtctoken preset not issued", attrs...)
}

// identityKey is the part of an identity, besides the user id, that a
// bundle depends on: the display name and every attribute in a canonical
// encoding, or its SHA-256 digest when the encoding is longer than a
// digest.
//
// The encoding is unambiguous (every string is length-prefixed, the
// attributes are counted and sorted by name), so two different identities
// never have the same encoding. The first byte tells the two forms apart:
// the length of an encoding kept as is (0 to 32), or hashedKey for a
// digest. The digest bounds the memory of a key whatever the attributes
// hold, and it is collision-resistant: display names and attributes may
// come from what users chose for themselves, and with a non-cryptographic
// hash a user could craft an identity that collides with another's and be
// served that identity's credentials. Short identities, the common case,
// skip the hash.
type identityKey [1 + sha256.Size]byte

// hashedKey marks an identityKey that holds a digest.
const hashedKey = 0xff

// keyBufSize is the encoding that fits in the stack buffer of keyOf;
// longer identities are encoded on the heap.
const keyBufSize = 256

func keyOf(id core.Identity) identityKey {
	var buf [keyBufSize]byte
	b := appendString(buf[:0], id.DisplayName)
	b = binary.AppendUvarint(b, uint64(len(id.Attributes)))
	if len(id.Attributes) > 0 {
		var names [8]string
		keys := names[:0]
		for k := range id.Attributes {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			b = appendString(appendString(b, k), id.Attributes[k])
		}
	}
	var k identityKey
	if len(b) < len(k) {
		k[0] = byte(len(b))
		copy(k[1:], b)
		return k
	}
	k[0] = hashedKey
	sum := sha256.Sum256(b)
	copy(k[1:], sum[:])
	return k
}

func appendString(b []byte, s string) []byte {
	return append(binary.AppendUvarint(b, uint64(len(s))), s...)
}

// cache holds one bundle per identity, bounded in size, grouped by user id
// so that Forget drops all of a user's, with at most one issuance in flight
// per identity. A bundle is replaced at its renew_after; only the
// credentials that reached their own renew_after, and the presets that
// failed, are issued again.
type cache struct {
	failureTTL time.Duration

	mu       sync.Mutex
	max      int
	n        int // bundles held
	users    map[string]map[identityKey]*Bundle
	inflight map[callKey]*call
}

type callKey struct {
	user string
	id   identityKey
}

type call struct {
	done chan struct{}
	b    *Bundle
	// forgotten is set, under the cache's lock, by a Forget of the user
	// while the issuance runs: its bundle is then not stored.
	forgotten bool
}

// newCache returns a cache of at most max bundles that keeps a failed
// preset for failureTTL: zero means DefaultFailureTTL, a negative value
// that failures are tried again on the next request.
func newCache(max int, failureTTL time.Duration) *cache {
	switch {
	case failureTTL == 0:
		failureTTL = DefaultFailureTTL
	case failureTTL < 0:
		failureTTL = 0
	}
	return &cache{failureTTL: failureTTL, max: max, users: make(map[string]map[identityKey]*Bundle), inflight: make(map[callKey]*call)}
}

// get returns the identity's bundle from the cache while it is fresh, or
// waits for the issuance in flight for it, or calls issue. issue is given
// a copy of the identity that shares no memory with the request: what the
// cache keeps outlives the request, and some frameworks (fiber) reuse the
// buffers that request strings point into.
func (c *cache) get(ctx context.Context, id core.Identity, now func() time.Time, issue func(id core.Identity, stale *Bundle) *Bundle) (*Bundle, error) {
	key := callKey{user: id.UserID, id: keyOf(id)}
	c.mu.Lock()
	b, ok := c.users[key.user][key.id]
	if ok && now().Before(b.RenewAfter) {
		c.mu.Unlock()
		return b, nil
	}
	if cl, ok := c.inflight[key]; ok {
		c.mu.Unlock()
		select {
		case <-cl.done:
			return cl.b, nil
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	id = ownIdentity(id)
	key.user = id.UserID
	cl := &call{done: make(chan struct{})}
	c.inflight[key] = cl
	c.mu.Unlock()

	cl.b = issue(id, b)

	c.mu.Lock()
	if c.inflight[key] == cl {
		delete(c.inflight, key)
	}
	// A bundle issued while the request's context ended may lack presets
	// for that reason alone: it is answered, not kept.
	if !cl.forgotten && ctx.Err() == nil {
		c.store(key, cl.b, now())
	}
	c.mu.Unlock()
	close(cl.done)
	return cl.b, nil
}

// ownIdentity returns a deep copy of id whose strings are its own.
func ownIdentity(id core.Identity) core.Identity {
	out := core.Identity{UserID: strings.Clone(id.UserID), DisplayName: strings.Clone(id.DisplayName)}
	if id.Attributes != nil {
		out.Attributes = make(map[string]string, len(id.Attributes))
		for k, v := range id.Attributes {
			out.Attributes[strings.Clone(k)] = strings.Clone(v)
		}
	}
	return out
}

// forget drops the user's bundles and detaches their issuances in flight:
// those are not stored, and later requests do not wait for them.
func (c *cache) forget(user string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n -= len(c.users[user])
	delete(c.users, user)
	for k, cl := range c.inflight {
		if k.user == user {
			cl.forgotten = true
			delete(c.inflight, k)
		}
	}
}

// store inserts b; when the cache is full it first drops stale bundles and,
// if that is not enough, about a tenth of the others (map order is random).
// c.mu is held.
func (c *cache) store(key callKey, b *Bundle, now time.Time) {
	m := c.users[key.user]
	if _, ok := m[key.id]; !ok && c.n >= c.max {
		c.evict(func(v *Bundle) bool { return !now.Before(v.RenewAfter) })
		target := c.max - c.max/10
		c.evict(func(*Bundle) bool { return c.n >= target })
		m = c.users[key.user]
	}
	if m == nil {
		m = make(map[identityKey]*Bundle, 1)
		c.users[key.user] = m
	}
	if _, ok := m[key.id]; !ok {
		c.n++
	}
	m[key.id] = b
}

// evict drops the bundles drop says to, and the users left with none.
func (c *cache) evict(drop func(*Bundle) bool) {
	for u, m := range c.users {
		for k, v := range m {
			if drop(v) {
				delete(m, k)
				c.n--
			}
		}
		if len(m) == 0 {
			delete(c.users, u)
		}
	}
}

// len reports the number of cached bundles (tests).
func (c *cache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}
