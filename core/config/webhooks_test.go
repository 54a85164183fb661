package config_test

import (
	"context"
	"errors"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
)

// Distinctive webhook secrets, so a leak into an error is easy to spot.
const (
	ncsSecret     = "NCSCANARY-agora-ncs-secret"
	ncsSecret2    = "NCSCANARY-agora-ncs-secret-2"
	chatToken     = "CHATCANARY-token"
	trtcKey       = "TRTCCANARY0key0123"
	zoomWhSecret  = "ZOOMCANARY-webhook-secret"
	zegoCbSecret  = "ZEGOCANARY-callback-secret"
	tencentApp    = "1400000001"
	tencentAppNum = 1400000001
	lkKey         = "APIconfigtest01"
	lkSecret      = "LKCANARY-livekit-api-secret-0123456789ab"
)

// request is a webhook.Request over fixed headers and query.
type request struct {
	h     http.Header
	query string
}

func (q request) Context() context.Context          { return context.Background() }
func (q request) Method() string                    { return http.MethodPost }
func (q request) Header(name string) string         { return q.h.Get(name) }
func (q request) HeaderValues(name string) []string { return q.h.Values(name) }
func (q request) RemoteAddr() string                { return "127.0.0.1:1" }
func (q request) Cookie(string) (string, bool)      { return "", false }
func (q request) Value(any) any                     { return nil }
func (q request) RawQuery() string                  { return q.query }

func allWebhooks(t *testing.T) map[string]string {
	return map[string]string{
		"RTCTOKEN_AGORA_NCS_SECRET":                ncsSecret,
		"RTCTOKEN_AGORA_NCS_SECRET_SECONDARY_FILE": writeFile(t, ncsSecret2+"\n"),
		"RTCTOKEN_AGORA_NCS_WINDOW":                "2m",
		"RTCTOKEN_TENCENT_SDKAPPID":                tencentApp,
		"RTCTOKEN_TENCENT_CALLBACK_TOKEN":          chatToken,
		"RTCTOKEN_TRTC_CALLBACK_KEY_FILE":          writeFile(t, trtcKey),
		"RTCTOKEN_ZOOM_WEBHOOK_SECRET":             zoomWhSecret,
		"RTCTOKEN_ZEGO_CALLBACK_SECRET":            zegoCbSecret,
		"RTCTOKEN_ZEGO_CALLBACK_WINDOW":            "90s",
		"RTCTOKEN_LIVEKIT_WEBHOOK":                 "1",
		"RTCTOKEN_LIVEKIT_API_KEY":                 lkKey,
		"RTCTOKEN_LIVEKIT_API_SECRET":              lkSecret,
		"RTCTOKEN_LIVEKIT_WEBHOOK_LEEWAY":          "30s",
	}
}

