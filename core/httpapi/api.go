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

// Response is what an adapter writes back: status, headers and body. The
// Header map may be shared between responses: copy its entries, never
// modify it.
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
	// details of internal errors. Default slog.Default().
	Logger *slog.Logger
	// MaxBody limits request bodies. Default DefaultMaxBody (16 KiB).
	MaxBody int64
	// CacheSize bounds the number of users whose presets are cached by
	// Attach. Default 10000.
	CacheSize int
	// Limiter, when set, is asked before every issuance.
	Limiter core.Limiter
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
	limiter  core.Limiter
	clientIP func(Request) string
	ipv6Bits int
	obs      Observer
	provJSON []byte
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
	a.cache = newCache(cfg.CacheSize)
	b, err := json.Marshal(map[string]any{"providers": cfg.Service.Providers()})
	if err != nil {
		return nil, err
	}
	a.provJSON = b
	return a, nil
}

// Service returns the API's service.
func (a *API) Service() *core.Service { return a.svc }

// Serve handles one request to the contract. path is the request path below
// the mount point ("/providers", "/agora/rtc", "/batch"); body is the request
// body (nil for none). It never panics on client input.
func (a *API) Serve(r Request, path string, body io.Reader) Response {
	route, provider, kind := parsePath(path)
	switch route {
	case routeProviders:
		if m := r.Method(); m != http.MethodGet && m != http.MethodHead {
			return methodNotAllowed("GET, HEAD")
		}
		return Response{Status: http.StatusOK, Header: jsonHeader(), Body: a.provJSON}
	case routeIssue, routeBatch:
		if r.Method() != http.MethodPost {
			return methodNotAllowed("POST")
		}
	default:
		return a.errorResponse(r.Context(), core.Errorf(core.CodeNotFound, "", "no such endpoint"))
	}
	start := time.Now()
	id, err := a.identify(r)
	if err != nil {
		a.audit(r.Context(), core.Request{Provider: provider, Kind: kind}, id, nil, err, start)
		return a.errorResponse(r.Context(), err)
	}
	raw, err := a.readBody(r, body)
	if err != nil {
		a.audit(r.Context(), core.Request{Provider: provider, Kind: kind}, id, nil, err, start)
		return a.errorResponse(r.Context(), err)
	}
	if route == routeBatch {
		return a.serveBatch(r, id, raw, start)
	}
	req, err := decodeIssue(raw)
	if err == nil {
		req.Provider, req.Kind = provider, kind
		err = a.allow(r, id, req)
	}
	if err != nil {
		a.audit(r.Context(), core.Request{Provider: provider, Kind: kind}, id, nil, err, start)
		return a.errorResponse(r.Context(), err)
	}
	cred, err := a.svc.Issue(r.Context(), id, req)
	a.audit(r.Context(), req, id, cred, err, start)
	var out []byte
	if err == nil {
		out, err = cred.AppendJSON(make([]byte, 0, 384+2*len(cred.Token)))
	}
	if err != nil {
		return a.errorResponse(r.Context(), err)
	}
	return Response{Status: http.StatusOK, Header: jsonHeader(), Body: out}
}

