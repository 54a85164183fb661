package redislimit

import (
	"log/slog"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core/ratelimit"
	"github.com/rtctoken/rtctoken/core/ratelimit/internal/budget"
)

// Defaults.
const (
	// DefaultPrefix starts every key this package stores (after the "rate:"
	// that redis_rate puts in front).
	DefaultPrefix = "rtctoken:rl:"
	// DefaultTimeout bounds each call to Redis.
	DefaultTimeout = 100 * time.Millisecond
)

// FailurePolicy says what Allow does when Redis cannot answer in time.
type FailurePolicy uint8

const (
	// FailClosed refuses the request with a *core.Error of code
	// unavailable (HTTP 503). The default: an outage of the limiter never
	// lifts the limits.
	FailClosed FailurePolicy = iota
	// FailOpen allows the request and logs a warning: an outage of the
	// limiter never blocks issuance, at the price of no limits meanwhile.
	FailOpen
)

// String returns "fail-closed" or "fail-open".
func (p FailurePolicy) String() string {
	if p == FailOpen {
		return "fail-open"
	}
	return "fail-closed"
}

// Option configures a Limiter.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	budgets budget.Config
	prefix  string
	policy  FailurePolicy
	timeout time.Duration
	log     *slog.Logger
	logSet  bool
}

// WithLimit sets the default budget of a scope ("user" or "ip"; any other
// name adds a scope): burst requests at once, then r per second. The
// defaults and meaning are those of ratelimit.WithLimit.
func WithLimit(scope string, r rate.Limit, burst int) Option {
	return optionFunc(func(c *config) { c.budgets.SetScope(scope, r, burst) })
}

// WithKindLimit gives one provider kind (every kind of the provider when
// kind is "") its own budget, in the given scopes or in every scope; see
// ratelimit.WithKindLimit.
func WithKindLimit(provider, kind string, r rate.Limit, burst int, scopes ...string) Option {
	return optionFunc(func(c *config) { c.budgets.SetKind(provider, kind, r, burst, scopes) })
}

// Per sets how requests under one budget are split into buckets; see
// ratelimit.Per. Default ratelimit.Subject.
func Per(g ratelimit.Granularity) Option {
	return optionFunc(func(c *config) { c.budgets.SetPer(budget.Granularity(g)) })
}

// WithPrefix sets the prefix of the keys, to keep apps sharing one Redis
// apart. Default DefaultPrefix.
func WithPrefix(prefix string) Option {
	return optionFunc(func(c *config) { c.prefix = prefix })
}

// WithFailurePolicy sets what happens when Redis is unreachable or slow.
// Default FailClosed.
func WithFailurePolicy(p FailurePolicy) Option {
	return optionFunc(func(c *config) { c.policy = p })
}

// WithTimeout bounds each call to Redis, so a hung server delays a request
// by at most d before the failure policy applies. Default DefaultTimeout
// (100ms).
func WithTimeout(d time.Duration) Option {
	return optionFunc(func(c *config) { c.timeout = d })
}

// WithLogger sets where Redis failures are reported, at ERROR and at most
// once a second; nil discards them. Without it they go to the logger of the
// httpapi.API the limiter is configured in (see Limiter.SetLogger), or to
// slog.Default() until then.
func WithLogger(l *slog.Logger) Option {
	return optionFunc(func(c *config) { c.log, c.logSet = l, true })
}
