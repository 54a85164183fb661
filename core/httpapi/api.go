package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// DefaultMaxBody is the default request body limit (16 KiB).
const DefaultMaxBody = 16 << 10

// Request is the view of an HTTP request the contract needs. Each adapter
// implements it over its framework's request.
type Request interface {
	resolve.Request
	// Method is the HTTP method.
	Method() string
}

// Response is what an adapter writes back: status, headers and body. Each
// Response has a Header map of its own.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Preset is a credential the host wants attached to authenticated requests
// and returned at login, e.g. {Name: "chat", Request: core.Request{Provider:
// "tencent", Kind: "usersig"}}.
type Preset struct {
	Name    string
	Request core.Request
}

// Config configures an API.
type Config struct {
	// Service issues the credentials. Required.
	Service *core.Service
	// Resolver finds the signed-in user. Required.
	Resolver resolve.Resolver
	// Presets are issued by Attach and Login.
	Presets []Preset
	// Logger receives one audit line per issuance and refusal, and the
	// details of internal errors. New also hands it to the Resolver, the
	// Limiter and the Observer that implement [LoggerSetter] (the Redis
	// limiter does), so one logger receives every line. Default
	// slog.Default().
	Logger *slog.Logger
	// MaxBody limits request bodies. Default DefaultMaxBody (16 KiB).
	MaxBody int64
	// CacheSize bounds the number of users whose presets are cached by
	// Attach. Default 10000.
	CacheSize int
	// FailureTTL is how long Attach and Login remember a preset that could
	// not be issued before trying it again. Default DefaultFailureTTL
	// (30 s); a negative value tries again on every request.
	FailureTTL time.Duration
	// Limiter, when set, is asked before every issuance.
	Limiter Limiter
	// ClientIP tells the limiter the client address. Default: none, so
	// only per-identity limits apply. See RemoteIP and ForwardedFor.
	ClientIP func(r Request) string
	// IPv6Prefix is how many leading bits of an IPv6 client address name
	// its per-IP rate-limit budget: one subscriber usually holds a whole
	// /64, so by default (0) a /64 shares one budget. 128 gives every IPv6
	// address its own. IPv4 addresses, IPv4-mapped IPv6 included, always
	// count one by one.
	IPv6Prefix int
	// Observer, when set, is told about every issuance and refusal
	// (metrics).
	Observer Observer
}

// API serves the HTTP contract. It is safe for concurrent use.
type API struct {
	svc      *core.Service
	resolver resolve.Resolver
	presets  []Preset
	log      *slog.Logger
	maxBody  int64
	cache    *cache
	limiter  Limiter
	clientIP func(Request) string
	ipv6Bits int
	obs      Observer
	provJSON []byte
}

// LoggerSetter is implemented by components that log (the Redis limiter,
// for one): New gives them Config.Logger, so that a host configures its
// logger once. A component configured with a logger of its own may keep it.
type LoggerSetter interface {
	SetLogger(l *slog.Logger)
}

