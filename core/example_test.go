package core_test

import (
	"context"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// ExampleAuthorizerFunc writes a host policy: banned users get nothing,
// free-plan users only subscribe and for at most ten minutes. The
// authorizer never checks the user id or elevated roles itself; the
// Service does that before asking it, and checks the narrowed request
// again. Moderators may be Zoom hosts through an AllowElevated grant.
func ExampleAuthorizerFunc() {
	authz := core.AuthorizerFunc(func(_ context.Context, id core.Identity, req *core.Request, kind core.KindSpec) error {
		if id.Attributes["banned"] == "true" {
			return core.Errorf(core.CodeForbidden, "", "real-time features are disabled for this account")
		}
		if id.Attributes["plan"] == "free" {
			if _, ok := kind.Role("subscriber"); ok {
				req.Role = "subscriber"
			}
			if req.TTL > 10*time.Minute && kind.MinTTL <= 10*time.Minute {
				req.TTL = 10 * time.Minute
			}
		}
		return nil
	})
	moderators := core.AllowElevated(func(_ context.Context, id core.Identity, e core.Elevation) bool {
		return e.Provider == "zoom" && e.Role == "host" && id.Attributes["role"] == "moderator"
	})
	_, _ = core.NewService(nil, core.WithAuthorizer(authz), moderators)
}
