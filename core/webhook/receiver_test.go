package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// observed is an Observer that records what it is told.
type observed struct {
	mu  sync.Mutex
	got []string // "vendor type outcome"
}

func (o *observed) ObserveWebhook(vendor, typ, outcome string, d time.Duration) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if d < 0 {
		outcome += " negative-duration"
	}
	o.got = append(o.got, vendor+" "+typ+" "+outcome)
}

func (o *observed) last() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	if len(o.got) == 0 {
		return ""
	}
	return o.got[len(o.got)-1]
}

// countingReader counts the bytes read from it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// endless is a body that never ends.
type endless struct{}

func (endless) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = ' '
	}
	return len(p), nil
}

// fixture is a Receiver on the Agora scheme with a recording handler.
type fixture struct {
	rc      *webhook.Receiver
	obs     *observed
	store   *webhook.MemoryStore
	calls   int
	fail    error
	lastCtx context.Context
	sd      sender
}

type ctxKey struct{}

func newFixture(t testing.TB, mod func(c *webhook.Config)) *fixture {
	t.Helper()
	f := &fixture{obs: &observed{}, store: webhook.NewMemoryStore(100), sd: senders[0]}
	h := webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
		f.calls++
		f.lastCtx = ctx
		return f.fail
	})
	cfg := webhook.Config{
		Scheme: f.sd.must(t, "primarySecret1", "", 0), Store: f.store, Observer: f.obs,
		Handlers: map[string]webhook.Handler{"1:103": h},
		Now:      func() time.Time { return t0 }, Logger: discardLogger(),
	}
	if mod != nil {
		mod(&cfg)
	}
	rc, err := webhook.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.rc = rc
	return f
}

// post serves a signed callback.
func (f *fixture) post(marker string) httpapi.Response {
	r, body := f.sd.sign("primarySecret1", t0, marker)
	return f.rc.Serve(r, bytes.NewReader(body))
}

// errorCode returns the code of an error envelope, checking its shape.
func errorCode(t *testing.T, resp httpapi.Response) string {
	t.Helper()
	var env struct {
		Error *struct {
			Code    string `json:"code"`
			Message string `json:"message"`
			Field   string `json:"field"`
		} `json:"error"`
	}
	if err := json.Unmarshal(resp.Body, &env); err != nil || env.Error == nil || env.Error.Message == "" {
		t.Fatalf("not an error envelope: %s", resp.Body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("Content-Type %q", ct)
	}
	return env.Error.Code
}

func TestServeMethod(t *testing.T) {
	f := newFixture(t, nil)
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPut, "BREW"} {
		r, body := f.sd.sign("primarySecret1", t0, "m")
		r.method = m
		cr := &countingReader{r: bytes.NewReader(body)}
		resp := f.rc.Serve(r, cr)
		if resp.Status != http.StatusMethodNotAllowed || errorCode(t, resp) != "method_not_allowed" || resp.Header.Get("Allow") != "POST" {
			t.Errorf("%s: %d %s Allow %q", m, resp.Status, resp.Body, resp.Header.Get("Allow"))
		}
		if cr.n != 0 || f.calls != 0 {
			t.Errorf("%s: read %d bytes, dispatched %d", m, cr.n, f.calls)
		}
	}
	if got := f.obs.last(); got != "agora  method_not_allowed" {
		t.Errorf("observed %q", got)
	}
}

func TestServeContentEncoding(t *testing.T) {
	f := newFixture(t, nil)
	for _, enc := range []string{"gzip", "identity, br", "deflate"} {
		r, body := f.sd.sign("primarySecret1", t0, "m")
		r.header.Add("Content-Encoding", enc)
		cr := &countingReader{r: bytes.NewReader(body)}
		resp := f.rc.Serve(r, cr)
		if resp.Status != http.StatusUnsupportedMediaType || errorCode(t, resp) != "unsupported_media_type" || cr.n != 0 {
			t.Errorf("%q: %d %s, read %d bytes", enc, resp.Status, resp.Body, cr.n)
		}
	}
	r, body := f.sd.sign("primarySecret1", t0, "m")
	r.header.Add("Content-Encoding", "identity")
	if resp := f.rc.Serve(r, bytes.NewReader(body)); resp.Status != http.StatusOK || f.calls != 1 {
		t.Errorf("identity: %d %s", resp.Status, resp.Body)
	}
}

