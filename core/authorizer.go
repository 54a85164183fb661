package core

import (
	"context"
	"encoding/json"

	"github.com/rtctoken/rtctoken/internal/jsonscan"
)

// Authorizer decides whether an identity may have the credential a request
// asks for. It may narrow the request in place (force a role, shorten the
// TTL, pin the room); the service validates the result again. Returning an
// error refuses; return an *Error (usually code forbidden or invalid_user)
// to choose what the client sees.
type Authorizer interface {
	Authorize(ctx context.Context, id Identity, req *Request, kind KindSpec) error
}

// AuthorizerFunc adapts a function to Authorizer.
type AuthorizerFunc func(ctx context.Context, id Identity, req *Request, kind KindSpec) error

// Authorize implements Authorizer.
func (f AuthorizerFunc) Authorize(ctx context.Context, id Identity, req *Request, kind KindSpec) error {
	return f(ctx, id, req, kind)
}

// DefaultAuthorizer allows a user their own credentials for any room with
// any non-elevated role. A request naming another user is refused with
// invalid_user; an elevated role (a Zoom host) or an elevated option (Agora
// "any_uid") with forbidden, unless the corresponding hook allows it.
type DefaultAuthorizer struct {
	// AllowUser, when set, may allow a request for another user id.
	AllowUser func(ctx context.Context, id Identity, req *Request) bool
	// AllowElevated, when set, may allow an elevated role.
	AllowElevated func(ctx context.Context, id Identity, req *Request) bool
}

// Authorize implements Authorizer.
func (a DefaultAuthorizer) Authorize(ctx context.Context, id Identity, req *Request, kind KindSpec) error {
	if req.UserID != "" && req.UserID != id.UserID && (a.AllowUser == nil || !a.AllowUser(ctx, id, req)) {
		return Errorf(CodeInvalidUser, "user_id", "a credential can only be issued for the signed-in user")
	}
	allowed := func() bool { return a.AllowElevated != nil && a.AllowElevated(ctx, id, req) }
	if r, ok := kind.Role(req.Role); ok && r.Elevated && !allowed() {
		return Errorf(CodeForbidden, "role", "role %q is not allowed for this user", r.Name)
	}
	if name, ok := ElevatedOption(kind, req.Options); ok && !allowed() {
		return Errorf(CodeForbidden, "options."+name, "option %q is not allowed for this user", name)
	}
	return nil
}

// ElevatedOption reports the first of the kind's elevated options that
// options sets to anything but false, null, 0 or "". Options that are not
// a JSON object are left to the provider to refuse.
func ElevatedOption(kind KindSpec, options json.RawMessage) (string, bool) {
	if len(kind.ElevatedOptions) == 0 || len(options) == 0 {
		return "", false
	}
	found := ""
	sc := jsonscan.New(options, jsonscan.Options{})
	err := sc.Object(func(key []byte) error {
		raw, err := sc.Skip()
		if err != nil || found != "" {
			return err
		}
		for _, name := range kind.ElevatedOptions {
			if string(key) == name {
				switch string(raw) {
				case "false", "null", "0", `""`:
				default:
					found = name
				}
			}
		}
		return nil
	})
	if err != nil || found == "" {
		return "", false
	}
	return found, true
}
