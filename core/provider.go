package core

import (
	"context"
	"strings"
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
	// elevated role, Service.Issue refuses them unless an AllowElevated
	// grant allows them.
	ElevatedOptions []string
	// ElevatedUsers names user ids the vendor treats as privileged (e.g.
	// the Tencent App Admin "administrator", whose UserSig opens the whole
	// Chat REST API). A credential for one of them is elevated: Service.Issue
	// refuses it unless an AllowElevated grant allows it. The comparison
	// ignores case (see ElevatedUser).
	ElevatedUsers []string
}

// Role is a role a kind offers. Elevated roles (a Zoom host, say) are
// refused by Service.Issue unless an AllowElevated grant allows them.
type Role struct {
	Name     string
	Elevated bool
}

// ElevatedUser reports whether userID is one of the kind's ElevatedUsers.
// Case is ignored (Unicode case folding): a vendor that matches ids
// without regard to case, or a host whose ids differ only in case from a
// privileged one, must not be able to slip past the check, and refusing a
// look-alike id costs only a grant the host can still give.
func (k KindSpec) ElevatedUser(userID string) bool {
	for _, u := range k.ElevatedUsers {
		if strings.EqualFold(u, userID) {
			return true
		}
	}
	return false
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
