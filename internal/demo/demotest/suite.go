// Package demotest holds the tests every example app passes: one HTTP
// behaviour table run over real HTTP on 127.0.0.1 with a cookie jar, and a
// headless Chromium session driving the demo page.
package demotest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zego/token04"
	"github.com/rtctoken/rtctoken/internal/demo"
)

// Start serves an example app built on env over real HTTP on 127.0.0.1
// and returns its base URL; it stops the server when the test ends.
type Start func(t *testing.T, env *demo.Env) (baseURL string)

// NewEnv returns an Env with demo credentials for all four vendors, as an
// example builds it when no RTCTOKEN_* variable is set.
func NewEnv(t testing.TB) *demo.Env {
	t.Helper()
	env, err := demo.New(demo.Settings{Logger: slog.New(slog.DiscardHandler)}, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if !env.Demo {
		t.Fatal("no vendor configured, yet no demo credentials")
	}
	return env
}

// ServeHTTP serves h on 127.0.0.1 for the test's duration and returns
// its base URL: the Start of the net/http based examples.
func ServeHTTP(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL
}

// client is a browser-like HTTP client: a cookie jar and a base URL.
type client struct {
	t    *testing.T
	base string
	url  *url.URL
	hc   *http.Client
}

func newClient(t *testing.T, base string) *client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return &client{t: t, base: base, url: u, hc: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// do sends a request; a non-empty body is sent as contentType (JSON when
// empty).
func (c *client) do(method, path, contentType, body string) (*http.Response, []byte) {
	c.t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	if contentType == "" && (body != "" || method == http.MethodPost) {
		contentType = "application/json" // as the demo page sends every POST
	}
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := c.hc.Do(req)
	return c.read(method, path, resp, err)
}

// doEncoded sends body as JSON with the given Content-Encoding, as it is:
// nothing here compresses or inflates it.
func (c *client) doEncoded(method, path, encoding, body string) (*http.Response, []byte) {
	c.t.Helper()
	req, err := http.NewRequestWithContext(context.Background(), method, c.base+path, strings.NewReader(body))
	if err != nil {
		c.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Content-Encoding", encoding)
	resp, err := c.hc.Do(req)
	return c.read(method, path, resp, err)
}

// read returns the answer of a request and its whole body, failing the
// test when there is none.
func (c *client) read(method, path string, resp *http.Response, err error) (*http.Response, []byte) {
	c.t.Helper()
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return resp, b
}

// doDeclared sends a JSON request announcing a Content-Length of declared
// bytes over a connection of its own, writes only body, then reads the
// answer, with the client's cookies. A server that refuses the upload after
// its headers closes the connection with the rest unread; an HTTP client
// still writing would see its write fail and lose the answer.
func (c *client) doDeclared(method, path, body string, declared int) (*http.Response, []byte) {
	c.t.Helper()
	conn, err := net.DialTimeout("tcp", c.url.Host, 5*time.Second)
	if err != nil {
		c.t.Fatal(err)
	}
	defer conn.Close()
	_ = conn.SetDeadline(time.Now().Add(10 * time.Second))
	head := method + " " + path + " HTTP/1.1\r\nHost: " + c.url.Host + "\r\nContent-Type: application/json\r\n" +
		"Content-Length: " + strconv.Itoa(declared) + "\r\nConnection: close\r\n"
	for _, ck := range c.hc.Jar.Cookies(c.url) {
		head += "Cookie: " + ck.String() + "\r\n"
	}
	head += "\r\n"
	_, _ = io.WriteString(conn, head+body) // the server may refuse before reading it
	resp, err := http.ReadResponse(bufio.NewReader(conn), &http.Request{Method: method})
	return c.read(method, path, resp, err)
}

// session returns the session cookie's value, or "".
func (c *client) session() string {
	for _, ck := range c.hc.Jar.Cookies(c.url) {
		if ck.Name == demo.CookieName {
			return ck.Value
		}
	}
	return ""
}

// setSession makes the client send the session cookie v.
func (c *client) setSession(v string) {
	c.hc.Jar.SetCookies(c.url, []*http.Cookie{{Name: demo.CookieName, Value: v}})
}

// login signs in and fails the test unless it worked.
func (c *client) login(user, password string) []byte {
	c.t.Helper()
	resp, b := c.do("POST", "/login", "", `{"username":"`+user+`","password":"`+password+`"}`)
	if resp.StatusCode != http.StatusOK {
		c.t.Fatalf("login %s: status %d: %s", user, resp.StatusCode, b)
	}
	return b
}

// Case is one row of the examples' behaviour table.
type Case struct {
	Name string
	// As signs in as this demo user first ("" for anonymous).
	As string
	// Forged sends a well-formed session cookie the server never issued.
	Forged      bool
	Method      string
	Path        string
	ContentType string
	// Body is the request body; BodyFunc builds it when it depends on an
	// earlier call.
	Body     string
	BodyFunc func(t *testing.T, c *client) string
	Status   int
	// Code is the expected error code of an error response.
	Code core.Code
	// Allow is a method the Allow header of a 405 answer must list.
	Allow string
	// Declared, when set, is the Content-Length sent, at least len(Body):
	// the client sends Body and then only reads, as an upload the server
	// may refuse before reading it all.
	Declared int
	// Encoding, when set, is sent as the Content-Encoding of Body.
	Encoding string
	// MaxAlloc, when set, bounds what the whole process may allocate while
	// the request is answered.
	MaxAlloc uint64
	// Check inspects a successful response.
	Check func(t *testing.T, env *demo.Env, resp *http.Response, body []byte)
	// Webhook, when set, is a vendor's callback to send to Path as it is
	// (its query, headers and body), built on the Env's webhook secrets.
	Webhook func(env *demo.Env) webhooktest.Delivery
}

// Run runs the behaviour table against the app start serves.
func Run(t *testing.T, start Start) {
	env := NewEnv(t)
	base := start(t, env)
	for _, tc := range Cases() {
		t.Run(tc.Name, func(t *testing.T) {
			c := newClient(t, base)
			if tc.As != "" {
				c.login(tc.As, tc.As+"-password")
			}
			if tc.Forged {
				c.setSession(strings.Repeat("ab", 32))
			}
			body := tc.Body
			if tc.BodyFunc != nil {
				body = tc.BodyFunc(t, c)
			}
			var (
				resp *http.Response
				b    []byte
			)
			grown := httpapitest.AllocatedBy(func() {
				switch {
				case tc.Webhook != nil:
					resp, b = c.deliver(tc.Path, tc.Webhook(env))
				case tc.Declared > 0:
					resp, b = c.doDeclared(tc.Method, tc.Path, body, tc.Declared)
				case tc.Encoding != "":
					resp, b = c.doEncoded(tc.Method, tc.Path, tc.Encoding, body)
				default:
					resp, b = c.do(tc.Method, tc.Path, tc.ContentType, body)
				}
			})
			if tc.MaxAlloc > 0 && grown > tc.MaxAlloc {
				t.Errorf("the process allocated %d bytes answering a %d-byte request (bound %d)", grown, len(body), tc.MaxAlloc)
			}
			if resp.StatusCode != tc.Status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tc.Status, b)
			}
			// Every answer, the page and a framework's own error
			// included, must not be stored by a cache.
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", cc)
			}
			if tc.Code != "" {
				checkError(t, resp, b, tc.Code)
			}
			if tc.Allow != "" && !slices.Contains(strings.Split(resp.Header.Get("Allow"), ", "), tc.Allow) {
				t.Errorf("Allow %q does not list %s", resp.Header.Get("Allow"), tc.Allow)
			}
			if tc.Check != nil {
				tc.Check(t, env, resp, b)
			}
		})
	}
	t.Run("logout ends the session", func(t *testing.T) { logout(t, base) })
	t.Run("logout forgets the credentials", func(t *testing.T) { relogin(t, base) })
}

