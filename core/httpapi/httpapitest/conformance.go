package httpapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// Start builds the adapter's app around api and serves it over real HTTP on
// 127.0.0.1, returning the base URL; the server lives until t ends. The
// suite calls it several times, each time with another API, and each call
// builds a new app. The app must (see the package documentation for each
// point):
//   - run HostIdentity as its own auth middleware, storing the identity
//     under UserKey{} the framework's way;
//   - mount the contract under /rtc;
//   - serve its own routes: GET /health answering "ok", and GET /me behind
//     the Attach middleware answering the attached bundle as JSON (or
//     {"credentials":null} when none);
//   - serve POST /login that signs in the user named by the X-Login-User
//     header and answers {"user":..., "rtc": <api.Login bundle>}.
type Start func(t *testing.T, api *httpapi.API) (baseURL string)

// Case is one row of the behaviour table: a request and what must come
// back. Do sends the request part; Run and RunAbuse check the rest.
type Case struct {
	Name   string
	Method string
	Path   string // from the base URL, e.g. "/rtc/agora/rtc"
	Body   string
	// ContentType defaults to application/json for a POST or a body; "-"
	// sends none.
	ContentType string
	Headers     map[string]string // set with Header.Set
	// HeaderLines are sent after Headers with Add, so a name may repeat
	// (two X-Forwarded-For lines, a header sent twice).
	HeaderLines [][2]string
	// RawBody, when set, is sent instead of Body (binary, e.g. gzip).
	RawBody []byte
	Cookie  *http.Cookie
	// Status is the expected status; for an error, Code and Field are the
	// expected envelope's, and Allow the expected Allow header.
	Status int
	Code   core.Code
	Field  string
	Allow  string
	// For one credential: the user, room and role it must carry (the user
	// and room after the provider's Verify); "" checks nothing.
	WantUser, WantRoom, WantRole string
	// For a batch: how many credentials.
	WantBatch int
}

func alice() map[string]string { return map[string]string{HostUserHeader: "alice"} }

