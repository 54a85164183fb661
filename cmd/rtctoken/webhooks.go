package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/redisdedupe"
	"github.com/rtctoken/rtctoken/nethttp"
)

// webhookPrefix is where serve mounts the webhook receivers:
// /webhooks/<vendor>.
const webhookPrefix = "/webhooks/"

// envRedisURL names the Redis that the webhook receivers share their
// dedupe keys through, so that several serve instances dispatch a
// callback once.
const envRedisURL = "RTCTOKEN_REDIS_URL"

// Timeouts of the dedupe store's Redis calls: a callback's whole answer
// must stay within the vendors' deadlines (2 s for Tencent Chat).
const (
	redisDialTimeout = time.Second
	redisIOTimeout   = 500 * time.Millisecond
)

// writeWebhookUsage writes the webhook part of serve's usage.
func writeWebhookUsage(b *strings.Builder) {
	b.WriteString(`
Webhook receivers: each configured one answers POST ` + webhookPrefix + `{vendor} (agora,
tencent_chat, trtc, zoom, zego, livekit), verifying the vendor's signature over the raw
body, acknowledging a duplicate without handling it twice, and writing one
JSON log line per event (vendor, type, id; never the body). Serve them over
HTTPS (a TLS proxy): Tencent Chat and ZEGO do not sign the body.

Webhook variables (a receiver is enabled when any of its variables is set,
LiveKit's by RTCTOKEN_LIVEKIT_WEBHOOK=1 on the LiveKit API key pair; each secret
also has a _FILE twin):
`)
	for _, v := range config.WebhookVars() {
		req := "Optional. "
		if v.Required {
			req = "Required. "
		}
		writeVar(b, v.Name, req+v.Description)
	}
	writeVar(b, envRedisURL, "Optional. redis:// or rediss:// URL of a Redis the receivers keep their dedupe keys in, shared by every instance (default: in memory, this process only). While it does not answer, callbacks get 503 and the vendors retry.")
}

// withWebhooks returns h with the configured webhook receivers mounted in
// front of it, each at /webhooks/<vendor> and told to obs (nil: none), and
// the function that releases what they hold. With no receiver configured
// it returns h.
func (c *cli) withWebhooks(h http.Handler, log *slog.Logger, obs webhook.Observer) (http.Handler, func(), error) {
	hooks, err := config.LoadWebhooks(c.env)
	if err != nil {
		return nil, nil, err
	}
	schemes, err := hooks.Schemes()
	if err != nil {
		return nil, nil, err
	}
	if len(schemes) == 0 {
		return h, func() {}, nil
	}
	store, closeStore, storeName, err := c.webhookStore(log)
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	for _, vendor := range hooks.Enabled() {
		rc, err := webhook.New(webhook.Config{Scheme: schemes[vendor], Default: logEvent(log), Store: store, Logger: log, Observer: obs})
		if err != nil {
			closeStore()
			return nil, nil, err
		}
		mux.Handle(webhookPrefix+vendor, nethttp.Webhook(rc))
	}
	log.Info("rtctoken webhooks", "receivers", hooks.Enabled(), "prefix", webhookPrefix, "dedupe", storeName)
	return mux, closeStore, nil
}

// anyWebhook reports whether a webhook receiver is configured (its
// problems, if any, are reported by withWebhooks).
func (c *cli) anyWebhook() bool {
	hooks, err := config.LoadWebhooks(c.env)
	return err != nil || len(hooks.Enabled()) > 0
}

// logEvent is the receivers' handler: one log line per verified event,
// its vendor, type, id and signed time, never its payload.
func logEvent(log *slog.Logger) webhook.Handler {
	return webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
		log.LogAttrs(ctx, slog.LevelInfo, "rtctoken webhook event",
			slog.String("vendor", ev.Vendor), slog.String("type", ev.Type), slog.String("id", ev.ID),
			slog.Time("signed_at", ev.Time), slog.Int("bytes", len(ev.Payload)))
		return nil
	})
}

// webhookStore is the receivers' dedupe store: on the Redis at
// RTCTOKEN_REDIS_URL, or in memory.
func (c *cli) webhookStore(log *slog.Logger) (webhook.Store, func(), string, error) {
	u, _ := c.env(envRedisURL)
	if u = strings.TrimSpace(u); u == "" {
		return webhook.NewMemoryStore(webhook.DefaultStoreSize), func() {}, "memory", nil
	}
	opt, err := redis.ParseURL(u)
	if err != nil {
		// ParseURL's error may quote the URL, password included.
		return nil, nil, "", fmt.Errorf("%w: %s is not a redis:// or rediss:// URL", core.ErrConfig, envRedisURL)
	}
	opt.DialTimeout, opt.ReadTimeout, opt.WriteTimeout = redisDialTimeout, redisIOTimeout, redisIOTimeout
	client := redis.NewClient(opt)
	ctx, cancel := context.WithTimeout(context.Background(), 2*redisDialTimeout)
	defer cancel()
	if err := client.Ping(ctx).Err(); err != nil {
		log.Warn("the webhooks' Redis does not answer yet; callbacks get 503 until it does", "var", envRedisURL)
	}
	return redisdedupe.New(client, ""), func() { _ = client.Close() }, "redis", nil
}
