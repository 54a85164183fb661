package httpapi

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// CORS is the one cross-origin option of rtctoken; each adapter turns it
// into its framework's well-kept CORS middleware (rs/cors, gin-contrib/cors,
// fiber's cors). The zero value allows no cross-origin requests at all.
type CORS struct {
	// AllowedOrigins lists the exact origins allowed, e.g.
	// "https://app.example.com". Empty means none (same-origin only).
	// A "*" entry is refused: use AllowAnyOrigin to mean it.
	AllowedOrigins []string
	// AllowAnyOrigin allows every origin. It cannot be combined with
	// AllowCredentials. Default false.
	AllowAnyOrigin bool
	// AllowCredentials lets browsers send cookies; only with explicit
	// origins. Default false.
	AllowCredentials bool
	// AllowedHeaders are the request headers allowed. Default
	// Content-Type and Authorization.
	AllowedHeaders []string
	// MaxAge is how long browsers may cache a preflight. Default 10 minutes.
	MaxAge time.Duration
}

// Methods are the methods the token endpoints answer cross-origin.
var corsMethods = []string{"GET", "POST"}

// Normalize validates c and fills in the defaults. Adapters call it.
func (c CORS) Normalize() (CORS, error) {
	if c.AllowAnyOrigin && c.AllowCredentials {
		return c, fmt.Errorf("%w: CORS: credentials cannot be allowed for any origin", core.ErrConfig)
	}
	if c.AllowAnyOrigin && len(c.AllowedOrigins) > 0 {
		return c, fmt.Errorf("%w: CORS: AllowAnyOrigin and AllowedOrigins are exclusive", core.ErrConfig)
	}
	origins := make([]string, 0, len(c.AllowedOrigins))
	for _, o := range c.AllowedOrigins {
		if strings.Contains(o, "*") {
			return c, fmt.Errorf("%w: CORS: wildcard origin %q; list exact origins or set AllowAnyOrigin", core.ErrConfig, o)
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
			return c, fmt.Errorf("%w: CORS: origin %q must be scheme://host[:port]", core.ErrConfig, o)
		}
		origins = append(origins, u.Scheme+"://"+u.Host)
	}
	c.AllowedOrigins = origins
	if len(c.AllowedHeaders) == 0 {
		c.AllowedHeaders = []string{"Content-Type", "Authorization"}
	}
	if c.MaxAge == 0 {
		c.MaxAge = 10 * time.Minute
	}
	return c, nil
}

// Methods returns the methods allowed cross-origin.
func (c CORS) Methods() []string { return append([]string(nil), corsMethods...) }

// Enabled reports whether any cross-origin request is allowed.
func (c CORS) Enabled() bool { return c.AllowAnyOrigin || len(c.AllowedOrigins) > 0 }
