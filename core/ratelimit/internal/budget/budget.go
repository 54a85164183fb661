// Package budget holds the budget configuration shared by the in-memory and
// the Redis limiters: the default budget of each scope, the per-kind
// budgets, how buckets are split across kinds, and the selection of the
// bucket a request is counted against.
package budget

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"strings"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// Granularity says how finely requests that fall under the same budget
// rule are split into buckets.
type Granularity uint8

// Granularities, from coarse to fine.
const (
	Subject  Granularity = iota // one bucket per subject for everything under a rule
	Provider                    // one bucket per subject and provider
	Kind                        // one bucket per subject, provider and kind
)

// Budget is a token bucket: Burst tokens at most, refilled at Rate per second.
type Budget struct {
	Rate  rate.Limit
	Burst int
}

// Interval is the time one token takes to refill.
func (b Budget) Interval() time.Duration {
	d := math.Round(float64(time.Second) / float64(b.Rate))
	if d < 1 {
		return 1
	}
	return time.Duration(d)
}

// Default budgets: a user may burst 20 requests and then has one more every
// 3 seconds (20 a minute); an address may burst 100 and then has 2 a second,
// enough for many users behind one NAT.
var (
	DefaultUser = Budget{Rate: rate.Every(3 * time.Second), Burst: 20}
	DefaultIP   = Budget{Rate: 2, Burst: 100}
)

// wildcard names a provider or kind that a bucket shares.
const wildcard = "*"

// maxName is the longest provider, kind or scope used verbatim in a bucket
// name; longer ones are replaced by a digest so names stay bounded whatever
// a client puts in a URL.
const maxName = 64

// maxSubject is the longest subject used verbatim in a storage key.
const maxSubject = 256

type rule struct {
	scope, kind string // "" = any scope / every kind of the provider
	budget      Budget
}

// Config is the budget configuration. The zero value is not usable; start
// from New. Setters record the first error, which Err returns.
type Config struct {
	scopes map[string]Budget
	rules  map[string][]rule // by provider
	per    Granularity
	err    error
}

// New returns a configuration with the default "user" and "ip" budgets,
// no per-kind budgets and granularity Subject.
func New() Config {
	return Config{scopes: map[string]Budget{"user": DefaultUser, "ip": DefaultIP}, rules: map[string][]rule{}}
}

// Err returns the first configuration error, wrapping core.ErrConfig.
func (c *Config) Err() error { return c.err }

func (c *Config) fail(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf("%w: ratelimit: "+format, append([]any{core.ErrConfig}, args...)...)
	}
}

func (c *Config) check(what string, r rate.Limit, burst int) bool {
	if math.IsNaN(float64(r)) || r <= 0 || r >= rate.Inf {
		c.fail("%s: rate must be positive and finite, got %v", what, float64(r))
		return false
	}
	if burst < 1 {
		c.fail("%s: burst must be at least 1, got %d", what, burst)
		return false
	}
	return true
}

// SetScope sets the default budget of a scope, adding the scope if new.
func (c *Config) SetScope(scope string, r rate.Limit, burst int) {
	if scope == "" {
		c.fail("empty scope")
		return
	}
	if c.check("scope "+scope, r, burst) {
		c.scopes[scope] = Budget{r, burst}
	}
}

// SetKind sets the budget of one provider kind (every kind of the provider
// when kind is ""), in the given scopes or in every scope when none is given.
func (c *Config) SetKind(provider, kind string, r rate.Limit, burst int, scopes []string) {
	if provider == "" {
		c.fail("per-kind budget with an empty provider")
		return
	}
	if !c.check("budget for "+provider+"/"+kind, r, burst) {
		return
	}
	if len(scopes) == 0 {
		scopes = []string{""}
	}
	for _, s := range scopes {
		c.setRule(provider, rule{scope: s, kind: kind, budget: Budget{r, burst}})
	}
}

func (c *Config) setRule(provider string, nr rule) {
	rs := c.rules[provider]
	for i := range rs {
		if rs[i].scope == nr.scope && rs[i].kind == nr.kind {
			rs[i] = nr
			return
		}
	}
	c.rules[provider] = append(rs, nr)
}

