package httpapi

import (
	"context"
	"fmt"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// Error codes of the HTTP contract alone; the service's own codes are in
// core. Like those, they are part of the contract and never change meaning.
const (
	CodeMethodNotAllowed core.Code = "method_not_allowed"     // wrong HTTP method
	CodeNotFound         core.Code = "not_found"              // no such route
	CodeBodyTooLarge     core.Code = "body_too_large"         // request body over the limit
	CodeUnsupportedMedia core.Code = "unsupported_media_type" // body not application/json, or encoded
	CodeRateLimited      core.Code = "rate_limited"           // a rate limit was hit
)

// ErrRateLimited matches any error with code rate_limited (errors.Is).
var ErrRateLimited = &core.Error{Code: CodeRateLimited}

// LimitKey names what a rate limit is counted against: one identity or one
// client address, for one provider kind. A limiter may ignore Provider and
// Kind to keep one budget for everything.
type LimitKey struct {
	// Scope is "user" or "ip".
	Scope string
	// Subject is the user id, or the client address: an IPv4 address or
	// an IPv6 network such as "2001:db8:1:2::/64" (see Config.IPv6Prefix).
	Subject string
	// Provider and Kind name the credential asked for.
	Provider, Kind string
}

// Limiter decides whether one more issuance is allowed for a key. Allow
// returns a *RateLimitError (which matches ErrRateLimited) when the budget is
// spent, and an error with code unavailable when the limiter itself cannot
// answer (a shared store is down and the limiter fails closed).
type Limiter interface {
	Allow(ctx context.Context, key LimitKey) error
}

// RateLimitError is returned by limiters when a budget is spent.
type RateLimitError struct {
	// RetryAfter is how long until one more request would be allowed.
	RetryAfter time.Duration
}

// Error implements error.
func (e *RateLimitError) Error() string {
	return fmt.Sprintf("rate limited; retry after %s", e.RetryAfter)
}

// As lets errors.As find a *core.Error (code rate_limited) in a
// RateLimitError, so it renders in the error envelope.
func (e *RateLimitError) As(target any) bool {
	if t, ok := target.(**core.Error); ok {
		*t = &core.Error{Code: CodeRateLimited, Message: "too many requests", Err: e}
		return true
	}
	return false
}

// Is makes errors.Is(err, ErrRateLimited) true.
func (e *RateLimitError) Is(target error) bool { return target == ErrRateLimited }
