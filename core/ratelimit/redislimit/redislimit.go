// Package redislimit is a httpapi.Limiter kept in Redis, so that every
// instance of an app draws from one budget per user and per address. It
// runs the GCRA algorithm (github.com/go-redis/redis_rate) in a Lua script:
// one round trip per request, timed by the Redis server's clock, so app
// clocks do not matter.
//
// Budgets are configured as for ratelimit.Memory ([WithLimit],
// [WithKindLimit], [Per]) and mean the same: a burst and a refill rate.
// Each bucket is one Redis key, "rate:" + prefix + scope:provider:kind:subject,
// that expires as soon as the bucket would be full again, so Redis holds
// only keys with something to remember.
//
// When Redis cannot answer within the timeout (100ms by default), the
// failure policy decides: [FailClosed] (the default) refuses with code
// unavailable (HTTP 503), [FailOpen] allows; both log the failure at ERROR,
// at most once a second. The log goes to the API's logger: httpapi.New
// calls [Limiter.SetLogger] with httpapi.Config.Logger, unless
// [WithLogger] chose another one.
//
//	rdb := redis.NewClient(&redis.Options{Addr: "localhost:6379", ContextTimeoutEnabled: true})
//	lim, err := redislimit.New(rdb,
//		redislimit.WithLimit("user", rate.Every(3*time.Second), 20),
//		redislimit.WithKindLimit("zoom", "meeting", rate.Every(time.Minute), 3),
//	)
//	if err != nil {
//		return err
//	}
//	api, err := httpapi.New(httpapi.Config{Service: svc, Resolver: resolver, Limiter: lim})
//
// The timeout holds whatever the client's options, but only a client with
// ContextTimeoutEnabled also abandons the network call at the deadline;
// without it the call finishes in the background within the client's
// ReadTimeout.
package redislimit

import (
	"context"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/ratelimit/internal/budget"
)

// Limiter is a httpapi.Limiter backed by Redis. It is safe for concurrent use.
type Limiter struct {
	rl      *redis_rate.Limiter
	budgets budget.Config
	prefix  string
	policy  FailurePolicy
	timeout time.Duration
	log     atomic.Pointer[slog.Logger]
	ownLog  bool // WithLogger chose the logger: SetLogger keeps it

	nextLog    atomic.Int64 // unix nanos before which warnings are counted, not logged
	suppressed atomic.Int64
}

var _ httpapi.Limiter = (*Limiter)(nil)

// New returns a Limiter using client, which may be a single node, a
// Sentinel failover client or a Cluster (each bucket is one key). Without
// options it applies the default "user" and "ip" budgets of ratelimit,
// FailClosed and a 100ms timeout.
func New(client redis.UniversalClient, opts ...Option) (*Limiter, error) {
	if client == nil {
		return nil, fmt.Errorf("%w: redislimit: nil Redis client", core.ErrConfig)
	}
	c := config{budgets: budget.New(), prefix: DefaultPrefix, timeout: DefaultTimeout, log: slog.Default()}
	for _, o := range opts {
		if o != nil {
			o.apply(&c)
		}
	}
	if err := c.budgets.Validate(); err != nil {
		return nil, err
	}
	if c.timeout <= 0 {
		return nil, fmt.Errorf("%w: redislimit: timeout must be positive, got %s", core.ErrConfig, c.timeout)
	}
	if c.policy > FailOpen {
		return nil, fmt.Errorf("%w: redislimit: unknown failure policy %d", core.ErrConfig, c.policy)
	}
	l := &Limiter{
		rl: redis_rate.NewLimiter(client), budgets: c.budgets, prefix: c.prefix,
		policy: c.policy, timeout: c.timeout, ownLog: c.logSet,
	}
	l.log.Store(orDiscard(c.log))
	return l, nil
}

// SetLogger makes l report Redis failures to log (nil discards them),
// unless New was given WithLogger, whose choice stands. httpapi.New calls
// it with httpapi.Config.Logger (l is an httpapi.LoggerSetter), so the API
// and its limiter log to one place. It is safe to call at any time.
func (l *Limiter) SetLogger(log *slog.Logger) {
	if !l.ownLog {
		l.log.Store(orDiscard(log))
	}
}

func orDiscard(l *slog.Logger) *slog.Logger {
	if l == nil {
		return slog.New(slog.DiscardHandler)
	}
	return l
}

// Allow takes one token from the key's bucket in Redis. It returns a
// *httpapi.RateLimitError when the bucket is empty, the failure policy's
// answer when Redis does not answer within the timeout, ctx's error when
// ctx ends first, and a *core.Error with code internal for a scope that is
// not configured.
func (l *Limiter) Allow(ctx context.Context, key httpapi.LimitKey) error {
	b, err := l.budgets.Select(key)
	if err != nil {
		return err
	}
	buf := make([]byte, 0, 128)
	rkey := string(b.AppendKey(append(buf, l.prefix...), key.Subject))
	res, err := l.call(ctx, rkey, redis_rate.Limit{Rate: 1, Burst: b.Burst, Period: b.Interval()})
	switch {
	case err != nil && ctx.Err() != nil:
		return ctx.Err() // the caller gave up; Redis is not to blame
	case err != nil:
		return l.failed(ctx, err)
	case res.Allowed > 0:
		return nil
	}
	return &httpapi.RateLimitError{RetryAfter: max(res.RetryAfter, time.Microsecond)}
}

type answer struct {
	res *redis_rate.Result
	err error
}

// call runs the GCRA script within the timeout. It waits on a goroutine so
// that the timeout holds even for a client that ignores contexts.
func (l *Limiter) call(ctx context.Context, key string, limit redis_rate.Limit) (*redis_rate.Result, error) {
	ctx, cancel := context.WithTimeout(ctx, l.timeout)
	defer cancel()
	ch := make(chan answer, 1)
	go func() {
		res, err := l.rl.Allow(ctx, key, limit)
		ch <- answer{res, err}
	}()
	select {
	case a := <-ch:
		return a.res, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// failed applies the failure policy. The error returned to clients carries
// no detail; the cause goes to the log.
func (l *Limiter) failed(ctx context.Context, cause error) error {
	l.warn(ctx, cause)
	if l.policy == FailOpen {
		return nil
	}
	return &core.Error{Code: core.CodeUnavailable, Message: "rate limiter unavailable", Err: cause}
}

// warn logs a Redis failure, at ERROR (the server, not the request, is at
// fault) and at most once a second, with the number of failures not logged
// since the previous line.
func (l *Limiter) warn(ctx context.Context, cause error) {
	now := time.Now().UnixNano()
	next := l.nextLog.Load()
	if now < next || !l.nextLog.CompareAndSwap(next, now+int64(time.Second)) {
		l.suppressed.Add(1)
		return
	}
	l.log.Load().LogAttrs(ctx, slog.LevelError, "rtctoken rate limiter: Redis unavailable",
		slog.String("policy", l.policy.String()),
		slog.String("error", cause.Error()),
		slog.Int64("suppressed", l.suppressed.Swap(0)))
}