// SetPer sets the granularity.
func (c *Config) SetPer(g Granularity) {
	if g > Kind {
		c.fail("unknown granularity %d", g)
		return
	}
	c.per = g
}

// Validate checks what can only be checked once every setter ran: a
// per-kind budget limited to a scope must name a configured scope.
func (c *Config) Validate() error {
	for p, rs := range c.rules {
		for _, r := range rs {
			if _, ok := c.scopes[r.scope]; r.scope != "" && !ok {
				c.fail("budget for %s/%s names unknown scope %q", p, r.kind, r.scope)
			}
		}
	}
	return c.err
}

// Bucket is what a request is counted against: a budget and the name of
// the bucket within a subject. Scope, Provider and Kind are escaped for use
// in keys (no ':' and at most maxName bytes); Provider and Kind are "*"
// when the bucket is shared across providers or kinds.
type Bucket struct {
	Budget
	Scope, Provider, Kind string
}

// Select returns the bucket for a key. Rules are matched most specific
// first: the exact kind before the whole provider, a named scope before
// every scope; without a rule the scope's default budget applies. Within a
// scope, two requests share a bucket exactly when they fall under the same
// rule and the granularity does not split them, so a bucket never mixes
// budgets.
func (c *Config) Select(key httpapi.LimitKey) (Bucket, error) {
	def, ok := c.scopes[key.Scope]
	if !ok {
		return Bucket{}, &core.Error{Code: core.CodeInternal, Message: fmt.Sprintf("rate limit scope %q is not configured", Escape(key.Scope))}
	}
	b := Bucket{Budget: def, Scope: Escape(key.Scope), Provider: wildcard, Kind: wildcard}
	best := -1
	for _, r := range c.rules[key.Provider] {
		if (r.kind != "" && r.kind != key.Kind) || (r.scope != "" && r.scope != key.Scope) {
			continue
		}
		score := 0
		if r.kind != "" {
			score += 2
		}
		if r.scope != "" {
			score++
		}
		if score > best {
			best, b.Budget = score, r.budget
		}
	}
	switch {
	case best >= 2: // exact kind: the bucket is the kind's
		b.Provider, b.Kind = Escape(key.Provider), Escape(key.Kind)
	case best >= 0: // whole provider
		b.Provider = Escape(key.Provider)
		if c.per == Kind {
			b.Kind = Escape(key.Kind)
		}
	default:
		if c.per >= Provider {
			b.Provider = Escape(key.Provider)
		}
		if c.per == Kind {
			b.Kind = Escape(key.Kind)
		}
	}
	return b, nil
}

// AppendKey appends the storage key of a bucket and subject:
// scope ":" provider ":" kind ":" subject. The subject comes last and is
// used verbatim unless longer than maxSubject bytes, so the key is
// unambiguous.
func (b Bucket) AppendKey(dst []byte, subject string) []byte {
	dst = append(dst, b.Scope...)
	dst = append(dst, ':')
	dst = append(dst, b.Provider...)
	dst = append(dst, ':')
	dst = append(dst, b.Kind...)
	dst = append(dst, ':')
	if len(subject) > maxSubject {
		return appendDigest(dst, subject)
	}
	return append(dst, subject...)
}

// Escape makes a name safe for a bucket name: bytes outside
// [A-Za-z0-9._-] become %XX (so ':' and '*' cannot occur), and a name longer
// than maxName bytes becomes '#' followed by a digest. Common names are
// returned as they are, without allocating.
func Escape(s string) string {
	if len(s) > maxName {
		return string(appendDigest(make([]byte, 0, 33), s))
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if !plain(s[i]) {
			n++
		}
	}
	if n == 0 {
		return s
	}
	var sb strings.Builder
	sb.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; plain(c) {
			sb.WriteByte(c)
		} else {
			sb.WriteByte('%')
			sb.WriteByte("0123456789ABCDEF"[c>>4])
			sb.WriteByte("0123456789ABCDEF"[c&15])
		}
	}
	return sb.String()
}

func plain(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '_' || c == '-'
}

// appendDigest appends '#' and the hex of the first 16 bytes of SHA-256(s).
func appendDigest(dst []byte, s string) []byte {
	sum := sha256.Sum256([]byte(s))
	dst = append(dst, '#')
	return hex.AppendEncode(dst, sum[:16])
}
