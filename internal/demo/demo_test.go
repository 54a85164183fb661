package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"io/fs"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// seeded is a deterministic byte source for the credential generator.
type seeded struct{ b byte }

func (s *seeded) Read(p []byte) (int, error) {
	for i := range p {
		s.b = s.b*97 + 89
		p[i] = s.b
	}
	return len(p), nil
}

func TestGenerateCredentialsFormats(t *testing.T) {
	hex := func(n int) *regexp.Regexp { return regexp.MustCompile(`^[0-9a-f]{` + strconv.Itoa(n) + `}$`) }
	alnum := func(n int) *regexp.Regexp { return regexp.MustCompile(`^[A-Za-z0-9]{` + strconv.Itoa(n) + `}$`) }
	seen := map[string]bool{}
	for i := 0; i < 20; i++ {
		c, err := GenerateCredentials(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if c.TencentSDKAppID < 1_400_000_000 || c.TencentSDKAppID >= 1_500_000_000 {
			t.Errorf("Tencent SDKAppID %d", c.TencentSDKAppID)
		}
		if c.ZegoAppID < 1_000_000_000 {
			t.Errorf("ZEGO app id %d", c.ZegoAppID)
		}
		for _, f := range []struct {
			name, v string
			re      *regexp.Regexp
		}{
			{"tencent key", c.TencentKey, hex(64)},
			{"agora app id", c.AgoraAppID, hex(32)},
			{"agora certificate", c.AgoraCert, hex(32)},
			{"zoom key", c.ZoomKey, alnum(20)},
			{"zoom secret", c.ZoomSecret, alnum(36)},
			{"zego secret", c.ZegoSecret, hex(32)},
			{"livekit key", c.LiveKitKey, regexp.MustCompile(`^API[A-Za-z0-9]{12}$`)},
			{"livekit secret", c.LiveKitSecret, alnum(43)},
			{"twilio account", c.TwilioAccount, regexp.MustCompile(`^AC[0-9a-f]{32}$`)},
			{"twilio key", c.TwilioKeySID, regexp.MustCompile(`^SK[0-9a-f]{32}$`)},
			{"twilio secret", c.TwilioSecret, alnum(32)},
			{"twilio chat service", c.TwilioChat, regexp.MustCompile(`^IS[0-9a-f]{32}$`)},
			{"twilio sync service", c.TwilioSync, regexp.MustCompile(`^IS[0-9a-f]{32}$`)},
		} {
			if !f.re.MatchString(f.v) {
				t.Errorf("%s %q", f.name, f.v)
			}
			if seen[f.v] {
				t.Errorf("%s repeated: %q", f.name, f.v)
			}
			seen[f.v] = true
		}
		ps, err := c.Config().Providers()
		if err != nil || len(ps) != 6 {
			t.Fatalf("providers on demo credentials: %d, %v", len(ps), err)
		}
	}
}

func TestGenerateCredentialsFromReader(t *testing.T) {
	a, err := GenerateCredentials(&seeded{})
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateCredentials(&seeded{})
	if *a != *b {
		t.Fatal("same randomness, different credentials")
	}
	if _, err := GenerateCredentials(iotest.ErrReader(io.ErrUnexpectedEOF)); !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("failing reader: %v", err)
	}
	if _, err := GenerateCredentials(bytes.NewReader(make([]byte, 40))); err == nil {
		t.Fatal("short reader accepted")
	}
}

func TestBanner(t *testing.T) {
	c, _ := GenerateCredentials(&seeded{})
	b := c.Banner()
	for _, want := range []string{"DEMO CREDENTIALS", "NOT accept", c.TencentKey, c.AgoraAppID, c.AgoraCert, c.ZoomKey, c.ZoomSecret, c.ZegoSecret,
		c.LiveKitKey, c.LiveKitSecret, c.TwilioAccount, c.TwilioKeySID, c.TwilioSecret, c.TwilioChat, c.TwilioSync,
		strconv.FormatUint(c.TencentSDKAppID, 10), strconv.FormatUint(uint64(c.ZegoAppID), 10)} {
		if !strings.Contains(b, want) {
			t.Errorf("banner lacks %q", want)
		}
	}
}

