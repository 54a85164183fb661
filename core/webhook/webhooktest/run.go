package webhooktest

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// Start builds a fresh app of the adapter under test with rc's handler
// mounted at path for every method, serves it over real HTTP on 127.0.0.1
// until t ends, and returns the base URL ("http://127.0.0.1:port"). Run
// calls it once per row, each time with another receiver.
type Start func(t testing.TB, path string, rc *webhook.Receiver) (baseURL string)

// MaxBody is the body cap of the receivers Run builds (webhook.MinMaxBody).
const MaxBody = webhook.MinMaxBody

// The test-only secrets and application ids the receivers of Run are
// configured with. Never configure them in a deployment.
const (
	AgoraSecret   = "agora-ncs-test-secret-0001"
	TencentToken  = "tencent-chat-test-token-0001"
	TRTCKey       = "trtcTestCallbackKey0001"
	ZoomSecret    = "zoom-webhook-test-secret-0001"
	ZegoSecret    = "0123456789abcdef0123456789abcdef"
	TencentAppID  = 1400000001
	otherAppID    = 1400000002
	wrongSecret   = "not-the-configured-secret"
	payloadMarker = "payload-marker-4d1f"
)

// Delivery is one callback request as a vendor sends it.
type Delivery struct {
	// Method defaults to POST.
	Method string
	// Query is the raw query, without the "?".
	Query string
	// Header holds the vendor's headers; Content-Type defaults to
	// application/json.
	Header http.Header
	// Body is sent as is.
	Body []byte
	// Chunked sends the body with Transfer-Encoding: chunked and no
	// Content-Length.
	Chunked bool
}

// Send sends d to url (the receiver's full URL, without a query) and
// returns the answer's status, headers and body.
func Send(t testing.TB, client *http.Client, url string, d Delivery) (int, http.Header, []byte) {
	t.Helper()
	method := d.Method
	if method == "" {
		method = http.MethodPost
	}
	if d.Query != "" {
		url += "?" + d.Query
	}
	var body io.Reader
	if d.Body != nil {
		body = bytes.NewReader(d.Body)
		if d.Chunked {
			body = struct{ io.Reader }{body} // hides the length
		}
	}
	req, err := http.NewRequestWithContext(context.Background(), method, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if d.Chunked {
		req.ContentLength = -1
	}
	for k, v := range d.Header {
		req.Header[k] = v
	}
	if req.Header.Get("Content-Type") == "" && d.Body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

// recorder is the receivers' handler: it records every event it is given
// and fails its first fail calls.
type recorder struct {
	mu     sync.Mutex
	fail   int
	events []webhook.Event
}

// handlerDetail is the text of the recorder's failure, which must not
// reach the client.
const handlerDetail = "handler-detail-9c2e"

func (r *recorder) HandleEvent(_ context.Context, ev webhook.Event) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.events = append(r.events, ev)
	if len(r.events) <= r.fail {
		return errors.New(handlerDetail)
	}
	return nil
}

func (r *recorder) got() []webhook.Event {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Event(nil), r.events...)
}

// step is one request of a row and what must come back.
type step struct {
	send func(at time.Time) Delivery
	// again resends the previous step's request unchanged (send unset).
	again bool
	// status is the expected status; 0 means the scheme's acknowledgement,
	// checked by the fixture's ack.
	status int
	code   core.Code
	check  func(t *testing.T, hdr http.Header, body []byte)
}

// row is one line of the table: requests to one receiver, in order.
type row struct {
	name    string
	fixture *fixture
	// fail makes the handler fail its first fail calls.
	fail  int
	steps []step
	// dispatched is how many times the handler must have been called.
	dispatched int
	// events checks what the handler got, against what was sent.
	events func(t *testing.T, got []webhook.Event, sent []sent)
}

// sent is a request a row sent, and the time it was signed at.
type sent struct {
	d  Delivery
	at time.Time
}

