package httpapi

import (
	"context"
	"net"
	"net/netip"
	"slices"
	"strings"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/netaddr"
)

// allow spends one unit of the caller's budgets for one requested
// credential: the identity's first, then, when ClientIP is configured, the
// client address's; the first refusal answers. Serve calls it once the
// request is well formed and names a kind the contract serves (servable),
// and before the service's rules and the authorizer, so those refusals
// spend budget and nothing before them does.
func (a *API) allow(r Request, id core.Identity, req core.Request) error {
	if a.limiter == nil {
		return nil
	}
	ctx := r.Context()
	key := LimitKey{Scope: "user", Subject: id.UserID, Provider: req.Provider, Kind: req.Kind}
	if err := a.limiter.Allow(ctx, key); err != nil {
		a.limited(ctx, req, err)
		return err
	}
	if a.clientIP != nil {
		if ip := a.clientIP(r); ip != "" {
			key.Scope, key.Subject = "ip", netaddr.Subject(ip, a.ipv6Bits)
			if err := a.limiter.Allow(ctx, key); err != nil {
				a.limited(ctx, req, err)
				return err
			}
		}
	}
	return nil
}

func (a *API) limited(ctx context.Context, req core.Request, err error) {
	if a.obs != nil && core.CodeOf(err) == CodeRateLimited {
		a.obs.RateLimited(ctx, req.Provider, req.Kind)
	}
}

// RemoteIP returns a ClientIP function that uses the TCP peer address: right
// when clients connect directly.
func RemoteIP() func(Request) string {
	return func(r Request) string {
		if a, ok := netaddr.Parse(r.RemoteAddr()); ok {
			return a.String()
		}
		return hostOnly(r.RemoteAddr())
	}
}

// ForwardedFor returns a ClientIP function for apps behind proxies whose
// addresses are inside the trusted prefixes. When the TCP peer is trusted,
// it joins every X-Forwarded-For line in order and walks the addresses from
// the right, skipping trusted ones, and returns the first untrusted address:
// the client as seen by the outermost trusted proxy. Addresses to its left
// were written by the client and are never believed, whichever line they
// came on. An entry that is not an IP address stops the walk at the last
// trusted address, and when every address is trusted the leftmost one is
// the client. When the peer is not trusted, or sends no header, the peer
// address is the client.
func ForwardedFor(trusted ...netip.Prefix) func(Request) string {
	trusted = slices.Clone(trusted)
	return func(r Request) string {
		peer, ok := netaddr.Parse(r.RemoteAddr())
		if !ok {
			return hostOnly(r.RemoteAddr())
		}
		if !netaddr.In(peer, trusted) {
			return peer.String()
		}
		hops := strings.Split(strings.Join(r.HeaderValues("X-Forwarded-For"), ","), ",")
		client := peer
		for i := len(hops) - 1; i >= 0; i-- {
			s := strings.TrimSpace(hops[i])
			if s == "" {
				continue
			}
			ip, ok := netaddr.Parse(s)
			if !ok {
				break
			}
			client = ip
			if !netaddr.In(ip, trusted) {
				break
			}
		}
		return client.String()
	}
}

func hostOnly(addr string) string {
	if h, _, err := net.SplitHostPort(addr); err == nil {
		return h
	}
	return addr
}
