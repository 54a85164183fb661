package demo

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
)

func vendors(e *Env) []string {
	var out []string
	for _, w := range e.Webhooks {
		if w.Path != WebhookPrefix+w.Vendor || w.Receiver.Vendor() != w.Vendor {
			return []string{"bad " + w.Path}
		}
		out = append(out, w.Vendor)
	}
	return out
}

// TestDemoWebhooks checks that the demo mounts every receiver on the
// generated secrets it prints, bound to the demo's Tencent app.
func TestDemoWebhooks(t *testing.T) {
	var out bytes.Buffer
	e, err := New(Settings{Logger: quiet()}, &out)
	if err != nil {
		t.Fatal(err)
	}
	if got := vendors(e); !slices.Equal(got, []string{"agora", "tencent_chat", "trtc", "zoom", "zego", "livekit"}) {
		t.Fatalf("receivers %v", got)
	}
	c := e.WebhookConfig
	for _, s := range []string{c.Agora.Secret.Reveal(), c.TencentChat.Token.Reveal(), c.TRTC.Key.Reveal(), c.Zoom.Secret.Reveal(), c.Zego.Secret.Reveal()} {
		if len(s) < 22 || !strings.Contains(out.String(), "="+s+"\n") {
			t.Errorf("secret %q not generated or not printed:\n%s", s, out.String())
		}
	}
	tencent := ""
	for _, p := range e.Service.Providers() {
		if p.Provider == "tencent" {
			tencent = p.AppID
		}
	}
	if c.TencentChat.SDKAppID == 0 || strconv.FormatUint(c.TencentChat.SDKAppID, 10) != tencent || c.TRTC.SDKAppID != c.TencentChat.SDKAppID {
		t.Fatalf("app ids %d %d, tencent %s", c.TencentChat.SDKAppID, c.TRTC.SDKAppID, tencent)
	}
	if c.LiveKit == nil || !strings.Contains(out.String(), "RTCTOKEN_LIVEKIT_API_KEY="+c.LiveKit.APIKey+"\n") {
		t.Fatalf("livekit receiver %+v not on the printed key pair", c.LiveKit)
	}
	if _, err := GenerateWebhookSecrets(iotest.ErrReader(errors.New("no randomness"))); err == nil {
		t.Fatal("a failing random source gave secrets")
	}
}

// TestConfiguredWebhooks checks that configured vendors get the configured
// receivers only, and none without webhook variables.
func TestConfiguredWebhooks(t *testing.T) {
	agora := map[string]string{
		"RTCTOKEN_AGORA_APP_ID":          "970ca35de60c44645bbae8a215061b33",
		"RTCTOKEN_AGORA_APP_CERTIFICATE": "5cfd2fd1755d40ecb72977518be15d3b",
	}
	for _, tc := range []struct {
		extra map[string]string
		want  []string
	}{
		{nil, nil},
		{map[string]string{"RTCTOKEN_ZOOM_WEBHOOK_SECRET": "zoom-secret-token"}, []string{"zoom"}},
	} {
		m := map[string]string{}
		for _, part := range []map[string]string{agora, tc.extra} {
			for k, v := range part {
				m[k] = v
			}
		}
		s, err := LoadSettings(env(m))
		if err != nil {
			t.Fatal(err)
		}
		s.Logger = quiet()
		var out bytes.Buffer
		e, err := New(s, &out)
		if err != nil {
			t.Fatal(err)
		}
		if got := vendors(e); !slices.Equal(got, tc.want) || out.Len() != 0 {
			t.Fatalf("%v: receivers %v, printed %q", tc.extra, got, out.String())
		}
	}
	if _, err := LoadSettings(env(map[string]string{"RTCTOKEN_ZEGO_CALLBACK_WINDOW": "soon"})); err == nil {
		t.Fatal("a faulty webhook variable accepted")
	}
}
