package webhook_test

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// schemeFor builds the scheme a case is verified with: its secrets, its
// policy window (the scheme's default without one) and its app id.
var schemeFor = map[string]func(v *vector) (webhook.Scheme, error){
	"agora": func(v *vector) (webhook.Scheme, error) {
		s1, s2 := v.secrets()
		return webhook.Agora(webhook.AgoraConfig{Secret: s1, Secondary: s2, Window: v.window(), AllowSHA1: true})
	},
	"tencent_chat": func(v *vector) (webhook.Scheme, error) {
		s1, s2 := v.secrets()
		return webhook.TencentChat(webhook.TencentChatConfig{Token: s1, Secondary: s2, SDKAppID: v.appID(), Window: v.window()})
	},
	"trtc": func(v *vector) (webhook.Scheme, error) {
		s1, s2 := v.secrets()
		return webhook.TRTC(webhook.TRTCConfig{Key: s1, Secondary: s2, SDKAppID: v.appID(), Window: v.window()})
	},
	"zoom": func(v *vector) (webhook.Scheme, error) {
		s1, s2 := v.secrets()
		return webhook.Zoom(webhook.ZoomConfig{Secret: s1, Secondary: s2, Window: v.window()})
	},
	"zego": func(v *vector) (webhook.Scheme, error) {
		s1, s2 := v.secrets()
		return webhook.Zego(webhook.ZegoConfig{Secret: s1, Secondary: s2, Window: v.window()})
	},
	"livekit": func(v *vector) (webhook.Scheme, error) {
		keys := slices.Sorted(maps.Keys(v.Inputs.Keys))
		if len(keys) != 2 {
			return nil, fmt.Errorf("%d keys", len(keys))
		}
		return webhook.LiveKit(webhook.LiveKitConfig{
			APIKey: keys[0], Secret: core.NewSecret(v.Inputs.Keys[keys[0]]),
			SecondaryAPIKey: keys[1], Secondary: core.NewSecret(v.Inputs.Keys[keys[1]]),
		})
	},
}

// checkSigned compares the values a sender computes for a positive case
// with the case's expected values.
var checkSigned = map[string]func(t *testing.T, v *vector, body []byte){
	"agora": func(t *testing.T, v *vector, body []byte) {
		s1, s2 := v.secrets()
		want := map[string]bool{v.Expected.SignatureV1 + " " + v.Expected.SignatureV2: true}
		got1 := signAgora(s1.Reveal(), body)
		got2 := signAgora(s2.Reveal(), body)
		if !want[got1] && !want[got2] {
			t.Errorf("sender's signatures %q / %q, want %q %q", got1, got2, v.Expected.SignatureV1, v.Expected.SignatureV2)
		}
	},
	"tencent_chat": func(t *testing.T, v *vector, body []byte) {
		q, _ := url.ParseQuery(v.Inputs.RawQuery)
		rt := q.Get("RequestTime")
		eachSecret(t, v, v.Expected.Sign, func(secret string) string {
			if secret+rt == v.Expected.SigningInput {
				return signTencentChat(secret, rt)
			}
			return ""
		})
	},
	"trtc": func(t *testing.T, v *vector, body []byte) {
		eachSecret(t, v, v.Expected.Sign, func(secret string) string { return signTRTC(secret, body) })
	},
	"zoom": func(t *testing.T, v *vector, body []byte) {
		ts := v.Inputs.Headers["x-zm-request-timestamp"]
		if in := "v0:" + ts + ":" + string(body); in != v.Expected.SigningInput {
			t.Errorf("signing input %q, want %q", in, v.Expected.SigningInput)
		}
		eachSecret(t, v, v.Expected.Signature, func(secret string) string { return signZoom(secret, ts, body) })
		if v.Expected.EncryptedToken != "" {
			var b struct {
				Payload struct{ PlainToken string } `json:"payload"`
			}
			if err := json.Unmarshal(body, &b); err != nil {
				t.Fatal(err)
			}
			eachSecret(t, v, v.Expected.EncryptedToken, func(secret string) string {
				return hexMAC(sha256.New, secret, b.Payload.PlainToken)
			})
		}
	},
	"zego": func(t *testing.T, v *vector, body []byte) {
		ts, nonce := zegoTimeNonce(t, v, body)
		eachSecret(t, v, v.Expected.Signature, func(secret string) string {
			sig, in := signZego(secret, ts, nonce)
			if in != v.Expected.SigningInput {
				return "signing input " + in
			}
			return sig
		})
	},
}