// New validates cfg and returns an API.
func New(cfg Config) (*API, error) {
	if cfg.Service == nil {
		return nil, fmt.Errorf("%w: httpapi: Service is required", core.ErrConfig)
	}
	if cfg.Resolver == nil {
		return nil, fmt.Errorf("%w: httpapi: Resolver is required", core.ErrConfig)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	for _, c := range []any{cfg.Resolver, cfg.Limiter, cfg.Observer} {
		if ls, ok := c.(LoggerSetter); ok {
			ls.SetLogger(cfg.Logger)
		}
	}
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = DefaultMaxBody
	}
	if cfg.CacheSize <= 0 {
		cfg.CacheSize = 10000
	}
	if cfg.IPv6Prefix == 0 {
		cfg.IPv6Prefix = 64
	}
	if cfg.IPv6Prefix < 1 || cfg.IPv6Prefix > 128 {
		return nil, fmt.Errorf("%w: httpapi: IPv6Prefix must be between 1 and 128", core.ErrConfig)
	}
	seen := map[string]bool{}
	for _, p := range cfg.Presets {
		if p.Name == "" || seen[p.Name] {
			return nil, fmt.Errorf("%w: httpapi: preset names must be unique and non-empty", core.ErrConfig)
		}
		seen[p.Name] = true
		if _, err := cfg.Service.Kind(p.Request.Provider, p.Request.Kind); err != nil {
			return nil, fmt.Errorf("%w: httpapi: preset %q: %v", core.ErrConfig, p.Name, err)
		}
	}
	a := &API{
		svc: cfg.Service, resolver: cfg.Resolver, presets: cfg.Presets, log: cfg.Logger,
		maxBody: cfg.MaxBody, limiter: cfg.Limiter, clientIP: cfg.ClientIP, obs: cfg.Observer,
	}
	a.ipv6Bits = cfg.IPv6Prefix
	a.cache = newCache(cfg.CacheSize, cfg.FailureTTL)
	b, err := marshalJSON(map[string]any{"providers": cfg.Service.Providers()})
	if err != nil {
		return nil, err
	}
	a.provJSON = b
	return a, nil
}

// Service returns the API's service.
func (a *API) Service() *core.Service { return a.svc }

// Serve handles one request to the contract. path is the request path below
// the mount point ("/providers", "/agora/rtc", "/batch"); body is the raw
// request body as received (nil for none): an adapter must not decompress
// it. It never panics on client input. Routing adapters that match the
// paths themselves call ServeProviders, ServeIssue and ServeBatch instead.
func (a *API) Serve(r Request, path string, body io.Reader) Response {
	route, provider, kind := parsePath(path)
	switch route {
	case routeProviders:
		return a.ServeProviders(r)
	case routeIssue:
		return a.ServeIssue(r, provider, kind, body)
	case routeBatch:
		return a.ServeBatch(r, body)
	}
	return a.errorResponse(r.Context(), core.Errorf(CodeNotFound, "", "no such endpoint"))
}

// ServeProviders answers GET (or HEAD) {prefix}/providers: the configured
// providers and the kinds they serve.
func (a *API) ServeProviders(r Request) Response {
	if m := r.Method(); m != http.MethodGet && m != http.MethodHead {
		return methodNotAllowed("GET, HEAD")
	}
	return Response{Status: http.StatusOK, Header: JSONHeader(), Body: a.provJSON}
}

// ServeIssue answers POST {prefix}/{provider}/{kind}: one credential for
// the caller. body is the raw request body (nil for none).
//
// A POST is checked in this order, and the first failure answers:
// method; Content-Encoding and Content-Type (headers only, before anything
// reads the body or looks for the caller, so they hold for anonymous and
// signed-in requests alike); the caller's identity; the body's size; its
// JSON form; the provider and kind; the rate limit; then the service's
// rules for the kind and the authorizer. Everything before the rate limit
// is refused without spending any budget; see the package documentation.
func (a *API) ServeIssue(r Request, provider, kind string, body io.Reader) Response {
	if r.Method() != http.MethodPost {
		return methodNotAllowed("POST")
	}
	start := time.Now()
	ctx := r.Context()
	id, raw, err := a.admit(r, body)
	if err != nil {
		a.audit(ctx, core.Request{Provider: provider, Kind: kind}, id, nil, err, start)
		return a.errorResponse(ctx, err)
	}
	var cred *core.Credential
	req, err := decodeIssue(raw)
	req.Provider, req.Kind = provider, kind
	if err == nil {
		err = a.servable(req)
	}
	if err == nil {
		err = a.allow(r, id, req)
	}
	if err == nil {
		cred, err = a.svc.Issue(ctx, id, req)
	}
	a.audit(ctx, req, id, cred, err, start)
	var out []byte
	if err == nil {
		out, err = cred.AppendJSON(make([]byte, 0, 384+2*len(cred.Token)))
	}
	if err != nil {
		return a.errorResponse(ctx, err)
	}
	return Response{Status: http.StatusOK, Header: JSONHeader(), Body: out}
}

