package usersig

import (
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// The vendor's demo application and key, and a fixed issue time.
const (
	benchApp = 1400000000
	benchKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
)

var benchNow = time.Unix(1700000000, 0)

func benchSigner(b *testing.B, style Style) *Signer {
	b.Helper()
	s, err := NewSigner(benchApp, core.NewSecret(benchKey), style)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkUserSig is the low-level issue path in each layout (v1.3
// compresses with compress/zlib at level 6).
func BenchmarkUserSig(b *testing.B) {
	for _, style := range []Style{StyleGo14, StyleGo13} {
		b.Run(style.String(), func(b *testing.B) {
			s := benchSigner(b, style)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.UserSig("xiaojun", 86400, benchNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPrivateMapKey(b *testing.B) {
	s := benchSigner(b, StyleGo14)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PrivateMapKeyWithStringRoomID("xiaojun", 3600, benchNow, "lobby-1", PrivSubscribe); err != nil {
			b.Fatal(err)
		}
	}
}