func (a *API) serveBatch(r Request, id core.Identity, raw []byte, start time.Time) Response {
	reqs, err := decodeBatch(raw)
	for i := 0; err == nil && i < len(reqs); i++ {
		err = core.WithFieldPrefix(a.allow(r, id, reqs[i]), "requests["+strconv.Itoa(i)+"].")
	}
	var creds []*core.Credential
	if err == nil {
		creds, err = a.svc.IssueBatch(r.Context(), id, reqs)
	}
	if err != nil {
		a.audit(r.Context(), core.Request{Provider: "batch"}, id, nil, err, start)
		return a.errorResponse(r.Context(), err)
	}
	for i, c := range creds {
		a.audit(r.Context(), reqs[i], id, c, nil, start)
	}
	return a.jsonResponse(r.Context(), struct {
		Credentials []*core.Credential `json:"credentials"`
	}{creds})
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
// 401 the client sees, counting and logging it (the cause by type only).
func (a *API) identityError(ctx context.Context, err error) error {
	if a.obs != nil {
		a.obs.ResolverFailed(ctx)
	}
	var ce *core.Error
	if errors.As(err, &ce) && ce.Code == core.CodeUnauthenticated {
		a.log.LogAttrs(ctx, slog.LevelInfo, "rtctoken identity rejected", slog.String("reason", ce.Message), slog.Any("cause", safeCause(ce.Err)))
		return &core.Error{Code: core.CodeUnauthenticated, Message: ce.Message}
	}
	a.log.LogAttrs(ctx, slog.LevelWarn, "rtctoken resolver failed", slog.Any("cause", safeCause(err)))
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

func (a *API) readBody(r Request, body io.Reader) ([]byte, error) {
	if body == nil {
		return nil, nil
	}
	buf, err := io.ReadAll(io.LimitReader(body, a.maxBody+1))
	if err != nil {
		return nil, core.Errorf(core.CodeInvalidRequest, "", "could not read the request body")
	}
	if int64(len(buf)) > a.maxBody {
		return nil, core.Errorf(core.CodeBodyTooLarge, "", "request body is larger than %d bytes", a.maxBody)
	}
	if len(bytes.TrimSpace(buf)) > 0 && !isJSON(r.Header("Content-Type")) {
		return nil, core.Errorf(core.CodeUnsupportedMedia, "", "request body must be application/json")
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

// sharedHeader is the header of every response. It is shared and must not
// be modified; adapters copy its entries into their own header maps.
var sharedHeader = http.Header{
	"Content-Type":           {"application/json; charset=utf-8"},
	"Cache-Control":          {"no-store"},
	"X-Content-Type-Options": {"nosniff"},
}

func jsonHeader() http.Header { return sharedHeader }

func methodNotAllowed(allow string) Response {
	resp := errorBody(core.Errorf(core.CodeMethodNotAllowed, "", "method not allowed"))
	resp.Header = withHeader(resp.Header, "Allow", allow)
	return resp
}

// withHeader returns a copy of h with one more header.
func withHeader(h http.Header, k, v string) http.Header {
	c := h.Clone()
	c.Set(k, v)
	return c
}

func (a *API) jsonResponse(ctx context.Context, v any) Response {
	b, err := json.Marshal(v)
	if err != nil {
		return a.errorResponse(ctx, &core.Error{Code: core.CodeInternal, Err: err})
	}
	return Response{Status: http.StatusOK, Header: jsonHeader(), Body: b}
}

// errorResponse maps err to the error envelope. Client errors keep their
// message; anything else becomes 500 internal with no detail, and the
// detail goes to the log.
func (a *API) errorResponse(ctx context.Context, err error) Response {
	var ce *core.Error
	if !errors.As(err, &ce) || ce.Code == core.CodeInternal {
		if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
			return errorBody(core.Errorf(core.CodeUnavailable, "", "request cancelled"))
		}
		a.log.LogAttrs(ctx, slog.LevelError, "rtctoken internal error", slog.String("error", err.Error()))
		return errorBody(core.Errorf(core.CodeInternal, "", "internal error"))
	}
	resp := errorBody(ce)
	var rl *core.RateLimitError
	if errors.As(err, &rl) && rl.RetryAfter > 0 {
		secs := int64((rl.RetryAfter + time.Second - 1) / time.Second)
		resp.Header = withHeader(resp.Header, "Retry-After", strconv.FormatInt(secs, 10))
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
	b, _ := json.Marshal(errorEnvelope{errorDetail{Code: e.Code, Message: e.Message, Field: e.Field}})
	return Response{Status: Status(e.Code), Header: jsonHeader(), Body: b}
}

// Status maps an error code to its HTTP status.
func Status(c core.Code) int {
	switch c {
	case core.CodeUnauthenticated:
		return http.StatusUnauthorized
	case core.CodeForbidden:
		return http.StatusForbidden
	case core.CodeUnknownProvider, core.CodeUnknownKind, core.CodeNotFound:
		return http.StatusNotFound
	case core.CodeMethodNotAllowed:
		return http.StatusMethodNotAllowed
	case core.CodeBodyTooLarge:
		return http.StatusRequestEntityTooLarge
	case core.CodeUnsupportedMedia:
		return http.StatusUnsupportedMediaType
	case core.CodeRateLimited:
		return http.StatusTooManyRequests
	case core.CodeUnavailable:
		return http.StatusServiceUnavailable
	case core.CodeInternal:
		return http.StatusInternalServerError
	default:
		return http.StatusBadRequest
	}
}
