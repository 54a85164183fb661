package metrics_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/metrics"
)

func Example() {
	svc, err := core.NewService([]core.Provider{
		fake{name: "zoom", kinds: []core.KindSpec{kind("video", false)}},
	})
	if err != nil {
		panic(err)
	}
	m := metrics.New(metrics.WithService(svc))
	reg := prometheus.NewRegistry()
	if err := m.Register(reg); err != nil {
		panic(err)
	}
	// httpapi.Config{Observer: m} makes these calls; here they are made by hand.
	ctx := context.Background()
	m.Issued(ctx, "zoom", "video", "ok", 30*time.Microsecond)
	m.Issued(ctx, "zoom", "video", core.CodeForbidden, 20*time.Microsecond)
	m.Issued(ctx, "zoom", "../admin", core.CodeUnknownKind, 5*time.Microsecond)

	rec := httptest.NewRecorder()
	promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	for _, line := range strings.Split(rec.Body.String(), "\n") {
		if strings.HasPrefix(line, "rtctoken_issue_requests_total{") {
			fmt.Println(line)
		}
	}
	// Output:
	// rtctoken_issue_requests_total{kind="other",outcome="ok",provider="other"} 0
	// rtctoken_issue_requests_total{kind="other",outcome="ok",provider="zoom"} 0
	// rtctoken_issue_requests_total{kind="other",outcome="unknown_kind",provider="zoom"} 1
	// rtctoken_issue_requests_total{kind="video",outcome="forbidden",provider="zoom"} 1
	// rtctoken_issue_requests_total{kind="video",outcome="ok",provider="zoom"} 1
}
