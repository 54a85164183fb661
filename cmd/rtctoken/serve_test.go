package main

import (
	"bufio"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/internal/testutil"

	"github.com/golang-jwt/jwt/v5"
	"github.com/rtctoken/rtctoken/core"
)

const (
	jwtSecret   = "the-auth-service-hmac-key-0123456789"
	jwtAudience = "rtc"
)

// jwtEnv configures every provider and bearer JWTs for the audience
// jwtAudience.
var jwtEnv = vendorEnv.with(envJWTSecret, jwtSecret, envJWTAudience, jwtAudience)

// server is serve running in-process on a loopback listener.
type server struct {
	url    string
	cancel context.CancelFunc
	done   chan int
	logs   *testutil.SyncBuffer
}

// startServe runs "rtctoken serve" with e on 127.0.0.1:0.
func startServe(t *testing.T, e env) *server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	logs := &testutil.SyncBuffer{}
	c := &cli{
		env: e.lookup, stdin: strings.NewReader(""), stdout: io.Discard, stderr: logs,
		now: time.Now, loc: time.UTC, shutdownTimeout: 5 * time.Second,
		listen: func(network, addr string) (net.Listener, error) { return ln, nil },
	}
	ctx, cancel := context.WithCancel(context.Background())
	s := &server{url: "http://" + ln.Addr().String(), cancel: cancel, done: make(chan int, 1), logs: logs}
	go func() { s.done <- c.run(ctx, []string{"serve"}) }()
	t.Cleanup(func() {
		cancel()
		select {
		case <-s.done:
		case <-time.After(10 * time.Second):
			t.Error("serve did not stop")
		}
	})
	return s
}

// stop cancels the context and returns serve's exit code.
func (s *server) stop(t *testing.T) int {
	t.Helper()
	s.cancel()
	select {
	case code := <-s.done:
		s.done <- code // for the cleanup
		return code
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
		return -1
	}
}

func bearer(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) string {
	t.Helper()
	tok, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func userJWT(t *testing.T, user string) string {
	now := time.Now()
	return bearer(t, jwt.SigningMethodHS256, []byte(jwtSecret), jwt.MapClaims{
		"sub": user, "name": "Alice A.", "aud": jwtAudience, "iat": now.Unix(), "exp": now.Add(time.Hour).Unix(),
	})
}

// post sends a JSON body with an optional bearer token.
func post(t *testing.T, url, token, body string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, req)
}

func do(t *testing.T, req *http.Request) (*http.Response, []byte) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, b
}

func get(t *testing.T, url string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	return do(t, req)
}

