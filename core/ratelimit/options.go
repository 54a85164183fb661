package ratelimit

import (
	"fmt"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/ratelimit/internal/budget"
)

// DefaultMaxKeys is the default bound on the number of keys a Memory
// limiter tracks.
const DefaultMaxKeys = 1_000_000

// Granularity says whether requests under the same budget share one bucket
// per subject or are split by provider or kind. See Per.
type Granularity uint8

// Granularities, from coarse to fine (the same values as the shared
// budget configuration's).
const (
	// Subject: one bucket per subject (user or address) for every kind
	// under the same budget. The default.
	Subject Granularity = iota
	// Provider: one bucket per subject and provider.
	Provider
	// Kind: one bucket per subject, provider and kind.
	Kind
)

// String returns "subject", "provider" or "kind".
func (g Granularity) String() string {
	switch g {
	case Subject:
		return "subject"
	case Provider:
		return "provider"
	case Kind:
		return "kind"
	}
	return fmt.Sprintf("Granularity(%d)", uint8(g))
}

// Option configures a Memory limiter.
type Option interface{ apply(*config) }

type optionFunc func(*config)

func (f optionFunc) apply(c *config) { f(c) }

type config struct {
	budgets budget.Config
	maxKeys int
	now     func() time.Time
}

// WithLimit sets the default budget of a scope ("user" or "ip"; any other
// scope name adds a scope): burst requests at once, then r per second.
// Defaults: "user" 20 at once then one every 3 seconds; "ip" 100 at once
// then 2 a second. Use rate.Every to state a rate as an interval.
func WithLimit(scope string, r rate.Limit, burst int) Option {
	return optionFunc(func(c *config) { c.budgets.SetScope(scope, r, burst) })
}

// WithKindLimit gives one provider kind its own budget, in the given
// scopes or in every scope when none is named. An empty kind means every
// kind of the provider that has no budget of its own. Requests under a
// per-kind budget never draw from the scope's default budget.
func WithKindLimit(provider, kind string, r rate.Limit, burst int, scopes ...string) Option {
	return optionFunc(func(c *config) { c.budgets.SetKind(provider, kind, r, burst, scopes) })
}

// Per sets how requests under the same budget are split into buckets. The
// default, Per(Subject), gives each user (or address) one bucket shared by
// every kind without a budget of its own; Per(Kind) gives each kind a
// separate bucket of the same size.
func Per(g Granularity) Option {
	return optionFunc(func(c *config) { c.budgets.SetPer(budget.Granularity(g)) })
}

// WithMaxKeys bounds the number of keys tracked. When the bound is reached,
// idle keys are dropped first and then the keys closest to a full bucket.
// Default DefaultMaxKeys.
func WithMaxKeys(n int) Option {
	return optionFunc(func(c *config) { c.maxKeys = n })
}

// WithClock sets the clock. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *config) { c.now = now })
}

func newConfig(opts []Option) (config, error) {
	c := config{budgets: budget.New(), maxKeys: DefaultMaxKeys, now: time.Now}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if err := c.budgets.Validate(); err != nil {
		return c, err
	}
	if c.maxKeys < 1 {
		return c, fmt.Errorf("%w: ratelimit: max keys must be at least 1, got %d", core.ErrConfig, c.maxKeys)
	}
	if c.now == nil {
		return c, fmt.Errorf("%w: ratelimit: nil clock", core.ErrConfig)
	}
	return c, nil
}
