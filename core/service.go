package core

import (
	"bytes"
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"sort"
	"strconv"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxBatch is the largest number of requests IssueBatch accepts.
const MaxBatch = 16

// maxIDBytes bounds any user id or room before a provider's own checks.
const maxIDBytes = 256

// DefaultMaxTTL is the longest TTL a Service grants by default, whatever
// the kind: each kind's maximum is the smaller of the vendor's limit and
// DefaultMaxTTL. WithTTL raises it for one kind, up to the vendor's limit.
const DefaultMaxTTL = 30 * 24 * time.Hour

// Service composes the configured providers. Issue validates a request
// against the kind's rules and the TTL policy, enforces that the credential
// is for the caller and asks for nothing elevated (unless an AllowUser or
// AllowElevated grant says otherwise), lets the host's authorizer deny or
// narrow it, checks the narrowed request again and calls the provider. A
// Service is immutable after NewService and safe for concurrent use.
type Service struct {
	providers     map[string]*entry
	order         []string
	now           func() time.Time
	rand          io.Reader
	authz         Authorizer // nil: the Service's own checks only
	allowUser     func(ctx context.Context, id Identity, req Request) bool
	allowElevated func(ctx context.Context, id Identity, e Elevation) bool
}

type entry struct {
	p      Provider
	kinds  map[string]KindSpec // the policy: vendor limits with the TTL policy applied
	vendor map[string]KindSpec // as the provider described them
	names  []string
}

// Option configures a Service.
type Option interface{ apply(*serviceConfig) error }

type optionFunc func(*serviceConfig) error

func (f optionFunc) apply(c *serviceConfig) error { return f(c) }

type ttlOverride struct {
	provider, kind string
	def, max       time.Duration
}

type serviceConfig struct {
	now           func() time.Time
	rand          io.Reader
	authz         Authorizer
	allowUser     func(ctx context.Context, id Identity, req Request) bool
	allowElevated func(ctx context.Context, id Identity, e Elevation) bool
	ttls          []ttlOverride
}

func errNilGrant(name string) error {
	return fmt.Errorf("%w: nil %s function", ErrConfig, name)
}

// WithClock sets the clock. The default is time.Now.
func WithClock(now func() time.Time) Option {
	return optionFunc(func(c *serviceConfig) error {
		if now == nil {
			return fmt.Errorf("%w: nil clock", ErrConfig)
		}
		c.now = now
		return nil
	})
}

// WithRand sets the randomness source used for salts, nonces and IVs. The
// default is crypto/rand.Reader; anything else is for tests.
func WithRand(r io.Reader) Option {
	return optionFunc(func(c *serviceConfig) error {
		if r == nil {
			return fmt.Errorf("%w: nil randomness source", ErrConfig)
		}
		c.rand = r
		return nil
	})
}

// WithAuthorizer sets the host's authorizer, which Issue consults after its
// own checks and which can only deny or narrow (see Authorizer). Without
// one, Issue grants whatever its own checks allow: the caller's own
// credentials, for any room, with any role that is not elevated.
func WithAuthorizer(a Authorizer) Option {
	return optionFunc(func(c *serviceConfig) error {
		if a == nil {
			return fmt.Errorf("%w: nil authorizer", ErrConfig)
		}
		c.authz = a
		return nil
	})
}

// WithTTL sets the default and maximum TTL of one provider kind. Values are
// clamped to the vendor's limits. A zero maximum keeps the default policy,
// the smaller of the vendor's maximum and DefaultMaxTTL; a non-zero one may
// raise it up to the vendor's maximum. A zero default keeps the vendor's
// default, within the maximum.
func WithTTL(provider, kind string, def, max time.Duration) Option {
	return optionFunc(func(c *serviceConfig) error {
		if def < 0 || max < 0 || (max > 0 && def > max) {
			return fmt.Errorf("%w: TTL policy for %s/%s: default %s, maximum %s", ErrConfig, provider, kind, def, max)
		}
		c.ttls = append(c.ttls, ttlOverride{provider, kind, def, max})
		return nil
	})
}

// NewService returns a Service over the given providers.
func NewService(providers []Provider, opts ...Option) (*Service, error) {
	cfg := serviceConfig{now: time.Now, rand: rand.Reader}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o.apply(&cfg); err != nil {
			return nil, err
		}
	}
	s := &Service{
		providers: map[string]*entry{}, now: cfg.now, rand: cfg.rand, authz: cfg.authz,
		allowUser: cfg.allowUser, allowElevated: cfg.allowElevated,
	}
	for _, p := range providers {
		if p == nil {
			return nil, fmt.Errorf("%w: nil provider", ErrConfig)
		}
		name := p.Name()
		if _, dup := s.providers[name]; dup {
			return nil, fmt.Errorf("%w: provider %q configured twice", ErrConfig, name)
		}
		e := &entry{p: p, kinds: map[string]KindSpec{}, vendor: map[string]KindSpec{}}
		for _, k := range p.Kinds() {
			e.vendor[k.Kind] = k
			k.MaxTTL = clampDur(DefaultMaxTTL, k.MinTTL, k.MaxTTL)
			k.DefaultTTL = clampDur(k.DefaultTTL, k.MinTTL, k.MaxTTL)
			e.kinds[k.Kind] = k
			e.names = append(e.names, k.Kind)
		}
		s.providers[name] = e
		s.order = append(s.order, name)
	}
	sort.Strings(s.order)
	for _, o := range cfg.ttls {
		e, ok := s.providers[o.provider]
		if !ok {
			return nil, fmt.Errorf("%w: TTL policy for unconfigured provider %q", ErrConfig, o.provider)
		}
		k, ok := e.kinds[o.kind]
		if !ok {
			return nil, fmt.Errorf("%w: TTL policy for unknown kind %s/%s", ErrConfig, o.provider, o.kind)
		}
		if o.max > 0 {
			v := e.vendor[o.kind]
			k.MaxTTL = clampDur(o.max, v.MinTTL, v.MaxTTL)
		}
		if o.def > 0 {
			k.DefaultTTL = o.def
		}
		k.DefaultTTL = clampDur(k.DefaultTTL, k.MinTTL, k.MaxTTL)
		e.kinds[o.kind] = k
	}
	return s, nil
}

