package ratelimit

import (
	"context"
	"hash/maphash"
	"math"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/ratelimit/internal/budget"
)

const (
	// sweepEvery is how often each shard drops its idle keys.
	sweepEvery = time.Minute
	// sweepAtCap is the shortest gap between sweeps forced by a full shard.
	sweepAtCap = time.Second
	// evictSample is how many keys a full shard looks at to pick one to drop.
	evictSample = 8
	// maxShards is the number of shards of a large limiter.
	maxShards = 64
	// minPerShard keeps small limiters from being split into tiny shards.
	minPerShard = 64
)

// Memory is an in-process Limiter: one token bucket (golang.org/x/time/rate)
// per key, in sharded maps. A key whose bucket has refilled completely
// carries no information, so such idle keys are dropped, lazily as requests
// arrive (each shard at most once a minute) or when Sweep is called; the
// number of keys never exceeds the WithMaxKeys bound. Keys are stored as
// 64-bit hashes under a per-limiter random seed, so the memory per key does
// not depend on the length of user ids or kind names. Two keys share a
// bucket only if their hashes collide: odds of about one in 30 million for
// a million keys.
//
// Each Memory counts on its own: with several app instances every instance
// has the full budget. Use redislimit for one budget shared by all.
//
// A Memory is safe for concurrent use.
type Memory struct {
	shards   []shard
	mask     uint64
	perShard int
	budgets  budget.Config
	now      func() time.Time
	seed     maphash.Seed
}

type shard struct {
	mu        sync.RWMutex
	m         map[uint64]*rate.Limiter
	peak      int       // largest len(m) since the map was last rebuilt
	lastSweep time.Time // guarded by mu
	nextSweep atomic.Int64
	_         [64]byte // keep shards on separate cache lines
}

var _ httpapi.Limiter = (*Memory)(nil)

// NewMemory returns an in-memory limiter. Without options it applies the
// default "user" and "ip" budgets, Per(Subject), to at most DefaultMaxKeys
// keys.
func NewMemory(opts ...Option) (*Memory, error) {
	c, err := newConfig(opts)
	if err != nil {
		return nil, err
	}
	n := maxShards
	for n > 1 && c.maxKeys/n < minPerShard {
		n /= 2
	}
	m := &Memory{
		shards:   make([]shard, n),
		mask:     uint64(n - 1),
		perShard: c.maxKeys / n,
		budgets:  c.budgets,
		now:      c.now,
		seed:     maphash.MakeSeed(),
	}
	for i := range m.shards {
		m.shards[i].m = map[uint64]*rate.Limiter{}
	}
	return m, nil
}

// Allow takes one token from the key's bucket. It returns a
// *httpapi.RateLimitError telling when the next token arrives when the bucket
// is empty, and a *core.Error with code internal for a scope that is not
// configured. It only waits for brief shard locks, and ignores ctx.
func (m *Memory) Allow(_ context.Context, key httpapi.LimitKey) error {
	b, err := m.budgets.Select(key)
	if err != nil {
		return err
	}
	h := m.hash(&b, key.Subject)
	s := &m.shards[h&m.mask]
	now := m.now()
	if next := s.nextSweep.Load(); now.UnixNano() >= next && s.nextSweep.CompareAndSwap(next, now.Add(sweepEvery).UnixNano()) {
		s.mu.Lock()
		s.sweep(now)
		s.mu.Unlock()
	}

	s.mu.RLock()
	lim, ok := s.m[h]
	if ok {
		err = take(lim, now)
		s.mu.RUnlock()
		return err
	}
	s.mu.RUnlock()

	s.mu.Lock()
	defer s.mu.Unlock()
	if lim, ok = s.m[h]; !ok {
		if len(s.m) >= m.perShard {
			s.makeRoom(now, m.perShard)
		}
		lim = rate.NewLimiter(b.Rate, b.Burst)
		s.m[h] = lim
		s.peak = max(s.peak, len(s.m))
	}
	return take(lim, now)
}

// take takes one token or says how long until one is available.
func take(lim *rate.Limiter, now time.Time) error {
	if lim.AllowN(now, 1) {
		return nil
	}
	missing := 1 - lim.TokensAt(now)
	wait := time.Duration(math.Round(missing / float64(lim.Limit()) * float64(time.Second)))
	// Float rounding may leave the bucket a hair short of a token at
	// now+wait; step up so the answer is never early.
	for i := 0; i < 4 && lim.TokensAt(now.Add(wait)) < 1; i++ {
		wait++
	}
	return &httpapi.RateLimitError{RetryAfter: wait}
}

func (m *Memory) hash(b *budget.Bucket, subject string) uint64 {
	var h maphash.Hash
	h.SetSeed(m.seed)
	h.WriteString(b.Scope)
	h.WriteByte(':')
	h.WriteString(b.Provider)
	h.WriteByte(':')
	h.WriteString(b.Kind)
	h.WriteByte(':')
	h.WriteString(subject)
	return h.Sum64()
}

// Len returns the number of keys currently tracked.
func (m *Memory) Len() int {
	n := 0
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.RLock()
		n += len(s.m)
		s.mu.RUnlock()
	}
	return n
}

// Sweep drops every idle key (one whose bucket is full again) now. Allow
// sweeps lazily; call Sweep from a ticker to release memory after traffic
// stops.
func (m *Memory) Sweep() {
	now := m.now()
	for i := range m.shards {
		s := &m.shards[i]
		s.mu.Lock()
		s.sweep(now)
		s.mu.Unlock()
	}
}

// sweep drops idle keys and shrinks a map that is much smaller than it
// was (Go maps do not give memory back). Callers hold s.mu.
func (s *shard) sweep(now time.Time) {
	for h, lim := range s.m {
		if idle(lim, now) {
			delete(s.m, h)
		}
	}
	s.lastSweep = now
	s.nextSweep.Store(now.Add(sweepEvery).UnixNano())
	if s.peak > 1024 && len(s.m) < s.peak/4 {
		m := make(map[uint64]*rate.Limiter, len(s.m))
		for h, lim := range s.m {
			m[h] = lim
		}
		s.m, s.peak = m, len(m)
	}
}

// makeRoom frees one entry in a full shard: a sweep if none ran in the last
// second, else the fullest bucket of a small sample (map iteration starts
// at a random place), which loses the least information. Callers hold s.mu.
func (s *shard) makeRoom(now time.Time, limit int) {
	if now.Sub(s.lastSweep) >= sweepAtCap {
		s.sweep(now)
		if len(s.m) < limit {
			return
		}
	}
	var victim uint64
	best, n := -1.0, 0
	for h, lim := range s.m {
		if f := lim.TokensAt(now) / float64(lim.Burst()); f > best {
			best, victim = f, h
		}
		if n++; n == evictSample || best >= 1 {
			break
		}
	}
	delete(s.m, victim)
}

// idle reports whether a bucket is full again, so forgetting it changes
// nothing.
func idle(lim *rate.Limiter, now time.Time) bool {
	return lim.TokensAt(now) >= float64(lim.Burst())
}
