package httpapi

import (
	"context"
	"errors"
	"net/http"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// peerView is a request from addr with the given header lines (names in
// canonical form) on top of a view.
type peerView struct {
	view
	addr  string
	lines http.Header
}

func (v peerView) RemoteAddr() string { return v.addr }
func (v peerView) HeaderValues(n string) []string {
	if h := v.lines.Values(n); h != nil {
		return h
	}
	return v.view.HeaderValues(n)
}
func (v peerView) Header(n string) string {
	if h := v.HeaderValues(n); len(h) > 0 {
		return h[0]
	}
	return ""
}

func from(addr string, xff ...string) peerView {
	v := peerView{view: as("u"), addr: addr, lines: http.Header{}}
	for _, l := range xff {
		v.lines.Add("X-Forwarded-For", l)
	}
	return v
}

func TestRemoteIP(t *testing.T) {
	for addr, want := range map[string]string{
		"192.0.2.1:5000":          "192.0.2.1",
		"[2001:db8::1]:5000":      "2001:db8::1",
		"[::ffff:192.0.2.1]:5000": "192.0.2.1",
		"[fe80::1%eth0]:5000":     "fe80::1",
		"192.0.2.1":               "192.0.2.1",
		"@":                       "@",
	} {
		if got := RemoteIP()(from(addr)); got != want {
			t.Errorf("%s: %q, want %q", addr, got, want)
		}
	}
}

func TestForwardedFor(t *testing.T) {
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8"), netip.MustParsePrefix("fd00::/8")}
	ff := ForwardedFor(proxies...)
	cases := []struct {
		name string
		req  peerView
		want string
	}{
		{"direct client ignores the header", from("198.51.100.7:5000", "203.0.113.9"), "198.51.100.7"},
		{"one proxy", from("10.0.0.2:5000", "203.0.113.9"), "203.0.113.9"},
		{"chain of proxies", from("10.0.0.2:5000", "203.0.113.9, 10.0.0.3, 10.0.0.4"), "203.0.113.9"},
		{"client's forged entries on the left", from("10.0.0.2:5000", "1.1.1.1, 2.2.2.2, 203.0.113.9"), "203.0.113.9"},
		// The client sends its own X-Forwarded-For line and the proxy
		// adds a second line instead of appending to the first: the
		// client's forged address comes first and must not be believed.
		{"forged first line", from("10.0.0.2:5000", "1.1.1.1", "203.0.113.9"), "203.0.113.9"},
		{"forged first line, two proxies", from("10.0.0.2:5000", "1.1.1.1, 10.9.9.9", "203.0.113.9, 10.0.0.3"), "203.0.113.9"},
		{"ipv6 client", from("[fd00::2]:5000", "2001:db8::5"), "2001:db8::5"},
		{"mapped client", from("10.0.0.2:5000", "::ffff:203.0.113.9"), "203.0.113.9"},
		{"client with port", from("10.0.0.2:5000", "203.0.113.9:4711"), "203.0.113.9"},
		{"bracketed ipv6 client with port", from("10.0.0.2:5000", "[2001:db8::5]:4711"), "2001:db8::5"},
		{"empty entries skipped", from("10.0.0.2:5000", "203.0.113.9, ,", ""), "203.0.113.9"},
		{"no header", from("10.0.0.2:5000"), "10.0.0.2"},
		{"garbage nearest the peer", from("10.0.0.2:5000", "203.0.113.9, unknown"), "10.0.0.2"},
		{"garbage behind a trusted hop", from("10.0.0.2:5000", "unknown, 10.0.0.3"), "10.0.0.3"},
		{"only trusted hops", from("10.0.0.2:5000", "10.0.0.5, 10.0.0.3"), "10.0.0.5"},
	}
	for _, tc := range cases {
		if got := ff(tc.req); got != tc.want {
			t.Errorf("%s: %q, want %q", tc.name, got, tc.want)
		}
	}
	// The prefixes are copied.
	list := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	ff = ForwardedFor(list...)
	list[0] = netip.MustParsePrefix("198.51.100.0/24")
	if got := ff(from("198.51.100.7:5000", "203.0.113.9")); got != "198.51.100.7" {
		t.Errorf("changed prefix list believed: %q", got)
	}
}

// oncePerKey allows one request per key.
type oncePerKey struct {
	mu   sync.Mutex
	seen map[LimitKey]bool
}

func (l *oncePerKey) Allow(_ context.Context, k LimitKey) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.seen[k] {
		return &RateLimitError{RetryAfter: time.Second}
	}
	l.seen[k] = true
	return nil
}

// TestIPv6BudgetPerPrefix: with one issuance per IP budget, two addresses
// of one /64 share it, and an address of another /64 has its own; IPv4,
// mapped or not, counts per address.
func TestIPv6BudgetPerPrefix(t *testing.T) {
	issue := func(a *API, user, addr string) int {
		r := from(addr)
		r.vals = map[any]any{userKey{}: user}
		return a.Serve(r, "/count/tok", nil).Status
	}
	steps := []struct {
		prefix int
		user   string
		addr   string
		status int
	}{
		{0, "a", "[2001:db8:1:2::1]:5000", 200},
		{0, "b", "[2001:db8:1:2:ffff:ffff:ffff:ffff]:5000", 429}, // same /64
		{0, "c", "[2001:db8:1:3::1]:5000", 200},                  // next /64
		{0, "d", "192.0.2.1:5000", 200},
		{0, "e", "[::ffff:192.0.2.1]:5000", 429}, // the same IPv4 address
		{0, "f", "192.0.2.2:5000", 200},
		{128, "a", "[2001:db8:1:2::1]:5000", 200},
		{128, "b", "[2001:db8:1:2::2]:5000", 200}, // per address
		{128, "c", "[2001:db8:1:2::2]:5000", 429},
		{48, "a", "[2001:db8:1:2::1]:5000", 200},
		{48, "b", "[2001:db8:1:9::1]:5000", 429}, // same /48
	}
	apis := map[int]*API{}
	for _, s := range steps {
		a := apis[s.prefix]
		if a == nil {
			a = newTestAPI(t, &countingProvider{}, &clock{t: time.Unix(1_700_000_000, 0)}, nil, func(c *Config) {
				c.Limiter, c.ClientIP, c.IPv6Prefix = &oncePerKey{seen: map[LimitKey]bool{}}, RemoteIP(), s.prefix
			})
			apis[s.prefix] = a
		}
		if got := issue(a, s.user, s.addr); got != s.status {
			t.Fatalf("/%d %s from %s: %d, want %d", s.prefix, s.user, s.addr, got, s.status)
		}
	}
	for _, bad := range []int{-1, 129} {
		_, err := New(Config{Service: apis[0].svc, Resolver: apis[0].resolver, IPv6Prefix: bad})
		if !errors.Is(err, core.ErrConfig) {
			t.Errorf("IPv6Prefix %d: %v", bad, err)
		}
	}
}