func clampDur(d, lo, hi time.Duration) time.Duration {
	if d < lo {
		return lo
	}
	if hi > 0 && d > hi {
		return hi
	}
	return d
}

// ProviderInfo is the public description of one configured provider.
type ProviderInfo struct {
	Provider string   `json:"provider"`
	Kinds    []string `json:"kinds"`
	AppID    string   `json:"app_id"`
}

// Providers lists the configured providers and the kinds they offer to
// end users (server-only kinds are left out), sorted by name.
func (s *Service) Providers() []ProviderInfo {
	out := make([]ProviderInfo, 0, len(s.order))
	for _, name := range s.order {
		e := s.providers[name]
		info := ProviderInfo{Provider: name, AppID: e.p.AppID(), Kinds: []string{}}
		for _, k := range e.names {
			if !e.kinds[k].ServerOnly {
				info.Kinds = append(info.Kinds, k)
			}
		}
		out = append(out, info)
	}
	return out
}

// Provider returns the configured provider with the given name.
func (s *Service) Provider(name string) (Provider, bool) {
	e, ok := s.providers[name]
	if !ok {
		return nil, false
	}
	return e.p, true
}

// Kind returns the effective spec (TTL policy applied) of a provider kind,
// or an unknown_provider / unknown_kind error.
func (s *Service) Kind(provider, kind string) (KindSpec, error) {
	e, ok := s.providers[provider]
	if !ok {
		return KindSpec{}, Errorf(CodeUnknownProvider, "provider", "provider %q is not configured", printable(provider))
	}
	k, ok := e.kinds[kind]
	if !ok {
		return KindSpec{}, Errorf(CodeUnknownKind, "kind", "provider %q has no kind %q", provider, printable(kind))
	}
	return k, nil
}

