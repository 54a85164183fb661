package httpapitest

import (
	"context"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// headerCases are the table rows about headers that appear more than once,
// proxies and client addresses. Every request of the table comes from
// 127.0.0.1, inside the default trust of resolve.TrustedHeader (loopback).
func headerCases(t testing.TB) []Case {
	return []Case{
		// A proxy that appends its own line to the client's forged one:
		// the client's comes first.
		{Name: "trusted header twice", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`,
			HeaderLines: [][2]string{{trustedHeader, "mallory"}, {trustedHeader, "dave"}}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "trusted header twice, first empty", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`,
			HeaderLines: [][2]string{{trustedHeader, ""}, {trustedHeader, "dave"}}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "bearer token twice", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`,
			HeaderLines: [][2]string{{"Authorization", "Bearer " + bearerToken(t, "mallory", time.Hour)}, {"Authorization", "Bearer " + bearerToken(t, "bob", time.Hour)}}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "trusted header once among other lines", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`,
			HeaderLines: [][2]string{{"X-Forwarded-For", "192.0.2.1"}, {trustedHeader, "dave"}, {"X-Forwarded-For", "198.51.100.2"}}, Status: 200, WantUser: "dave"},
	}
}

// headerChecks runs the checks about proxies and client addresses that need
// an API configured otherwise than the table's, and more than one request.
func headerChecks(t *testing.T, start Start, client *http.Client) {
	t.Run("trusted header from a peer that is not a proxy", func(t *testing.T) {
		// The proxies are a network the test client is not in.
		api := NewAPI(t, func(c *httpapi.Config) {
			c.Resolver = resolve.TrustedHeader([]netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, trustedHeader)
		})
		base := start(t, api)
		tc := Case{Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`, Headers: map[string]string{trustedHeader: "dave"}}
		if status, _, body := Do(t, client, base, tc); status != http.StatusUnauthorized {
			t.Fatalf("status %d: %s", status, body)
		}
		// The peer as each adapter reports it is what is checked: from
		// loopback, loopback proxies are believed.
		api = NewAPI(t, func(c *httpapi.Config) {
			c.Resolver = resolve.TrustedHeader([]netip.Prefix{netip.MustParsePrefix("127.0.0.1/32")}, trustedHeader)
		})
		base = start(t, api)
		if status, _, body := Do(t, client, base, tc); status != http.StatusOK {
			t.Fatalf("from the proxy: status %d: %s", status, body)
		}
	})

	t.Run("per-IP budget behind a proxy", func(t *testing.T) {
		// One issuance per client address; the loopback peer is the proxy.
		api := NewAPI(t, func(c *httpapi.Config) {
			c.Limiter = &onePerIP{seen: map[string]bool{}}
			c.ClientIP = httpapi.ForwardedFor(netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128"))
		})
		base := start(t, api)
		steps := []struct {
			user   string
			xff    []string
			status int
		}{
			// The client forges a first line; the proxy adds its own
			// second line with the real address, which is spent.
			{"u1", []string{"192.0.2.66", "203.0.113.9"}, 200},
			{"u2", []string{"203.0.113.9"}, 429},
			// The forged address keeps its own budget.
			{"u3", []string{"192.0.2.66"}, 200},
			// One line, client-written entries on the left.
			{"u4", []string{"192.0.2.67, 203.0.113.10"}, 200},
			{"u5", []string{"192.0.2.68, 203.0.113.10"}, 429},
			// IPv6 clients share a budget per /64.
			{"u6", []string{"2001:db8:1:2::1"}, 200},
			{"u7", []string{"2001:db8:1:2:abcd::7"}, 429},
			{"u8", []string{"2001:db8:1:3::1"}, 200},
			// No header: the peer (the proxy itself) is the client.
			{"u9", nil, 200},
			{"u10", nil, 429},
		}
		for _, s := range steps {
			tc := Case{Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`, Headers: map[string]string{HostUserHeader: s.user}}
			for _, l := range s.xff {
				tc.HeaderLines = append(tc.HeaderLines, [2]string{"X-Forwarded-For", l})
			}
			status, _, body := Do(t, client, base, tc)
			if status != s.status {
				t.Fatalf("%s with X-Forwarded-For %q: status %d, want %d: %s", s.user, s.xff, status, s.status, body)
			}
		}
	})
}

// onePerIP allows one issuance per client address subject and any number
// per user.
type onePerIP struct {
	mu   sync.Mutex
	seen map[string]bool
}

func (l *onePerIP) Allow(_ context.Context, k httpapi.LimitKey) error {
	if k.Scope != "ip" {
		return nil
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen[k.Subject] {
		return &httpapi.RateLimitError{RetryAfter: time.Minute}
	}
	l.seen[k.Subject] = true
	return nil
}
