package metrics

import (
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rtctoken/rtctoken/core/webhook"
)

// WebhookBuckets are the webhook duration histogram buckets in seconds,
// from 100µs to 10 s: a callback's time includes its handler's, and
// vendors allow 2 to 10 s for the answer.
var WebhookBuckets = []float64{
	0.0001, 0.00025, 0.0005,
	0.001, 0.0025, 0.005,
	0.01, 0.025, 0.05,
	0.1, 0.25, 0.5,
	1, 2.5, 5, 10,
}

// MaxWebhookTypes bounds the event types counted apart for one vendor;
// further types are counted as Other.
const MaxWebhookTypes = 64

// TypeNone is the type label of a callback that did not verify.
const TypeNone = "none"

// webhookVendors and webhookOutcomes are the label values of their own;
// any other is counted as Other.
var (
	webhookVendors  = []string{"agora", "tencent_chat", "trtc", "zoom", "zego", "livekit"}
	webhookOutcomes = []string{
		webhook.OutcomeOK, webhook.OutcomeDuplicate, webhook.OutcomeUnhandled, webhook.OutcomeChallenge,
		webhook.OutcomeHandlerError, webhook.OutcomeStoreError, webhook.OutcomeInvalidSignature,
		webhook.OutcomeStale, webhook.OutcomeMalformed, webhook.OutcomeBodyTooLarge,
		webhook.OutcomeUnsupportedMedia, webhook.OutcomeMethodNotAllowed,
	}
)

var _ webhook.Observer = (*Metrics)(nil)

type webhookMetrics struct {
	events  *prometheus.CounterVec   // vendor, type, outcome
	latency *prometheus.HistogramVec // vendor, outcome

	mu    sync.Mutex
	types map[string]map[string]bool // vendor -> types counted apart
}

func newWebhookMetrics(set settings) webhookMetrics {
	return webhookMetrics{
		events: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: set.namespace, Name: "webhook_events_total",
			Help:        `Vendor callbacks by vendor, event type and outcome ("ok", "duplicate", "invalid_signature", ...).`,
			ConstLabels: set.constant,
		}, []string{"vendor", "type", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: set.namespace, Name: "webhook_duration_seconds",
			Help:        "Time spent answering a vendor callback, its handler included, by vendor and outcome.",
			Buckets:     WebhookBuckets,
			ConstLabels: set.constant,
		}, []string{"vendor", "outcome"}),
		types: map[string]map[string]bool{},
	}
}

// ObserveWebhook implements webhook.Observer: it counts the callback and
// records its duration. The receiver gives as eventType only types with a
// handler of their own, webhook.TypeOther or "" (counted as TypeNone); in
// any case no more than MaxWebhookTypes types per vendor are counted
// apart. Unknown vendors and outcomes are counted as Other.
func (m *Metrics) ObserveWebhook(vendor, eventType, outcome string, d time.Duration) {
	w := &m.webhooks
	if !slices.Contains(webhookVendors, vendor) {
		vendor = Other
	}
	if !slices.Contains(webhookOutcomes, outcome) {
		outcome = Other
	}
	eventType = w.typeLabel(vendor, eventType)
	w.events.WithLabelValues(vendor, eventType, outcome).Inc()
	w.latency.WithLabelValues(vendor, outcome).Observe(d.Seconds())
}

func (w *webhookMetrics) typeLabel(vendor, t string) string {
	switch t {
	case "":
		return TypeNone
	case webhook.TypeOther: // = Other
		return Other
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	seen := w.types[vendor]
	if seen == nil {
		seen = map[string]bool{}
		w.types[vendor] = seen
	}
	if !seen[t] {
		if len(seen) >= MaxWebhookTypes {
			return Other
		}
		seen[t] = true
	}
	return t
}
