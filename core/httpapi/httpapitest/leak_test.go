package httpapitest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/internal/testutil"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/httpapi/httpapitest"
	"github.com/rtctoken/rtctoken/core/zego/token04"
	"github.com/rtctoken/rtctoken/nethttp"
)

// testLimiter refuses the user "limited" and cannot answer for "down".
type testLimiter struct{}

func (testLimiter) Allow(_ context.Context, k httpapi.LimitKey) error {
	switch k.Subject {
	case "limited":
		return &httpapi.RateLimitError{RetryAfter: 3 * time.Second}
	case "down":
		return core.Errorf(core.CodeUnavailable, "", "rate limiter unavailable")
	}
	return nil
}

type brokenRand struct{}

func (brokenRand) Read([]byte) (int, error) { return 0, errors.New("entropy source failed") }

// TestNoSecretOrPlaintextLeaks issues every kind, triggers every error code,
// and searches every response body and log line for the configured secrets,
// for decrypted token contents and, in the logs, for the tokens themselves.
func TestNoSecretOrPlaintextLeaks(t *testing.T) {
	var logs testutil.SyncBuffer
	logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	api := httpapitest.NewAPI(t, func(c *httpapi.Config) {
		c.Logger = logger
		c.Limiter = testLimiter{}
		c.ClientIP = httpapi.RemoteIP()
	})
	broken := httpapitest.NewAPI(t, func(c *httpapi.Config) {
		c.Logger = logger
		svc, err := core.NewService(httpapitest.Providers(t), core.WithRand(brokenRand{}))
		if err != nil {
			t.Fatal(err)
		}
		c.Service = svc
	})
	var bodies bytes.Buffer
	var tokens []string
	codes := map[core.Code]bool{}
	run := func(h http.Handler, cases []httpapitest.Case) {
		srv := httptest.NewServer(h)
		defer srv.Close()
		for _, tc := range cases {
			_, _, body := httpapitest.Do(t, srv.Client(), srv.URL, tc)
			bodies.Write(body)
			bodies.WriteByte('\n')
			for _, part := range strings.Split(string(body), `"token":"`)[1:] {
				tokens = append(tokens, part[:strings.IndexByte(part, '"')])
			}
			if i := strings.Index(string(body), `"code":"`); i >= 0 {
				rest := string(body)[i+8:]
				codes[core.Code(rest[:strings.IndexByte(rest, '"')])] = true
			}
		}
	}
	app := func(api *httpapi.API) http.Handler {
		mux := http.NewServeMux()
		nethttp.Mount(mux, "/rtc", api)
		return hostAuth(mux)
	}
	cases := append(httpapitest.Cases(t), httpapitest.AbuseCases(t)...)
	for _, u := range []string{"limited", "down"} {
		cases = append(cases, httpapitest.Case{Method: "POST", Path: "/rtc/zego/token04", Headers: map[string]string{httpapitest.HostUserHeader: u}})
	}
	cases = append(cases, httpapitest.Case{Method: "GET", Path: "/rtc/nothing"})
	run(app(api), cases)
	run(app(broken), []httpapitest.Case{
		{Method: "POST", Path: "/rtc/zego/token04", Headers: map[string]string{httpapitest.HostUserHeader: "alice"}},
		{Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"c"}`, Headers: map[string]string{httpapitest.HostUserHeader: "alice"}},
	})

	for _, c := range []core.Code{core.CodeInvalidRequest, core.CodeInvalidUser, core.CodeInvalidRoom, core.CodeInvalidRole, core.CodeInvalidTTL,
		core.CodeInvalidOption, core.CodeUnknownProvider, core.CodeUnknownKind, core.CodeUnauthenticated, core.CodeForbidden, httpapi.CodeRateLimited,
		core.CodeUnavailable, httpapi.CodeMethodNotAllowed, httpapi.CodeNotFound, httpapi.CodeBodyTooLarge, httpapi.CodeUnsupportedMedia, core.CodeInternal} {
		if !codes[c] {
			t.Errorf("error code %s was not triggered", c)
		}
	}
	if len(tokens) < 20 {
		t.Fatalf("only %d tokens issued", len(tokens))
	}
	logText := logs.String()
	if !strings.Contains(logText, `"outcome":"issued"`) || !strings.Contains(logText, `"outcome":"refused"`) {
		t.Fatalf("audit lines missing: %.300s", logText)
	}
	secrets := []string{httpapitest.TencentKey, httpapitest.AgoraCert, httpapitest.ZoomSecret, httpapitest.ZegoSecret, httpapitest.LiveKitSecret, httpapitest.TwilioSecret, httpapitest.JWTKey}
	for _, s := range secrets {
		if strings.Contains(bodies.String(), s) || strings.Contains(logText, s) {
			t.Errorf("a configured secret appears in a response or a log line")
		}
	}
	for _, tok := range tokens {
		if strings.Contains(logText, tok) {
			t.Errorf("a token appears in the log")
		}
		// Decrypted ZEGO contents must only ever be inside the ciphertext.
		if strings.HasPrefix(tok, "04") {
			plain, err := token04.Decode(strings.SplitN(tok, "#", 2)[0], []byte(httpapitest.ZegoSecret))
			if err != nil {
				t.Fatalf("decode issued token: %v", err)
			}
			needle := `"nonce":` + strconv.FormatInt(int64(plain.Nonce), 10)
			if strings.Contains(bodies.String(), needle) || strings.Contains(logText, needle) {
				t.Errorf("token plaintext appears in a response or log")
			}
		}
	}
	if !strings.Contains(logText, "entropy source failed") {
		t.Errorf("internal error detail was not logged")
	}
	if strings.Contains(bodies.String(), "entropy") {
		t.Errorf("internal error detail reached a client")
	}
}

// hostAuth stores the test host's identity in the request context.
func hostAuth(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if id := httpapitest.HostIdentity(r.Header.Get); id != nil {
			r = r.WithContext(context.WithValue(r.Context(), httpapitest.UserKey{}, *id))
		}
		next.ServeHTTP(w, r)
	})
}

// TestProvidersPrintNoSecret formats every configured provider with every
// fmt verb: no secret may appear, in its own bytes, in hex or as a list of
// byte values.
func TestProvidersPrintNoSecret(t *testing.T) {
	secrets := []string{httpapitest.TencentKey, httpapitest.AgoraCert, httpapitest.ZoomSecret, httpapitest.ZegoSecret, httpapitest.LiveKitSecret, httpapitest.TwilioSecret}
	verbs := []string{"%v", "%+v", "%#v", "%s", "%q", "%x", "%X", "%d", "%t", "%f", "%p", "%b", "%o", "%U"}
	for _, p := range httpapitest.Providers(t) {
		for _, verb := range verbs {
			out := fmt.Sprintf(verb, p)
			for _, s := range secrets {
				b := []byte(s)
				for _, form := range []string{s, fmt.Sprintf("%x", b), fmt.Sprintf("%X", b), strings.Trim(fmt.Sprint(b[:8]), "[]")} {
					if strings.Contains(out, form) {
						t.Errorf("%T formatted with %s shows a secret", p, verb)
					}
				}
			}
		}
	}
}