// Run runs the table against the app start builds.
func Run(t *testing.T, start Start) {
	for _, r := range rows() {
		t.Run(r.name, func(t *testing.T) { runRow(t, start, r) })
	}
	t.Run("compression bomb allocation", func(t *testing.T) { bombAllocation(t, start) })
}

func runRow(t *testing.T, start Start, r row) {
	rec := &recorder{fail: r.fail}
	logs := &testutil.SyncBuffer{}
	rc := newReceiver(t, r.fixture, rec, logs)
	path := "/webhooks/" + r.fixture.vendor
	base := start(t, path, rc)
	client := &http.Client{Timeout: 10 * time.Second}
	now := time.Now()
	var secrets []string
	var log []sent
	for i, s := range r.steps {
		at := now.Add(time.Duration(i) * time.Second)
		var d Delivery
		if s.again {
			d, at = log[i-1].d, log[i-1].at
		} else {
			d = s.send(at)
		}
		log = append(log, sent{d, at})
		secrets = append(secrets, signatures(d)...)
		status, hdr, body := Send(t, client, base+path, d)
		switch {
		case s.status == 0:
			r.fixture.ack(t, status, hdr, body)
		case status != s.status:
			t.Fatalf("step %d: status %d, want %d: %s", i, status, s.status, body)
		}
		if s.code != "" {
			checkEnvelope(t, body, s.code)
		}
		if s.check != nil {
			s.check(t, hdr, body)
		}
	}
	got := rec.got()
	if len(got) != r.dispatched {
		t.Fatalf("the handler was called %d times, want %d: %+v", len(got), r.dispatched, got)
	}
	if r.events != nil {
		r.events(t, got, log)
	}
	checkLogs(t, logs.String(), len(r.steps), secrets)
}

func newReceiver(t testing.TB, f *fixture, h webhook.Handler, logs io.Writer) *webhook.Receiver {
	t.Helper()
	s, err := f.scheme()
	if err != nil {
		t.Fatalf("%s scheme: %v", f.vendor, err)
	}
	rc, err := webhook.New(webhook.Config{
		Scheme:  s,
		Default: h,
		MaxBody: MaxBody,
		Logger:  slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug})),
	})
	if err != nil {
		t.Fatal(err)
	}
	if rc.Vendor() != f.vendor {
		t.Fatalf("receiver vendor %q, want %q", rc.Vendor(), f.vendor)
	}
	return rc
}

// signatures are the signature values a delivery carries, which no audit
// line may contain.
func signatures(d Delivery) []string {
	var out []string
	for _, name := range []string{"Agora-Signature", "Agora-Signature-V2", "Sign", "x-zm-signature", "Authorization"} {
		if v := d.Header.Get(name); v != "" {
			out = append(out, strings.TrimPrefix(v, "v0="))
		}
	}
	if i := strings.Index(d.Query, "Sign="); i >= 0 {
		v, _, _ := strings.Cut(d.Query[i+len("Sign="):], "&")
		out = append(out, v)
	}
	if i := bytes.Index(d.Body, []byte(`"signature":"`)); i >= 0 {
		v, _, _ := strings.Cut(string(d.Body[i+len(`"signature":"`):]), `"`)
		out = append(out, v)
	}
	return out
}

// checkLogs checks one audit line per request, none carrying a secret, a
// signature or text from a payload.
func checkLogs(t *testing.T, logs string, requests int, signatures []string) {
	t.Helper()
	if n := strings.Count(logs, `"outcome":`); n < requests {
		t.Errorf("%d audit lines with an outcome for %d requests:\n%s", n, requests, logs)
	}
	for _, s := range append(signatures, AgoraSecret, TencentToken, TRTCKey, ZoomSecret, ZegoSecret, LiveKitSecret, payloadMarker) {
		// A short value (the documentation's "signature" placeholder) is
		// no secret and may well be a word of the log.
		if len(s) >= 16 && strings.Contains(logs, s) {
			t.Errorf("an audit line contains %q:\n%s", s, logs)
		}
	}
}

type envelope struct {
	Error struct {
		Code    core.Code `json:"code"`
		Message string    `json:"message"`
		Field   string    `json:"field"`
	} `json:"error"`
}