// ServeBatch answers POST {prefix}/batch: several credentials, all or
// nothing, checked in the order ServeIssue documents. body is the raw
// request body (nil for none).
func (a *API) ServeBatch(r Request, body io.Reader) Response {
	if r.Method() != http.MethodPost {
		return methodNotAllowed("POST")
	}
	start := time.Now()
	id, raw, err := a.admit(r, body)
	if err != nil {
		a.audit(r.Context(), core.Request{Provider: "batch"}, id, nil, err, start)
		return a.errorResponse(r.Context(), err)
	}
	return a.serveBatch(r, id, raw, start)
}

// admit applies the checks every POST passes before its body is decoded:
// the entity headers, the caller's identity and the body's size.
func (a *API) admit(r Request, body io.Reader) (core.Identity, []byte, error) {
	if err := checkEntity(r); err != nil {
		return core.Identity{}, nil, err
	}
	id, err := a.identify(r)
	if err != nil {
		return id, nil, err
	}
	raw, err := a.readBody(body)
	return id, raw, err
}

// serveBatch issues the credentials of a batch body. Every item's provider
// and kind are checked before any of them spends rate budget.
func (a *API) serveBatch(r Request, id core.Identity, raw []byte, start time.Time) Response {
	ctx := r.Context()
	reqs, err := decodeBatch(raw)
	for i := 0; err == nil && i < len(reqs); i++ {
		err = core.WithFieldPrefix(a.servable(reqs[i]), itemPrefix(i))
	}
	for i := 0; err == nil && i < len(reqs); i++ {
		err = core.WithFieldPrefix(a.allow(r, id, reqs[i]), itemPrefix(i))
	}
	var creds []*core.Credential
	if err == nil {
		creds, err = a.svc.IssueBatch(ctx, id, reqs)
	}
	if err != nil {
		failed := failedItem(reqs, err)
		failed.Provider, failed.Kind = "batch", ""
		a.audit(ctx, failed, id, nil, err, start)
		return a.errorResponse(ctx, err)
	}
	for i, c := range creds {
		a.audit(ctx, reqs[i], id, c, nil, start)
	}
	return a.jsonResponse(ctx, struct {
		Credentials []*core.Credential `json:"credentials"`
	}{creds})
}

// itemPrefix is the field prefix of a batch item's errors.
func itemPrefix(i int) string { return "requests[" + strconv.Itoa(i) + "]." }

// failedItem returns the batch item an error's field names
// ("requests[2].room" names the third), so that the refusal line carries
// its room; the zero request when the error names none.
func failedItem(reqs []core.Request, err error) core.Request {
	var ce *core.Error
	if !errors.As(err, &ce) {
		return core.Request{}
	}
	rest, ok := strings.CutPrefix(ce.Field, "requests[")
	if !ok {
		return core.Request{}
	}
	n, _, ok := strings.Cut(rest, "]")
	i, perr := strconv.Atoi(n)
	if !ok || perr != nil || i < 0 || i >= len(reqs) {
		return core.Request{}
	}
	return reqs[i]
}

// servable refuses a provider or kind that the contract does not serve:
// unknown ones and server-only kinds, with the errors the service gives.
func (a *API) servable(req core.Request) error {
	k, err := a.svc.Kind(req.Provider, req.Kind)
	if err == nil && k.ServerOnly {
		err = core.Errorf(core.CodeUnknownKind, "kind", "provider %q has no kind %q", req.Provider, printable(req.Kind))
	}
	return err
}

// identify runs the resolver: no identity is 401 unauthenticated, and so is
// an invalid one (the resolver's message is kept, its cause only logged).
func (a *API) identify(r Request) (core.Identity, error) {
	id, err := a.resolver.Resolve(r)
	if errors.Is(err, resolve.ErrNoIdentity) || (err == nil && id.UserID == "") {
		return id, core.Errorf(core.CodeUnauthenticated, "", "sign in first")
	}
	if err != nil {
		return id, a.identityError(r.Context(), err)
	}
	return id, nil
}

