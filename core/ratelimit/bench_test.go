package ratelimit_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/ratelimit"
)

func BenchmarkMemoryAllow(b *testing.B) {
	ctx := context.Background()
	b.Run("hot-allowed", func(b *testing.B) {
		m, _ := ratelimit.NewMemory(ratelimit.WithLimit("user", 1e9, 1e9))
		key := user("alice", "agora", "rtc")
		b.ReportAllocs()
		for b.Loop() {
			if err := m.Allow(ctx, key); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("hot-refused", func(b *testing.B) {
		m, _ := ratelimit.NewMemory(ratelimit.WithLimit("user", rate.Every(time.Hour), 1))
		key := user("alice", "agora", "rtc")
		_ = m.Allow(ctx, key)
		b.ReportAllocs()
		for b.Loop() {
			if m.Allow(ctx, key) == nil {
				b.Fatal("allowed")
			}
		}
	})
	b.Run("hot-parallel", func(b *testing.B) {
		m, _ := ratelimit.NewMemory(ratelimit.WithLimit("user", 1e9, 1e9))
		keys := distinctKeys(1024)
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			for i := 0; pb.Next(); i++ {
				_ = m.Allow(ctx, keys[i&1023])
			}
		})
	})
	// Every call is a new key in a limiter at its cap: insertion plus the
	// eviction of another key, the cost of a flood of distinct addresses.
	b.Run("distinct", func(b *testing.B) {
		m, _ := ratelimit.NewMemory(ratelimit.WithMaxKeys(1 << 16))
		keys := distinctKeys(1 << 20)
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			_ = m.Allow(ctx, keys[i&(1<<20-1)])
		}
	})
}

func distinctKeys(n int) []httpapi.LimitKey {
	keys := make([]httpapi.LimitKey, n)
	for i := range keys {
		keys[i] = httpapi.LimitKey{Scope: "ip", Subject: "10." + strconv.Itoa(i>>16&255) + "." + strconv.Itoa(i>>8&255) + "." + strconv.Itoa(i&255), Provider: "agora", Kind: "rtc"}
	}
	return keys
}
