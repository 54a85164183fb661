package netaddr

import (
	"net/netip"
	"testing"
)

func TestParse(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.1":            "192.0.2.1",
		"192.0.2.1:443":        "192.0.2.1",
		"[2001:db8::1]:443":    "2001:db8::1",
		"2001:db8::1":          "2001:db8::1",
		"fe80::1%eth0":         "fe80::1",
		"::ffff:192.0.2.1":     "192.0.2.1",
		"[::ffff:192.0.2.1]:1": "192.0.2.1",
	} {
		a, ok := Parse(in)
		if !ok || a.String() != want {
			t.Errorf("Parse(%q) = %v %v, want %s", in, a, ok, want)
		}
	}
	for _, in := range []string{"", "localhost", "192.0.2.1:", "300.0.0.1", "unix:/tmp/s"} {
		if a, ok := Parse(in); ok {
			t.Errorf("Parse(%q) = %v, want no address", in, a)
		}
	}
}

func TestIn(t *testing.T) {
	mapped := []netip.Prefix{netip.MustParsePrefix("::ffff:10.0.0.0/104")}
	for _, tc := range []struct {
		addr     string
		prefixes []netip.Prefix
		want     bool
	}{
		{"127.0.0.1", Loopback, true},
		{"127.255.0.9", Loopback, true},
		{"::1", Loopback, true},
		{"10.0.0.1", Loopback, false},
		{"10.1.2.3", mapped, true},
		{"11.1.2.3", mapped, false},
		{"10.1.2.3", nil, false},
	} {
		a, _ := Parse(tc.addr)
		if got := In(a, tc.prefixes); got != tc.want {
			t.Errorf("In(%s, %v) = %v", tc.addr, tc.prefixes, got)
		}
	}
}

func TestSubject(t *testing.T) {
	for _, tc := range []struct {
		in   string
		bits int
		want string
	}{
		{"192.0.2.1", 64, "192.0.2.1"},
		{"::ffff:192.0.2.1", 64, "192.0.2.1"},
		{"2001:db8:1:2:aaaa::1", 64, "2001:db8:1:2::/64"},
		{"2001:db8:1:2:bbbb::9", 64, "2001:db8:1:2::/64"},
		{"2001:db8:1:2:bbbb::9", 48, "2001:db8:1::/48"},
		{"2001:db8:1:2:bbbb::9", 128, "2001:db8:1:2:bbbb::9"},
		{"not-an-ip", 64, "not-an-ip"},
	} {
		if got := Subject(tc.in, tc.bits); got != tc.want {
			t.Errorf("Subject(%q, %d) = %q, want %q", tc.in, tc.bits, got, tc.want)
		}
	}
}

// FuzzParseOrder: trying host:port first gives what trying a bare address
// first gives, for any string.
func FuzzParseOrder(f *testing.F) {
	for _, s := range []string{"192.0.2.1", "192.0.2.1:443", "[2001:db8::1]:443", "2001:db8::1", "[::1]", "fe80::1%eth0", "[fe80::1%eth0]:1", "1:2", ":80"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, wok := netip.Addr{}, false
		if a, err := netip.ParseAddr(s); err == nil {
			want, wok = a.WithZone("").Unmap(), true
		} else if ap, err := netip.ParseAddrPort(s); err == nil {
			want, wok = ap.Addr().WithZone("").Unmap(), true
		}
		if got, ok := Parse(s); got != want || ok != wok {
			t.Fatalf("Parse(%q) = %v %v, want %v %v", s, got, ok, want, wok)
		}
	})
}

// BenchmarkParsePeer is a peer address as net/http's RemoteAddr gives it.
func BenchmarkParsePeer(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := Parse("192.0.2.1:54321"); !ok {
			b.Fatal("not parsed")
		}
	}
}