func TestLoadWebhooks(t *testing.T) {
	w, err := config.LoadWebhooks(env(allWebhooks(t)))
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"agora", "tencent_chat", "trtc", "zoom", "zego", "livekit"}
	if got := w.Enabled(); !slices.Equal(got, want) {
		t.Fatalf("Enabled %v, want %v", got, want)
	}
	if w.Agora.Secret.Reveal() != ncsSecret || w.Agora.Secondary.Reveal() != ncsSecret2 || w.Agora.Window != 2*time.Minute {
		t.Fatalf("agora %+v", w.Agora)
	}
	if w.TencentChat.SDKAppID != tencentAppNum || w.TRTC.SDKAppID != tencentAppNum || w.TRTC.Key.Reveal() != trtcKey {
		t.Fatalf("tencent %+v, trtc %+v", w.TencentChat, w.TRTC)
	}
	if w.Zego.Window != 90*time.Second || w.Zoom.Window != 0 {
		t.Fatalf("windows: zego %v, zoom %v", w.Zego.Window, w.Zoom.Window)
	}
	schemes, err := w.Schemes()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range want {
		if s, ok := schemes[v]; !ok || s.Name() != v {
			t.Fatalf("scheme %s: %v", v, s)
		}
	}
	if len(schemes) != len(want) {
		t.Fatalf("%d schemes", len(schemes))
	}

	// The configured secrets and windows are the ones the schemes use:
	// both Agora secrets verify, and the 2-minute window refuses an event
	// 3 minutes old that the default window would accept.
	now := time.Now()
	agora := func(secret string, at time.Time) error {
		body := []byte(`{"noticeId":"n1","productId":1,"eventType":101,"notifyMs":` + strconv.FormatInt(at.UnixMilli(), 10) + `,"payload":{}}`)
		_, err := schemes["agora"].Verify(request{h: webhooktest.AgoraHeaders(secret, body)}, body, now)
		return err
	}
	for _, s := range []string{ncsSecret, ncsSecret2} {
		if err := agora(s, now); err != nil {
			t.Errorf("agora secret: %v", err)
		}
	}
	if err := agora("another", now); !errors.Is(err, webhook.ErrSignature) {
		t.Errorf("agora with another secret: %v", err)
	}
	if err := agora(ncsSecret, now.Add(-3*time.Minute)); !errors.Is(err, webhook.ErrStale) {
		t.Errorf("agora 3 minutes old with a 2m window: %v", err)
	}
	// LiveKit verifies with the provider's API key pair.
	if w.LiveKit.APIKey != lkKey || w.LiveKit.Secret.Reveal() != lkSecret || w.LiveKit.Leeway != 30*time.Second {
		t.Fatalf("livekit %+v", w.LiveKit)
	}
	for secret, want := range map[string]error{lkSecret: nil, "another-secret": webhook.ErrSignature} {
		body := []byte(`{"event":"room_started", "id":"EV_1"}`)
		h := http.Header{"Authorization": {webhooktest.LiveKitAuthorization(lkKey, secret, now, body)}}
		if _, err := schemes["livekit"].Verify(request{h: h}, body, now); !errors.Is(err, want) {
			t.Errorf("livekit signed with %q: %v, want %v", secret, err, want)
		}
	}
	// Tencent Chat checks the SDKAppID read from RTCTOKEN_TENCENT_SDKAPPID.
	for app, want := range map[uint64]error{tencentAppNum: nil, tencentAppNum + 1: webhook.ErrSignature} {
		q := webhooktest.TencentChatQuery(chatToken, app, "State.StateChange", now)
		if _, err := schemes["tencent_chat"].Verify(request{query: q}, []byte(`{}`), now); !errors.Is(err, want) {
			t.Errorf("tencent chat for app %d: %v, want %v", app, err, want)
		}
	}
}

// TestTencentCallbacksOnly: a deployment that receives Tencent callbacks
// without issuing Tencent tokens names the application in the receivers'
// own variables, which Load ignores; each overrides the shared SDKAppID,
// and a malformed one is reported against itself.
func TestTencentCallbacksOnly(t *testing.T) {
	m := map[string]string{
		"RTCTOKEN_TENCENT_CALLBACK_TOKEN":    chatToken,
		"RTCTOKEN_TENCENT_CALLBACK_SDKAPPID": tencentApp,
		"RTCTOKEN_TRTC_CALLBACK_KEY":         "trtcKey0123456789",
		"RTCTOKEN_TRTC_CALLBACK_SDKAPPID":    "1400000002",
	}
	w, err := config.LoadWebhooks(env(m))
	if err != nil {
		t.Fatal(err)
	}
	if w.TencentChat.SDKAppID != tencentAppNum || w.TRTC.SDKAppID != 1400000002 {
		t.Fatalf("app ids %d %d", w.TencentChat.SDKAppID, w.TRTC.SDKAppID)
	}
	cfg, err := config.Load(env(m))
	if err != nil || cfg.Tencent != nil {
		t.Fatalf("Load enabled the Tencent provider from callback variables: %+v %v", cfg, err)
	}
	m["RTCTOKEN_TENCENT_SDKAPPID"] = "1400000009" // the receivers' own win
	if w, err = config.LoadWebhooks(env(m)); err != nil || w.TencentChat.SDKAppID != tencentAppNum || w.TRTC.SDKAppID != 1400000002 {
		t.Fatalf("own variables did not win: %+v %v", w, err)
	}
	delete(m, "RTCTOKEN_TRTC_CALLBACK_SDKAPPID") // TRTC falls back to the shared one
	if w, err = config.LoadWebhooks(env(m)); err != nil || w.TRTC.SDKAppID != 1400000009 {
		t.Fatalf("no fallback: %+v %v", w, err)
	}
	m["RTCTOKEN_TENCENT_SDKAPPID"], m["RTCTOKEN_TENCENT_CALLBACK_SDKAPPID"] = "x", "0"
	_, err = config.LoadWebhooks(env(m))
	var names []string
	for _, e := range unjoin(err) {
		var ve *config.VarError
		if errors.As(e, &ve) {
			names = append(names, ve.Var)
		}
	}
	slices.Sort(names)
	if want := []string{"RTCTOKEN_TENCENT_CALLBACK_SDKAPPID", "RTCTOKEN_TENCENT_SDKAPPID"}; !slices.Equal(names, want) {
		t.Fatalf("reported %v, want each malformed variable once: %v", names, want)
	}
}

