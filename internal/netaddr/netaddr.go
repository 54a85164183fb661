// Package netaddr reads client and peer IP addresses in one canonical form
// for the trust decisions of core/resolve and core/httpapi.
package netaddr

import (
	"net/netip"
	"strings"
)

// Loopback is this machine: 127.0.0.0/8 and ::1.
var Loopback = []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}

// Parse reads an IP address, with or without a port ("192.0.2.1",
// "192.0.2.1:443", "[2001:db8::1]:443", "2001:db8::1"), in canonical form:
// no IPv6 zone, and an IPv4-mapped IPv6 address as plain IPv4. It reports
// false for anything else.
func Parse(s string) (netip.Addr, bool) {
	// A peer address is usually "host:port": try that first, so that the
	// common case does not build ParseAddr's error (BenchmarkParsePeer:
	// 189 ns and 1 alloc before, 57 ns and none after). The two parsers
	// never both accept a string, so the order changes no result.
	if strings.HasPrefix(s, "[") || strings.Count(s, ":") == 1 {
		if ap, err := netip.ParseAddrPort(s); err == nil {
			return ap.Addr().WithZone("").Unmap(), true
		}
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Addr{}, false
	}
	return a.WithZone("").Unmap(), true
}

// In reports whether a (as Parse returns it) is inside one of the prefixes.
// A prefix written as IPv4-mapped IPv6 (::ffff:10.0.0.0/104) also matches
// the plain IPv4 addresses it covers.
func In(a netip.Addr, prefixes []netip.Prefix) bool {
	for _, p := range prefixes {
		if p.Contains(a) {
			return true
		}
		if pa := p.Addr(); pa.Is4In6() && p.Bits() >= 96 && netip.PrefixFrom(pa.Unmap(), p.Bits()-96).Contains(a) {
			return true
		}
	}
	return false
}

// Subject is the rate-limit subject of a client address: an IPv4 address
// stands for itself, an IPv6 address for its network of ipv6Bits bits
// ("2001:db8:1:2::/64"), because one subscriber usually holds a whole /64.
// With ipv6Bits 128 each IPv6 address stands for itself. A string that is
// not an IP address is returned unchanged.
func Subject(s string, ipv6Bits int) string {
	a, ok := Parse(s)
	if !ok {
		return s
	}
	if a.Is4() || ipv6Bits >= 128 {
		return a.String()
	}
	p, err := a.Prefix(ipv6Bits)
	if err != nil {
		return a.String()
	}
	return p.String()
}
