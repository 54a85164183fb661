package resolve_test

import (
	"context"
	"errors"
	"log"
	"net/netip"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// Example chains resolvers: the session your middleware already loaded,
// else a bearer JWT from your auth service, else a session cookie looked up
// in your store. A present but invalid credential stops the chain with 401.
func Example() {
	bearer, err := resolve.BearerJWT(resolve.JWTConfig{
		Key:       core.NewSecret("an-hmac-key-of-at-least-32-bytes!!"),
		Issuer:    "https://auth.example.com",
		Audience:  "rtc",
		UserClaim: "sub",
		NameClaim: "name",
	})
	if err != nil {
		log.Fatal(err)
	}
	sessions := map[string]core.Identity{"s3cr3t-session-id": {UserID: "alice"}}
	cookie := resolve.Cookie("session", func(_ context.Context, id string) (core.Identity, error) {
		u, ok := sessions[id]
		if !ok {
			return core.Identity{}, errors.New("no such session")
		}
		return u, nil
	})
	type userKey struct{}
	_ = resolve.Chain(resolve.FromValue(userKey{}), bearer, cookie)
}

// ExampleTrustedHeader reads the user from a header set by an
// authenticating proxy. The header is believed only from the proxies'
// addresses (here a private network; nil means this machine only), and the
// proxy must replace the header rather than pass a client's copy on.
func ExampleTrustedHeader() {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	_ = resolve.TrustedHeader(proxies, "X-Forwarded-User", "X-Forwarded-Preferred-Username")
}
