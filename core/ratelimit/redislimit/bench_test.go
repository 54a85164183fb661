package redislimit_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/rtctoken/rtctoken/core/ratelimit/redislimit"
	"github.com/rtctoken/rtctoken/internal/redistest"
)

// BenchmarkRedisAllow measures one Allow against a redis-server on
// loopback: one round trip running the GCRA script.
func BenchmarkRedisAllow(b *testing.B) {
	addr, _ := redistest.Start(b)
	ctx := context.Background()
	b.Run("hot", func(b *testing.B) {
		l := newLimiter(b, newClient(b, addr, true), redislimit.WithLimit("user", 1e6, 1e9))
		b.ReportAllocs()
		for b.Loop() {
			if err := l.Allow(ctx, user("alice")); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parallel", func(b *testing.B) {
		l := newLimiter(b, newClient(b, addr, true), redislimit.WithLimit("user", 1e6, 1e9))
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				_ = l.Allow(ctx, user(strconv.Itoa(i&1023)))
			}
		})
	})
}