func TestServeBodyCap(t *testing.T) {
	const limit = webhook.MinMaxBody
	f := newFixture(t, func(c *webhook.Config) { c.MaxBody = limit })
	if f.rc.MaxBody() != limit {
		t.Fatalf("MaxBody %d", f.rc.MaxBody())
	}
	// A declared length over the cap is refused before reading.
	r, body := f.sd.sign("primarySecret1", t0, "m")
	r.header.Set("Content-Length", strconv.Itoa(limit+1))
	cr := &countingReader{r: bytes.NewReader(body)}
	resp := f.rc.Serve(r, cr)
	if resp.Status != http.StatusRequestEntityTooLarge || errorCode(t, resp) != "body_too_large" || cr.n != 0 {
		t.Errorf("Content-Length over the cap: %d %s, read %d", resp.Status, resp.Body, cr.n)
	}
	r.header.Set("Content-Length", "99999999999999999999999")
	if resp := f.rc.Serve(r, bytes.NewReader(body)); resp.Status != http.StatusRequestEntityTooLarge {
		t.Errorf("huge Content-Length: %d", resp.Status)
	}
	// A streamed body without Content-Length is read to cap+1 at most.
	r, _ = f.sd.sign("primarySecret1", t0, "m")
	cr = &countingReader{r: endless{}}
	resp = f.rc.Serve(r, cr)
	if resp.Status != http.StatusRequestEntityTooLarge || cr.n > limit+1 {
		t.Errorf("endless body: %d, read %d bytes (cap %d)", resp.Status, cr.n, limit)
	}
	// A signed body of exactly the cap is accepted.
	_, body = f.sd.sign("primarySecret1", t0, "m")
	padded := append(body[:len(body)-1:len(body)-1], []byte(`,"pad":"`+strings.Repeat("x", limit-len(body)-9)+`"}`)...)
	if len(padded) != limit {
		t.Fatalf("padded to %d", len(padded))
	}
	r = newRequest(map[string]string{"Agora-Signature-V2": strings.Fields(signAgora("primarySecret1", padded))[1]}, "")
	r.header.Set("Content-Length", strconv.Itoa(len(padded)))
	if resp := f.rc.Serve(r, bytes.NewReader(padded)); resp.Status != http.StatusOK {
		t.Errorf("body of exactly the cap: %d %s", resp.Status, resp.Body)
	}
	if got := f.obs.got; len(got) != 4 || got[0] != "agora  body_too_large" || got[3] != "agora 1:103 ok" {
		t.Errorf("observed %q", got)
	}
}

func TestServeRejections(t *testing.T) {
	f := newFixture(t, nil)
	r, body := f.sd.sign("primarySecret1", t0, "m")
	for _, c := range []struct {
		name   string
		r      *fakeRequest
		body   []byte
		status int
		code   string
	}{
		{"not JSON", r, []byte("{"), 400, "malformed"},
		{"empty", r, nil, 400, "malformed"},
		{"no signature", newRequest(nil, ""), body, 400, "malformed"},
		{"forged", r, bytes.Replace(body, []byte(`"m"`), []byte(`"x"`), 1), 401, "invalid_signature"},
	} {
		var rd io.Reader
		if c.body != nil {
			rd = bytes.NewReader(c.body)
		}
		resp := f.rc.Serve(c.r, rd)
		if resp.Status != c.status || errorCode(t, resp) != c.code {
			t.Errorf("%s: %d %s, want %d %s", c.name, resp.Status, resp.Body, c.status, c.code)
		}
		if got := f.obs.last(); got != "agora  "+c.code {
			t.Errorf("%s: observed %q", c.name, got)
		}
	}
	late := newFixture(t, func(c *webhook.Config) { c.Now = func() time.Time { return t0.Add(time.Hour) } })
	if resp := late.rc.Serve(r, bytes.NewReader(body)); resp.Status != 401 || errorCode(t, resp) != "stale" {
		t.Errorf("stale: %d %s", resp.Status, resp.Body)
	}
	if f.calls != 0 || late.calls != 0 {
		t.Error("a refused callback was dispatched")
	}
}

