package ratelimit_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/ratelimit"
)

func ExampleMemory() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	lim, err := ratelimit.NewMemory(
		ratelimit.WithLimit("user", rate.Every(10*time.Second), 2), // 2 at once, then one every 10s
		ratelimit.WithClock(func() time.Time { return now }),       // tests only
	)
	if err != nil {
		log.Fatal(err)
	}
	key := httpapi.LimitKey{Scope: "user", Subject: "alice", Provider: "agora", Kind: "rtc"}
	try := func() {
		var rl *httpapi.RateLimitError
		switch err := lim.Allow(context.Background(), key); {
		case err == nil:
			fmt.Println("allowed")
		case errors.As(err, &rl):
			fmt.Println("refused, retry after", rl.RetryAfter)
		default:
			fmt.Println("error:", err)
		}
	}
	try()
	try()
	try()
	now = now.Add(4 * time.Second)
	try()
	now = now.Add(6 * time.Second)
	try()
	// Output:
	// allowed
	// allowed
	// refused, retry after 10s
	// refused, retry after 6s
	// allowed
}

func ExampleWithKindLimit() {
	now := time.Date(2026, 1, 1, 12, 0, 0, 0, time.UTC)
	lim, err := ratelimit.NewMemory(
		ratelimit.WithLimit("user", rate.Every(time.Minute), 5),
		// Zoom meeting signatures: 1 at once, then one a minute, in their own bucket.
		ratelimit.WithKindLimit("zoom", "meeting", rate.Every(time.Minute), 1),
		ratelimit.WithClock(func() time.Time { return now }),
	)
	if err != nil {
		log.Fatal(err)
	}
	allowed := func(provider, kind string, n int) (ok int) {
		key := httpapi.LimitKey{Scope: "user", Subject: "alice", Provider: provider, Kind: kind}
		for range n {
			if lim.Allow(context.Background(), key) == nil {
				ok++
			}
		}
		return ok
	}
	fmt.Println("zoom/meeting:", allowed("zoom", "meeting", 3))
	fmt.Println("agora/rtc:", allowed("agora", "rtc", 3))
	fmt.Println("tencent/usersig:", allowed("tencent", "usersig", 3)) // shares the default with agora/rtc
	// Output:
	// zoom/meeting: 1
	// agora/rtc: 3
	// tencent/usersig: 2
}
