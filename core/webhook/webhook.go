package webhook

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/rtctoken/rtctoken/core/httpapi"
)

// Request is the view of an incoming callback: the token contract's view
// plus the raw query. Each adapter implements it over its framework's
// request.
type Request interface {
	httpapi.Request
	// RawQuery is the URL's raw query, undecoded ("" when none).
	RawQuery() string
}

// Event is a verified callback.
type Event struct {
	// Vendor is the scheme's Name(): "agora", "tencent_chat", "trtc",
	// "zoom", "zego", "livekit".
	Vendor string
	// Type is the vendor's event type; each scheme documents how it
	// spells it (Zoom "meeting.started", Tencent Chat's CallbackCommand,
	// Agora "<productId>:<eventType>", ...).
	Type string
	// ID is the vendor's event id where it has one, else "".
	ID string
	// Time is the signed time of the callback (the time the window is
	// checked on).
	Time time.Time
	// Payload is the raw body, exactly as received.
	Payload json.RawMessage
}

// Handler handles one verified event. A non-nil error answers 500, so that
// the vendor retries (where it does), and the dedupe mark is released so the
// retry is dispatched again.
type Handler interface {
	HandleEvent(ctx context.Context, ev Event) error
}

// HandlerFunc adapts a function to Handler.
type HandlerFunc func(ctx context.Context, ev Event) error

// HandleEvent implements Handler.
func (f HandlerFunc) HandleEvent(ctx context.Context, ev Event) error { return f(ctx, ev) }

// Scheme verifies one vendor's callbacks. Each implementation is built from
// a typed config whose fields document their defaults.
type Scheme interface {
	// Name is the vendor's name, Event.Vendor.
	Name() string
	// Verify checks r and its raw body at now. It returns the verified
	// callback, or an error classified with errors.Is against
	// ErrMalformed, ErrSignature and ErrStale. Checks run in that order:
	// a request that is malformed and also badly signed is malformed.
	Verify(r Request, body []byte, now time.Time) (Verified, error)
	// Ack is the success answer the vendor expects (status, headers, body).
	// Each call returns a Response of its own.
	Ack() httpapi.Response
}

// Verified is what a Scheme hands the receiver.
type Verified struct {
	// Event is the verified callback.
	Event Event
	// DedupeKey is the key the vendor's spec names for deduplication,
	// "" when the callback has none. The receiver namespaces it by vendor.
	DedupeKey string
	// Reply, when set, is the scheme's own answer (Zoom's
	// endpoint.url_validation, only after its signature verified): the
	// receiver sends it and dispatches nothing.
	Reply *httpapi.Response
}

// The classes of verification errors. Every error a Scheme's Verify returns
// matches exactly one of them with errors.Is.
var (
	// ErrMalformed: a required header, query parameter or body field is
	// missing or empty, or a value has the wrong encoding or length
	// (400 malformed).
	ErrMalformed = errors.New("webhook: malformed callback")
	// ErrSignature: the signature differs under every configured secret,
	// or the callback names another application (401 invalid_signature).
	ErrSignature = errors.New("webhook: invalid signature")
	// ErrStale: the signed time is outside the accepted window (401 stale).
	ErrStale = errors.New("webhook: stale callback")
)

// verifyError is a classified verification error. Its field and message
// are constant text written here, never a value from the request.
type verifyError struct {
	class error
	field string
	msg   string
}

func (e *verifyError) Error() string {
	s := e.class.Error() + ": " + e.msg
	if e.field != "" {
		s += " (" + e.field + ")"
	}
	return s
}

func (e *verifyError) Unwrap() error { return e.class }

func malformed(field, msg string) error {
	return &verifyError{class: ErrMalformed, field: field, msg: msg}
}

func badSignature(field, msg string) error {
	return &verifyError{class: ErrSignature, field: field, msg: msg}
}

func stale(field string) error {
	return &verifyError{class: ErrStale, field: field, msg: "the signed time is outside the accepted window"}
}