func errorCode(t *testing.T, body []byte) core.Code {
	t.Helper()
	var env struct {
		Error struct {
			Code core.Code `json:"code"`
		} `json:"error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		t.Fatalf("not an error envelope: %s", body)
	}
	return env.Error.Code
}

func TestServeBearerJWT(t *testing.T) {
	e := jwtEnv.with(envJWTNameClaim, "name", envMetrics, "1",
		envCORSOrigins, "https://app.example.com, https://admin.example.com", envRateLimit, "1/h,burst=4")
	s := startServe(t, e)
	tok := userJWT(t, "alice")

	resp, body := post(t, s.url+"/rtc/agora/rtc", tok, `{"room":"chan1"}`)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	var cred core.Credential
	if err := json.Unmarshal(body, &cred); err != nil {
		t.Fatal(err)
	}
	v, err := provider(t, vendorEnv, "agora").Verify(context.Background(), "rtc", cred.Token, time.Now())
	if err != nil || v.UserID != "alice" || v.Room != "chan1" {
		t.Fatalf("served token: %v %+v", err, v)
	}

	// The display name claim reaches the kinds that carry one.
	resp, body = post(t, s.url+"/rtc/zego/kit", tok, `{"room":"room-1"}`)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"userName":"Alice A."`) {
		t.Fatalf("kit: %d %s", resp.StatusCode, body)
	}

	// No token, or a token from someone else's key: 401.
	resp, body = post(t, s.url+"/rtc/agora/rtc", "", `{"room":"chan1"}`)
	if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != core.CodeUnauthenticated {
		t.Fatalf("no token: %d %s", resp.StatusCode, body)
	}
	forged := bearer(t, jwt.SigningMethodHS256, []byte("another-key-another-key-another-key"), jwt.MapClaims{"sub": "alice", "exp": time.Now().Add(time.Hour).Unix()})
	if resp, body = post(t, s.url+"/rtc/agora/rtc", forged, `{"room":"chan1"}`); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("forged token: %d %s", resp.StatusCode, body)
	}
	// A token from the same auth service for another audience (a password
	// reset link, another API) is not a sign-in here.
	reset := bearer(t, jwt.SigningMethodHS256, []byte(jwtSecret), jwt.MapClaims{"sub": "alice", "aud": "password-reset", "exp": time.Now().Add(time.Hour).Unix()})
	if resp, body = post(t, s.url+"/rtc/agora/rtc", reset, `{"room":"chan1"}`); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("token for another audience: %d %s", resp.StatusCode, body)
	}
	// Server-only kinds are not served.
	if resp, body = post(t, s.url+"/rtc/agora/chat_app", tok, `{}`); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("chat_app: %d %s", resp.StatusCode, body)
	}

	// Providers, health, CORS and metrics.
	if resp, body = get(t, s.url+"/rtc/providers"); resp.StatusCode != http.StatusOK || strings.Count(string(body), `"provider"`) != 4 {
		t.Fatalf("providers: %d %s", resp.StatusCode, body)
	}
	if resp, body = get(t, s.url+"/healthz"); resp.StatusCode != http.StatusOK || string(body) != `{"status":"ok"}` {
		t.Fatalf("healthz: %d %s", resp.StatusCode, body)
	}
	pre, _ := http.NewRequest(http.MethodOptions, s.url+"/rtc/agora/rtc", nil)
	pre.Header.Set("Origin", "https://admin.example.com")
	pre.Header.Set("Access-Control-Request-Method", "POST")
	pre.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
	if resp, _ = do(t, pre); resp.Header.Get("Access-Control-Allow-Origin") != "https://admin.example.com" {
		t.Fatalf("preflight: %d %v", resp.StatusCode, resp.Header)
	}
	pre.Header.Set("Origin", "https://evil.example.com")
	if resp, _ = do(t, pre); resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Fatalf("preflight from another origin allowed: %v", resp.Header)
	}
	if resp, body = get(t, s.url+"/metrics"); resp.StatusCode != http.StatusOK ||
		!strings.Contains(string(body), `rtctoken_issue_requests_total{kind="rtc",outcome="ok",provider="agora"} 1`) {
		t.Fatalf("metrics: %d %s", resp.StatusCode, body)
	}

	// The per-user budget, 4 at once then one an hour, runs out within
	// the next four requests.
	limited := false
	for range 4 {
		resp, body = post(t, s.url+"/rtc/tencent/usersig", tok, `{}`)
		if resp.StatusCode == http.StatusTooManyRequests {
			limited = errorCode(t, body) == httpapi.CodeRateLimited && resp.Header.Get("Retry-After") != ""
			break
		}
	}
	if !limited {
		t.Fatal("rate limit never applied")
	}

	if code := s.stop(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
	if _, err := net.DialTimeout("tcp", strings.TrimPrefix(s.url, "http://"), time.Second); err == nil {
		t.Fatal("listener still open after shutdown")
	}
	// Logs are JSON lines and never hold a secret or a token.
	logs := s.logs.String()
	sc := bufio.NewScanner(strings.NewReader(logs))
	for sc.Scan() {
		if !json.Valid(sc.Bytes()) {
			t.Fatalf("log line is not JSON: %s", sc.Text())
		}
	}
	for _, secret := range append(allSecrets, jwtSecret, cred.Token, tok) {
		if strings.Contains(logs, secret) {
			t.Fatalf("logs contain a secret or token")
		}
	}
	if !strings.Contains(logs, `"msg":"rtctoken serving"`) || !strings.Contains(logs, `"msg":"stopped"`) {
		t.Fatalf("logs: %s", logs)
	}
}

