package webhook

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// DefaultMaxBody is the default cap on a callback body: 1 MiB. Recording
// callbacks list their files, and one listing 80 files is already 14 KiB;
// a megabyte holds thousands and still bounds what one request can cost.
const DefaultMaxBody = 1 << 20

// MinMaxBody is the smallest MaxBody New accepts (64 KiB): below it, real
// recording callbacks would be refused.
const MinMaxBody = 64 << 10

// DefaultDedupeTTL is how long a dedupe key is remembered: 24 hours. It
// outlasts every vendor's retry schedule (Zoom's last retry comes about 85
// minutes after the first attempt; Agora, TRTC, ZEGO and LiveKit stop
// within minutes) and Agora's late redundant notifications, with a wide
// margin; beyond it a signature window has refused the request anyway.
const DefaultDedupeTTL = 24 * time.Hour

// Error codes of the receiver's answers, in the contract's envelope
// {"error":{"code","message","field"}}. The receiver also answers
// httpapi.CodeBodyTooLarge (413), httpapi.CodeUnsupportedMedia (415),
// httpapi.CodeMethodNotAllowed (405), core.CodeUnavailable (503, the
// dedupe store failed) and core.CodeInternal (500, the handler failed).
const (
	CodeInvalidSignature core.Code = "invalid_signature" // 401: ErrSignature
	CodeStale            core.Code = "stale"             // 401: ErrStale
	CodeMalformed        core.Code = "malformed"         // 400: ErrMalformed
)

// Outcomes, as given to Observer.ObserveWebhook and written in the audit
// line.
const (
	OutcomeOK               = "ok"                     // dispatched, the handler succeeded
	OutcomeDuplicate        = "duplicate"              // dedupe key already claimed: acknowledged, not dispatched
	OutcomeUnhandled        = "unhandled"              // no handler and no Default: acknowledged, not dispatched
	OutcomeChallenge        = "challenge"              // the scheme answered itself (Zoom url_validation)
	OutcomeHandlerError     = "handler_error"          // the handler failed: 500, dedupe mark released
	OutcomeStoreError       = "store_error"            // the dedupe store failed: 503
	OutcomeInvalidSignature = "invalid_signature"      // 401
	OutcomeStale            = "stale"                  // 401
	OutcomeMalformed        = "malformed"              // 400
	OutcomeBodyTooLarge     = "body_too_large"         // 413
	OutcomeUnsupportedMedia = "unsupported_media_type" // 415
	OutcomeMethodNotAllowed = "method_not_allowed"     // 405
)

// TypeOther is the event type given to the Observer for a verified event
// whose type has no handler of its own, so that metric labels stay bounded.
// Unverified requests are observed with the type "".
const TypeOther = "other"

// Observer is told the outcome of every callback (metrics). eventType is
// a key of Config.Handlers, TypeOther, or "" for a request that did not
// verify. Implementations must be fast and safe for concurrent use.
type Observer interface {
	ObserveWebhook(vendor, eventType, outcome string, d time.Duration)
}

// Config configures a Receiver.
type Config struct {
	// Scheme verifies the vendor's callbacks. Required.
	Scheme Scheme
	// Handlers handle verified events by Event.Type.
	Handlers map[string]Handler
	// Default handles events without a handler of their own. nil: such
	// events are acknowledged, counted and logged, not dispatched.
	Default Handler
	// Store remembers dedupe keys. nil: NewMemoryStore(DefaultStoreSize),
	// which one process alone can use.
	Store Store
	// DedupeTTL is how long a dedupe key is remembered. 0 means
	// DefaultDedupeTTL (24 h).
	DedupeTTL time.Duration
	// MaxBody caps the body in bytes. 0 means DefaultMaxBody (1 MiB); at
	// least MinMaxBody (64 KiB).
	MaxBody int64
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Logger receives one audit line per callback: vendor, type, id,
	// outcome, status and duration; never the body, the query, a token or
	// a secret. Default slog.Default().
	Logger *slog.Logger
	// Observer, when set, is told the outcome of every callback.
	Observer Observer
}

// Receiver answers one vendor's callbacks. It is safe for concurrent use.
type Receiver struct {
	scheme   Scheme
	vendor   string
	handlers map[string]Handler
	def      Handler
	store    Store
	ttl      time.Duration
	maxBody  int64
	now      func() time.Time
	log      *slog.Logger
	obs      Observer
}

