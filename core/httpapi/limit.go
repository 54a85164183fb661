package httpapi

import (
	"context"
	"net"
	"strings"

	"github.com/rtctoken/rtctoken/core"
)

// allow asks the limiter for the identity and, when configured, the client IP.
func (a *API) allow(r Request, id core.Identity, req core.Request) error {
	if a.limiter == nil {
		return nil
	}
	// Unknown providers and kinds are refused before they can name a
	// limiter bucket.
	if _, err := a.svc.Kind(req.Provider, req.Kind); err != nil {
		return err
	}
	ctx := r.Context()
	key := core.LimitKey{Scope: "user", Subject: id.UserID, Provider: req.Provider, Kind: req.Kind}
	if err := a.limiter.Allow(ctx, key); err != nil {
		a.limited(ctx, req, err)
		return err
	}
	if a.clientIP != nil {
		if ip := a.clientIP(r); ip != "" {
			key.Scope, key.Subject = "ip", ip
			if err := a.limiter.Allow(ctx, key); err != nil {
				a.limited(ctx, req, err)
				return err
			}
		}
	}
	return nil
}

func (a *API) limited(ctx context.Context, req core.Request, err error) {
	if a.obs != nil && core.CodeOf(err) == core.CodeRateLimited {
		a.obs.RateLimited(ctx, req.Provider, req.Kind)
	}
}

// RemoteAddrer is implemented by request views that know the peer address.
type RemoteAddrer interface{ RemoteAddr() string }

// RemoteIP returns a ClientIP function that uses the TCP peer address: right
// when clients connect directly.
func RemoteIP() func(Request) string {
	return func(r Request) string {
		ra, ok := r.(RemoteAddrer)
		if !ok {
			return ""
		}
		return hostOnly(ra.RemoteAddr())
	}
}

// ForwardedFor returns a ClientIP function for apps behind trusted proxies:
// it walks X-Forwarded-For from the right, skipping addresses inside the
// trusted networks, and returns the first untrusted one (the client as seen
// by the outermost trusted proxy). Without a header it uses the peer address.
func ForwardedFor(trusted ...*net.IPNet) func(Request) string {
	isTrusted := func(ip net.IP) bool {
		for _, n := range trusted {
			if n.Contains(ip) {
				return true
			}
		}
		return false
	}
	peer := RemoteIP()
	return func(r Request) string {
		p := peer(r)
		if ip := net.ParseIP(p); ip == nil || !isTrusted(ip) {
			return p
		}
		parts := strings.Split(r.Header("X-Forwarded-For"), ",")
		for i := len(parts) - 1; i >= 0; i-- {
			s := strings.TrimSpace(parts[i])
			ip := net.ParseIP(s)
			if ip == nil {
				return p
			}
			if !isTrusted(ip) {
				return ip.String()
			}
		}
		return p
	}
}

func hostOnly(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}