func init() {
	checkSigned["livekit"] = func(t *testing.T, v *vector, body []byte) {
		sum := sha256.Sum256(body)
		if got := base64.StdEncoding.EncodeToString(sum[:]); got != v.Expected.BodySHA256B64 {
			t.Errorf("body hash %q, want %q", got, v.Expected.BodySHA256B64)
		}
		seg := strings.Split(v.Inputs.Headers["Authorization"], ".")
		h, err1 := base64.RawURLEncoding.DecodeString(seg[0])
		p, err2 := base64.RawURLEncoding.DecodeString(seg[1])
		if err1 != nil || err2 != nil || string(h) != v.Expected.JWT.HeaderJSON || string(p) != v.Expected.JWT.PayloadJSON {
			t.Errorf("JWT segments %s %s, want %s %s", h, p, v.Expected.JWT.HeaderJSON, v.Expected.JWT.PayloadJSON)
		}
		// The sender's token: the same header and payload, signed with the
		// secret of its iss, is the token the vendor sent.
		var claims struct{ Iss string }
		if err := json.Unmarshal(p, &claims); err != nil {
			t.Fatal(err)
		}
		if tok := signJWT(h, p, v.Inputs.Keys[claims.Iss]); tok != v.Inputs.Headers["Authorization"] {
			t.Errorf("sender's token %s, want %s", tok, v.Inputs.Headers["Authorization"])
		}
	}
}

// eachSecret checks that sign gives want under one of the case's secrets.
func eachSecret(t *testing.T, v *vector, want string, sign func(secret string) string) {
	t.Helper()
	s1, s2 := v.secrets()
	var got []string
	for _, s := range []string{s1.Reveal(), s2.Reveal()} {
		if s == "" {
			continue
		}
		g := sign(s)
		if g == want {
			return
		}
		got = append(got, g)
	}
	t.Errorf("sender computes %q, want %q", got, want)
}

// expectedType is the Event.Type a positive case must verify to.
func expectedType(v *vector) string {
	e := v.Expected
	switch v.Vendor {
	case "agora":
		return fmt.Sprint(e.ProductID) + ":" + fmt.Sprint(e.EventType)
	case "trtc":
		return fmt.Sprint(e.EventType)
	case "tencent_chat":
		return e.CallbackCmd
	case "livekit":
		if e.EventType == nil {
			return ""
		}
		return fmt.Sprint(e.EventType)
	}
	return fmt.Sprint(e.Event)
}

func runVectors(t *testing.T, vendor string) {
	for _, v := range vectors(t, vendor) {
		t.Run(v.ID, func(t *testing.T) {
			s, err := schemeFor[vendor](&v)
			if err != nil {
				t.Fatal(err)
			}
			body := v.body(t)
			got, err := s.Verify(v.request(), body, v.now())
			want := ""
			if v.ExpectedError != nil && v.ExpectedError.Class != "replay" {
				want = v.ExpectedError.Class
			}
			if c := classOf(err); c != want {
				t.Fatalf("Verify: class %q (%v), want %q", c, err, want)
			}
			if err == nil {
				checkVerified(t, &v, s, got, body)
			}
			checkServe(t, &v, s, body)
		})
	}
}

