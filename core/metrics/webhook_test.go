package metrics_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/metrics"
	"github.com/rtctoken/rtctoken/core/webhook"
)

func TestObserveWebhookBoundsLabels(t *testing.T) {
	m := metrics.New()
	m.ObserveWebhook("zoom", "meeting.started", webhook.OutcomeOK, 2*time.Millisecond)
	m.ObserveWebhook("zoom", "meeting.started", webhook.OutcomeDuplicate, time.Millisecond)
	m.ObserveWebhook("zoom", webhook.TypeOther, webhook.OutcomeUnhandled, time.Millisecond)
	m.ObserveWebhook("zoom", "", webhook.OutcomeInvalidSignature, time.Millisecond)
	m.ObserveWebhook("evil-vendor", "x", "made-up-outcome", time.Millisecond)
	for i := range metrics.MaxWebhookTypes + 5 {
		m.ObserveWebhook("agora", "1:"+strconv.Itoa(i), webhook.OutcomeOK, time.Millisecond)
	}
	text := scrape(t, gatherer(t, m))
	expectLines(t, text,
		`rtctoken_webhook_events_total{outcome="ok",type="meeting.started",vendor="zoom"} 1`,
		`rtctoken_webhook_events_total{outcome="duplicate",type="meeting.started",vendor="zoom"} 1`,
		`rtctoken_webhook_events_total{outcome="unhandled",type="other",vendor="zoom"} 1`,
		`rtctoken_webhook_events_total{outcome="invalid_signature",type="none",vendor="zoom"} 1`,
		`rtctoken_webhook_events_total{outcome="other",type="x",vendor="other"} 1`,
		`rtctoken_webhook_events_total{outcome="ok",type="1:63",vendor="agora"} 1`,
		`rtctoken_webhook_events_total{outcome="ok",type="other",vendor="agora"} 5`,
		`rtctoken_webhook_duration_seconds_count{outcome="ok",vendor="zoom"} 1`,
		`rtctoken_webhook_duration_seconds_bucket{outcome="ok",vendor="zoom",le="0.0025"} 1`,
		`rtctoken_webhook_duration_seconds_bucket{outcome="ok",vendor="zoom",le="0.001"} 0`,
	)
	if bytes.Contains([]byte(text), []byte(`type="1:64"`)) {
		t.Error("more than MaxWebhookTypes types counted apart")
	}
}

// webhookRequest is a minimal webhook.Request.
type webhookRequest struct{ h http.Header }

func (r webhookRequest) Context() context.Context          { return context.Background() }
func (r webhookRequest) Method() string                    { return http.MethodPost }
func (r webhookRequest) Header(name string) string         { return r.h.Get(name) }
func (r webhookRequest) HeaderValues(name string) []string { return r.h.Values(name) }
func (r webhookRequest) RemoteAddr() string                { return "192.0.2.1:1" }
func (r webhookRequest) Cookie(string) (string, bool)      { return "", false }
func (r webhookRequest) Value(any) any                     { return nil }
func (r webhookRequest) RawQuery() string                  { return "" }

// TestWebhookReceiverObserver counts what a Receiver reports: a dispatched
// callback, its duplicate, an unhandled type and a forgery.
func TestWebhookReceiverObserver(t *testing.T) {
	m := metrics.New()
	scheme, err := webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret("s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1796169600, 0)
	rc, err := webhook.New(webhook.Config{
		Scheme: scheme, Observer: m, Logger: discardLogger(), Now: func() time.Time { return now },
		Handlers: map[string]webhook.Handler{"1:103": webhook.HandlerFunc(func(context.Context, webhook.Event) error { return nil })},
	})
	if err != nil {
		t.Fatal(err)
	}
	serve := func(notice string, event int, sign bool) {
		body := fmt.Appendf(nil, `{"noticeId":%q,"productId":1,"eventType":%d,"notifyMs":%d,"payload":{}}`, notice, event, now.UnixMilli())
		mac := hmac.New(sha256.New, []byte("s3cret"))
		mac.Write(body)
		if !sign {
			mac.Write([]byte("x"))
		}
		rc.Serve(webhookRequest{http.Header{"Agora-Signature-V2": {hex.EncodeToString(mac.Sum(nil))}}}, bytes.NewReader(body))
	}
	serve("n1", 103, true)
	serve("n1", 103, true)
	serve("n2", 999, true)
	serve("n3", 103, false)
	expectLines(t, scrape(t, gatherer(t, m)),
		`rtctoken_webhook_events_total{outcome="ok",type="1:103",vendor="agora"} 1`,
		`rtctoken_webhook_events_total{outcome="duplicate",type="1:103",vendor="agora"} 1`,
		`rtctoken_webhook_events_total{outcome="unhandled",type="other",vendor="agora"} 1`,
		`rtctoken_webhook_events_total{outcome="invalid_signature",type="none",vendor="agora"} 1`,
		`rtctoken_webhook_duration_seconds_count{outcome="ok",vendor="agora"} 1`,
	)
}
