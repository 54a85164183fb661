package main

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/internal/redistest"
)

const (
	ncsSecret     = "serve-agora-ncs-secret-0001"
	zoomWebhookSk = "serve-zoom-webhook-secret-0001"
)

// webhookEnv configures the Agora and Zoom receivers beside the providers.
var webhookEnv = jwtEnv.with("RTCTOKEN_AGORA_NCS_SECRET", ncsSecret, "RTCTOKEN_ZOOM_WEBHOOK_SECRET", zoomWebhookSk)

// agoraNotice is a signed Agora notification with noticeId id; forged
// signs it with another secret.
func agoraNotice(t *testing.T, url, id string, forged bool) (*http.Response, []byte) {
	t.Helper()
	body := `{"noticeId":"` + id + `","productId":1,"eventType":101,"notifyMs":` + strconv.FormatInt(time.Now().UnixMilli(), 10) + `,"payload":{"channelName":"c1"}}`
	secret := ncsSecret
	if forged {
		secret = "another-secret"
	}
	req, err := http.NewRequest(http.MethodPost, url+"/webhooks/agora", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = webhooktest.AgoraHeaders(secret, []byte(body))
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

func TestServeWebhooks(t *testing.T) {
	s := startServe(t, webhookEnv)
	for i := range 2 { // the second is Agora's resend: acknowledged, not handled again
		if resp, body := agoraNotice(t, s.url, "notice-1", false); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), `"ok"`) {
			t.Fatalf("signed notice #%d: %d %s", i, resp.StatusCode, body)
		}
	}
	resp, body := agoraNotice(t, s.url, "notice-2", true)
	if resp.StatusCode != http.StatusUnauthorized || errorCode(t, body) != webhook.CodeInvalidSignature {
		t.Fatalf("forged notice: %d %s", resp.StatusCode, body)
	}
	// Zoom's challenge is answered once signed; a receiver that is not
	// configured is not mounted.
	challenge := []byte(`{"payload":{"plainToken":"pt-1"},"event_ts":1,"event":"endpoint.url_validation"}`)
	req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/zoom", strings.NewReader(string(challenge)))
	req.Header = webhooktest.ZoomHeaders(zoomWebhookSk, time.Now(), challenge)
	if resp, body = do(t, req); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), webhooktest.ZoomChallengeAnswer(zoomWebhookSk, "pt-1")) {
		t.Fatalf("zoom challenge: %d %s", resp.StatusCode, body)
	}
	if resp, _ = get(t, s.url+"/webhooks/zego"); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("unconfigured receiver: %d", resp.StatusCode)
	}
	if resp, body = get(t, s.url+"/webhooks/agora"); resp.StatusCode != http.StatusMethodNotAllowed || errorCode(t, body) != "method_not_allowed" {
		t.Fatalf("GET on a receiver: %d %s", resp.StatusCode, body)
	}
	// The token endpoints are still served.
	if resp, body = post(t, s.url+"/rtc/agora/rtc", userJWT(t, "alice"), `{"room":"chan1"}`); resp.StatusCode != http.StatusOK {
		t.Fatalf("token endpoint: %d %s", resp.StatusCode, body)
	}
	if code := s.stop(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}

	logs := s.logs.String()
	if n := strings.Count(logs, `"msg":"rtctoken webhook event"`); n != 1 {
		t.Errorf("%d event lines for one notice sent twice and one forged:\n%s", n, logs)
	}
	for _, want := range []string{`"receivers":["agora","zoom"]`, `"dedupe":"memory"`, `"type":"1:101","id":"notice-1"`, `"outcome":"duplicate"`, `"outcome":"invalid_signature"`, `"outcome":"challenge"`} {
		if !strings.Contains(logs, want) {
			t.Errorf("logs lack %s:\n%s", want, logs)
		}
	}
	for _, secret := range []string{ncsSecret, zoomWebhookSk, "channelName"} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain %q", secret)
		}
	}
}

// TestServeWebhookConfigErrors checks that a faulty webhook variable stops
// serve with the configuration exit code, naming the variable only.
func TestServeWebhookConfigErrors(t *testing.T) {
	for name, e := range map[string]env{
		"secondary without a secret": jwtEnv.with("RTCTOKEN_ZOOM_WEBHOOK_SECRET_SECONDARY", "LEAKCANARY-zoom"),
		"trtc without an app id":     jwtEnv.with("RTCTOKEN_TENCENT_SDKAPPID", "", "RTCTOKEN_TENCENT_KEY", "", "RTCTOKEN_TRTC_CALLBACK_KEY", "LEAKCANARY1"),
		"window":                     jwtEnv.with("RTCTOKEN_AGORA_NCS_SECRET", ncsSecret, "RTCTOKEN_AGORA_NCS_WINDOW", "LEAKCANARY"),
	} {
		t.Run(name, func(t *testing.T) {
			code, _, stderr := runAt(t, e, time.Now(), "", "serve")
			if code != exitConfig || !strings.Contains(stderr, "RTCTOKEN_") || strings.Contains(stderr, "LEAKCANARY") {
				t.Fatalf("exit %d: %s", code, stderr)
			}
		})
	}
}

func TestServeUsageListsWebhooks(t *testing.T) {
	u := serveUsage()
	for _, v := range []string{"RTCTOKEN_AGORA_NCS_SECRET", "RTCTOKEN_ZEGO_CALLBACK_WINDOW", "RTCTOKEN_LIVEKIT_WEBHOOK", envRedisURL, "/webhooks/{vendor}"} {
		if !strings.Contains(u, v) {
			t.Errorf("usage lacks %s", v)
		}
	}
}