func checkEnvelope(t *testing.T, body []byte, code core.Code) {
	t.Helper()
	var e envelope
	if err := json.Unmarshal(body, &e); err != nil {
		t.Fatalf("error body is not the envelope: %s", body)
	}
	if e.Error.Code != code || e.Error.Message == "" {
		t.Fatalf("error %+v, want code %s", e.Error, code)
	}
	if strings.Contains(string(body), handlerDetail) {
		t.Fatalf("the handler's error reached the client: %s", body)
	}
}

// dispatched checks that the handler got the fixture's event for each
// request sent, with its type, its id, the raw body and the signed time.
func dispatched(f *fixture, id string) func(t *testing.T, got []webhook.Event, sent []sent) {
	return func(t *testing.T, got []webhook.Event, sent []sent) {
		t.Helper()
		for i, ev := range got {
			if ev.Vendor != f.vendor || ev.Type != f.wantType || ev.ID != f.wantID(id) {
				t.Errorf("event %q/%q/%q, want %q/%q/%q", ev.Vendor, ev.Type, ev.ID, f.vendor, f.wantType, f.wantID(id))
			}
			if want := sent[i].d.Body; !bytes.Equal(ev.Payload, want) {
				t.Errorf("payload is not the raw body:\n got %s\nwant %s", ev.Payload, want)
			}
			if d := ev.Time.Sub(sent[i].at); d > time.Second || d < -time.Second {
				t.Errorf("event time %v, signed at %v", ev.Time, sent[i].at)
			}
		}
	}
}

// with returns d with the extra headers set.
func with(d Delivery, kv ...string) Delivery {
	h := d.Header.Clone()
	if h == nil {
		h = http.Header{}
	}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Set(kv[i], kv[i+1])
	}
	d.Header = h
	return d
}

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	_, _ = w.Write(b)
	_ = w.Close()
	return out.Bytes()
}

func rows() []row {
	fs := fixtures()
	var out []row
	for _, f := range fs {
		out = append(out,
			row{name: f.vendor + " signed event", fixture: f, dispatched: 1,
				steps:  []step{{send: func(at time.Time) Delivery { return f.event(at, "ev-1") }}},
				events: dispatched(f, "ev-1")},
			row{name: f.vendor + " forged signature", fixture: f,
				steps: []step{{send: f.forged, status: 401, code: webhook.CodeInvalidSignature}}},
			row{name: f.vendor + " stale", fixture: f,
				steps: []step{{send: func(at time.Time) Delivery { return f.event(at.Add(-time.Hour), "ev-1") }, status: 401, code: webhook.CodeStale}}},
			row{name: f.vendor + " stale from the future", fixture: f,
				steps: []step{{send: func(at time.Time) Delivery { return f.event(at.Add(time.Hour), "ev-1") }, status: 401, code: webhook.CodeStale}}},
			row{name: f.vendor + " malformed", fixture: f,
				steps: []step{{send: f.malformed, status: 400, code: webhook.CodeMalformed}}},
		)
		for _, extra := range f.rows {
			extra.fixture = f
			out = append(out, extra)
		}
	}
	return append(out, commonRows(fs[0])...)
}