// identityError turns a resolver's failure on a present credential into the
// 401 the client sees, counting and logging it (the cause by type only). A
// *core.Error with code unauthenticated is the client's mistake (a forged or
// expired credential) and is logged at INFO; any other error is a failure
// of the resolver itself (a session store down, say), logged at ERROR.
func (a *API) identityError(ctx context.Context, err error) error {
	if a.obs != nil {
		a.obs.ResolverFailed(ctx)
	}
	var ce *core.Error
	if errors.As(err, &ce) && ce.Code == core.CodeUnauthenticated {
		a.log.LogAttrs(ctx, slog.LevelInfo, "rtctoken identity rejected", slog.String("reason", ce.Message), slog.Any("cause", safeCause(ce.Err)))
		return &core.Error{Code: core.CodeUnauthenticated, Message: ce.Message}
	}
	a.log.LogAttrs(ctx, slog.LevelError, "rtctoken resolver failed", slog.Any("cause", safeCause(err)))
	return core.Errorf(core.CodeUnauthenticated, "", "credentials are not valid")
}

// safeCause keeps only the type of a cause, because the text of a
// resolver's error may echo what the client sent.
func safeCause(err error) string {
	if err == nil {
		return ""
	}
	return fmt.Sprintf("%T", err)
}

// ReadBody applies the contract's body rules for a host handler that takes
// JSON next to the contract (a login or logout handler, say): the request
// must be Content-Type application/json and not Content-Encoded (415
// unsupported_media_type otherwise, decided from the headers alone), and
// at most MaxBody bytes of the raw body are read (413 body_too_large
// beyond). body must be the body as received, never a decompressing reader
// (fiber: c.Request().Body(), not c.Body()). A nil body reads as empty.
// Errors are *core.Error values for ErrorResponse.
func (a *API) ReadBody(r Request, body io.Reader) ([]byte, error) {
	if err := checkEntity(r); err != nil {
		return nil, err
	}
	return a.readBody(body)
}

// readBody reads the raw body, at most MaxBody bytes of it. The headers
// were checked first (checkEntity), so nothing here decompresses.
func (a *API) readBody(body io.Reader) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	bp := bodyBufs.Get().(*[]byte)
	buf, err := readLimited((*bp)[:0], body, a.maxBody+1)
	if cap(buf) <= maxPooledBody {
		*bp = buf[:0]
		defer bodyBufs.Put(bp)
	}
	if err != nil {
		return nil, core.Errorf(core.CodeInvalidRequest, "", "could not read the request body")
	}
	if int64(len(buf)) > a.maxBody {
		return nil, core.Errorf(CodeBodyTooLarge, "", "request body is larger than %d bytes", a.maxBody)
	}
	if len(buf) == 0 {
		return []byte{}, nil
	}
	return bytes.Clone(buf), nil
}

// bodyBufs hold the read buffers of request bodies; readBody returns a
// copy of exactly the body's size, so no buffer outlives its request.
var bodyBufs = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// maxPooledBody is the largest buffer kept in bodyBufs.
const maxPooledBody = 64 << 10

