package core

import (
	"errors"
	"fmt"
)

// Code is a stable, machine-readable error code. Codes are part of the public
// HTTP contract and never change meaning.
type Code string

// Error codes returned by the service (and so by the HTTP contract, which
// adds its own in core/httpapi).
const (
	CodeInvalidRequest  Code = "invalid_request"  // malformed JSON, wrong types, unknown fields
	CodeInvalidUser     Code = "invalid_user"     // user id missing, malformed or not the caller's
	CodeInvalidRoom     Code = "invalid_room"     // room / channel / session name
	CodeInvalidRole     Code = "invalid_role"     // role not offered by the kind
	CodeInvalidTTL      Code = "invalid_ttl"      // ttl outside the policy
	CodeInvalidOption   Code = "invalid_option"   // a provider option is malformed or out of range
	CodeUnknownProvider Code = "unknown_provider" // provider not configured
	CodeUnknownKind     Code = "unknown_kind"     // kind not offered by the provider
	CodeUnauthenticated Code = "unauthenticated"  // no identity could be resolved
	CodeForbidden       Code = "forbidden"        // the authorizer refused
	CodeUnavailable     Code = "unavailable"      // a dependency (e.g. a shared limiter) is down
	CodeInternal        Code = "internal"         // anything else; details go to the log only
)

// Error is the typed error of rtctoken. Code is stable, Field names the
// offending request field (e.g. "room", "options.uid", "requests[1].ttl")
// and Message is a human-readable explanation that never contains a secret
// or a token.
type Error struct {
	Code    Code
	Field   string
	Message string
	Err     error // optional cause; never shown to clients
}

// Error implements error.
func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s (%s): %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Is reports whether target is an *Error with the same code and, when the
// target names a field, the same field. It makes the Err... sentinels below
// usable with errors.Is.
func (e *Error) Is(target error) bool {
	t, ok := target.(*Error)
	if !ok {
		return false
	}
	return t.Code == e.Code && (t.Field == "" || t.Field == e.Field)
}

// Errorf returns an *Error with the given code and field and a formatted
// message. Arguments must never include secrets or tokens.
func Errorf(code Code, field, format string, args ...any) *Error {
	return &Error{Code: code, Field: field, Message: fmt.Sprintf(format, args...)}
}

// WithFieldPrefix returns err with its field prefixed (e.g. "requests[1]."),
// when err is an *Error; other errors are returned unchanged.
func WithFieldPrefix(err error, prefix string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	c := *e
	switch {
	case c.Field == "":
		c.Field = stringsTrimDot(prefix)
	default:
		c.Field = prefix + c.Field
	}
	return &c
}

// RenameField returns err with its field renamed through fields when err
// is an *Error whose Field is a key of fields; other errors are returned
// unchanged. A vendor's format code names the vendor's claims in its
// errors (tpc, exp, TLS.identifier); its provider renames them to the
// request fields they come from (room, ttl, user_id).
func RenameField(err error, fields map[string]string) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	f, ok := fields[e.Field]
	if !ok {
		return err
	}
	c := *e
	c.Field = f
	return &c
}

func stringsTrimDot(s string) string {
	if n := len(s); n > 0 && s[n-1] == '.' {
		return s[:n-1]
	}
	return s
}

// CodeOf returns the code of err: "" for nil, its own code when it is (or
// wraps) an *Error, CodeInternal otherwise.
func CodeOf(err error) Code {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return CodeInternal
}

// Sentinels for errors.Is. They match any *Error with the same code.
var (
	ErrInvalidRequest  = &Error{Code: CodeInvalidRequest}
	ErrInvalidUser     = &Error{Code: CodeInvalidUser}
	ErrInvalidRoom     = &Error{Code: CodeInvalidRoom}
	ErrInvalidRole     = &Error{Code: CodeInvalidRole}
	ErrInvalidTTL      = &Error{Code: CodeInvalidTTL}
	ErrInvalidOption   = &Error{Code: CodeInvalidOption}
	ErrUnknownProvider = &Error{Code: CodeUnknownProvider}
	ErrUnknownKind     = &Error{Code: CodeUnknownKind}
	ErrUnauthenticated = &Error{Code: CodeUnauthenticated}
	ErrForbidden       = &Error{Code: CodeForbidden}
	ErrUnavailable     = &Error{Code: CodeUnavailable}
)

// Verification errors. Every provider's Verify/decode functions wrap one of
// these, so callers can tell what is wrong with a token with errors.Is.
var (
	// ErrMalformed: the token cannot be decoded (bad encoding, truncated,
	// wrong version, wrong structure).
	ErrMalformed = errors.New("rtctoken: malformed token")
	// ErrSignature: the token decodes but its signature or authentication
	// tag does not match any configured secret.
	ErrSignature = errors.New("rtctoken: bad signature")
	// ErrExpired: the token is authentic but expired (or not yet valid).
	ErrExpired = errors.New("rtctoken: token expired")
	// ErrMismatch: the token is authentic but was issued for another
	// application, user, room or kind than the one expected.
	ErrMismatch = errors.New("rtctoken: token does not match")
)

// ErrConfig is wrapped by every configuration error returned from provider
// constructors and [NewService].
var ErrConfig = errors.New("rtctoken: invalid configuration")