func TestLoadWebhooksNone(t *testing.T) {
	w, err := config.LoadWebhooks(env(map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": tencentApp}))
	if err != nil {
		t.Fatal(err)
	}
	s, err := w.Schemes()
	if err != nil || len(w.Enabled()) != 0 || len(s) != 0 {
		t.Fatalf("no webhook configured: %v %v %v", w.Enabled(), s, err)
	}
	if _, err := config.LoadWebhooks(nil); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("nil lookup: %v", err)
	}
}

// TestLoadWebhooksErrors checks that every problem is reported at once,
// by variable, without a value.
func TestLoadWebhooksErrors(t *testing.T) {
	m := map[string]string{
		"RTCTOKEN_AGORA_NCS_SECRET_SECONDARY": ncsSecret2,        // primary missing
		"RTCTOKEN_TENCENT_CALLBACK_TOKEN":     chatToken,         // no SDKAppID
		"RTCTOKEN_TENCENT_CALLBACK_WINDOW":    "5m",              // over 60 s: rejected by the scheme
		"RTCTOKEN_TRTC_CALLBACK_KEY":          "TRTCCANARY-dash", // not letters and digits
		"RTCTOKEN_ZOOM_WEBHOOK_SECRET":        zoomWhSecret,
		"RTCTOKEN_ZOOM_WEBHOOK_SECRET_FILE":   writeFile(t, zoomWhSecret), // both set
		"RTCTOKEN_ZEGO_CALLBACK_WINDOW":       "ZEGOCANARY",               // not a duration, and no secret
		"RTCTOKEN_AGORA_NCS_WINDOW":           "500ms",                    // under a second
		"RTCTOKEN_LIVEKIT_WEBHOOK":            "1",                        // without the API key pair
	}
	_, err := config.LoadWebhooks(env(m))
	if err == nil {
		t.Fatal("no error")
	}
	if !errors.Is(err, core.ErrConfig) {
		t.Fatalf("%v does not wrap ErrConfig", err)
	}
	text := err.Error()
	for _, v := range []string{
		"RTCTOKEN_AGORA_NCS_SECRET is required", "RTCTOKEN_AGORA_NCS_WINDOW must be",
		"RTCTOKEN_TENCENT_CALLBACK_SDKAPPID is required (or RTCTOKEN_TENCENT_SDKAPPID)",
		"RTCTOKEN_TRTC_CALLBACK_SDKAPPID is required (or RTCTOKEN_TENCENT_SDKAPPID)",
		"RTCTOKEN_TRTC_CALLBACK_KEY is rejected", "RTCTOKEN_ZOOM_WEBHOOK_SECRET and RTCTOKEN_ZOOM_WEBHOOK_SECRET_FILE are both set",
		"RTCTOKEN_ZEGO_CALLBACK_WINDOW must be", "RTCTOKEN_ZEGO_CALLBACK_SECRET is required",
		"RTCTOKEN_LIVEKIT_API_KEY is required", "RTCTOKEN_LIVEKIT_API_SECRET is required",
	} {
		if !strings.Contains(text, v) {
			t.Errorf("error lacks %q:\n%s", v, text)
		}
	}
	if strings.Contains(text, "CANARY") || strings.Contains(text, m["RTCTOKEN_ZOOM_WEBHOOK_SECRET_FILE"]) {
		t.Errorf("error carries a value:\n%s", text)
	}
	var ve *config.VarError
	if !errors.As(err, &ve) {
		t.Fatalf("no VarError in %v", err)
	}

	// A value the scheme's constructor refuses is reported by its variable.
	_, err = config.LoadWebhooks(env(map[string]string{
		"RTCTOKEN_TENCENT_SDKAPPID":        tencentApp,
		"RTCTOKEN_TENCENT_CALLBACK_TOKEN":  chatToken,
		"RTCTOKEN_TENCENT_CALLBACK_WINDOW": "5m", // over 60 s: the body is not signed
	}))
	if !errors.As(err, &ve) || ve.Var != "RTCTOKEN_TENCENT_CALLBACK_WINDOW" || !strings.Contains(ve.Problem, "rejected") {
		t.Fatalf("window over 60 s: %v", err)
	}

	// RTCTOKEN_LIVEKIT_WEBHOOK is "1" or "0"; a leeway needs it on.
	for v, want := range map[string]string{"yes": `must be "1" or "0"`, "0": `must be "1" with`} {
		_, err := config.LoadWebhooks(env(map[string]string{"RTCTOKEN_LIVEKIT_WEBHOOK": v, "RTCTOKEN_LIVEKIT_WEBHOOK_LEEWAY": "1m"}))
		if !errors.As(err, &ve) || ve.Var != "RTCTOKEN_LIVEKIT_WEBHOOK" || !strings.Contains(ve.Problem, want) {
			t.Errorf("RTCTOKEN_LIVEKIT_WEBHOOK=%s: %v", v, err)
		}
	}
	if w, err := config.LoadWebhooks(env(map[string]string{"RTCTOKEN_LIVEKIT_WEBHOOK": "0", "RTCTOKEN_LIVEKIT_API_KEY": lkKey})); err != nil || w.LiveKit != nil {
		t.Errorf("RTCTOKEN_LIVEKIT_WEBHOOK=0: %+v %v", w, err)
	}
}

func TestWebhookVars(t *testing.T) {
	vs := config.WebhookVars()
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	secrets := map[string]int{}
	for _, v := range vs {
		if seen[v.Name] || !strings.HasPrefix(v.Name, "RTCTOKEN_") || v.Description == "" || (v.Field == "") != (v.Name == "RTCTOKEN_LIVEKIT_WEBHOOK") {
			t.Errorf("bad or duplicate variable %+v", v)
		}
		seen[v.Name] = true
		if v.Required {
			secrets[v.Vendor]++
		}
		if !strings.Contains(string(doc), "//\t"+v.Name+" ") {
			t.Errorf("doc.go does not list %s", v.Name)
		}
	}
	for _, vendor := range []string{"agora", "tencent_chat", "trtc", "zoom", "zego", "livekit"} {
		if secrets[vendor] != 1 {
			t.Errorf("%s has %d required variables, want 1", vendor, secrets[vendor])
		}
	}
	vs[0].Name = "changed"
	if config.WebhookVars()[0].Name == "changed" {
		t.Error("WebhookVars returns the package's own slice")
	}

	// LoadWebhooks reads exactly the listed variables, the file twins of
	// the secret ones, RTCTOKEN_TENCENT_SDKAPPID and the LiveKit API key
	// pair.
	read := map[string]bool{}
	all := allWebhooks(t)
	_, _ = config.LoadWebhooks(func(k string) (string, bool) { read[k] = true; v, ok := all[k]; return v, ok })
	want := map[string]bool{"RTCTOKEN_TENCENT_SDKAPPID": true}
	for _, v := range config.Vars() {
		if v.Vendor == "livekit" && v.Name != "RTCTOKEN_LIVEKIT_URL" {
			want[v.Name] = true
			if v.Secret {
				want[v.Name+config.FileSuffix] = true
			}
		}
	}
	for _, v := range config.WebhookVars() {
		want[v.Name] = true
		if v.Secret {
			want[v.Name+config.FileSuffix] = true
		}
	}
	for k := range read {
		if !want[k] {
			t.Errorf("LoadWebhooks reads %s, which WebhookVars does not list", k)
		}
	}
	for k := range want {
		if !read[k] {
			t.Errorf("WebhookVars lists %s, which LoadWebhooks never reads", k)
		}
	}
}