func TestServeDispatch(t *testing.T) {
	f := newFixture(t, nil)
	r, body := f.sd.sign("primarySecret1", t0, "m")
	r.ctx = context.WithValue(context.Background(), ctxKey{}, "request-scoped")
	resp := f.rc.Serve(r, bytes.NewReader(body))
	if resp.Status != 200 || string(resp.Body) != `{"status":"ok"}` || f.obs.last() != "agora 1:103 ok" {
		t.Errorf("answer %d %s, observed %q", resp.Status, resp.Body, f.obs.last())
	}
	if f.calls != 1 || f.lastCtx.Value(ctxKey{}) != "request-scoped" {
		t.Errorf("calls %d; the handler did not get the request's context", f.calls)
	}
	// The same callback again: acknowledged, not dispatched.
	resp = f.rc.Serve(r, bytes.NewReader(body))
	if resp.Status != 200 || string(resp.Body) != `{"status":"ok"}` || f.calls != 1 || f.obs.last() != "agora 1:103 duplicate" {
		t.Errorf("duplicate: %d %s calls %d observed %q", resp.Status, resp.Body, f.calls, f.obs.last())
	}
	if f.store.Len() != 1 {
		t.Errorf("store holds %d keys", f.store.Len())
	}
}

func TestServeHandlerError(t *testing.T) {
	f := newFixture(t, nil)
	f.fail = errors.New("database down: detail for the log only")
	resp := f.post("m")
	if resp.Status != 500 || errorCode(t, resp) != "internal" || bytes.Contains(resp.Body, []byte("database")) {
		t.Errorf("handler error: %d %s", resp.Status, resp.Body)
	}
	if f.obs.last() != "agora 1:103 handler_error" || f.store.Len() != 0 {
		t.Errorf("observed %q, store holds %d keys (the mark must be released)", f.obs.last(), f.store.Len())
	}
	// The vendor's retry is dispatched again, and succeeds.
	f.fail = nil
	if resp := f.post("m"); resp.Status != 200 || f.calls != 2 {
		t.Errorf("retry: %d, calls %d", resp.Status, f.calls)
	}
	if resp := f.post("m"); resp.Status != 200 || f.calls != 2 {
		t.Errorf("after success: %d, calls %d", resp.Status, f.calls)
	}
}

func TestServeHandlerPanic(t *testing.T) {
	f := newFixture(t, func(c *webhook.Config) {
		c.Handlers = map[string]webhook.Handler{"1:103": webhook.HandlerFunc(func(context.Context, webhook.Event) error {
			panic("handler bug")
		})}
	})
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the handler's panic was swallowed")
			}
		}()
		f.post("m")
	}()
	if f.store.Len() != 0 {
		t.Error("a panicking handler left its dedupe mark")
	}
	if got := f.obs.last(); got != "agora 1:103 handler_error" {
		t.Errorf("observed %q", got)
	}
}

func TestServeUnhandled(t *testing.T) {
	// A type without a handler and no Default: acknowledged, not dispatched.
	f := newFixture(t, func(c *webhook.Config) { c.Handlers = nil })
	if resp := f.post("m"); resp.Status != 200 || f.obs.last() != "agora other unhandled" {
		t.Errorf("unhandled: %d %s observed %q", resp.Status, resp.Body, f.obs.last())
	}
	// With a Default, it runs there.
	var got webhook.Event
	f = newFixture(t, func(c *webhook.Config) {
		c.Handlers = map[string]webhook.Handler{"1:104": webhook.HandlerFunc(func(context.Context, webhook.Event) error {
			t.Error("the handler of another type ran")
			return nil
		})}
		c.Default = webhook.HandlerFunc(func(_ context.Context, ev webhook.Event) error { got = ev; return nil })
	})
	if resp := f.post("m"); resp.Status != 200 || got.Type != "1:103" || got.ID != "n-m" || f.obs.last() != "agora other ok" {
		t.Errorf("default: %d, event %+v, observed %q", resp.Status, got, f.obs.last())
	}
}

// failingStore fails every call.
type failingStore struct{}

func (failingStore) Claim(context.Context, string, time.Duration) (bool, error) {
	return false, errors.New("store down")
}
func (failingStore) Release(context.Context, string) error { return errors.New("store down") }

