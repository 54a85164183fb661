package core

import (
	"context"
	"time"
)

// Provider is a vendor credential engine configured with one application's
// keys. Implementations live in core/<vendor> and are safe for concurrent use.
type Provider interface {
	// Name is the provider name used in requests and URLs ("agora").
	Name() string
	// AppID is the public application id / SDK key (never a secret).
	AppID() string
	// Kinds describes the kinds this provider issues.
	Kinds() []KindSpec
	// Issue mints a credential for a validated grant. It fills Token, AppID,
	// UserID, Room, Role, IssuedAt, ExpiresAt and Join; the service fills
	// the rest. Errors for bad input are *Error values naming the field.
	Issue(ctx context.Context, g Grant) (*Credential, error)
	// Verify checks a token of the given kind against the configured keys
	// (primary, then secondary) at time now and decodes it. Errors wrap
	// ErrMalformed, ErrSignature, ErrExpired or ErrMismatch.
	Verify(ctx context.Context, kind, token string, now time.Time) (*Verified, error)
}

// KindSpec describes one credential kind of a provider and its vendor limits.
type KindSpec struct {
	Kind string
	// MinTTL and MaxTTL are the vendor's limits; DefaultTTL is used when a
	// request names none and no policy overrides it.
	MinTTL, MaxTTL, DefaultTTL time.Duration
	// Roles lists the roles the kind offers; empty means the kind has no
	// role and a request naming one is refused.
	Roles []Role
	// DefaultRole is used when a request names no role.
	DefaultRole string
	// NeedsRoom says a room is required; RoomAllowed says one may be given.
	NeedsRoom, RoomAllowed bool
	// ServerOnly kinds (e.g. the Agora Chat app token) are never served over HTTP.
	ServerOnly bool
	// ElevatedOptions names options that widen what a credential allows
	// (e.g. Agora "any_uid", a token any user may join with). Like an
	// elevated role, the default authorizer refuses them unless the host
	// allows elevation.
	ElevatedOptions []string
}

// Role is a role a kind offers. Elevated roles (a Zoom host, say) are denied
// by the default authorizer unless the host allows them.
type Role struct {
	Name     string
	Elevated bool
}

// Role returns the named role of the kind.
func (k KindSpec) Role(name string) (Role, bool) {
	for _, r := range k.Roles {
		if r.Name == name {
			return r, true
		}
	}
	return Role{}, false
}
