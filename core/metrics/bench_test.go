package metrics_test

import (
	"context"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/metrics"
)

func BenchmarkIssued(b *testing.B) {
	m := metrics.New(metrics.WithService(service(b)))
	ctx := context.Background()
	for _, c := range []struct {
		name, provider, kind string
		code                 core.Code
	}{
		{"known/ok", "agora", "rtc", "ok"},
		{"known/error", "agora", "rtc", core.CodeInvalidRoom},
		{"unknown_kind", "agora", "nope", core.CodeUnknownKind},
		{"unknown_provider", "nope", "rtc", core.CodeUnknownProvider},
	} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				m.Issued(ctx, c.provider, c.kind, c.code, 42*time.Microsecond)
			}
		})
	}
}

func BenchmarkIssuedParallel(b *testing.B) {
	m := metrics.New(metrics.WithService(service(b)))
	ctx := context.Background()
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			m.Issued(ctx, "agora", "rtc", "ok", 42*time.Microsecond)
		}
	})
}

func BenchmarkRateLimited(b *testing.B) {
	m := metrics.New(metrics.WithService(service(b)))
	ctx := context.Background()
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		m.RateLimited(ctx, "agora", "rtc")
	}
}
