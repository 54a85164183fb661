package metrics

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// DefaultNamespace prefixes every metric name unless WithNamespace says
// otherwise.
const DefaultNamespace = "rtctoken"

// Other is the label value that stands for every provider, kind or outcome
// the service does not know. Requests name providers and kinds in their
// paths and bodies, so their raw values are never used as labels.
const Other = "other"

// OutcomeOK is the outcome label of a credential that was issued.
const OutcomeOK = "ok"

// DefaultBuckets are the latency histogram buckets in seconds, from 10µs
// to 1s. Issuing is local HMAC and AES work that takes microseconds; the
// upper buckets catch a slow authorizer or a contended host.
var DefaultBuckets = []float64{
	0.00001, 0.000025, 0.00005,
	0.0001, 0.00025, 0.0005,
	0.001, 0.0025, 0.005,
	0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1,
}

// codes lists the outcome codes that become labels of their own; any other
// code is counted as Other.
var codes = [...]core.Code{
	core.CodeInvalidRequest, core.CodeInvalidUser, core.CodeInvalidRoom,
	core.CodeInvalidRole, core.CodeInvalidTTL, core.CodeInvalidOption,
	core.CodeUnknownProvider, core.CodeUnknownKind, core.CodeUnauthenticated,
	core.CodeForbidden, httpapi.CodeRateLimited, core.CodeUnavailable,
	httpapi.CodeMethodNotAllowed, httpapi.CodeNotFound, httpapi.CodeBodyTooLarge,
	httpapi.CodeUnsupportedMedia, core.CodeInternal,
}

// outcome indexes: 0 is OutcomeOK, 1..len(codes) the codes, then Other.
const (
	outcomeOK    = 0
	outcomeOther = 1 + len(codes)
	numOutcomes  = outcomeOther + 1
)

var codeIndex = func() map[core.Code]int {
	m := make(map[core.Code]int, len(codes)+1)
	m[OutcomeOK] = outcomeOK
	for i, c := range codes {
		m[c] = 1 + i
	}
	return m
}()

func outcomeLabel(i int) string {
	switch i {
	case outcomeOK:
		return OutcomeOK
	case outcomeOther:
		return Other
	}
	return string(codes[i-1])
}

// Option configures Metrics.
type Option interface{ apply(*settings) }

type settings struct {
	namespace string
	svc       *core.Service
	buckets   []float64
	constant  prometheus.Labels
}

type optionFunc func(*settings)

func (f optionFunc) apply(s *settings) { f(s) }

// WithNamespace sets the metric name prefix. The default is
// DefaultNamespace ("rtctoken"); an empty namespace means no prefix.
func WithNamespace(ns string) Option { return optionFunc(func(s *settings) { s.namespace = ns }) }

// WithService names the service whose providers and kinds become label
// values; any other provider or kind is counted as Other. Without it every
// request is counted under provider and kind Other.
func WithService(svc *core.Service) Option { return optionFunc(func(s *settings) { s.svc = svc }) }

// WithBuckets sets the latency histogram buckets (upper bounds in seconds).
// The bounds are sorted and duplicates and NaN dropped; no bounds at all
// keeps DefaultBuckets.
func WithBuckets(b ...float64) Option {
	var out []float64
	for _, v := range b {
		if !math.IsNaN(v) && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	slices.Sort(out)
	return optionFunc(func(s *settings) {
		if len(out) > 0 {
			s.buckets = out
		}
	})
}

// WithConstLabels adds labels with fixed values to every metric (an
// instance or tenant name, say).
func WithConstLabels(l prometheus.Labels) Option {
	return optionFunc(func(s *settings) { s.constant = l })
}

// Metrics records rtctoken issuance in Prometheus metrics. It implements
// httpapi.Observer and prometheus.Collector and is safe for concurrent use.
// Nothing is registered until the host calls Register or registers it
// itself.
type Metrics struct {
	requests *prometheus.CounterVec   // provider, kind, outcome
	latency  *prometheus.HistogramVec // provider, kind
	limited  *prometheus.CounterVec   // provider, kind
	resolver prometheus.Counter
	webhooks webhookMetrics

	providers map[string]*provider
	other     *pair // unknown provider
}

var (
	_ httpapi.Observer     = (*Metrics)(nil)
	_ prometheus.Collector = (*Metrics)(nil)
)

type provider struct {
	kinds map[string]*pair
	other *pair // known provider, unknown kind
}

// pair holds the label children of one provider/kind pair, so recording
// takes two map lookups and no allocation.
type pair struct {
	provider, kind string
	latency        prometheus.Observer
	limited        prometheus.Counter
	ok             prometheus.Counter

	// The other outcomes' children, made on first use (index outcomeOK
	// stays unused: ok is made eagerly).
	once     [numOutcomes]sync.Once
	outcomes [numOutcomes]prometheus.Counter
}

// New returns Metrics for the providers and kinds of the service given with
// WithService.
func New(opts ...Option) *Metrics {
	set := settings{namespace: DefaultNamespace, buckets: DefaultBuckets}
	for _, o := range opts {
		if o != nil {
			o.apply(&set)
		}
	}
	m := &Metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: set.namespace, Name: "issue_requests_total",
			Help:        `Credential requests by provider, kind and outcome ("ok" when a credential was issued, else the error code).`,
			ConstLabels: set.constant,
		}, []string{"provider", "kind", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Namespace: set.namespace, Name: "issue_duration_seconds",
			Help:        "Time spent handling a credential request, by provider and kind.",
			Buckets:     set.buckets,
			ConstLabels: set.constant,
		}, []string{"provider", "kind"}),
		limited: prometheus.NewCounterVec(prometheus.CounterOpts{
			Namespace: set.namespace, Name: "rate_limited_total",
			Help:        "Credential requests refused by the rate limiter, by provider and kind.",
			ConstLabels: set.constant,
		}, []string{"provider", "kind"}),
		resolver: prometheus.NewCounter(prometheus.CounterOpts{
			Namespace: set.namespace, Name: "resolver_failures_total",
			Help:        "Requests whose credential (session, JWT) was present but invalid.",
			ConstLabels: set.constant,
		}),
		providers: map[string]*provider{},
	}
	m.webhooks = newWebhookMetrics(set)
	m.other = m.newPair(Other, Other)
	if set.svc != nil {
		for _, info := range set.svc.Providers() {
			p := &provider{kinds: make(map[string]*pair, len(info.Kinds)), other: m.newPair(info.Provider, Other)}
			for _, k := range info.Kinds {
				p.kinds[k] = m.newPair(info.Provider, k)
			}
			m.providers[info.Provider] = p
		}
	}
	return m
}