// Verify checks a token of a provider kind at the service clock's current
// time, with the provider's primary then secondary secret. Errors wrap
// ErrMalformed, ErrSignature, ErrExpired or ErrMismatch, or are *Error
// values with code unknown_provider.
func (s *Service) Verify(ctx context.Context, provider, kind, token string) (*Verified, error) {
	e, ok := s.providers[provider]
	if !ok {
		return nil, Errorf(CodeUnknownProvider, "provider", "provider %q is not configured", printable(provider))
	}
	return e.p.Verify(ctx, kind, token, s.now())
}

// Now returns the service clock's current time.
func (s *Service) Now() time.Time { return s.now() }

// Issue issues one credential for the identity, in this order:
//
//   - the provider and kind must exist (a ServerOnly kind does not, here);
//   - the kind's rules: a room where the kind needs one and none where it
//     takes none, a role the kind offers, a TTL within the policy;
//   - the identity check: the credential's user (req.UserID, or id.UserID
//     when empty) is the caller, unless an AllowUser grant says yes;
//     otherwise invalid_user, field user_id;
//   - the elevation check: an elevated role, each elevated option and an
//     elevated user id are each refused with forbidden and the field
//     ("role", "options.<name>", "user_id") unless an AllowElevated grant
//     says yes for that exact Elevation;
//   - the authorizer (WithAuthorizer), on a copy of the request: it may
//     deny or narrow. If it changes Provider or Kind the request is refused
//     with code internal (a host bug, logged, never the client's fault);
//     if it changes anything else, the narrowed request goes through the
//     kind's rules, the identity check and the elevation check again.
func (s *Service) Issue(ctx context.Context, id Identity, req Request) (*Credential, error) {
	return s.issue(ctx, id, req, false)
}

// IssueServer is the trusted path for the host's own server code: it
// applies the kind's rules and the TTL policy but no identity check, no
// elevation check and no authorizer, and it also serves ServerOnly kinds
// (such as the Agora Chat app token). It issues for any user id, with any
// role and option, including a Tencent App Admin. Never expose it to end
// users.
func (s *Service) IssueServer(ctx context.Context, id Identity, req Request) (*Credential, error) {
	return s.issue(ctx, id, req, true)
}

// IssueBatch issues several credentials, all or nothing. An error names the
// item, e.g. field "requests[1].room".
func (s *Service) IssueBatch(ctx context.Context, id Identity, reqs []Request) ([]*Credential, error) {
	if len(reqs) == 0 {
		return nil, Errorf(CodeInvalidRequest, "requests", "at least one request is required")
	}
	if len(reqs) > MaxBatch {
		return nil, Errorf(CodeInvalidRequest, "requests", "at most %d requests per batch", MaxBatch)
	}
	out := make([]*Credential, 0, len(reqs))
	for i, r := range reqs {
		c, err := s.Issue(ctx, id, r)
		if err != nil {
			return nil, WithFieldPrefix(err, "requests["+strconv.Itoa(i)+"].")
		}
		out = append(out, c)
	}
	return out, nil
}

