package redisdedupe_test

import (
	"github.com/redis/go-redis/v9"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/redisdedupe"
)

// Every replica of a receiver shares its dedupe keys through one Redis.
func ExampleNew() {
	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
	defer client.Close()
	scheme, err := webhook.Zoom(webhook.ZoomConfig{Secret: core.NewSecret("zoom-secret-token")})
	if err != nil {
		panic(err)
	}
	rc, err := webhook.New(webhook.Config{Scheme: scheme, Store: redisdedupe.New(client, "myapp:webhook:")})
	if err != nil {
		panic(err)
	}
	_ = rc
}