func TestServeStoreError(t *testing.T) {
	f := newFixture(t, func(c *webhook.Config) { c.Store = failingStore{} })
	if resp := f.post("m"); resp.Status != 503 || errorCode(t, resp) != "unavailable" || f.calls != 0 || f.obs.last() != "agora 1:103 store_error" {
		t.Errorf("store down: %d %s calls %d observed %q", resp.Status, resp.Body, f.calls, f.obs.last())
	}
}

// TestAuditLog checks that the audit line names the vendor, type, id and
// outcome, and holds nothing of the body, the query, the token or the
// signature.
func TestAuditLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	const token = "tok3nSecretValue"
	s, err := webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret(token), SDKAppID: testAppID})
	if err != nil {
		t.Fatal(err)
	}
	fail := errors.New("handler failed")
	rc, err := webhook.New(webhook.Config{Scheme: s, Logger: log, Now: func() time.Time { return t0 },
		Handlers: map[string]webhook.Handler{"C2C.CallbackAfterSendMsg": webhook.HandlerFunc(func(context.Context, webhook.Event) error { return fail })},
	})
	if err != nil {
		t.Fatal(err)
	}
	rt := strconv.FormatInt(t0.Unix(), 10)
	sign := signTencentChat(token, rt)
	query := "SdkAppid=1400123456&CallbackCommand=C2C.CallbackAfterSendMsg&Sign=" + sign + "&RequestTime=" + rt
	body := `{"CallbackCommand":"C2C.CallbackAfterSendMsg","MsgKey":"k1","MsgBody":[{"MsgContent":{"Text":"password=hunter2-in-the-body"}}]}`
	rc.Serve(newRequest(nil, query), strings.NewReader(body))
	fail = nil
	rc.Serve(newRequest(nil, query), strings.NewReader(body))
	rc.Serve(newRequest(nil, query), strings.NewReader(body))
	rc.Serve(newRequest(nil, strings.Replace(query, sign[:8], "00000000", 1)), strings.NewReader(body))
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	want := []string{"handler_error", "ok", "duplicate", "invalid_signature"}
	if len(lines) != len(want) {
		t.Fatalf("%d lines:\n%s", len(lines), buf.String())
	}
	for i, line := range lines {
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil {
			t.Fatal(err)
		}
		if rec["outcome"] != want[i] || rec["vendor"] != "tencent_chat" {
			t.Errorf("line %d: %s", i, line)
		}
		if i < 3 && (rec["type"] != "C2C.CallbackAfterSendMsg" || rec["status"] == nil) {
			t.Errorf("line %d lacks the type or status: %s", i, line)
		}
		for _, leak := range []string{"hunter2", token, sign, sign[:16], "RequestTime", "MsgBody"} {
			if strings.Contains(line, leak) {
				t.Errorf("line %d holds %q: %s", i, leak, line)
			}
		}
	}
	if !strings.Contains(lines[0], "handler failed") || !strings.Contains(lines[0], `"level":"ERROR"`) {
		t.Errorf("the handler's failure is not logged at ERROR: %s", lines[0])
	}
}

func TestNewErrors(t *testing.T) {
	s := senders[0].must(t, "primarySecret1", "", 0)
	for _, c := range []struct {
		cfg   webhook.Config
		field string
	}{
		{webhook.Config{}, "Scheme"},
		{webhook.Config{Scheme: s, MaxBody: webhook.MinMaxBody - 1}, "MaxBody"},
		{webhook.Config{Scheme: s, MaxBody: -1}, "MaxBody"},
		{webhook.Config{Scheme: s, DedupeTTL: -time.Second}, "DedupeTTL"},
		{webhook.Config{Scheme: s, Handlers: map[string]webhook.Handler{"x": nil}}, "Handlers"},
		{webhook.Config{Scheme: s, Handlers: map[string]webhook.Handler{"": webhook.HandlerFunc(nil)}}, "Handlers"},
	} {
		_, err := webhook.New(c.cfg)
		if !errors.Is(err, core.ErrConfig) || core.ConfigField(err) != c.field {
			t.Errorf("%s: %v", c.field, err)
		}
	}
	rc, err := webhook.New(webhook.Config{Scheme: s})
	if err != nil || rc.MaxBody() != webhook.DefaultMaxBody || rc.Vendor() != "agora" {
		t.Errorf("defaults: %v", err)
	}
}