func (m *Metrics) newPair(provider, kind string) *pair {
	p := &pair{
		provider: provider, kind: kind,
		latency: m.latency.WithLabelValues(provider, kind),
		limited: m.limited.WithLabelValues(provider, kind),
		ok:      m.requests.WithLabelValues(provider, kind, OutcomeOK),
	}
	return p
}

// lookup returns the children for a provider/kind pair, folding unknown
// values into Other.
func (m *Metrics) lookup(provider, kind string) *pair {
	p, ok := m.providers[provider]
	if !ok {
		return m.other
	}
	if k, ok := p.kinds[kind]; ok {
		return k
	}
	return p.other
}

// counter returns the request counter of an outcome, creating the child on
// first use so that only outcomes that happened are exported.
func (m *Metrics) counter(p *pair, code core.Code) prometheus.Counter {
	if code == OutcomeOK {
		return p.ok
	}
	i, ok := codeIndex[code]
	if !ok {
		i = outcomeOther
	}
	p.once[i].Do(func() {
		p.outcomes[i] = m.requests.WithLabelValues(p.provider, p.kind, outcomeLabel(i))
	})
	return p.outcomes[i]
}

// Issued implements httpapi.Observer: it counts the request under its
// outcome and records its latency.
func (m *Metrics) Issued(_ context.Context, provider, kind string, code core.Code, latency time.Duration) {
	p := m.lookup(provider, kind)
	m.counter(p, code).Inc()
	p.latency.Observe(latency.Seconds())
}

// RateLimited implements httpapi.Observer: it counts a limiter refusal.
func (m *Metrics) RateLimited(_ context.Context, provider, kind string) {
	m.lookup(provider, kind).limited.Inc()
}

// ResolverFailed implements httpapi.Observer: it counts a request whose
// credential was present but invalid.
func (m *Metrics) ResolverFailed(context.Context) { m.resolver.Inc() }

// Collectors returns the collectors behind m, for hosts that register them
// one by one.
func (m *Metrics) Collectors() []prometheus.Collector {
	return []prometheus.Collector{m.requests, m.latency, m.limited, m.resolver, m.webhooks.events, m.webhooks.latency}
}

// Describe implements prometheus.Collector.
func (m *Metrics) Describe(ch chan<- *prometheus.Desc) {
	for _, c := range m.Collectors() {
		c.Describe(ch)
	}
}

// Collect implements prometheus.Collector.
func (m *Metrics) Collect(ch chan<- prometheus.Metric) {
	for _, c := range m.Collectors() {
		c.Collect(ch)
	}
}

// Register registers m with reg. A nil reg means
// prometheus.DefaultRegisterer. Registering the same Metrics twice, or two
// Metrics with the same namespace, is an error.
func (m *Metrics) Register(reg prometheus.Registerer) error {
	if reg == nil {
		reg = prometheus.DefaultRegisterer
	}
	if err := reg.Register(m); err != nil {
		return fmt.Errorf("metrics: register: %w", err)
	}
	return nil
}