// TestServeWebhooksRedis runs two serve instances on one real Redis: a
// notice delivered to one and then resent to the other is handled once.
func TestServeWebhooksRedis(t *testing.T) {
	addr, _ := redistest.Start(t)
	e := webhookEnv.with(envRedisURL, "redis://"+addr+"/0")
	a, b := startServe(t, e), startServe(t, e)
	for _, s := range []*server{a, b} {
		if resp, body := agoraNotice(t, s.url, "shared-1", false); resp.StatusCode != http.StatusOK {
			t.Fatalf("notice: %d %s", resp.StatusCode, body)
		}
	}
	a.stop(t)
	b.stop(t)
	events := strings.Count(a.logs.String(), `"msg":"rtctoken webhook event"`) + strings.Count(b.logs.String(), `"msg":"rtctoken webhook event"`)
	if events != 1 || !strings.Contains(b.logs.String(), `"outcome":"duplicate"`) || !strings.Contains(a.logs.String(), `"dedupe":"redis"`) {
		t.Fatalf("%d events handled for one notice sent to two instances:\n%s\n%s", events, a.logs, b.logs)
	}
}

func TestServeRedisURLRefused(t *testing.T) {
	code, _, stderr := runAt(t, webhookEnv.with(envRedisURL, "http://user:LEAKCANARY@host"), time.Now(), "", "serve")
	if code != exitConfig || !strings.Contains(stderr, envRedisURL) || strings.Contains(stderr, "LEAKCANARY") {
		t.Fatalf("exit %d: %s", code, stderr)
	}
}

// TestServeWebhookMetrics checks that with RTCTOKEN_METRICS=1 every
// callback is counted by vendor and outcome.
func TestServeWebhookMetrics(t *testing.T) {
	s := startServe(t, webhookEnv.with(envMetrics, "1"))
	agoraNotice(t, s.url, "counted", false)
	agoraNotice(t, s.url, "counted", false)
	agoraNotice(t, s.url, "forged", true)
	_, body := get(t, s.url+"/metrics")
	for _, want := range []string{
		`rtctoken_webhook_events_total{outcome="ok",type="other",vendor="agora"} 1`,
		`rtctoken_webhook_events_total{outcome="duplicate",type="other",vendor="agora"} 1`,
		`rtctoken_webhook_events_total{outcome="invalid_signature",type="none",vendor="agora"} 1`,
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("metrics lack %s", want)
		}
	}
}

// TestServeLiveKitWebhook checks that RTCTOKEN_LIVEKIT_WEBHOOK=1 mounts
// /webhooks/livekit, verified with the LiveKit provider's key pair.
func TestServeLiveKitWebhook(t *testing.T) {
	const key, secret = "APIserveTest01", "serve-livekit-api-secret-0123456789abcdef"
	s := startServe(t, jwtEnv.with("RTCTOKEN_LIVEKIT_API_KEY", key, "RTCTOKEN_LIVEKIT_API_SECRET", secret,
		"RTCTOKEN_LIVEKIT_URL", "wss://livekit.example.com", "RTCTOKEN_LIVEKIT_WEBHOOK", "1"))
	body := []byte(`{"event":"room_finished", "room":{"name":"r1"}, "id":"EV_serve1"}`)
	for signer, want := range map[string]int{secret: http.StatusOK, "another-secret-another-secret-000": http.StatusUnauthorized} {
		req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/livekit", strings.NewReader(string(body)))
		req.Header.Set("Authorization", webhooktest.LiveKitAuthorization(key, signer, time.Now(), body))
		req.Header.Set("Content-Type", "application/webhook+json")
		if resp, b := do(t, req); resp.StatusCode != want {
			t.Fatalf("signed with %q: %d %s, want %d", signer, resp.StatusCode, b, want)
		}
	}
	s.stop(t)
	if logs := s.logs.String(); !strings.Contains(logs, `"type":"room_finished","id":"EV_serve1"`) || strings.Contains(logs, secret) {
		t.Fatalf("logs:\n%s", logs)
	}
}

// TestServeTencentCallbacksOnly: serve receives Tencent Chat callbacks
// with no token provider configured and no Tencent key: the receiver's
// own SDKAppID variable does not enable the Tencent provider.
func TestServeTencentCallbacksOnly(t *testing.T) {
	const token, app = "serve-tencent-callback-token", 1400000077
	s := startServe(t, env{envJWTSecret: jwtSecret, envJWTAudience: jwtAudience,
		"RTCTOKEN_TENCENT_CALLBACK_TOKEN": token, "RTCTOKEN_TENCENT_CALLBACK_SDKAPPID": strconv.Itoa(app)})
	send := func(appID uint64) *http.Response {
		q := webhooktest.TencentChatQuery(token, appID, "State.StateChange", time.Now())
		req, _ := http.NewRequest(http.MethodPost, s.url+"/webhooks/tencent_chat?"+q, strings.NewReader(`{"CallbackCommand":"State.StateChange"}`))
		req.Header.Set("Content-Type", "application/json")
		resp, _ := do(t, req)
		return resp
	}
	if resp := send(app); resp.StatusCode != http.StatusOK {
		t.Fatalf("signed callback: %d", resp.StatusCode)
	}
	if resp := send(app + 1); resp.StatusCode != http.StatusUnauthorized {
		t.Fatalf("callback for another application: %d", resp.StatusCode)
	}
	if resp, body := post(t, s.url+"/rtc/tencent/usersig", userJWT(t, "alice"), `{}`); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("token endpoint of an unconfigured vendor: %d %s", resp.StatusCode, body)
	}
	if code := s.stop(t); code != exitOK {
		t.Fatalf("exit %d", code)
	}
}