func env(vars map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := vars[k]; return v, ok }
}

func TestLoadSettings(t *testing.T) {
	s, err := LoadSettings(env(nil))
	if err != nil || s.Addr != "127.0.0.1:8080" || s.CORS.Enabled() || len(s.Vendors.Enabled()) != 0 {
		t.Fatalf("defaults: %+v, %v", s, err)
	}
	s, err = LoadSettings(env(map[string]string{"HOST": "0.0.0.0", "PORT": "9090", "CORS_ORIGINS": "https://a.example, http://localhost:3000"}))
	if err != nil || s.Addr != "0.0.0.0:9090" {
		t.Fatalf("HOST/PORT: %+v, %v", s, err)
	}
	if !s.CORS.AllowCredentials || len(s.CORS.AllowedOrigins) != 2 || s.CORS.AllowedOrigins[1] != "http://localhost:3000" {
		t.Fatalf("CORS: %+v", s.CORS)
	}
	for _, bad := range []map[string]string{
		{"PORT": "http"}, {"PORT": "0"}, {"PORT": "65536"},
		{"CORS_ORIGINS": "*"},
		{"RTCTOKEN_AGORA_APP_ID": "970ca35de60c44645bbae8a215061b33"}, // certificate missing
	} {
		if _, err := LoadSettings(env(bad)); err == nil {
			t.Errorf("%v accepted", bad)
		}
	}
}

func quiet() *slog.Logger { return slog.New(slog.DiscardHandler) }