// commonRows are the rows about the receiver and the transport, on the
// Agora fixture.
func commonRows(ag *fixture) []row {
	ev := func(id string) func(time.Time) Delivery {
		return func(at time.Time) Delivery { return ag.event(at, id) }
	}
	sized := func(n int, chunked bool) func(time.Time) Delivery {
		return func(at time.Time) Delivery {
			d := agoraEventOfSize(at, "sized", n)
			d.Chunked = chunked
			return d
		}
	}
	encodedAs := func(encoding string, body func(at time.Time) []byte) func(time.Time) Delivery {
		return func(at time.Time) Delivery {
			b := body(at)
			return Delivery{Body: b, Header: with(Delivery{Header: AgoraHeaders(AgoraSecret, b)}, "Content-Encoding", encoding).Header}
		}
	}
	bomb := func(time.Time) []byte {
		b, err := httpapitest.Bomb()
		if err != nil {
			panic(err)
		}
		return b
	}
	allowsPost := func(t *testing.T, hdr http.Header, _ []byte) {
		if a := hdr.Get("Allow"); !strings.Contains(a, http.MethodPost) {
			t.Errorf("Allow %q does not list POST", a)
		}
	}
	return []row{
		{name: "duplicate delivery acknowledged, dispatched once", fixture: ag, dispatched: 1,
			steps: []step{{send: ev("dup-1")}, {send: ev("dup-1")}}},
		{name: "distinct events both dispatched", fixture: ag, dispatched: 2,
			steps: []step{{send: ev("one")}, {send: ev("two")}}},
		{name: "handler error answers 500, the retry is dispatched", fixture: ag, fail: 1, dispatched: 2,
			steps: []step{{send: ev("retry-1"), status: 500, code: core.CodeInternal}, {send: ev("retry-1")}}},
		{name: "GET refused", fixture: ag,
			steps: []step{{send: func(time.Time) Delivery { return Delivery{Method: http.MethodGet} }, status: 405, code: httpapi.CodeMethodNotAllowed, check: allowsPost}}},
		{name: "signed PUT refused", fixture: ag,
			steps: []step{{send: func(at time.Time) Delivery { d := ag.event(at, "put"); d.Method = http.MethodPut; return d }, status: 405, code: httpapi.CodeMethodNotAllowed, check: allowsPost}}},
		{name: "gzip body refused", fixture: ag,
			steps: []step{{send: encodedAs("gzip", func(at time.Time) []byte { return gzipped(ag.event(at, "gz").Body) }), status: 415, code: httpapi.CodeUnsupportedMedia}}},
		{name: "compression bomb refused", fixture: ag,
			steps: []step{{send: encodedAs(httpapitest.BombEncoding, bomb), status: 415, code: httpapi.CodeUnsupportedMedia}}},
		{name: "signed body at the cap accepted", fixture: ag, dispatched: 1,
			steps: []step{{send: sized(MaxBody, false)}}},
		{name: "signed body over the cap", fixture: ag,
			steps: []step{{send: sized(MaxBody+1, false), status: 413, code: httpapi.CodeBodyTooLarge}}},
		{name: "chunked body accepted", fixture: ag, dispatched: 1, events: dispatched(ag, "chunked"),
			steps: []step{{send: func(at time.Time) Delivery { d := ag.event(at, "chunked"); d.Chunked = true; return d }}}},
		{name: "chunked body over the cap", fixture: ag,
			steps: []step{{send: sized(3*MaxBody, true), status: 413, code: httpapi.CodeBodyTooLarge}}},
	}
}

// bombAllocation sends the compression bomb and bounds what the whole
// process allocates while it is answered: the receiver must refuse it
// from its headers, and the adapter must not inflate it first.
func bombAllocation(t *testing.T, start Start) {
	ag := fixtures()[0]
	rc := newReceiver(t, ag, &recorder{}, io.Discard)
	path := "/webhooks/" + ag.vendor
	base := start(t, path, rc)
	b, err := httpapitest.Bomb()
	if err != nil {
		t.Fatal(err)
	}
	client := &http.Client{Timeout: 10 * time.Second}
	d := Delivery{Body: b, Header: with(Delivery{Header: AgoraHeaders(AgoraSecret, b)}, "Content-Encoding", httpapitest.BombEncoding).Header}
	var status int
	grown := httpapitest.AllocatedBy(func() { status, _, _ = Send(t, client, base+path, d) })
	t.Logf("%d-byte bomb: %d, process allocated %.1f KiB", len(b), status, float64(grown)/1024)
	if status != http.StatusUnsupportedMediaType {
		t.Fatalf("status %d, want 415", status)
	}
	if grown > httpapitest.MaxBombGrowth {
		t.Fatalf("the process allocated %d bytes answering a %d-byte request (bound %d)", grown, len(b), httpapitest.MaxBombGrowth)
	}
}
