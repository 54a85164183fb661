package core_test

import (
	"context"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// ExampleAuthorizerFunc writes an authorizer on top of the default policy:
// banned users get nothing, free-plan users only subscribe and for at most
// ten minutes, moderators may be Zoom hosts.
func ExampleAuthorizerFunc() {
	def := core.DefaultAuthorizer{
		AllowElevated: func(_ context.Context, id core.Identity, _ *core.Request) bool {
			return id.Attributes["role"] == "moderator"
		},
	}
	authz := core.AuthorizerFunc(func(ctx context.Context, id core.Identity, req *core.Request, kind core.KindSpec) error {
		if id.Attributes["banned"] == "true" {
			return core.Errorf(core.CodeForbidden, "", "real-time features are disabled for this account")
		}
		if err := def.Authorize(ctx, id, req, kind); err != nil {
			return err
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
	_, _ = core.NewService(nil, core.WithAuthorizer(authz))
}
