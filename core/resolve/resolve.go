// Package resolve finds the signed-in user of a request. The user always
// comes from the host application's session (a request-scoped value its auth
// middleware set, a bearer JWT it issued, a trusted header set by an
// authenticating proxy, a session cookie, or any function), never from a
// request body.
//
// A Resolver returns ErrNoIdentity when its source is absent, so that a
// Chain can try the next one; any other error means a credential was present
// but is invalid, and the request is refused with 401 without trying further
// resolvers.
//
// Resolvers are written once against [Request], a small view of an HTTP
// request that each web adapter (net/http, gin, fiber) implements.
package resolve

import (
	"context"
	"errors"
	"net/netip"
	"slices"
	"strings"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/netaddr"
)

// Request is the part of an HTTP request a resolver may read.
type Request interface {
	// Context is the request's context.
	Context() context.Context
	// Header returns the first value of the named header, or "".
	Header(name string) string
	// HeaderValues returns every value of the named header, one per
	// header line as received, in order; nil when the header is absent.
	HeaderValues(name string) []string
	// RemoteAddr is the address of the TCP peer, "ip:port".
	RemoteAddr() string
	// Cookie returns the named cookie's value.
	Cookie(name string) (string, bool)
	// Value returns a request-scoped value the host's middleware set: a
	// context value (net/http), a gin context key (gin) or a local (fiber).
	// Frameworks with string keys only see string keys.
	Value(key any) any
}

// Resolver finds the identity of a request.
type Resolver interface {
	Resolve(r Request) (core.Identity, error)
}

// Func adapts a function to Resolver.
type Func func(r Request) (core.Identity, error)

// Resolve implements Resolver.
func (f Func) Resolve(r Request) (core.Identity, error) { return f(r) }

// ErrNoIdentity reports that the resolver's source is absent from the
// request (no header, no cookie, no value): the request is anonymous as far
// as this resolver can tell.
var ErrNoIdentity = errors.New("rtctoken: no identity in request")

// invalid returns the error for a present but invalid credential. The cause
// is kept for logs; clients only see the message.
func invalid(msg string, cause error) error {
	if errors.Is(cause, ErrNoIdentity) {
		cause = nil // an invalid credential must not read as an absent one
	}
	return &core.Error{Code: core.CodeUnauthenticated, Message: msg, Err: cause}
}

// Chain tries resolvers in order and returns the first identity found. A
// resolver that finds an invalid credential stops the chain with its error.
func Chain(rs ...Resolver) Resolver {
	return Func(func(r Request) (core.Identity, error) {
		for _, res := range rs {
			id, err := res.Resolve(r)
			if errors.Is(err, ErrNoIdentity) {
				continue
			}
			return id, err
		}
		return core.Identity{}, ErrNoIdentity
	})
}

// FromValue reads the identity from a request-scoped value set by the host's
// own authentication middleware under key. The value may be a core.Identity,
// a *core.Identity, a string (the user id) or anything implementing
// interface{ RTCIdentity() core.Identity }.
func FromValue(key any) Resolver {
	return Func(func(r Request) (core.Identity, error) {
		return identityOf(r.Value(key))
	})
}

// Identifier is implemented by host user types that can describe themselves
// as an Identity.
type Identifier interface{ RTCIdentity() core.Identity }

func identityOf(v any) (core.Identity, error) {
	var id core.Identity
	switch x := v.(type) {
	case nil:
		return id, ErrNoIdentity
	case core.Identity:
		id = x
	case *core.Identity:
		if x == nil {
			return id, ErrNoIdentity
		}
		id = *x
	case string:
		id.UserID = x
	case Identifier:
		id = x.RTCIdentity()
	default:
		return id, invalid("unsupported identity value", nil)
	}
	if id.UserID == "" {
		return id, ErrNoIdentity
	}
	return id, nil
}

// TrustedHeader reads the user id from a header set by an authenticating
// reverse proxy (e.g. X-Forwarded-User from oauth2-proxy); an optional
// second header carries the display name.
//
// The header is believed only when the TCP peer is one of the proxies: an
// address inside one of the prefixes, or, when proxies is empty, a loopback
// address (127.0.0.0/8 or ::1, a proxy on the same machine). The header from
// any other peer is refused with 401, so a client that reaches the app
// directly cannot name a user. A header that arrives on more than one line
// is refused with 401 too: it means the proxy appended its value to the
// client's instead of replacing it. A request without the header is
// anonymous (ErrNoIdentity), whoever sent it.
//
// The proxy must still remove the header from client requests (or replace
// it); TrustedHeader cannot tell the proxy's single line from a client's
// line that the proxy passed through unchanged.
func TrustedHeader(proxies []netip.Prefix, userHeader string, nameHeader ...string) Resolver {
	proxies = slices.Clone(proxies)
	if len(proxies) == 0 {
		proxies = netaddr.Loopback
	}
	return Func(func(r Request) (core.Identity, error) {
		users := r.HeaderValues(userHeader)
		if len(users) == 0 || len(users) == 1 && strings.TrimSpace(users[0]) == "" {
			return core.Identity{}, ErrNoIdentity
		}
		if peer, ok := netaddr.Parse(r.RemoteAddr()); !ok || !netaddr.In(peer, proxies) {
			return core.Identity{}, invalid("identity header from a peer that is not a trusted proxy", nil)
		}
		if len(users) > 1 {
			return core.Identity{}, invalid("identity header sent more than once", nil)
		}
		id := core.Identity{UserID: strings.TrimSpace(users[0])}
		if len(nameHeader) > 0 {
			names := r.HeaderValues(nameHeader[0])
			if len(names) > 1 {
				return core.Identity{}, invalid("identity header sent more than once", nil)
			}
			if len(names) == 1 {
				id.DisplayName = strings.TrimSpace(names[0])
			}
		}
		return id, nil
	})
}

// CookieLookup maps a session cookie value to the identity, typically by
// asking the host's session store. It returns ErrNoIdentity (or any error
// wrapping it) for an unknown session, which is then refused as invalid.
type CookieLookup func(ctx context.Context, value string) (core.Identity, error)

// Cookie reads the named session cookie and asks lookup for the identity. A
// cookie that is present but unknown to the store is an invalid credential
// (401), not an anonymous request.
func Cookie(name string, lookup CookieLookup) Resolver {
	return Func(func(r Request) (core.Identity, error) {
		v, ok := r.Cookie(name)
		if !ok || v == "" {
			return core.Identity{}, ErrNoIdentity
		}
		id, err := lookup(r.Context(), v)
		if err != nil {
			return core.Identity{}, invalid("session is not valid", err)
		}
		if id.UserID == "" {
			return core.Identity{}, invalid("session has no user", nil)
		}
		return id, nil
	})
}
