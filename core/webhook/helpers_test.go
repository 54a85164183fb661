package webhook_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// fakeRequest is a webhook.Request built in memory.
type fakeRequest struct {
	ctx    context.Context
	method string
	header http.Header
	query  string
}

func (q *fakeRequest) Context() context.Context {
	if q.ctx == nil {
		return context.Background()
	}
	return q.ctx
}
func (q *fakeRequest) Method() string {
	if q.method == "" {
		return http.MethodPost
	}
	return q.method
}
func (q *fakeRequest) Header(name string) string         { return q.header.Get(name) }
func (q *fakeRequest) HeaderValues(name string) []string { return slices.Clone(q.header.Values(name)) }
func (q *fakeRequest) RemoteAddr() string                { return "192.0.2.1:4000" }
func (q *fakeRequest) Cookie(string) (string, bool)      { return "", false }
func (q *fakeRequest) Value(any) any                     { return nil }
func (q *fakeRequest) RawQuery() string                  { return q.query }

func newRequest(headers map[string]string, query string) *fakeRequest {
	h := http.Header{}
	for k, v := range headers {
		h.Set(k, v)
	}
	return &fakeRequest{header: h, query: query}
}

// vector is one case of testdata/webhooks.json, the fields these tests use.
type vector struct {
	ID     string `json:"id"`
	Vendor string `json:"vendor"`
	Inputs struct {
		Secret   string            `json:"secret"`
		Secrets  []string          `json:"secrets"`
		Token    string            `json:"token"`
		Key      string            `json:"key"`
		Keys     map[string]string `json:"keys"`
		Body     string            `json:"body"`
		BodyB64  string            `json:"body_b64"`
		Headers  map[string]string `json:"headers"`
		RawQuery string            `json:"raw_query"`
		Now      int64             `json:"now"`
		Policy   *struct {
			WindowS int64 `json:"window_s"`
		} `json:"policy"`
		Seen             []string `json:"seen"`
		ExpectedSdkAppID string   `json:"expected_sdkappid"`
	} `json:"inputs"`
	Expected *struct {
		Verdict        string `json:"verdict"`
		SignatureV1    string `json:"signature_v1"`
		SignatureV2    string `json:"signature_v2"`
		Sign           string `json:"sign"`
		Signature      string `json:"signature"`
		SigningInput   string `json:"signing_input"`
		EncryptedToken string `json:"encrypted_token"`
		BodySHA256B64  string `json:"body_sha256_b64"`
		JWT            struct {
			HeaderJSON  string `json:"header_json"`
			PayloadJSON string `json:"payload_json"`
		} `json:"jwt"`
		DedupeKey   any    `json:"dedupe_key"`
		Event       any    `json:"event"`
		EventType   any    `json:"event_type"`
		ProductID   any    `json:"product_id"`
		CallbackCmd string `json:"callback_command"`
		Response    struct {
			Status   int            `json:"status"`
			BodyJSON map[string]any `json:"body_json"`
		} `json:"response"`
	} `json:"expected"`
	ExpectedError *struct {
		Class         string `json:"class"`
		Reason        string `json:"reason"`
		RespondStatus int    `json:"respond_status"`
	} `json:"expected_error"`
}

func (v *vector) body(t testing.TB) []byte {
	if v.Inputs.BodyB64 != "" {
		b, err := base64.StdEncoding.DecodeString(v.Inputs.BodyB64)
		if err != nil {
			t.Fatalf("%s: body_b64: %v", v.ID, err)
		}
		return b
	}
	return []byte(v.Inputs.Body)
}

// secrets returns the primary and secondary secret of a case.
func (v *vector) secrets() (core.Secret, core.Secret) {
	s := v.Inputs.Secrets
	if len(s) == 0 {
		s = []string{v.Inputs.Secret + v.Inputs.Token + v.Inputs.Key}
	}
	var second core.Secret
	if len(s) > 1 {
		second = core.NewSecret(s[1])
	}
	return core.NewSecret(s[0]), second
}

// window is the case's policy window, or 0 (the scheme's default).
func (v *vector) window() time.Duration {
	if v.Inputs.Policy == nil {
		return 0
	}
	return time.Duration(v.Inputs.Policy.WindowS) * time.Second
}

// appID is the case's expected application id; without one, the id its
// requests carry (1400123456), so that the scheme's required check passes.
func (v *vector) appID() uint64 {
	if v.Inputs.ExpectedSdkAppID != "" {
		n, _ := strconv.ParseUint(v.Inputs.ExpectedSdkAppID, 10, 64)
		return n
	}
	return 1400123456
}

func (v *vector) now() time.Time { return time.Unix(v.Inputs.Now, 0) }

func (v *vector) request() *fakeRequest { return newRequest(v.Inputs.Headers, v.Inputs.RawQuery) }

var (
	vectorsOnce sync.Once
	vectorsAll  []vector
	vectorsErr  error
)

// vectors returns the cases of one vendor.
func vectors(t testing.TB, vendor string) []vector {
	t.Helper()
	vectorsOnce.Do(func() {
		b, err := os.ReadFile("testdata/webhooks.json")
		if err != nil {
			vectorsErr = err
			return
		}
		var f struct {
			Cases []vector `json:"cases"`
		}
		vectorsErr = json.Unmarshal(b, &f)
		vectorsAll = f.Cases
	})
	if vectorsErr != nil {
		t.Fatal(vectorsErr)
	}
	var out []vector
	for _, c := range vectorsAll {
		if c.Vendor == vendor {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("no %s vectors", vendor)
	}
	return out
}

// classOf names the class of a verification error as the vectors do.
func classOf(err error) string {
	switch {
	case err == nil:
		return ""
	case errors.Is(err, webhook.ErrMalformed):
		return "malformed"
	case errors.Is(err, webhook.ErrSignature):
		return "signature"
	case errors.Is(err, webhook.ErrStale):
		return "stale"
	}
	return "unclassified: " + err.Error()
}