// New validates cfg and returns a Receiver. Errors are *core.ConfigError
// values naming the field.
func New(cfg Config) (*Receiver, error) {
	if cfg.Scheme == nil {
		return nil, &core.ConfigError{Provider: "webhook", Field: "Scheme", Message: "is required"}
	}
	switch {
	case cfg.MaxBody == 0:
		cfg.MaxBody = DefaultMaxBody
	case cfg.MaxBody < MinMaxBody:
		return nil, &core.ConfigError{Provider: "webhook", Field: "MaxBody", Message: fmt.Sprintf("must be at least %d bytes", MinMaxBody)}
	}
	switch {
	case cfg.DedupeTTL == 0:
		cfg.DedupeTTL = DefaultDedupeTTL
	case cfg.DedupeTTL < time.Second:
		return nil, &core.ConfigError{Provider: "webhook", Field: "DedupeTTL", Message: "must be at least one second"}
	}
	handlers := make(map[string]Handler, len(cfg.Handlers))
	for t, h := range cfg.Handlers {
		if t == "" || h == nil {
			return nil, &core.ConfigError{Provider: "webhook", Field: "Handlers", Message: "every handler needs a non-empty type and a non-nil Handler"}
		}
		handlers[t] = h
	}
	if cfg.Store == nil {
		cfg.Store = NewMemoryStore(DefaultStoreSize)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Receiver{
		scheme: cfg.Scheme, vendor: cfg.Scheme.Name(), handlers: handlers, def: cfg.Default,
		store: cfg.Store, ttl: cfg.DedupeTTL, maxBody: cfg.MaxBody, now: cfg.Now,
		log: cfg.Logger, obs: cfg.Observer,
	}, nil
}

// Vendor returns the scheme's name.
func (rc *Receiver) Vendor() string { return rc.vendor }

// MaxBody returns the body cap in bytes, for adapters that cap the body
// themselves too.
func (rc *Receiver) MaxBody() int64 { return rc.maxBody }

// outcome is the record of one callback, for the audit line and the
// observer.
type outcome struct {
	ev      Event
	typ     string // the observer's type label
	name    string
	status  int
	err     error
	started time.Time
}

// Serve answers one callback. body is the raw body as received (nil for
// none); an adapter must not decompress it. The steps, each answering on
// failure:
//
//  1. method POST only: 405 method_not_allowed (Allow: POST);
//  2. a Content-Encoding other than identity: 415 unsupported_media_type,
//     from the headers, before reading;
//  3. a Content-Length over MaxBody: 413 body_too_large before reading;
//     otherwise the body is read once, at most MaxBody+1 bytes, and 413 if
//     it is longer;
//  4. the scheme's Verify: 400 malformed, 401 invalid_signature, 401 stale;
//  5. a reply of the scheme's own (Zoom url_validation) is sent as is;
//  6. the dedupe key is claimed in the Store: a duplicate is acknowledged
//     (the scheme's Ack) and not dispatched; a store failure is 503
//     unavailable, so the vendor retries;
//  7. the handler of Event.Type (or Default) runs with r.Context(); an
//     error (or a panic) releases the dedupe key and answers 500 internal
//     with no detail; no handler at all acknowledges;
//  8. the scheme's Ack.
//
// It never panics on client input.
func (rc *Receiver) Serve(r Request, body io.Reader) httpapi.Response {
	o := outcome{started: time.Now()}
	defer func() {
		if p := recover(); p != nil { // the handler's: record it, then let it go on
			o.name, o.status, o.err = OutcomeHandlerError, http.StatusInternalServerError, errHandlerPanic
			rc.record(r.Context(), &o)
			panic(p)
		}
	}()
	resp := rc.serve(r, body, &o)
	o.status = resp.Status
	rc.record(r.Context(), &o)
	return resp
}

func (rc *Receiver) serve(r Request, body io.Reader, o *outcome) httpapi.Response {
	if r.Method() != http.MethodPost {
		o.name = OutcomeMethodNotAllowed
		resp := errorResponse(httpapi.CodeMethodNotAllowed, "", "method not allowed: callbacks are POST")
		resp.Header.Set("Allow", http.MethodPost)
		return resp
	}
	if encoded(r) {
		o.name = OutcomeUnsupportedMedia
		return errorResponse(httpapi.CodeUnsupportedMedia, "Content-Encoding", "request body must not be encoded")
	}
	raw, tooLarge, err := rc.read(r, body)
	switch {
	case tooLarge:
		o.name = OutcomeBodyTooLarge
		return errorResponse(httpapi.CodeBodyTooLarge, "", fmt.Sprintf("request body is larger than %d bytes", rc.maxBody))
	case err != nil:
		o.name, o.err = OutcomeMalformed, err
		return errorResponse(CodeMalformed, "", "could not read the request body")
	}
	v, err := rc.scheme.Verify(r, raw, rc.now())
	if err != nil {
		o.err = err
		return rc.rejection(err, o)
	}
	o.ev = v.Event
	o.typ = TypeOther
	if _, ok := rc.handlers[v.Event.Type]; ok {
		o.typ = v.Event.Type
	}
	if v.Reply != nil {
		o.name = OutcomeChallenge
		return *v.Reply
	}
	return rc.dispatch(r.Context(), v, o)
}

// encoded reports a Content-Encoding other than identity on any line.
func encoded(r Request) bool {
	for _, line := range r.HeaderValues("Content-Encoding") {
		for coding := range strings.SplitSeq(line, ",") {
			if c := strings.TrimSpace(coding); c != "" && !strings.EqualFold(c, "identity") {
				return true
			}
		}
	}
	return false
}

// read reads the body through the cap, refusing a declared length over it
// before reading anything.
func (rc *Receiver) read(r Request, body io.Reader) ([]byte, bool, error) {
	size := int64(512)
	if cl := r.Header("Content-Length"); cl != "" {
		n, overflow, ok := parseDecimal(cl)
		switch {
		case ok && (overflow || n > rc.maxBody):
			return nil, true, nil
		case ok:
			size = n + 1 // room to see a body longer than declared
		}
	}
	if body == nil {
		return nil, false, nil
	}
	raw, err := readAll(io.LimitReader(body, rc.maxBody+1), size)
	if int64(len(raw)) > rc.maxBody {
		return nil, true, nil
	}
	return raw, false, err
}

// readAll is io.ReadAll starting with a buffer of size bytes.
func readAll(r io.Reader, size int64) ([]byte, error) {
	b := make([]byte, 0, size)
	for {
		if len(b) == cap(b) {
			b = append(b, 0)[:len(b)]
		}
		n, err := r.Read(b[len(b):cap(b)])
		b = b[:len(b)+n]
		if err == io.EOF {
			return b, nil
		}
		if err != nil {
			return b, err
		}
	}
}

// rejection answers a verification error by its class.
func (rc *Receiver) rejection(err error, o *outcome) httpapi.Response {
	field, msg := "", ""
	var ve *verifyError
	if errors.As(err, &ve) {
		field, msg = ve.field, ve.msg
	}
	switch {
	case errors.Is(err, ErrMalformed):
		o.name = OutcomeMalformed
		return errorResponse(CodeMalformed, field, orDefault(msg, "malformed callback"))
	case errors.Is(err, ErrSignature):
		o.name = OutcomeInvalidSignature
		return errorResponse(CodeInvalidSignature, "", "the callback's signature does not verify")
	case errors.Is(err, ErrStale):
		o.name = OutcomeStale
		return errorResponse(CodeStale, field, "the callback's signed time is outside the accepted window")
	}
	o.name = OutcomeMalformed
	return errorResponse(CodeMalformed, "", "malformed callback")
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// dispatch claims the dedupe key and runs the handler.
func (rc *Receiver) dispatch(ctx context.Context, v Verified, o *outcome) httpapi.Response {
	h, ok := rc.handlers[v.Event.Type]
	if !ok {
		h = rc.def
	}
	key := ""
	if v.DedupeKey != "" {
		key = rc.storeKey(v.DedupeKey)
		first, err := rc.store.Claim(ctx, key, rc.ttl)
		if err != nil {
			o.name, o.err = OutcomeStoreError, err
			return errorResponse(core.CodeUnavailable, "", "try again later")
		}
		if !first {
			o.name = OutcomeDuplicate
			return rc.scheme.Ack()
		}
	}
	if h == nil {
		o.name = OutcomeUnhandled
		return rc.scheme.Ack()
	}
	if err := rc.run(ctx, h, v.Event, key); err != nil {
		o.name, o.err = OutcomeHandlerError, err
		return errorResponse(core.CodeInternal, "", "internal error")
	}
	o.name = OutcomeOK
	return rc.scheme.Ack()
}

// run calls the handler; when it fails or panics, the dedupe key is
// released so that the vendor's retry is dispatched again (a panic then
// continues).
func (rc *Receiver) run(ctx context.Context, h Handler, ev Event, key string) (err error) {
	done := false
	defer func() {
		if done && err == nil {
			return
		}
		if key != "" {
			if rerr := rc.store.Release(context.WithoutCancel(ctx), key); rerr != nil {
				rc.log.LogAttrs(ctx, slog.LevelError, "rtctoken webhook: dedupe release failed",
					slog.String("vendor", rc.vendor), slog.String("error", rerr.Error()))
			}
		}
	}()
	err = h.HandleEvent(ctx, ev)
	done = true
	return err
}

var errHandlerPanic = errors.New("the handler panicked")

// maxKeyLen bounds a dedupe key as stored: a longer key (it may come from
// an unsigned body) is stored as its SHA-256.
const maxKeyLen = 200

func (rc *Receiver) storeKey(k string) string {
	if len(k) > maxKeyLen {
		sum := sha256.Sum256([]byte(k))
		k = "sha256:" + hex.EncodeToString(sum[:])
	}
	return rc.vendor + ":" + k
}

// record writes the audit line and tells the observer.
func (rc *Receiver) record(ctx context.Context, o *outcome) {
	d := time.Since(o.started)
	if rc.obs != nil {
		rc.obs.ObserveWebhook(rc.vendor, o.typ, o.name, d)
	}
	level := slog.LevelInfo
	switch o.name {
	case OutcomeHandlerError, OutcomeStoreError:
		level = slog.LevelError
	case OutcomeInvalidSignature, OutcomeStale, OutcomeMalformed:
		level = slog.LevelWarn
	}
	if !rc.log.Enabled(ctx, level) {
		return
	}
	attrs := []slog.Attr{
		slog.String("vendor", rc.vendor),
		slog.String("type", logText(o.ev.Type)),
		slog.String("id", logText(o.ev.ID)),
		slog.String("outcome", o.name),
		slog.Int("status", o.status),
		slog.Float64("ms", float64(d.Microseconds())/1000),
	}
	if o.err != nil {
		attrs = append(attrs, slog.String("error", errText(o)))
	}
	rc.log.LogAttrs(ctx, level, "rtctoken webhook", attrs...)
}

// errText is what the audit line says of an error: the verification
// error's own text (constant text written in this package), or, for a
// handler or store failure, the error's text.
func errText(o *outcome) string {
	var ve *verifyError
	if errors.As(o.err, &ve) {
		return ve.Error()
	}
	if o.name == OutcomeHandlerError || o.name == OutcomeStoreError {
		return o.err.Error()
	}
	return fmt.Sprintf("%T", o.err)
}

// logText makes a value from the request safe for a log line: at most 128
// bytes, valid UTF-8, no control characters.
func logText(s string) string {
	if len(s) > 128 {
		s = s[:128]
	}
	s = strings.ToValidUTF8(s, "\uFFFD")
	return strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return '?'
		}
		return r
	}, s)
}

// errorResponse renders the contract's error envelope.
func errorResponse(code core.Code, field, msg string) httpapi.Response {
	b := []byte(`{"error":{"code":` + strconv.Quote(string(code)) + `,"message":` + strconv.Quote(msg))
	if field != "" {
		b = append(b, `,"field":`+strconv.Quote(field)...)
	}
	b = append(b, "}}"...)
	return httpapi.Response{Status: status(code), Header: httpapi.JSONHeader(), Body: b}
}

// status maps the receiver's codes to HTTP statuses.
func status(code core.Code) int {
	switch code {
	case CodeInvalidSignature, CodeStale:
		return http.StatusUnauthorized
	case CodeMalformed:
		return http.StatusBadRequest
	}
	return httpapi.Status(code)
}