func TestNewDemoCredentials(t *testing.T) {
	var out bytes.Buffer
	e, err := New(Settings{Logger: quiet()}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if !e.Demo || !strings.Contains(out.String(), "DEMO CREDENTIALS") {
		t.Fatalf("demo %v, banner %q", e.Demo, out.String())
	}
	if n := len(e.Service.Providers()); n != 6 {
		t.Fatalf("%d providers", n)
	}
	if got := presetNames(Presets(e.Service)); got != "tencent agora zego twilio" {
		t.Fatalf("presets %s", got)
	}
}

func TestNewConfiguredVendor(t *testing.T) {
	s, err := LoadSettings(env(map[string]string{
		"RTCTOKEN_AGORA_APP_ID":          "970ca35de60c44645bbae8a215061b33",
		"RTCTOKEN_AGORA_APP_CERTIFICATE": "5cfd2fd1755d40ecb72977518be15d3b",
	}))
	if err != nil {
		t.Fatal(err)
	}
	s.Logger = quiet()
	var out bytes.Buffer
	e, err := New(s, &out)
	if err != nil {
		t.Fatal(err)
	}
	if e.Demo || out.Len() != 0 {
		t.Fatalf("demo %v with a configured vendor; printed %q", e.Demo, out.String())
	}
	ps := e.Service.Providers()
	if len(ps) != 1 || ps[0].Provider != "agora" || ps[0].AppID != "970ca35de60c44645bbae8a215061b33" {
		t.Fatalf("providers %+v", ps)
	}
	if got := presetNames(Presets(e.Service)); got != "agora" {
		t.Fatalf("presets %s", got)
	}
	if !bytes.Contains(e.Kinds().Body, []byte(`"demo":false`)) {
		t.Fatalf("kinds %s", e.Kinds().Body)
	}
}

func presetNames(ps []httpapi.Preset) string {
	names := make([]string, len(ps))
	for i, p := range ps {
		names[i] = p.Name
	}
	return strings.Join(names, " ")
}

func TestUsers(t *testing.T) {
	u := NewUsers(DemoUsers)
	for _, d := range DemoUsers {
		got, ok := u.Check(d.ID, d.Password)
		if !ok || got != d.User {
			t.Errorf("%s: %+v %v", d.ID, got, ok)
		}
	}
	for _, c := range [][2]string{{"alice", "bob-password"}, {"alice", ""}, {"", ""}, {"mallory", "alice-password"}, {"Alice", "alice-password"}} {
		if got, ok := u.Check(c[0], c[1]); ok || got != (User{}) {
			t.Errorf("%q/%q signed in as %+v", c[0], c[1], got)
		}
	}
	if id := (User{ID: "alice", Name: "Alice"}).RTCIdentity(); id.UserID != "alice" || id.DisplayName != "Alice" {
		t.Errorf("identity %+v", id)
	}
}

func TestMemorySessions(t *testing.T) {
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	s := NewMemorySessions(time.Hour)
	s.now = func() time.Time { return now }
	alice := User{ID: "alice", Name: "Alice"}

	a, err := s.Create(ctx, alice)
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^[0-9a-f]{64}$`).MatchString(a.ID) || !a.Expires.Equal(now.Add(time.Hour)) || a.User != alice {
		t.Fatalf("session %+v", a)
	}
	b, _ := s.Create(ctx, alice)
	if a.ID == b.ID {
		t.Fatal("two sessions share an id")
	}
	if u, err := s.Get(ctx, a.ID); err != nil || u != alice {
		t.Fatalf("get: %+v %v", u, err)
	}
	for _, id := range []string{"", "nope", strings.ToUpper(a.ID)} {
		if _, err := s.Get(ctx, id); !errors.Is(err, ErrNoSession) {
			t.Errorf("get %q: %v", id, err)
		}
	}
	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, a.ID); !errors.Is(err, ErrNoSession) {
		t.Fatalf("deleted session: %v", err)
	}
	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatalf("deleting twice: %v", err)
	}

	now = now.Add(time.Hour)
	if _, err := s.Get(ctx, b.ID); !errors.Is(err, ErrNoSession) {
		t.Fatalf("expired session: %v", err)
	}

	// A full store first drops expired sessions, then refuses.
	s.max = 2
	c, _ := s.Create(ctx, alice)
	if _, err := s.Create(ctx, alice); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Create(ctx, alice); !errors.Is(err, ErrTooManySessions) {
		t.Fatalf("over the bound: %v", err)
	}
	now = now.Add(2 * time.Hour)
	if _, err := s.Create(ctx, alice); err != nil {
		t.Fatalf("after expiry: %v", err)
	}
	if _, ok := s.m[c.ID]; ok {
		t.Fatal("expired session kept")
	}

	s.rand = iotest.ErrReader(io.ErrUnexpectedEOF)
	if _, err := s.Create(ctx, alice); err == nil {
		t.Fatal("session id without randomness")
	}
}

func TestCookie(t *testing.T) {
	exp := time.Now().Add(time.Hour)
	c := Cookie(&Session{ID: "abc", Expires: exp}, true)
	if c.Name != CookieName || c.Value != "abc" || !c.HttpOnly || !c.Secure || c.SameSite != http.SameSiteLaxMode || c.Path != "/" ||
		!c.Expires.Equal(exp) || c.MaxAge < 3590 || c.MaxAge > 3600 {
		t.Fatalf("session cookie %+v", c)
	}
	d := Cookie(nil, false)
	if d.Value != "" || d.MaxAge >= 0 || d.Secure || !d.Expires.Before(time.Now()) || !d.HttpOnly {
		t.Fatalf("deleting cookie %+v", d)
	}
}

func TestDecode(t *testing.T) {
	e, err := New(Settings{Logger: quiet()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	alice := core.Identity{UserID: "alice"}
	issue := func(r core.Request) string {
		c, err := e.Service.Issue(ctx, alice, r)
		if err != nil {
			t.Fatal(err)
		}
		return c.Token
	}
	rtc := issue(core.Request{Provider: "agora", Kind: "rtc", Room: "chan1"})
	rtm := issue(core.Request{Provider: "agora", Kind: "rtm"})
	ag, _ := e.Service.Provider("agora")
	old, err := ag.Issue(ctx, core.Grant{Kind: "rtm", UserID: "alice", TTL: time.Hour, Now: time.Now().Add(-2 * time.Hour), Rand: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := GenerateCredentials(&seeded{})
	foreign, _ := other.Config().Providers()
	var zoomOther core.Provider
	for _, p := range foreign {
		if p.Name() == "zoom" {
			zoomOther = p
		}
	}
	zc, err := zoomOther.Issue(ctx, core.Grant{Kind: "video", UserID: "alice", Room: "r", Role: "participant", TTL: time.Hour, Now: time.Now(), Rand: rand.Reader})
	if err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct {
		name, provider, kind, token string
		reason, user, room          string
		code                        core.Code
	}{
		{name: "rtc", provider: "agora", kind: "rtc", token: rtc, user: "alice", room: "chan1"},
		{name: "rtm", provider: "agora", kind: "rtm", token: rtm, user: "alice"},
		{name: "malformed", provider: "agora", kind: "rtm", token: "007!!", reason: "malformed"},
		{name: "expired", provider: "agora", kind: "rtm", token: old.Token, reason: "expired"},
		{name: "another kind", provider: "agora", kind: "rtc", token: rtm, reason: "mismatch"},
		{name: "another secret", provider: "zoom", kind: "video", token: zc.Token, reason: "signature"},
		{name: "empty", provider: "agora", kind: "rtm", code: core.CodeInvalidRequest},
		{name: "unknown provider", provider: "acme", kind: "rtm", token: rtm, code: core.CodeUnknownProvider},
		{name: "unknown kind", provider: "agora", kind: "video", token: rtm, code: core.CodeUnknownKind},
	} {
		t.Run(tc.name, func(t *testing.T) {
			d, err := e.Decode(ctx, tc.provider, tc.kind, tc.token)
			if tc.code != "" {
				if core.CodeOf(err) != tc.code {
					t.Fatalf("error %v, want %s", err, tc.code)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if d.Valid != (tc.reason == "") || d.Reason != tc.reason || d.UserID != tc.user || d.Room != tc.room {
				t.Fatalf("decoded %+v", d)
			}
			if d.Valid && (d.Claims == nil || d.ExpiresAt == nil || d.AppID == "") {
				t.Fatalf("decoded %+v", d)
			}
			if !d.Valid && (d.Claims != nil || d.UserID != "") {
				t.Fatalf("an invalid token's claims are shown: %+v", d)
			}
		})
	}
}

// request is a resolve.Request over a cookie value and request headers.
type request struct {
	cookie string
	header http.Header
}

// posted is the request view of a POST with the given Content-Type and
// optional Content-Encoding.
func posted(contentType string, encoding ...string) request {
	h := http.Header{"Content-Type": {contentType}}
	if len(encoding) > 0 {
		h["Content-Encoding"] = encoding
	}
	return request{header: h}
}

func (r request) Context() context.Context  { return context.Background() }
func (r request) Header(name string) string { return r.header.Get(name) }
func (r request) Value(any) any             { return nil }
func (r request) Method() string            { return http.MethodPost }
func (r request) Cookie(name string) (string, bool) {
	return r.cookie, name == CookieName && r.cookie != ""
}
func (r request) HeaderValues(name string) []string {
	return r.header.Values(name)
}
func (r request) RemoteAddr() string {
	return "127.0.0.1:40000"
}

var _ resolve.Request = request{}

func TestLoginLogoutAuthenticate(t *testing.T) {
	e, err := New(Settings{Logger: quiet()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, c := e.Login(posted("application/json; charset=utf-8"), strings.NewReader(`{"username":"bob","password":"bob-password"}`), false)
	if resp.Status != 200 || c == nil || !bytes.Contains(resp.Body, []byte(`"user":{"id":"bob","name":"Bob"}`)) {
		t.Fatalf("login: %d %s %v", resp.Status, resp.Body, c)
	}
	if u, err := e.Authenticate(request{cookie: c.Value}); err != nil || u.ID != "bob" {
		t.Fatalf("authenticate: %+v %v", u, err)
	}
	for _, r := range []request{{}, {cookie: "forged"}} {
		if _, err := e.Authenticate(r); core.CodeOf(err) != core.CodeUnauthenticated {
			t.Errorf("authenticate %q: %v", r.cookie, err)
		}
	}
	for _, tc := range []struct {
		ct, body string
		status   int
	}{
		{"application/json", `{"username":"bob","password":"nope"}`, 401},
		{"text/plain", `{"username":"bob","password":"bob-password"}`, 415},
		{"application/json", `{"username":"bob","password":"bob-password"} {}`, 400},
		{"application/json", `[]`, 400},
		{"application/json", `{"username":"` + strings.Repeat("b", httpapi.DefaultMaxBody) + `"}`, 413},
	} {
		if resp, c := e.Login(posted(tc.ct), strings.NewReader(tc.body), false); resp.Status != tc.status || c != nil {
			t.Errorf("login %s %.40s: %d %s", tc.ct, tc.body, resp.Status, resp.Body)
		}
	}
	if resp, _ := e.Login(posted("application/json"), nil, false); resp.Status != 400 {
		t.Errorf("login without body: %d", resp.Status)
	}
	// A compressed body is refused from its headers, before it is read.
	gz := posted("application/json", "gzip")
	if resp, c := e.Login(gz, strings.NewReader(`{"username":"bob","password":"bob-password"}`), false); resp.Status != 415 || c != nil || !bytes.Contains(resp.Body, []byte(`"Content-Encoding"`)) {
		t.Errorf("gzip login: %d %s", resp.Status, resp.Body)
	}
	if resp := e.ServeDecode(gz, strings.NewReader(`{}`)); resp.Status != 415 {
		t.Errorf("gzip decode: %d %s", resp.Status, resp.Body)
	}
	resp, out := e.Logout(request{cookie: c.Value}, false)
	if resp.Status != 200 || out == nil || out.MaxAge >= 0 {
		t.Fatalf("logout: %d %+v", resp.Status, out)
	}
	if _, err := e.Authenticate(request{cookie: c.Value}); core.CodeOf(err) != core.CodeUnauthenticated {
		t.Fatalf("session survived logout: %v", err)
	}
	if resp, _ := e.Logout(request{}, false); resp.Status != 200 {
		t.Fatalf("anonymous logout: %d", resp.Status)
	}
}

func TestPage(t *testing.T) {
	p := Page()
	if p.Status != 200 || !bytes.Contains(p.Body, []byte(`<script src="/static/app.js" defer></script>`)) {
		t.Fatalf("page %d", p.Status)
	}
	if csp := p.Header.Get("Content-Security-Policy"); !strings.HasPrefix(csp, "default-src 'self'") {
		t.Fatalf("CSP %q", csp)
	}
	for _, name := range []string{"app.js", "app.css", "favicon.svg"} {
		if b, err := fs.ReadFile(Assets(), name); err != nil || len(b) == 0 {
			t.Errorf("asset %s: %v", name, err)
		}
	}
	// Nothing is loaded from another origin.
	for _, name := range []string{"app.js", "app.css"} {
		b, _ := fs.ReadFile(Assets(), name)
		if bytes.Contains(b, []byte("http://")) || bytes.Contains(b, []byte("https://")) {
			t.Errorf("%s refers to another origin", name)
		}
	}
	if bytes.Contains(p.Body, []byte("http://")) || bytes.Contains(p.Body, []byte("https://")) {
		t.Error("page refers to another origin")
	}
}