func (s *Service) issue(ctx context.Context, id Identity, req Request, server bool) (*Credential, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if id.UserID == "" {
		return nil, Errorf(CodeUnauthenticated, "", "no identity")
	}
	e, ok := s.providers[req.Provider]
	if !ok {
		return nil, Errorf(CodeUnknownProvider, "provider", "provider %q is not configured", printable(req.Provider))
	}
	spec, ok := e.kinds[req.Kind]
	if !ok || (spec.ServerOnly && !server) {
		return nil, Errorf(CodeUnknownKind, "kind", "provider %q has no kind %q", req.Provider, printable(req.Kind))
	}
	if err := kindRules(spec, id, &req); err != nil {
		return nil, err
	}
	if !server {
		if err := s.grants(ctx, id, spec, req); err != nil {
			return nil, err
		}
		if s.authz != nil {
			var err error
			if req, err = s.authorize(ctx, id, spec, req); err != nil {
				return nil, err
			}
		}
	}
	user := req.UserID
	if user == "" {
		user = id.UserID
	}
	now := s.now()
	c, err := e.p.Issue(ctx, Grant{
		Kind: req.Kind, UserID: user, Room: req.Room, Role: req.Role, TTL: req.TTL,
		Options: req.Options, Identity: id, Now: now, Rand: s.rand,
	})
	if err != nil {
		return nil, err
	}
	c.Provider, c.Kind = req.Provider, req.Kind
	if c.IssuedAt.IsZero() {
		c.IssuedAt = now.Truncate(time.Second)
	}
	c.IssuedAt, c.ExpiresAt = c.IssuedAt.UTC(), c.ExpiresAt.UTC()
	c.RenewAfter = RenewAfter(c.IssuedAt, c.ExpiresAt)
	return c, nil
}

// kindRules fills the kind's default role and TTL into req and checks it
// against the kind: text fields, room, role and TTL, and the user the
// credential will be for.
func kindRules(spec KindSpec, id Identity, req *Request) error {
	if req.Role == "" {
		req.Role = spec.DefaultRole
	}
	if req.TTL == 0 {
		req.TTL = spec.DefaultTTL
	}
	if err := checkText("user_id", CodeInvalidUser, req.UserID); err != nil {
		return err
	}
	if err := checkText("room", CodeInvalidRoom, req.Room); err != nil {
		return err
	}
	if err := validate(spec, req); err != nil {
		return err
	}
	if req.UserID == "" {
		return checkText("user_id", CodeInvalidUser, id.UserID)
	}
	return nil
}

// grants enforces that req is for the caller and asks for nothing
// elevated, unless the Service's AllowUser and AllowElevated grants say
// otherwise.
func (s *Service) grants(ctx context.Context, id Identity, spec KindSpec, req Request) error {
	user := req.UserID
	if user == "" {
		user = id.UserID
	} else if user != id.UserID && (s.allowUser == nil || !s.allowUser(ctx, id, req)) {
		return Errorf(CodeInvalidUser, "user_id", "a credential can only be issued for the signed-in user")
	}
	allowed := func(e Elevation) bool {
		e.Provider, e.Kind = req.Provider, req.Kind
		return s.allowElevated != nil && s.allowElevated(ctx, id, e)
	}
	if r, ok := spec.Role(req.Role); ok && r.Elevated && !allowed(Elevation{Role: r.Name}) {
		return Errorf(CodeForbidden, "role", "role %q is not allowed for this user", r.Name)
	}
	names, err := elevatedOptions(spec, req.Options)
	if err != nil {
		return err
	}
	for _, name := range names {
		if !allowed(Elevation{Option: name}) {
			return Errorf(CodeForbidden, "options."+name, "option %q is not allowed for this user", name)
		}
	}
	if spec.ElevatedUser(user) && !allowed(Elevation{UserID: user}) {
		return Errorf(CodeForbidden, "user_id", "user %q is privileged for %s and is not allowed for this user", printable(user), spec.Kind)
	}
	return nil
}

