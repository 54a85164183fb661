package redislimit_test

import (
	"log"
	"log/slog"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/ratelimit"
	"github.com/rtctoken/rtctoken/core/ratelimit/redislimit"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// Every instance of the app builds the same limiter over the same Redis and
// so shares one budget per user and per client address.
func ExampleNew() {
	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379", ContextTimeoutEnabled: true})
	lim, err := redislimit.New(rdb,
		redislimit.WithLimit("user", rate.Every(3*time.Second), 20),
		redislimit.WithLimit("ip", 2, 100),
		redislimit.WithKindLimit("zoom", "meeting", rate.Every(time.Minute), 3),
		redislimit.Per(ratelimit.Subject),
		redislimit.WithFailurePolicy(redislimit.FailClosed),
		redislimit.WithTimeout(50*time.Millisecond),
		redislimit.WithLogger(slog.Default()),
	)
	if err != nil {
		log.Fatal(err)
	}
	svc, err := core.NewService(nil) // the app's providers go here
	if err != nil {
		log.Fatal(err)
	}
	api, err := httpapi.New(httpapi.Config{
		Service:  svc,
		Resolver: resolve.TrustedHeader(nil, "X-Forwarded-User"), // from a proxy on this machine
		Limiter:  lim,
		ClientIP: httpapi.RemoteIP(),
	})
	if err != nil {
		log.Fatal(err)
	}
	_ = api // mount it with nethttp, ginmw or fibermw
}
