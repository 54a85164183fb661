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
	"strings"

	"github.com/rtctoken/rtctoken/core"
)

// Request is the part of an HTTP request a resolver may read.
type Request interface {
	// Context is the request's context.
	Context() context.Context
	// Header returns the first value of the named header, or "".
	Header(name string) string
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
// reverse proxy (e.g. X-Forwarded-User from oauth2-proxy). It is safe ONLY
// when every request reaches the app through that proxy and the proxy
// strips the header from client requests; otherwise any client can name any
// user. An optional second header carries the display name.
func TrustedHeader(userHeader string, nameHeader ...string) Resolver {
	return Func(func(r Request) (core.Identity, error) {
		u := strings.TrimSpace(r.Header(userHeader))
		if u == "" {
			return core.Identity{}, ErrNoIdentity
		}
		id := core.Identity{UserID: u}
		if len(nameHeader) > 0 {
			id.DisplayName = strings.TrimSpace(r.Header(nameHeader[0]))
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