func checkVerified(t *testing.T, v *vector, s webhook.Scheme, got webhook.Verified, body []byte) {
	t.Helper()
	if got.Event.Vendor != s.Name() || s.Name() != v.Vendor {
		t.Errorf("vendor %q, scheme %q, want %q", got.Event.Vendor, s.Name(), v.Vendor)
	}
	if string(got.Event.Payload) != string(body) {
		t.Error("the payload is not the raw body")
	}
	if !got.Event.Time.Equal(v.now()) && got.Event.Time.IsZero() {
		t.Error("no event time")
	}
	if v.ExpectedError != nil { // replay: the key is the one already seen
		if len(v.Inputs.Seen) != 1 || got.DedupeKey != v.Inputs.Seen[0] {
			t.Errorf("dedupe key %q, want the seen %q", got.DedupeKey, v.Inputs.Seen)
		}
		return
	}
	if k, ok := v.Expected.DedupeKey.(string); ok && got.DedupeKey != k {
		t.Errorf("dedupe key %q, want %q", got.DedupeKey, k)
	}
	if want := expectedType(v); got.Event.Type != want {
		t.Errorf("type %q, want %q", got.Event.Type, want)
	}
	checkSigned[v.Vendor](t, v, body)
}

// checkServe runs the case through Receiver.Serve, with the store holding
// the case's seen keys, and checks the status, the answer and whether the
// handler ran.
func checkServe(t *testing.T, v *vector, s webhook.Scheme, body []byte) {
	t.Helper()
	store := webhook.NewMemoryStore(16)
	for _, k := range v.Inputs.Seen {
		if _, err := store.Claim(context.Background(), v.Vendor+":"+k, 3600e9); err != nil {
			t.Fatal(err)
		}
	}
	var dispatched int
	rc, err := webhook.New(webhook.Config{
		Scheme: s, Store: store, Now: v.now, Logger: discardLogger(),
		Default: webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
			dispatched++
			return nil
		}),
	})
	if err != nil {
		t.Fatal(err)
	}
	resp := rc.Serve(v.request(), bytesReader(body))
	e := v.ExpectedError
	switch {
	case e == nil:
		want := 200
		if v.Expected.Response.Status != 0 {
			want = v.Expected.Response.Status
		}
		if resp.Status != want {
			t.Fatalf("Serve: status %d %s, want %d", resp.Status, resp.Body, want)
		}
		if bj := v.Expected.Response.BodyJSON; bj != nil {
			var got map[string]any
			if err := json.Unmarshal(resp.Body, &got); err != nil || fmt.Sprint(got) != fmt.Sprint(bj) {
				t.Errorf("Serve: body %s, want %v", resp.Body, bj)
			}
		} else if !json.Valid(resp.Body) {
			t.Errorf("Serve: body %q is not JSON", resp.Body)
		}
		wantDispatch := 1
		if v.Expected.EncryptedToken != "" {
			wantDispatch = 0
		}
		if dispatched != wantDispatch {
			t.Errorf("dispatched %d times, want %d", dispatched, wantDispatch)
		}
	case e.Class == "replay":
		if resp.Status != e.RespondStatus || dispatched != 0 {
			t.Errorf("Serve replay: status %d, dispatched %d; want %d, 0", resp.Status, dispatched, e.RespondStatus)
		}
		if want := s.Ack(); string(resp.Body) != string(want.Body) {
			t.Errorf("Serve replay: body %s, want the scheme's Ack %s", resp.Body, want.Body)
		}
	default:
		want := map[string]int{"malformed": http.StatusBadRequest, "signature": http.StatusUnauthorized, "stale": http.StatusUnauthorized}[e.Class]
		code := map[string]string{"malformed": "malformed", "signature": "invalid_signature", "stale": "stale"}[e.Class]
		var env struct {
			Error struct{ Code string } `json:"error"`
		}
		_ = json.Unmarshal(resp.Body, &env)
		if resp.Status != want || env.Error.Code != code || dispatched != 0 {
			t.Errorf("Serve: status %d code %q dispatched %d, want %d %q 0", resp.Status, env.Error.Code, dispatched, want, code)
		}
	}
}

func TestAgoraVectors(t *testing.T)       { runVectors(t, "agora") }
func TestTencentChatVectors(t *testing.T) { runVectors(t, "tencent_chat") }
func TestTRTCVectors(t *testing.T)        { runVectors(t, "trtc") }
func TestZoomVectors(t *testing.T)        { runVectors(t, "zoom") }
func TestZegoVectors(t *testing.T)        { runVectors(t, "zego") }
func TestLiveKitVectors(t *testing.T)     { runVectors(t, "livekit") }
