package core

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/rtctoken/rtctoken/internal/jsonscan"
)

// Authorizer is the host's policy on top of the Service's own checks. By the
// time Authorize runs, the request has passed the kind's rules (room, role
// and TTL), it is for the caller (or a user an AllowUser grant allows) and
// it asks for nothing elevated (or only what an AllowElevated grant allows).
// Authorize can only deny or narrow: return an error to refuse (an *Error,
// usually code forbidden, chooses what the client sees), or change req in
// place (force a role, shorten the TTL, pin the room). The narrowed request
// is checked again by the same rules, so an authorizer cannot widen it: a
// change to another user id or to an elevated role is refused unless a grant
// allows it, and a change of Provider or Kind is refused outright.
//
// An authorizer never needs to re-implement the identity or elevation
// checks; the Service enforces them whatever the authorizer returns. kind
// is the Service's policy for the request's kind (TTL limits applied); it
// shares its slices with the Service and must be treated as read-only.
type Authorizer interface {
	Authorize(ctx context.Context, id Identity, req *Request, kind KindSpec) error
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(ctx context.Context, id Identity, req *Request, kind KindSpec) error

// Authorize implements Authorizer.
func (f AuthorizerFunc) Authorize(ctx context.Context, id Identity, req *Request, kind KindSpec) error {
	return f(ctx, id, req, kind)
}

// Elevation names one elevated thing a request asks for, as handed to an
// AllowElevated grant: the provider and kind, and exactly one of Role (an
// elevated role such as a Zoom host), Option (an elevated option such as
// Agora "any_uid") or UserID (a user the kind treats as privileged, such as
// a Tencent App Admin).
type Elevation struct {
	Provider string
	Kind     string
	Role     string
	Option   string
	UserID   string
}

// AllowUser lets a Service issue through Issue for a user other than the
// caller when fn says yes. Without it, a request naming another user id is
// refused with invalid_user (field user_id), whatever the authorizer.
func AllowUser(fn func(ctx context.Context, id Identity, req Request) bool) Option {
	return optionFunc(func(c *serviceConfig) error {
		if fn == nil {
			return errNilGrant("AllowUser")
		}
		c.allowUser = fn
		return nil
	})
}

// AllowElevated lets a Service issue through Issue something elevated when
// fn says yes for that exact Elevation. fn is asked once per elevated
// thing: a request with an elevated role and an elevated option is asked
// about both, and each must be allowed. Without it, an elevated role,
// option or user is refused with forbidden (field "role", "options.<name>"
// or "user_id"), whatever the authorizer.
func AllowElevated(fn func(ctx context.Context, id Identity, e Elevation) bool) Option {
	return optionFunc(func(c *serviceConfig) error {
		if fn == nil {
			return errNilGrant("AllowElevated")
		}
		c.allowElevated = fn
		return nil
	})
}

// ElevatedOption reports the first of the kind's elevated options that
// options sets to anything but false, null, 0 or "". Options that are not
// a JSON object are left to the provider to refuse.
func ElevatedOption(kind KindSpec, options json.RawMessage) (string, bool) {
	names, err := elevatedOptions(kind, options)
	if err != nil || len(names) == 0 {
		return "", false
	}
	return names[0], true
}

// elevatedOptions returns every elevated option of the kind that options
// sets, in the order they appear in options, or the scanner's error when
// options is not a well-formed JSON object.
func elevatedOptions(kind KindSpec, options json.RawMessage) ([]string, error) {
	options = bytes.Trim(options, " \t\r\n")
	if len(kind.ElevatedOptions) == 0 || len(options) == 0 || string(options) == "null" {
		return nil, nil
	}
	if options[0] != '{' {
		return nil, Errorf(CodeInvalidOption, "options", "options must be a JSON object")
	}
	var found []string
	sc := jsonscan.New(options, jsonscan.Options{})
	err := sc.Object(func(key []byte) error {
		raw, err := sc.Skip()
		if err != nil {
			return err
		}
		switch string(raw) {
		case "false", "null", "0", `""`:
			return nil
		}
		for _, name := range kind.ElevatedOptions {
			if string(key) == name {
				found = append(found, name)
			}
		}
		return nil
	})
	if err == nil {
		err = sc.End()
	}
	if err != nil {
		return nil, scanError(err)
	}
	return found, nil
}
