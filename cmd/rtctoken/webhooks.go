package main

import (
	"context"
	"log/slog"
	"net/http"
	"strings"

	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/nethttp"
)

// webhookPrefix is where serve mounts the webhook receivers:
// /webhooks/<vendor>.
const webhookPrefix = "/webhooks/"

// writeWebhookUsage writes the webhook part of serve's usage.
func writeWebhookUsage(b *strings.Builder) {
	b.WriteString(`
Webhook receivers: each configured one answers POST ` + webhookPrefix + `{vendor} (agora,
tencent_chat, trtc, zoom, zego), verifying the vendor's signature over the raw
body, acknowledging a duplicate without handling it twice, and writing one
JSON log line per event (vendor, type, id; never the body). Serve them over
HTTPS (a TLS proxy): Tencent Chat and ZEGO do not sign the body.

Webhook variables (a receiver is enabled when any of its variables is set; each
secret also has a _FILE twin):
`)
	for _, v := range config.WebhookVars() {
		req := "Optional. "
		if v.Required {
			req = "Required. "
		}
		writeVar(b, v.Name, req+v.Description)
	}
}

// withWebhooks returns h with the configured webhook receivers mounted in
// front of it, each at /webhooks/<vendor>, and the function that releases
// what they hold. With no receiver configured it returns h.
func (c *cli) withWebhooks(h http.Handler, log *slog.Logger) (http.Handler, func(), error) {
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
	store, closeStore, storeName, err := c.webhookStore()
	if err != nil {
		return nil, nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/", h)
	for _, vendor := range hooks.Enabled() {
		rc, err := webhook.New(webhook.Config{Scheme: schemes[vendor], Default: logEvent(log), Store: store, Logger: log})
		if err != nil {
			closeStore()
			return nil, nil, err
		}
		mux.Handle(webhookPrefix+vendor, nethttp.Webhook(rc))
	}
	log.Info("rtctoken webhooks", "receivers", hooks.Enabled(), "prefix", webhookPrefix, "dedupe", storeName)
	return mux, closeStore, nil
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

// webhookStore is the receivers' dedupe store, in memory.
func (c *cli) webhookStore() (webhook.Store, func(), string, error) {
	return webhook.NewMemoryStore(webhook.DefaultStoreSize), func() {}, "memory", nil
}
