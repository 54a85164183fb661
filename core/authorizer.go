package core

import "context"

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
// invalid_user, an elevated role (a Zoom host) with forbidden, unless the
// corresponding hook allows it.
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
	if r, ok := kind.Role(req.Role); ok && r.Elevated && (a.AllowElevated == nil || !a.AllowElevated(ctx, id, req)) {
		return Errorf(CodeForbidden, "role", "role %q is not allowed for this user", r.Name)
	}
	return nil
}