// Cases is the behaviour table every adapter passes.
func Cases(t testing.TB) []Case {
	big := `{"room":"` + strings.Repeat("a", 20<<10) + `"}`
	batch := func(n int) string {
		items := make([]string, n)
		for i := range items {
			items[i] = `{"provider":"tencent","kind":"usersig"}`
		}
		return `{"requests":[` + strings.Join(items, ",") + `]}`
	}
	base := []Case{
		// Every kind, one success each.
		{Name: "tencent usersig", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`, Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "tencent usersig empty body", Method: "POST", Path: "/rtc/tencent/usersig", ContentType: "application/json", Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "tencent privatemapkey numeric", Method: "POST", Path: "/rtc/tencent/privatemapkey", Body: `{"room":"1234","options":{"room_type":"numeric"}}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "1234"},
		{Name: "tencent privatemapkey string", Method: "POST", Path: "/rtc/tencent/privatemapkey", Body: `{"room":"team-standup","role":"publisher"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "team-standup", WantRole: "publisher"},
		{Name: "agora rtc account", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","role":"publisher","ttl":3600}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "chan1", WantRole: "publisher"},
		{Name: "agora rtc uid", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","options":{"id_type":"uid"}}`, Headers: map[string]string{HostUserHeader: "12345"}, Status: 200, WantUser: "12345", WantRoom: "chan1", WantRole: "subscriber"},
		{Name: "agora rtm", Method: "POST", Path: "/rtc/agora/rtm", Body: `{}`, Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "agora chat", Method: "POST", Path: "/rtc/agora/chat", Body: `{"ttl":600}`, Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "zoom video", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"Cool Cars","options":{"session_key":"k1"}}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "Cool Cars", WantRole: "participant"},
		{Name: "zoom meeting", Method: "POST", Path: "/rtc/zoom/meeting", Body: `{"room":"85746065432"}`, Headers: alice(), Status: 200, WantRoom: "85746065432", WantRole: "participant"},
		{Name: "zego token04 basic", Method: "POST", Path: "/rtc/zego/token04", Body: `{}`, Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "zego token04 room", Method: "POST", Path: "/rtc/zego/token04", Body: `{"room":"room-1","role":"publisher"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "room-1", WantRole: "publisher"},
		{Name: "zego kit", Method: "POST", Path: "/rtc/zego/kit", Body: `{"room":"room-1"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "room-1"},
		{Name: "livekit room", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"standup","role":"publisher","options":{"can_publish_sources":["camera","microphone"]}}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "standup", WantRole: "publisher"},
		{Name: "livekit room subscriber", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"standup"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "standup", WantRole: "subscriber"},
		{Name: "twilio video", Method: "POST", Path: "/rtc/twilio/video", Body: `{"room":"DailyStandup"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "DailyStandup"},
		{Name: "twilio voice", Method: "POST", Path: "/rtc/twilio/voice", Body: `{}`, Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "twilio chat", Method: "POST", Path: "/rtc/twilio/chat", Body: `{"ttl":600}`, Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "twilio sync", Method: "POST", Path: "/rtc/twilio/sync", Body: `{}`, Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "providers", Method: "GET", Path: "/rtc/providers", Headers: alice(), Status: 200},

		// An identity from each resolver.
		{Name: "identity from bearer JWT", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{"Authorization": "Bearer " + bearerToken(t, "bob", time.Hour)}, Status: 200, WantUser: "bob"},
		{Name: "identity from trusted header", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{trustedHeader: "dave"}, Status: 200, WantUser: "dave"},
		{Name: "identity from cookie", Method: "POST", Path: "/rtc/tencent/usersig", Cookie: &http.Cookie{Name: sessionCookie, Value: validSession}, Status: 200, WantUser: "carol"},
		{Name: "identity from func", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{funcHeader: "erin"}, Status: 200, WantUser: "erin"},

		// Authentication failures.
		{Name: "no identity", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{}`, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "expired bearer", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{"Authorization": "Bearer " + bearerToken(t, "bob", -time.Hour)}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "forged bearer", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{"Authorization": "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJib2IifQ.c2lnbmF0dXJl"}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "forged cookie does not fall through", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{funcHeader: "erin"}, Cookie: &http.Cookie{Name: sessionCookie, Value: "forged"}, Status: 401, Code: core.CodeUnauthenticated},

		// The authorizer.
		{Name: "user spoofed in body", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","user_id":"bob"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "own user in body", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","user_id":"alice"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "chan1"},
		{Name: "authorizer denies", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{HostUserHeader: "mallory"}, Status: 403, Code: core.CodeForbidden},
		{Name: "authorizer narrows role", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","role":"publisher","ttl":7200}`, Headers: map[string]string{HostUserHeader: "frank", hostPlanHeader: "free"}, Status: 200, WantUser: "frank", WantRoom: "chan1", WantRole: "subscriber"},
		{Name: "elevated role denied", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"s1","role":"host"}`, Headers: alice(), Status: 403, Code: core.CodeForbidden, Field: "role"},
		{Name: "elevated livekit admin denied", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"s1","role":"admin"}`, Headers: alice(), Status: 403, Code: core.CodeForbidden, Field: "role"},
		{Name: "livekit metadata from the body denied", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"s1","options":{"metadata":"{\"role\":\"teacher\"}"}}`, Headers: alice(), Status: 403, Code: core.CodeForbidden, Field: "options.metadata"},
		{Name: "livekit room_record denied", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"s1","options":{"room_record":true}}`, Headers: alice(), Status: 403, Code: core.CodeForbidden, Field: "options.room_record"},
		{Name: "twilio video for every room denied", Method: "POST", Path: "/rtc/twilio/video", Body: `{"options":{"any_room":true}}`, Headers: alice(), Status: 403, Code: core.CodeForbidden, Field: "options.any_room"},
		{Name: "server-only kind hidden", Method: "POST", Path: "/rtc/agora/chat_app", Headers: alice(), Status: 404, Code: core.CodeUnknownKind, Field: "kind"},

		// Bad input.
		{Name: "missing room", Method: "POST", Path: "/rtc/agora/rtc", Body: `{}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRoom, Field: "room"},
		{Name: "bad role", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"c","role":"admin"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRole, Field: "role"},
		{Name: "ttl too short", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"s1","ttl":60}`, Headers: alice(), Status: 400, Code: core.CodeInvalidTTL, Field: "ttl"},
		{Name: "livekit missing room", Method: "POST", Path: "/rtc/livekit/room", Body: `{}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRoom, Field: "room"},
		{Name: "twilio video missing room", Method: "POST", Path: "/rtc/twilio/video", Body: `{}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRoom, Field: "room"},
		{Name: "twilio voice takes no room", Method: "POST", Path: "/rtc/twilio/voice", Body: `{"room":"r"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRoom, Field: "room"},
		{Name: "livekit ttl over 24 h", Method: "POST", Path: "/rtc/livekit/room", Body: `{"room":"s1","ttl":86401}`, Headers: alice(), Status: 400, Code: core.CodeInvalidTTL, Field: "ttl"},
		{Name: "twilio ttl under 3 min", Method: "POST", Path: "/rtc/twilio/chat", Body: `{"ttl":179}`, Headers: alice(), Status: 400, Code: core.CodeInvalidTTL, Field: "ttl"},
		{Name: "twilio voice app from the body", Method: "POST", Path: "/rtc/twilio/voice", Body: `{"options":{"application_sid":"AP1"}}`, Headers: alice(), Status: 400, Code: core.CodeInvalidOption, Field: "options.application_sid"},
		{Name: "ttl not a number", Method: "POST", Path: "/rtc/agora/rtm", Body: `{"ttl":"3600"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidTTL, Field: "ttl"},
		{Name: "unknown option", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"c","options":{"evil":1}}`, Headers: alice(), Status: 400, Code: core.CodeInvalidOption, Field: "options.evil"},
		{Name: "numeric user needs id_type", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"c"}`, Headers: map[string]string{HostUserHeader: "12345"}, Status: 400, Code: core.CodeInvalidOption, Field: "options.id_type"},
		{Name: "malformed JSON", Method: "POST", Path: "/rtc/agora/rtm", Body: `{"ttl":`, Headers: alice(), Status: 400, Code: core.CodeInvalidRequest},
		{Name: "unknown field", Method: "POST", Path: "/rtc/agora/rtm", Body: `{"user":"bob"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRequest, Field: "user"},
		{Name: "duplicate key", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"a","room":"b"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRequest, Field: "room"},
		{Name: "unknown provider", Method: "POST", Path: "/rtc/nope/rtc", Headers: alice(), Status: 404, Code: core.CodeUnknownProvider, Field: "provider"},
		{Name: "unknown kind", Method: "POST", Path: "/rtc/agora/nope", Headers: alice(), Status: 404, Code: core.CodeUnknownKind, Field: "kind"},
		{Name: "wrong method on issue", Method: "GET", Path: "/rtc/agora/rtc", Headers: alice(), Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "POST"},
		{Name: "wrong method on providers", Method: "DELETE", Path: "/rtc/providers", Headers: alice(), Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "GET, HEAD"},
		{Name: "huge body", Method: "POST", Path: "/rtc/agora/rtc", Body: big, Headers: alice(), Status: 413, Code: httpapi.CodeBodyTooLarge},
		{Name: "wrong content type", Method: "POST", Path: "/rtc/agora/rtm", Body: `{}`, ContentType: "text/plain", Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "form body", Method: "POST", Path: "/rtc/agora/rtm", Body: `room=x`, ContentType: "application/x-www-form-urlencoded", Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},

		// Batch.
		{Name: "batch", Method: "POST", Path: "/rtc/batch", Body: `{"requests":[{"provider":"tencent","kind":"usersig"},{"provider":"agora","kind":"rtc","room":"c","role":"publisher"}]}`, Headers: alice(), Status: 200, WantBatch: 2},
		{Name: "batch item error", Method: "POST", Path: "/rtc/batch", Body: `{"requests":[{"provider":"tencent","kind":"usersig"},{"provider":"agora","kind":"rtc"}]}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRoom, Field: "requests[1].room"},
		{Name: "batch too large", Method: "POST", Path: "/rtc/batch", Body: batch(17), Headers: alice(), Status: 400, Code: core.CodeInvalidRequest, Field: "requests"},
		{Name: "batch spoofed user", Method: "POST", Path: "/rtc/batch", Body: `{"requests":[{"provider":"tencent","kind":"usersig","user_id":"bob"}]}`, Headers: alice(), Status: 400, Code: core.CodeInvalidUser, Field: "requests[0].user_id"},
	}
	// The trust-boundary cases, one file per area.
	for _, more := range [][]Case{bodyCases(t), authzCases(t), headerCases(t), cacheCases(t), kitCases(t)} {
		base = append(base, more...)
	}
	return base
}