// readLimited appends to buf what r yields until EOF or until limit bytes
// are read, as io.ReadAll(io.LimitReader(r, limit)) does.
func readLimited(buf []byte, r io.Reader, limit int64) ([]byte, error) {
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		end := min(int64(cap(buf)), limit)
		n, err := r.Read(buf[len(buf):end])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func isJSON(ct string) bool {
	if ct == "application/json" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	return mt == "application/json" || (strings.HasPrefix(mt, "application/") && strings.HasSuffix(mt, "+json"))
}

type route int

const (
	routeNone route = iota
	routeProviders
	routeIssue
	routeBatch
)

func parsePath(p string) (route, string, string) {
	p = strings.TrimPrefix(p, "/")
	switch p {
	case "providers":
		return routeProviders, "", ""
	case "batch":
		return routeBatch, "", ""
	}
	provider, kind, ok := strings.Cut(p, "/")
	if !ok || provider == "" || kind == "" || strings.Contains(kind, "/") {
		return routeNone, "", ""
	}
	return routeIssue, provider, kind
}

// JSONHeader returns the headers of every answer of the contract, in a new
// map: a JSON body, never stored by a cache, never sniffed. Host handlers
// built on the contract use it for their own JSON answers.
func JSONHeader() http.Header {
	// One array holds the three values; each slice is capped at its own
	// element, so an append to one never writes into another.
	v := &[3]string{"application/json; charset=utf-8", "no-store", "nosniff"}
	return http.Header{
		"Content-Type":           v[0:1:1],
		"Cache-Control":          v[1:2:2],
		"X-Content-Type-Options": v[2:3:3],
	}
}

func methodNotAllowed(allow string) Response {
	resp := errorBody(core.Errorf(CodeMethodNotAllowed, "", "method not allowed"))
	resp.Header.Set("Allow", allow)
	return resp
}

func (a *API) jsonResponse(ctx context.Context, v any) Response {
	b, err := marshalJSON(v)
	if err != nil {
		return a.errorResponse(ctx, &core.Error{Code: core.CodeInternal, Err: err})
	}
	return Response{Status: http.StatusOK, Header: JSONHeader(), Body: b}
}

// marshalJSON is json.Marshal without HTML escaping: a message quoting
// "a<b&c" reads as such, not as "a\u003cb\u0026c". The contract's
// responses are application/json with nosniff, never HTML.
func marshalJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte{'\n'}), nil
}

// publicError is what the client is told about err: a client error keeps
// its code and message; a cancelled request is unavailable; anything else
// is internal, with no detail (internal reports that case).
func publicError(err error) (e *core.Error, internal bool) {
	var ce *core.Error
	switch {
	case errors.As(err, &ce) && ce.Code != core.CodeInternal:
		return ce, false
	case errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded):
		return core.Errorf(core.CodeUnavailable, "", "request cancelled"), false
	}
	return core.Errorf(core.CodeInternal, "", "internal error"), true
}

// errorResponse maps err to the error envelope. Client errors keep their
// message; anything else becomes 500 internal with no detail, and the
// detail goes to the log at ERROR.
func (a *API) errorResponse(ctx context.Context, err error) Response {
	ce, internal := publicError(err)
	if internal {
		a.log.LogAttrs(ctx, slog.LevelError, "rtctoken internal error", slog.String("error", err.Error()))
	}
	resp := errorBody(ce)
	var rl *RateLimitError
	if errors.As(err, &rl) && rl.RetryAfter > 0 {
		secs := int64((rl.RetryAfter + time.Second - 1) / time.Second)
		resp.Header.Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	return resp
}

// ErrorResponse renders err in the error envelope; adapters use it for
// errors raised outside Serve (e.g. by Attach).
func (a *API) ErrorResponse(ctx context.Context, err error) Response {
	return a.errorResponse(ctx, err)
}

type errorEnvelope struct {
	Error errorDetail `json:"error"`
}

type errorDetail struct {
	Code    core.Code `json:"code"`
	Message string    `json:"message"`
	Field   string    `json:"field,omitempty"`
}

func errorBody(e *core.Error) Response {
	b, _ := marshalJSON(errorEnvelope{errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
	return Response{Status: Status(e.Code), Header: JSONHeader(), Body: b}
}

// Status maps an error code to its HTTP status.
func Status(c core.Code) int {
	switch c {
	case core.CodeUnauthenticated:
		return http.StatusUnauthorized
	case core.CodeForbidden:
		return http.StatusForbidden
	case core.CodeUnknownProvider, core.CodeUnknownKind, CodeNotFound:
		return http.StatusNotFound
	case CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case CodeBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case CodeUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case CodeRateLimited:
		return http.StatusTooManyRequests
	case core.CodeUnavailable:
		return http.StatusServiceUnavailable
	case core.CodeInternal:
		return http.StatusInternalServerError
	default:
		return http.StatusBadRequest
	}
}