// authorize runs the host's authorizer on a copy of req and returns the
// request to issue: req itself when the authorizer left it alone, or the
// narrowed copy after it passed the kind's rules and the grants again.
func (s *Service) authorize(ctx context.Context, id Identity, spec KindSpec, req Request) (Request, error) {
	n := req
	n.Options = bytes.Clone(req.Options)
	if err := s.authz.Authorize(ctx, id, &n, spec); err != nil {
		return req, err
	}
	if n.Provider != req.Provider || n.Kind != req.Kind {
		return req, &Error{Code: CodeInternal, Message: "the authorizer changed the provider or kind of the request",
			Err: fmt.Errorf("authorizer changed %s/%s to %s/%s", req.Provider, req.Kind, printable(n.Provider), printable(n.Kind))}
	}
	if n.UserID == req.UserID && n.Room == req.Room && n.Role == req.Role && n.TTL == req.TTL && bytes.Equal(n.Options, req.Options) {
		return req, nil
	}
	if err := kindRules(spec, id, &n); err != nil {
		return req, err
	}
	if err := s.grants(ctx, id, spec, n); err != nil {
		return req, err
	}
	return n, nil
}

// RenewAfter is when a client should fetch a fresh credential: a fifth of
// the lifetime before expiry, at most five minutes before it.
func RenewAfter(issued, expires time.Time) time.Time {
	lead := expires.Sub(issued) / 5
	if lead > 5*time.Minute {
		lead = 5 * time.Minute
	}
	return expires.Add(-lead)
}

func validate(spec KindSpec, req *Request) error {
	if spec.NeedsRoom && req.Room == "" {
		return Errorf(CodeInvalidRoom, "room", "room is required for %s", spec.Kind)
	}
	if !spec.NeedsRoom && !spec.RoomAllowed && req.Room != "" {
		return Errorf(CodeInvalidRoom, "room", "kind %s takes no room", spec.Kind)
	}
	if len(spec.Roles) == 0 {
		if req.Role != "" {
			return Errorf(CodeInvalidRole, "role", "kind %s takes no role", spec.Kind)
		}
	} else if _, ok := spec.Role(req.Role); !ok {
		return Errorf(CodeInvalidRole, "role", "role %q is not offered by %s (one of %s)", printable(req.Role), spec.Kind, roleNames(spec.Roles))
	}
	ttl, err := checkTTL(spec, req.TTL)
	req.TTL = ttl
	return err
}

// checkTTL returns ttl, or the kind's default when ttl is 0, after checking
// it is a whole number of seconds within the kind's limits. The Service is
// the only place that checks it: providers receive grants within it.
func checkTTL(spec KindSpec, ttl time.Duration) (time.Duration, error) {
	if ttl == 0 {
		ttl = spec.DefaultTTL
	}
	switch {
	case ttl <= 0:
		return 0, Errorf(CodeInvalidTTL, "ttl", "ttl must be positive")
	case ttl < spec.MinTTL:
		return 0, Errorf(CodeInvalidTTL, "ttl", "ttl must be at least %d seconds", int64(spec.MinTTL/time.Second))
	case spec.MaxTTL > 0 && ttl > spec.MaxTTL:
		return 0, Errorf(CodeInvalidTTL, "ttl", "ttl must be at most %d seconds", int64(spec.MaxTTL/time.Second))
	case ttl%time.Second != 0:
		return 0, Errorf(CodeInvalidTTL, "ttl", "ttl must be a whole number of seconds")
	}
	return ttl, nil
}

func roleNames(rs []Role) string {
	s := ""
	for i, r := range rs {
		if i > 0 {
			s += ", "
		}
		s += r.Name
	}
	return s
}

// checkText rejects invalid UTF-8, control characters and over-long values
// before any provider sees them.
func checkText(field string, code Code, v string) error {
	if len(v) > maxIDBytes {
		return Errorf(code, field, "%s is longer than %d bytes", field, maxIDBytes)
	}
	if !utf8.ValidString(v) {
		return Errorf(code, field, "%s is not valid UTF-8", field)
	}
	for _, r := range v {
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' {
			return Errorf(code, field, "%s contains a control character", field)
		}
	}
	return nil
}

// printable shortens and sanitizes client-supplied text echoed in messages.
func printable(s string) string {
	if len(s) > 64 {
		s = s[:64] + "..."
	}
	return strconv.QuoteToASCII(s)[1 : len(strconv.QuoteToASCII(s))-1]
}