// TestServeGracefulShutdown cancels the context while a request is in
// flight: the request completes, then serve exits 0.
func TestServeGracefulShutdown(t *testing.T) {
	s := startServe(t, jwtEnv.with(envRateLimit, "off"))
	conn, err := net.Dial("tcp", strings.TrimPrefix(s.url, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	body := `{"room":"chan1"}`
	head := "POST /rtc/agora/rtc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAuthorization: Bearer " + userJWT(t, "alice") +
		"\r\nContent-Length: " + strconv.Itoa(len(body)) + "\r\nConnection: close\r\n\r\n"
	if _, err := io.WriteString(conn, head+body[:5]); err != nil {
		t.Fatal(err)
	}
	time.Sleep(100 * time.Millisecond) // the server is now reading the body
	s.cancel()
	time.Sleep(100 * time.Millisecond)
	select {
	case code := <-s.done:
		t.Fatalf("serve exited %d with a request in flight", code)
	default:
	}
	if _, err := io.WriteString(conn, body[5:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("in-flight request: %d", resp.StatusCode)
	}
	if code := s.stop(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
}

func TestServeTrustedHeader(t *testing.T) {
	s := startServe(t, vendorEnv.with(envTrustedHeader, "X-Forwarded-User", envPrefix, "/api/rtc/"))
	req, _ := http.NewRequest(http.MethodPost, s.url+"/api/rtc/tencent/usersig", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-User", "bob")
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"user_id":"bob"`) {
		t.Fatalf("trusted header: %d %s", resp.StatusCode, body)
	}
	if resp, _ = post(t, s.url+"/api/rtc/tencent/usersig", "", `{}`); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("no header: %d", resp.StatusCode)
	}
	// A proxy that appends its line to the client's forged one.
	req.Header["X-Forwarded-User"] = []string{"admin", "bob"}
	req.Body = io.NopCloser(strings.NewReader(`{}`))
	if resp, body = do(t, req); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("header sent twice: %d %s", resp.StatusCode, body)
	}
	if resp, _ = get(t, s.url+"/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("metrics served without RTCTOKEN_METRICS: %d", resp.StatusCode)
	}
	s.stop(t)
	if !strings.Contains(s.logs.String(), `"level":"WARN"`) {
		t.Fatal("no warning about the trusted header")
	}
}

func TestServePublicKeys(t *testing.T) {
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	ecPriv, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	rsaPriv, _ := rsa.GenerateKey(rand.Reader, 2048)
	pkix := func(k any) []byte {
		der, err := x509.MarshalPKIXPublicKey(k)
		if err != nil {
			t.Fatal(err)
		}
		return pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})
	}
	cases := []struct {
		name   string
		pem    []byte
		method jwt.SigningMethod
		key    any
	}{
		{"ed25519", pkix(edPub), jwt.SigningMethodEdDSA, edPriv},
		{"ecdsa", pkix(&ecPriv.PublicKey), jwt.SigningMethodES256, ecPriv},
		{"rsa pkcs1", pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rsaPriv.PublicKey)}), jwt.SigningMethodRS256, rsaPriv},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), "key.pem")
			if err := os.WriteFile(file, tc.pem, 0o600); err != nil {
				t.Fatal(err)
			}
			s := startServe(t, vendorEnv.with(envJWTPublicKey, file, envJWTIssuer, "https://auth.example.com", envJWTAudience, "rtc"))
			claims := jwt.MapClaims{"sub": "carol", "iss": "https://auth.example.com", "aud": "rtc", "exp": time.Now().Add(time.Hour).Unix()}
			resp, body := post(t, s.url+"/rtc/zoom/video", bearer(t, tc.method, tc.key, claims), `{"room":"standup"}`)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("%d %s", resp.StatusCode, body)
			}
			claims["aud"] = "another-service"
			if resp, _ := post(t, s.url+"/rtc/zoom/video", bearer(t, tc.method, tc.key, claims), `{"room":"standup"}`); resp.StatusCode != http.StatusUnauthorized {
				t.Fatalf("wrong audience: %d", resp.StatusCode)
			}
		})
	}
	// A private key, or no PEM at all, is refused.
	ecDER, _ := x509.MarshalECPrivateKey(ecPriv)
	for _, b := range [][]byte{pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: ecDER}), []byte("not pem"),
		pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: []byte("junk")})} {
		if _, err := parsePublicKey(b); err == nil {
			t.Fatalf("parsed %q", b)
		}
	}
}

func TestServeConfigErrors(t *testing.T) {
	idp := env{envJWTSecret: jwtSecret, envJWTAudience: jwtAudience}
	cases := []struct {
		name string
		env  env
		msg  string
	}{
		{"no provider", idp, "no provider configured"},
		{"no identity", vendorEnv, "no identity source"},
		{"two identities", jwtEnv.with(envTrustedHeader, "X-User"), "only one"},
		{"secret and file", jwtEnv.with(envJWTSecret+"_FILE", "/run/x"), "not both"},
		{"short HMAC key", vendorEnv.with(envJWTSecret, "short-key"), "at least 32 bytes"},
		{"unreadable key file", vendorEnv.with(envJWTSecret+"_FILE", "/nonexistent/"+jwtSecret), envJWTSecret + "_FILE"},
		{"unreadable public key", vendorEnv.with(envJWTPublicKey, "/nonexistent"), envJWTPublicKey},
		{"bad rate", jwtEnv.with(envRateLimit, "lots"), envRateLimit},
		{"bad burst", jwtEnv.with(envRateLimit, "5/s,burst=x"), envRateLimit},
		{"bad unit", jwtEnv.with(envRateLimit, "5/fortnight"), envRateLimit},
		{"bad port", jwtEnv.with(envPort, "http"), envPort},
		{"bad metrics", jwtEnv.with(envMetrics, "yes please"), envMetrics},
		{"bad log level", jwtEnv.with(envLogLevel, "loud"), envLogLevel},
		{"wildcard origin", jwtEnv.with(envCORSOrigins, "*"), envCORSOrigins},
		{"bad provider", idp.with("RTCTOKEN_AGORA_APP_ID", "nothex"), "RTCTOKEN_AGORA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, _, errOut := runAt(t, tc.env, t0, "", "serve")
			if code != exitConfig || !strings.Contains(errOut, tc.msg) {
				t.Fatalf("exit %d, stderr %q, want %q", code, errOut, tc.msg)
			}
			if strings.Contains(errOut, jwtSecret) || strings.Contains(errOut, "/nonexistent") {
				t.Fatalf("stderr leaks a value: %q", errOut)
			}
		})
	}
	if code, _, _ := runAt(t, vendorEnv, t0, "", "serve", "extra"); code != exitUsage {
		t.Fatalf("serve with an argument: exit %d", code)
	}
}

func TestServeListenFailure(t *testing.T) {
	c, _, errb := newTestCLI(jwtEnv, "", t0)
	c.listen = func(string, string) (net.Listener, error) { return nil, errors.New("address in use") }
	if code := c.run(context.Background(), []string{"serve"}); code != exitSignature || !strings.Contains(errb.String(), "cannot listen") {
		t.Fatalf("exit %d: %s", code, errb)
	}
}

// TestServeAddress: serve listens on loopback unless told otherwise; PORT
// alone changes the port, not the interfaces.
func TestServeAddress(t *testing.T) {
	idp := env{envJWTSecret: jwtSecret, envJWTAudience: jwtAudience}
	for _, tc := range []struct {
		env  env
		addr string
	}{
		{idp, "127.0.0.1:8080"},
		{idp.with(envPort, "9000"), "127.0.0.1:9000"},
		{idp.with(envPort, "9000", envHost, "0.0.0.0"), "0.0.0.0:9000"},
		{idp.with(envHost, "::"), "[::]:8080"},
		{idp.with(envHost, "[::1]"), "[::1]:8080"},
		{idp.with(envPort, "9000", envHost, "0.0.0.0", envAddr, "10.0.0.1:80"), "10.0.0.1:80"},
		{idp.with(envAddr, ":8443"), ":8443"},
	} {
		c, _, _ := newTestCLI(tc.env, "", t0)
		sc, err := c.serveConfig()
		if err != nil || sc.addr != tc.addr || sc.prefix != "/rtc" {
			t.Fatalf("%v: %v %+v", tc.env, err, sc)
		}
	}
	for addr, want := range map[string]bool{
		"127.0.0.1:8080": true, "127.1.2.3:80": true, "[::1]:8080": true, "localhost:8080": true, "[::ffff:127.0.0.1]:80": true,
		":8080": false, "0.0.0.0:8080": false, "[::]:8080": false, "10.0.0.1:80": false, "rtc.internal:80": false, "junk": false,
	} {
		if loopbackAddr(addr) != want {
			t.Errorf("loopbackAddr(%q) = %v", addr, !want)
		}
	}
}

// TestServeRefusesUnsafeIdentity: serve does not start when it would take
// identities from anyone who can reach it, or accept any token its key
// verifies.
func TestServeRefusesUnsafeIdentity(t *testing.T) {
	trusted := vendorEnv.with(envTrustedHeader, "X-Forwarded-User")
	cases := []struct {
		name string
		env  env
		msg  string
	}{
		{"JWT key without audience or issuer", vendorEnv.with(envJWTSecret, jwtSecret), envJWTAudience},
		{"public key without audience or issuer", vendorEnv.with(envJWTPublicKey, "/nonexistent"), envJWTAudience},
		{"bad any-audience", vendorEnv.with(envJWTSecret, jwtSecret, envJWTAnyAudience, "yes"), envJWTAnyAudience},
		{"trusted header on every interface", trusted.with(envAddr, ":8080"), envTrustedProxies},
		{"trusted header on 0.0.0.0", trusted.with(envHost, "0.0.0.0", envPort, "8080"), envTrustedProxies},
		{"trusted header on a LAN address", trusted.with(envAddr, "10.0.0.1:8080"), envTrustedProxies},
		{"bad proxy list", trusted.with(envTrustedProxies, "10.0.0.0/8, the proxy"), envTrustedProxies},
		{"proxies without trusted header", jwtEnv.with(envTrustedProxies, "10.0.0.0/8"), envTrustedProxies},
		{"bad max lifetime", jwtEnv.with(envJWTMaxLifetime, "forever"), envJWTMaxLifetime},
		{"negative max lifetime", jwtEnv.with(envJWTMaxLifetime, "-1h"), envJWTMaxLifetime},
		{"bad type", jwtEnv.with(envJWTType, "a/b/c; ="), "Type"},
		{"bad address", jwtEnv.with(envAddr, "8080"), envAddr},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, _, errb := newTestCLI(tc.env, "", t0)
			c.listen = func(string, string) (net.Listener, error) { return nil, errors.New("serve started") }
			code := c.run(context.Background(), []string{"serve"})
			if code != exitConfig || !strings.Contains(errb.String(), tc.msg) {
				t.Fatalf("exit %d, stderr %q, want %q", code, errb, tc.msg)
			}
		})
	}
	// The same settings made explicit are accepted.
	for _, e := range []env{
		vendorEnv.with(envJWTSecret, jwtSecret, envJWTAnyAudience, "1"),
		vendorEnv.with(envJWTSecret, jwtSecret, envJWTIssuer, "https://auth.example.com"),
		trusted.with(envAddr, ":8080", envTrustedProxies, "10.0.0.0/8, 192.0.2.7, fd00::/8"),
		trusted.with(envAddr, "127.0.0.1:8080"),
		trusted.with(envAddr, "[::1]:8080"),
	} {
		c, _, _ := newTestCLI(e, "", t0)
		if _, err := c.serveConfig(); err != nil {
			t.Errorf("%v: %v", e, err)
		}
	}
}

// TestServeTrustedProxies: with RTCTOKEN_TRUSTED_PROXIES the header is
// believed from those peers only. The test client connects from 127.0.0.1,
// which is not in the list.
func TestServeTrustedProxies(t *testing.T) {
	s := startServe(t, vendorEnv.with(envTrustedHeader, "X-Forwarded-User", envTrustedProxies, "10.0.0.0/8", envAddr, ":8080"))
	req, _ := http.NewRequest(http.MethodPost, s.url+"/rtc/tencent/usersig", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Forwarded-User", "bob")
	resp, body := do(t, req)
	if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != core.CodeUnauthenticated {
		t.Fatalf("header from a peer that is not a proxy: %d %s", resp.StatusCode, body)
	}
	s.stop(t)
	if !strings.Contains(s.logs.String(), `"trusted_proxies":["10.0.0.0/8"]`) {
		t.Fatalf("proxies not logged: %s", s.logs)
	}
}

// TestServeJWTRules: a token minted for another audience is refused, and so
// are, when configured, a token of another type and one that lives too long.
func TestServeJWTRules(t *testing.T) {
	s := startServe(t, jwtEnv.with(envJWTType, "at+jwt", envJWTMaxLifetime, "2h", envRateLimit, "off"))
	now := time.Now()
	mint := func(typ string, claims jwt.MapClaims) string {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims)
		tok.Header["typ"] = typ
		signed, err := tok.SignedString([]byte(jwtSecret))
		if err != nil {
			t.Fatal(err)
		}
		return signed
	}
	claims := func(aud string, life time.Duration) jwt.MapClaims {
		return jwt.MapClaims{"sub": "alice", "aud": aud, "iat": now.Unix(), "exp": now.Add(life).Unix()}
	}
	for _, tc := range []struct {
		name   string
		token  string
		status int
	}{
		{"access token", mint("at+jwt", claims(jwtAudience, time.Hour)), http.StatusOK},
		{"another audience", mint("at+jwt", claims("password-reset", time.Hour)), http.StatusUnauthorized},
		{"another type", mint("JWT", claims(jwtAudience, time.Hour)), http.StatusUnauthorized},
		{"lives too long", mint("at+jwt", claims(jwtAudience, 30*24*time.Hour)), http.StatusUnauthorized},
	} {
		if resp, body := post(t, s.url+"/rtc/tencent/usersig", tc.token, `{}`); resp.StatusCode != tc.status {
			t.Errorf("%s: %d %s", tc.name, resp.StatusCode, body)
		}
	}
}

func TestParseRateLimit(t *testing.T) {
	for _, s := range []string{"", "10/s", "10/s,burst=20", "30/m", "1/3s", " 2 / h , burst=1"} {
		if lim, err := parseRateLimit(s); err != nil || lim == nil {
			t.Fatalf("%q: %v", s, err)
		}
	}
	if lim, err := parseRateLimit("off"); err != nil || lim != nil {
		t.Fatalf("off: %v %v", lim, err)
	}
	// "2/s,burst=2": two at once, the third refused.
	lim, _ := parseRateLimit("2/s,burst=2")
	key := httpapi.LimitKey{Scope: "user", Subject: "u", Provider: "agora", Kind: "rtc"}
	for i := range 3 {
		err := lim.Allow(context.Background(), key)
		if (i < 2) != (err == nil) {
			t.Fatalf("request %d: %v", i, err)
		}
	}
	for _, s := range []string{"10", "x/s", "0/s", "10/s,burst=0", "10/s,b=2", "10/-1s", "-1/s"} {
		if _, err := parseRateLimit(s); err == nil {
			t.Fatalf("%q accepted", s)
		}
	}
}