// Run runs the table and the host-route checks against the app start builds.
func Run(t *testing.T, start Start) {
	api := NewAPI(t)
	base := start(t, api)
	client := &http.Client{Timeout: 10 * time.Second}
	for _, tc := range Cases(t) {
		t.Run(tc.Name, func(t *testing.T) {
			status, hdr, body := Do(t, client, base, tc)
			if status != tc.Status {
				t.Fatalf("status %d, want %d: %s", status, tc.Status, body)
			}
			if cc := hdr.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
			if tc.Allow != "" && hdr.Get("Allow") != tc.Allow {
				t.Errorf("Allow %q, want %q", hdr.Get("Allow"), tc.Allow)
			}
			checkBody(t, api, tc, body)
		})
	}
	t.Run("host routes untouched", func(t *testing.T) { hostRoutes(t, client, base) })
	t.Run("attach", func(t *testing.T) { attach(t, api, client, base) })
	t.Run("login response", func(t *testing.T) { login(t, api, client, base) })
	// Checks that need more than one request or a look at the process.
	t.Run("body checks", func(t *testing.T) { bodyChecks(t, api, client, base) })
	t.Run("authz checks", func(t *testing.T) { authzChecks(t, api, client, base) })
	t.Run("header checks", func(t *testing.T) { headerChecks(t, start, client) })
	t.Run("cache checks", func(t *testing.T) { cacheChecks(t, start) })
	t.Run("kinds allowlist", func(t *testing.T) { kindsChecks(t, start, client) })
}