func checkError(t *testing.T, resp *http.Response, body []byte, code core.Code) {
	t.Helper()
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q", ct)
	}
	var env struct {
		Error struct {
			Code    core.Code `json:"code"`
			Message string    `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil || env.Error.Code != code || env.Error.Message == "" {
		t.Fatalf("error body %s, want code %s", body, code)
	}
}

// loginBody is the answer of POST /login and GET /api/me.
type loginBody struct {
	User demo.User `json:"user"`
	RTC  *struct {
		Credentials map[string]core.Credential `json:"credentials"`
		RenewAfter  time.Time                  `json:"renew_after"`
	} `json:"rtc"`
}

// checkPresets checks the answer carries one verifying preset per provider
// that has one, for user.
func checkPresets(user string) func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
	return func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
		t.Helper()
		var got loginBody
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		if got.User.ID != user || got.User.Name == "" {
			t.Fatalf("user %+v, want %s", got.User, user)
		}
		if got.RTC == nil {
			t.Fatalf("no rtc bundle in %s", body)
		}
		want := map[string]string{"tencent": "usersig", "agora": "rtm", "zego": "token04", "twilio": "chat"}
		if len(got.RTC.Credentials) != len(want) {
			t.Fatalf("presets %v, want %v", keys(got.RTC.Credentials), want)
		}
		for name, kind := range want {
			c, ok := got.RTC.Credentials[name]
			if !ok || c.Provider != name || c.Kind != kind {
				t.Fatalf("preset %s: %+v, want %s/%s", name, c, name, kind)
			}
			httpapitest.VerifyCredential(t, env.API, c, user, "")
		}
		if got.RTC.RenewAfter.IsZero() || !got.RTC.RenewAfter.After(time.Now()) {
			t.Fatalf("bundle renew_after %v", got.RTC.RenewAfter)
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// checkCredential checks one credential answer verifies for user and room.
func checkCredential(user, room string) func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
	return func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
		t.Helper()
		var c core.Credential
		if err := json.Unmarshal(body, &c); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		httpapitest.VerifyCredential(t, env.API, c, user, room)
		if !c.RenewAfter.After(c.IssuedAt) || !c.RenewAfter.Before(c.ExpiresAt) {
			t.Fatalf("renew_after %v not within %v..%v", c.RenewAfter, c.IssuedAt, c.ExpiresAt)
		}
	}
}

// issued returns a token issued to the client's user for provider/kind.
func issued(t *testing.T, c *client, path, body string) string {
	t.Helper()
	resp, b := c.do("POST", path, "", body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("issue %s: %d %s", path, resp.StatusCode, b)
	}
	var cred core.Credential
	if err := json.Unmarshal(b, &cred); err != nil {
		t.Fatal(err)
	}
	return cred.Token
}

func decodeOf(provider, kind, token string) string {
	b, _ := json.Marshal(map[string]string{"provider": provider, "kind": kind, "token": token})
	return string(b)
}

// checkDecoded checks a POST /api/decode answer.
func checkDecoded(valid bool, reason, user, room string) func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
	return func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
		t.Helper()
		var d demo.Decoded
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatalf("body %s: %v", body, err)
		}
		if d.Valid != valid || d.Reason != reason || d.UserID != user || d.Room != room {
			t.Fatalf("decoded %s, want valid=%v reason=%q user=%q room=%q", body, valid, reason, user, room)
		}
		if valid && (len(d.Claims) == 0 || d.ExpiresAt == nil || !d.ExpiresAt.After(time.Now())) {
			t.Fatalf("decoded %s: no claims or expiry", body)
		}
	}
}

// Cases is the behaviour table every example passes.
func Cases() []Case {
	agoraRTC := func(t *testing.T, c *client) string {
		return decodeOf("agora", "rtc", issued(t, c, "/rtc/agora/rtc", `{"room":"chan1","role":"publisher"}`))
	}
	cases := []Case{
		// The page and its assets.
		{Name: "page", Method: "GET", Path: "/", Status: 200, Check: checkPage},
		{Name: "script", Method: "GET", Path: "/static/app.js", Status: 200, Check: contentType("javascript")},
		{Name: "styles", Method: "GET", Path: "/static/app.css", Status: 200, Check: contentType("text/css")},
		{Name: "kinds", Method: "GET", Path: "/api/kinds", Status: 200, Check: checkKinds},

		// Sign-in.
		{Name: "login alice", Method: "POST", Path: "/login", Body: `{"username":"alice","password":"alice-password"}`, Status: 200, Check: all(checkSessionCookie, checkPresets("alice"))},
		{Name: "login bob", Method: "POST", Path: "/login", Body: `{"username":"bob","password":"bob-password"}`, Status: 200, Check: checkPresets("bob")},
		{Name: "login bad password", Method: "POST", Path: "/login", Body: `{"username":"alice","password":"bob-password"}`, Status: 401, Code: core.CodeUnauthenticated, Check: noCookie},
		{Name: "login unknown user", Method: "POST", Path: "/login", Body: `{"username":"mallory","password":"mallory-password"}`, Status: 401, Code: core.CodeUnauthenticated, Check: noCookie},
		{Name: "login not JSON", Method: "POST", Path: "/login", ContentType: "application/x-www-form-urlencoded", Body: `username=alice&password=alice-password`, Status: 415, Code: httpapi.CodeUnsupportedMedia},
		{Name: "login malformed", Method: "POST", Path: "/login", Body: `{"username":"alice"`, Status: 400, Code: core.CodeInvalidRequest},
		{Name: "login unknown field", Method: "POST", Path: "/login", Body: `{"username":"alice","password":"alice-password","admin":true}`, Status: 400, Code: core.CodeInvalidRequest},
		{Name: "login GET", Method: "GET", Path: "/login", Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "POST"},

		// The token endpoints, resolved from the session cookie.
		{Name: "providers", Method: "GET", Path: "/rtc/providers", Status: 200, Check: checkProviders},
		{Name: "agora rtc", As: "alice", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","role":"publisher"}`, Status: 200, Check: checkCredential("alice", "chan1")},
		{Name: "tencent usersig", As: "bob", Method: "POST", Path: "/rtc/tencent/usersig", Status: 200, Check: checkCredential("bob", "")},
		{Name: "zoom video", As: "alice", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"Cool Cars"}`, Status: 200, Check: checkCredential("alice", "Cool Cars")},
		{Name: "zego kit", As: "bob", Method: "POST", Path: "/rtc/zego/kit", Body: `{"room":"room-1"}`, Status: 200, Check: checkCredential("bob", "room-1")},
		{Name: "livekit room", As: "alice", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"daily-standup","role":"publisher"}`, Status: 200, Check: checkCredential("alice", "daily-standup")},
		{Name: "twilio video", As: "bob", Method: "POST", Path: "/rtc/twilio/video", Body: `{"room":"DailyStandup"}`, Status: 200, Check: checkCredential("bob", "DailyStandup")},
		{Name: "livekit admin refused", As: "alice", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"daily-standup","role":"admin"}`, Status: 403, Code: core.CodeForbidden},
		{Name: "zoom host refused", As: "alice", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"Cool Cars","role":"host"}`, Status: 403, Code: core.CodeForbidden},
		{Name: "another user refused", As: "alice", Method: "POST", Path: "/rtc/agora/rtm", Body: `{"user_id":"bob"}`, Status: 400, Code: core.CodeInvalidUser},
		{Name: "token without session", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1"}`, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "token with forged session", Forged: true, Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1"}`, Status: 401, Code: core.CodeUnauthenticated},

		// The signed-in API.
		{Name: "me", As: "alice", Method: "GET", Path: "/api/me", Status: 200, Check: checkPresets("alice")},
		{Name: "me without session", Method: "GET", Path: "/api/me", Status: 401, Code: core.CodeUnauthenticated},
		{Name: "me with forged session", Forged: true, Method: "GET", Path: "/api/me", Status: 401, Code: core.CodeUnauthenticated},
		{Name: "decode", As: "alice", Method: "POST", Path: "/api/decode", BodyFunc: agoraRTC, Status: 200, Check: checkDecoded(true, "", "alice", "chan1")},
		{Name: "decode tampered", As: "alice", Method: "POST", Path: "/api/decode", BodyFunc: func(t *testing.T, c *client) string {
			tok := issued(t, c, "/rtc/zoom/video", `{"room":"Cool Cars"}`)
			return decodeOf("zoom", "video", tok[:len(tok)-4]+"AAAA")
		}, Status: 200, Check: checkDecoded(false, "signature", "", "")},
		{Name: "decode garbage", As: "alice", Method: "POST", Path: "/api/decode", Body: decodeOf("zego", "token04", "04%%%"), Status: 200, Check: checkDecoded(false, "malformed", "", "")},
		{Name: "decode unknown provider", As: "alice", Method: "POST", Path: "/api/decode", Body: decodeOf("acme", "rtc", "x"), Status: 404, Code: core.CodeUnknownProvider},
		{Name: "decode no token", As: "alice", Method: "POST", Path: "/api/decode", Body: decodeOf("agora", "rtc", ""), Status: 400, Code: core.CodeInvalidRequest},
		{Name: "decode without session", Method: "POST", Path: "/api/decode", Body: decodeOf("agora", "rtc", "007x"), Status: 401, Code: core.CodeUnauthenticated},
		{Name: "decode kit around a roomless Token04", As: "alice", Method: "POST", Path: "/api/decode", BodyFunc: forgedKit, Status: 200, Check: all(checkDecoded(true, "", "alice", ""), checkKitUnverified("board-room"))},

		// What the frameworks would answer by themselves, in plain text.
		{Name: "unknown route", Method: "GET", Path: "/nothing-here", Status: 404, Code: httpapi.CodeNotFound},
		{Name: "unknown route POST", Method: "POST", Path: "/nothing-here", Body: `{}`, Status: 404, Code: httpapi.CodeNotFound},
		{Name: "unknown signed-in route", As: "alice", Method: "GET", Path: "/api/nothing-here", Status: 404, Code: httpapi.CodeNotFound},
		{Name: "unknown asset", Method: "GET", Path: "/static/nothing.js", Status: 404, Code: httpapi.CodeNotFound},
		{Name: "no asset listing", Method: "GET", Path: "/static/", Status: 404, Code: httpapi.CodeNotFound},
		{Name: "asset path escape", Method: "GET", Path: "/static/..%2fweb.go", Status: 404, Code: httpapi.CodeNotFound},
		{Name: "wrong method on the page", Method: "POST", Path: "/", Body: `{}`, Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "GET"},
		{Name: "wrong method on logout", Method: "GET", Path: "/logout", Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "POST"},
		{Name: "wrong method on kinds", Method: "DELETE", Path: "/api/kinds", Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "GET"},
		{Name: "login body just over the limit", Method: "POST", Path: "/login", Body: jsonOfSize(httpapi.DefaultMaxBody + 1), Declared: httpapi.DefaultMaxBody + 1, Status: 413, Code: httpapi.CodeBodyTooLarge},
		{Name: "login body far over the limit", Method: "POST", Path: "/login", Body: jsonOfSize(32 << 10), Declared: 256 << 10, Status: 413, Code: httpapi.CodeBodyTooLarge},
		{Name: "login body over a framework's default limit", Method: "POST", Path: "/login", Body: jsonOfSize(32 << 10), Declared: 5 << 20, Status: 413, Code: httpapi.CodeBodyTooLarge},
		{Name: "token body far over the limit", As: "alice", Method: "POST", Path: "/rtc/agora/rtc", Body: jsonOfSize(32 << 10), Declared: 256 << 10, Status: 413, Code: httpapi.CodeBodyTooLarge},
		{Name: "decode body far over the limit", As: "alice", Method: "POST", Path: "/api/decode", Body: jsonOfSize(32 << 10), Declared: 256 << 10, Status: 413, Code: httpapi.CodeBodyTooLarge},
		// Compressed bodies are refused from their headers, on the host's
		// own JSON routes as on the token endpoints, and never inflated.
		{Name: "login compression bomb", Method: "POST", Path: "/login", Body: bombBody(), Encoding: httpapitest.BombEncoding, Status: 415, Code: httpapi.CodeUnsupportedMedia, MaxAlloc: httpapitest.MaxBombGrowth},
		{Name: "token compression bomb", As: "alice", Method: "POST", Path: "/rtc/agora/rtc", Body: bombBody(), Encoding: httpapitest.BombEncoding, Status: 415, Code: httpapi.CodeUnsupportedMedia, MaxAlloc: httpapitest.MaxBombGrowth},
		{Name: "decode compression bomb", As: "alice", Method: "POST", Path: "/api/decode", Body: bombBody(), Encoding: httpapitest.BombEncoding, Status: 415, Code: httpapi.CodeUnsupportedMedia, MaxAlloc: httpapitest.MaxBombGrowth},
		{Name: "login gzip", Method: "POST", Path: "/login", Body: `{"username":"alice","password":"alice-password"}`, Encoding: "gzip", Status: 415, Code: httpapi.CodeUnsupportedMedia, Check: noCookie},
		{Name: "login unparseable multipart", Method: "POST", Path: "/login", ContentType: "multipart/form-data; boundary=xyz", Body: "--xyz\r\nnot a part", Status: 415, Code: httpapi.CodeUnsupportedMedia},
		{Name: "login multipart without boundary", Method: "POST", Path: "/login", ContentType: "multipart/form-data", Body: "x", Status: 415, Code: httpapi.CodeUnsupportedMedia},
		{Name: "token unparseable multipart", As: "alice", Method: "POST", Path: "/rtc/agora/rtm", ContentType: "multipart/form-data; boundary=xyz", Body: "--xyz\r\nnot a part", Status: 415, Code: httpapi.CodeUnsupportedMedia},
	}
	return append(cases, webhookCases()...)
}

// jsonOfSize returns a JSON object of n bytes.
// bombBody is the conformance suite's compression bomb as a request body.
func bombBody() string {
	b, err := httpapitest.Bomb()
	if err != nil {
		panic(err)
	}
	return string(b)
}

func jsonOfSize(n int) string {
	const head, tail = `{"username":"`, `"}`
	return head + strings.Repeat("a", n-len(head)-len(tail)) + tail
}

// forgedKit wraps the client's own roomless Token04 in a hand-written kit
// part naming the room "board-room", and returns the decode request for it.
func forgedKit(t *testing.T, c *client) string {
	resp, b := c.do("POST", "/rtc/zego/token04", "", "{}")
	var cred core.Credential
	if err := json.Unmarshal(b, &cred); resp.StatusCode != http.StatusOK || err != nil || cred.Room != "" {
		t.Fatalf("token04: %d %s", resp.StatusCode, b)
	}
	appID, err := strconv.ParseUint(cred.AppID, 10, 32)
	if err != nil {
		t.Fatal(err)
	}
	kit, err := token04.KitToken(cred.Token, token04.Kit{AppID: uint32(appID), UserID: cred.UserID, RoomID: "board-room", UserName: "The CEO"})
	if err != nil {
		t.Fatal(err)
	}
	return decodeOf("zego", "kit", kit)
}

// checkKitUnverified checks that a decoded Kit Token reports its kit part,
// naming room, apart from the verified claims.
func checkKitUnverified(room string) func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
	return func(t *testing.T, _ *demo.Env, _ *http.Response, body []byte) {
		var d demo.Decoded
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		kit, _ := d.Claims[zego.ClaimKitUnverified].(map[string]any)
		if kit["roomID"] != room || kit["userName"] != "The CEO" {
			t.Fatalf("unverified kit part %v in %s", kit, body)
		}
	}
}

func all(checks ...func(*testing.T, *demo.Env, *http.Response, []byte)) func(*testing.T, *demo.Env, *http.Response, []byte) {
	return func(t *testing.T, env *demo.Env, resp *http.Response, b []byte) {
		for _, c := range checks {
			c(t, env, resp, b)
		}
	}
}

func checkPage(t *testing.T, _ *demo.Env, resp *http.Response, body []byte) {
	contentType("text/html")(t, nil, resp, body)
	if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "default-src 'self'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	for _, id := range []string{`id="login-form"`, `id="credential-template"`, `src="/static/app.js"`} {
		if !bytes.Contains(body, []byte(id)) {
			t.Errorf("page lacks %s", id)
		}
	}
}

func contentType(want string) func(*testing.T, *demo.Env, *http.Response, []byte) {
	return func(t *testing.T, _ *demo.Env, resp *http.Response, body []byte) {
		if ct := resp.Header.Get("Content-Type"); !strings.Contains(ct, want) || len(body) == 0 {
			t.Errorf("Content-Type %q (want %s), %d bytes", ct, want, len(body))
		}
	}
}

func checkKinds(t *testing.T, _ *demo.Env, _ *http.Response, body []byte) {
	var got struct {
		Demo  bool            `json:"demo"`
		Kinds []demo.KindInfo `json:"kinds"`
	}
	if err := json.Unmarshal(body, &got); err != nil || !got.Demo {
		t.Fatalf("kinds %s: %v", body, err)
	}
	byName := map[string]demo.KindInfo{}
	for _, k := range got.Kinds {
		byName[k.Provider+"/"+k.Kind] = k
	}
	if k := byName["agora/rtc"]; !k.NeedsRoom || k.RoomExample == "" || len(k.Roles) != 2 {
		t.Errorf("agora/rtc: %+v", k)
	}
	if k := byName["zoom/video"]; len(k.Elevated) != 1 || k.Elevated[0] != "host" {
		t.Errorf("zoom/video: %+v", k)
	}
	if k := byName["livekit/room"]; !k.NeedsRoom || k.RoomExample == "" || len(k.Elevated) != 1 || k.Elevated[0] != "admin" {
		t.Errorf("livekit/room: %+v", k)
	}
	if k := byName["twilio/video"]; k.NeedsRoom || !k.RoomAllowed || k.RoomExample == "" {
		t.Errorf("twilio/video: %+v", k)
	}
	if _, ok := byName["agora/chat_app"]; ok {
		t.Error("server-only kind listed")
	}
}

func checkProviders(t *testing.T, _ *demo.Env, _ *http.Response, body []byte) {
	var got struct {
		Providers []core.ProviderInfo `json:"providers"`
	}
	if err := json.Unmarshal(body, &got); err != nil || len(got.Providers) != 6 {
		t.Fatalf("providers %s: %v", body, err)
	}
}

func checkSessionCookie(t *testing.T, _ *demo.Env, resp *http.Response, _ []byte) {
	var sc *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == demo.CookieName {
			sc = c
		}
	}
	if sc == nil {
		t.Fatalf("no session cookie in %v", resp.Header["Set-Cookie"])
	}
	if !sc.HttpOnly || sc.SameSite != http.SameSiteLaxMode || sc.Path != "/" || len(sc.Value) != 64 || sc.MaxAge <= 0 {
		t.Fatalf("session cookie %q", resp.Header.Get("Set-Cookie"))
	}
}

func noCookie(t *testing.T, _ *demo.Env, resp *http.Response, _ []byte) {
	if v := resp.Header.Values("Set-Cookie"); len(v) > 0 {
		t.Fatalf("failed login set cookies %v", v)
	}
}

// logout checks that after POST /logout the old session cookie is refused
// everywhere, even when a client keeps sending it.
func logout(t *testing.T, base string) {
	c := newClient(t, base)
	c.login("alice", "alice-password")
	old := c.session()
	if old == "" {
		t.Fatal("no session cookie after login")
	}
	if resp, b := c.do("GET", "/api/me", "", ""); resp.StatusCode != 200 {
		t.Fatalf("me before logout: %d %s", resp.StatusCode, b)
	}
	resp, b := c.do("POST", "/logout", "", "")
	if resp.StatusCode != 200 {
		t.Fatalf("logout: %d %s", resp.StatusCode, b)
	}
	if c.session() != "" {
		t.Fatalf("logout left the cookie: %v", resp.Header["Set-Cookie"])
	}
	c.setSession(old)
	for _, p := range []struct{ method, path, body string }{
		{"GET", "/api/me", ""},
		{"POST", "/rtc/agora/rtm", "{}"},
		{"POST", "/api/decode", decodeOf("agora", "rtm", "007x")},
	} {
		resp, b := c.do(p.method, p.path, "", p.body)
		if resp.StatusCode != 401 {
			t.Fatalf("%s %s with the ended session: %d %s", p.method, p.path, resp.StatusCode, b)
		}
		checkError(t, resp, b, core.CodeUnauthenticated)
	}
}

// relogin checks that signing out drops the user's cached preset bundle:
// the next sign-in gets fresh credentials (the Agora RTM token carries a
// random salt, so a reissue shows), where a second sign-in without logout
// is served the cached ones.
func relogin(t *testing.T, base string) {
	token := func(body []byte) string {
		t.Helper()
		var out struct {
			RTC struct {
				Credentials map[string]struct{ Token string } `json:"credentials"`
			} `json:"rtc"`
		}
		if err := json.Unmarshal(body, &out); err != nil || out.RTC.Credentials["agora"].Token == "" {
			t.Fatalf("login answer without the agora preset: %s", body)
		}
		return out.RTC.Credentials["agora"].Token
	}
	c := newClient(t, base)
	first := token(c.login("bob", "bob-password"))
	if again := token(c.login("bob", "bob-password")); again != first {
		t.Fatal("a second sign-in without logout did not reuse the cached bundle")
	}
	if resp, b := c.do("POST", "/logout", "", ""); resp.StatusCode != 200 {
		t.Fatalf("logout: %d %s", resp.StatusCode, b)
	}
	if after := token(c.login("bob", "bob-password")); after == first {
		t.Fatal("after logout, sign-in was served the credentials from before it")
	}
}