// Do sends one case's request and returns status, headers and body.
func Do(t testing.TB, client *http.Client, base string, tc Case) (int, http.Header, []byte) {
	t.Helper()
	var body io.Reader
	switch {
	case tc.RawBody != nil:
		body = bytes.NewReader(tc.RawBody)
	case tc.Body != "":
		body = strings.NewReader(tc.Body)
	}
	req, err := http.NewRequest(tc.Method, base+tc.Path, body)
	if err != nil {
		t.Fatal(err)
	}
	switch {
	case tc.ContentType == "-":
	case tc.ContentType != "":
		req.Header.Set("Content-Type", tc.ContentType)
	case tc.Body != "" || tc.RawBody != nil || tc.Method == http.MethodPost:
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range tc.Headers {
		req.Header.Set(k, v)
	}
	for _, kv := range tc.HeaderLines {
		req.Header.Add(kv[0], kv[1])
	}
	if tc.Cookie != nil {
		req.AddCookie(tc.Cookie)
	}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, resp.Header, b
}

type errorEnvelope struct {
	Error struct {
		Code    core.Code `json:"code"`
		Message string    `json:"message"`
		Field   string    `json:"field"`
	} `json:"error"`
}

func checkBody(t *testing.T, api *httpapi.API, tc Case, body []byte) {
	t.Helper()
	if tc.Code != "" {
		var e errorEnvelope
		if err := json.Unmarshal(body, &e); err != nil {
			t.Fatalf("error body is not the envelope: %s", body)
		}
		if e.Error.Code != tc.Code || e.Error.Field != tc.Field || e.Error.Message == "" {
			t.Fatalf("error %+v, want code %s field %q", e.Error, tc.Code, tc.Field)
		}
		return
	}
	switch {
	case tc.WantBatch > 0:
		var b struct{ Credentials []core.Credential }
		if err := json.Unmarshal(body, &b); err != nil || len(b.Credentials) != tc.WantBatch {
			t.Fatalf("batch body %s (%v)", body, err)
		}
		for _, c := range b.Credentials {
			VerifyCredential(t, api, c, "alice", c.Room)
		}
	case strings.HasSuffix(tc.Path, "/providers"):
		var p struct{ Providers []core.ProviderInfo }
		if err := json.Unmarshal(body, &p); err != nil || len(p.Providers) != 6 {
			t.Fatalf("providers body %s (%v)", body, err)
		}
		for _, secret := range fixtureSecrets {
			if strings.Contains(string(body), secret) {
				t.Fatal("providers listing leaks a secret")
			}
		}
	default:
		var c core.Credential
		if err := json.Unmarshal(body, &c); err != nil {
			t.Fatalf("credential body %s (%v)", body, err)
		}
		if tc.WantRole != "" && c.Role != tc.WantRole {
			t.Fatalf("role %q, want %q", c.Role, tc.WantRole)
		}
		VerifyCredential(t, api, c, tc.WantUser, tc.WantRoom)
		if !strings.HasPrefix(tc.Path, "/rtc/"+c.Provider+"/"+c.Kind) {
			t.Fatalf("credential %s/%s for path %s", c.Provider, c.Kind, tc.Path)
		}
		if !(c.IssuedAt.Before(c.RenewAfter) && c.RenewAfter.Before(c.ExpiresAt)) {
			t.Fatalf("times out of order: %v %v %v", c.IssuedAt, c.RenewAfter, c.ExpiresAt)
		}
		if len(c.Join) == 0 {
			t.Fatal("no join parameters")
		}
	}
}

// VerifyCredential checks c's token with the provider's own verifier and
// that it names the wanted user and room (when given).
func VerifyCredential(t testing.TB, api *httpapi.API, c core.Credential, user, room string) {
	t.Helper()
	p, ok := api.Service().Provider(c.Provider)
	if !ok {
		t.Fatalf("unknown provider %q in credential", c.Provider)
	}
	v, err := p.Verify(context.Background(), c.Kind, c.Token, time.Now())
	if err != nil {
		t.Fatalf("%s/%s token does not verify: %v", c.Provider, c.Kind, err)
	}
	if user != "" && (v.UserID != user || c.UserID != user) {
		t.Fatalf("user: token %q, credential %q, want %q", v.UserID, c.UserID, user)
	}
	if room != "" && (v.Room != room || c.Room != room) {
		t.Fatalf("room: token %q, credential %q, want %q", v.Room, c.Room, room)
	}
	if d := v.ExpiresAt.Sub(c.ExpiresAt); d > time.Second || d < -time.Second {
		t.Fatalf("expiry: token %v, credential %v", v.ExpiresAt, c.ExpiresAt)
	}
}

func hostRoutes(t *testing.T, client *http.Client, base string) {
	status, _, body := Do(t, client, base, Case{Method: "GET", Path: "/health"})
	if status != 200 || strings.TrimSpace(string(body)) != "ok" {
		t.Fatalf("host route: %d %s", status, body)
	}
	status, _, _ = Do(t, client, base, Case{Method: "GET", Path: "/nothing-here"})
	if status != 404 {
		t.Fatalf("unknown host route: %d", status)
	}
	// A path below the mount that is not part of the contract.
	status, _, _ = Do(t, client, base, Case{Method: "POST", Path: "/rtc/a/b/c", Headers: alice()})
	if status != 404 {
		t.Fatalf("deep path below the mount: %d", status)
	}
}

type bundle struct {
	Credentials map[string]core.Credential `json:"credentials"`
	RenewAfter  time.Time                  `json:"renew_after"`
}

func attach(t *testing.T, api *httpapi.API, client *http.Client, base string) {
	var first, second bundle
	for i, b := range []*bundle{&first, &second} {
		status, _, body := Do(t, client, base, Case{Method: "GET", Path: "/me", Headers: map[string]string{HostUserHeader: "gina"}})
		if status != 200 {
			t.Fatalf("GET /me #%d: %d %s", i, status, body)
		}
		if err := json.Unmarshal(body, b); err != nil {
			t.Fatal(err)
		}
	}
	if len(first.Credentials) != len(Presets) {
		t.Fatalf("attached %d credentials, want %d", len(first.Credentials), len(Presets))
	}
	for name, c := range first.Credentials {
		VerifyCredential(t, api, c, "gina", "")
		if second.Credentials[name].Token != c.Token {
			t.Fatalf("preset %s was reissued instead of served from the cache", name)
		}
	}
	// Anonymous: passes through with nothing attached.
	status, _, body := Do(t, client, base, Case{Method: "GET", Path: "/me"})
	if status != 200 || !strings.Contains(string(body), `"credentials":null`) {
		t.Fatalf("anonymous /me: %d %s", status, body)
	}
	// Invalid credential: refused by the middleware.
	status, _, body = Do(t, client, base, Case{Method: "GET", Path: "/me", Cookie: &http.Cookie{Name: sessionCookie, Value: "forged"}})
	if status != 401 || !strings.Contains(string(body), `"unauthenticated"`) {
		t.Fatalf("forged /me: %d %s", status, body)
	}
}

func login(t *testing.T, api *httpapi.API, client *http.Client, base string) {
	status, _, body := Do(t, client, base, Case{Method: "POST", Path: "/login", Headers: map[string]string{"X-Login-User": "hank"}})
	if status != 200 {
		t.Fatalf("login: %d %s", status, body)
	}
	var resp struct {
		User string `json:"user"`
		RTC  bundle `json:"rtc"`
	}
	if err := json.Unmarshal(body, &resp); err != nil {
		t.Fatal(err)
	}
	if resp.User != "hank" || len(resp.RTC.Credentials) != len(Presets) {
		t.Fatalf("login response %s", body)
	}
	for _, c := range resp.RTC.Credentials {
		VerifyCredential(t, api, c, "hank", "")
	}
	if resp.RTC.RenewAfter.IsZero() {
		t.Fatalf("no renew_after in %s", body)
	}
}

// CheckCORS asserts the preflight behaviour shared by the adapters' CORS
// middleware, on an app at base whose CORS option allows the origin
// https://app.example.com: that origin's preflight of a POST to the contract
// gets its Access-Control headers, another origin's gets none.
func CheckCORS(t *testing.T, base string) {
	t.Helper()
	client := &http.Client{}
	pre := func(origin string) *http.Response {
		req, _ := http.NewRequest("OPTIONS", base+"/rtc/tencent/usersig", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "content-type")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := pre("https://app.example.com"); r.Header.Get("Access-Control-Allow-Origin") != "https://app.example.com" || r.StatusCode >= 300 {
		t.Fatalf("allowed preflight: %d %v", r.StatusCode, r.Header)
	}
	if r := pre("https://evil.example"); r.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("foreign origin allowed: %v", r.Header)
	}
}
