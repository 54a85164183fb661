package vendorcheck

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/livekit/protocol/auth"
	lkproto "github.com/livekit/protocol/livekit"
	"github.com/livekit/protocol/utils/protojson"
	lkwebhook "github.com/livekit/protocol/webhook"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/nethttp"
)

// lkReceiver is rtctoken's LiveKit receiver on a loopback server; every
// event it dispatches arrives on the channel.
func lkReceiver(t *testing.T) (string, <-chan webhook.Event) {
	t.Helper()
	scheme, err := webhook.LiveKit(webhook.LiveKitConfig{APIKey: lkKey, Secret: core.NewSecret(lkSecret)})
	if err != nil {
		t.Fatal(err)
	}
	events := make(chan webhook.Event, 16)
	rc, err := webhook.New(webhook.Config{Scheme: scheme, Default: webhook.HandlerFunc(func(_ context.Context, ev webhook.Event) error {
		events <- ev
		return nil
	}), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(nethttp.Webhook(rc))
	t.Cleanup(srv.Close)
	return srv.URL, events
}

// TestLiveKitWebhookFromVendorNotifier: LiveKit's own notifier
// (webhook.URLNotifier, as livekit-server sends its webhooks) posts events
// over HTTP to our receiver, which dispatches each once with its type and
// id.
func TestLiveKitWebhookFromVendorNotifier(t *testing.T) {
	url, events := lkReceiver(t)
	lkwebhook.InitWebhookStats(nil) // the notifier counts its dispatches
	n := lkwebhook.NewURLNotifier(lkwebhook.URLNotifierParams{
		URL: url, APIKey: lkKey, APISecret: lkSecret,
		HTTPClientParams: lkwebhook.HTTPClientParams{MaxRetries: 1, ClientTimeout: 5 * time.Second},
	})
	defer n.Stop(false)
	sent := []*lkproto.WebhookEvent{
		{Event: lkwebhook.EventRoomStarted, Id: "EV_vendor_1", CreatedAt: time.Now().Unix(), Room: &lkproto.Room{Name: "room-1", Sid: "RM_1"}},
		{Event: lkwebhook.EventParticipantJoined, Id: "EV_vendor_2", CreatedAt: time.Now().Unix(), Room: &lkproto.Room{Name: "room-1"},
			Participant: &lkproto.ParticipantInfo{Identity: "alice", Name: "Alice \u00e9", Metadata: `{"a":"<b>"}`}},
	}
	for _, ev := range sent {
		if err := n.QueueNotify(context.Background(), ev); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]string{}
	timeout := time.After(20 * time.Second)
	for len(got) < len(sent) {
		select {
		case ev := <-events:
			got[ev.ID] = ev.Type
			var back lkproto.WebhookEvent
			if err := protojson.Unmarshal(ev.Payload, &back); err != nil || back.Id != ev.ID {
				t.Fatalf("payload of %s: %v %s", ev.ID, err, back.Id)
			}
		case <-timeout:
			t.Fatalf("received %v of %d events", got, len(sent))
		}
	}
	for _, ev := range sent {
		if got[ev.Id] != ev.Event {
			t.Errorf("event %s: type %q, want %q", ev.Id, got[ev.Id], ev.Event)
		}
	}
}

// TestLiveKitWebhookVendorTokenRefused: requests signed by LiveKit's own
// token code are refused by our receiver when the secret or the body is
// not the one signed.
func TestLiveKitWebhookVendorTokenRefused(t *testing.T) {
	url, events := lkReceiver(t)
	body, err := protojson.Marshal(&lkproto.WebhookEvent{Event: lkwebhook.EventRoomFinished, Id: "EV_refused", CreatedAt: time.Now().Unix()})
	if err != nil {
		t.Fatal(err)
	}
	sign := func(secret string, signed []byte) string {
		sum := sha256b64(signed)
		tok, err := auth.NewAccessToken(lkKey, secret).SetValidFor(5 * time.Minute).SetSha256(sum).ToJWT()
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	for name, auth := range map[string]string{
		"another secret": sign("another-livekit-secret-0123456789abcdef", body),
		"another body":   sign(lkSecret, append([]byte(`{"x":1}`), body...)),
		"good":           sign(lkSecret, body),
	} {
		req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
		req.Header.Set("Authorization", auth)
		req.Header.Set("Content-Type", lkwebhook.ContentType)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		want := http.StatusUnauthorized
		if name == "good" {
			want = http.StatusOK
		}
		if resp.StatusCode != want {
			t.Errorf("%s: %d, want %d", name, resp.StatusCode, want)
		}
	}
	select {
	case ev := <-events:
		if ev.ID != "EV_refused" {
			t.Fatalf("dispatched %s", ev.ID)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the good request was not dispatched")
	}
	if len(events) != 0 {
		t.Fatalf("%d more events dispatched", len(events))
	}
}

// TestLiveKitWebhookOursToVendor: requests signed as webhooktest (the
// conformance suite) signs them pass LiveKit's own webhook.Receive, and a
// changed body or secret fails there too.
func TestLiveKitWebhookOursToVendor(t *testing.T) {
	kp := auth.NewSimpleKeyProvider(lkKey, lkSecret)
	for i, ev := range []*lkproto.WebhookEvent{
		{Event: lkwebhook.EventRoomStarted, Id: "EV_ours_1", CreatedAt: time.Now().Unix(), Room: &lkproto.Room{Name: "r"}},
		{Event: lkwebhook.EventTrackPublished, Id: "EV_ours_2", CreatedAt: time.Now().Unix(), Track: &lkproto.TrackInfo{Sid: "TR_1"}},
	} {
		body, err := protojson.Marshal(ev)
		if err != nil {
			t.Fatal(err)
		}
		authz := webhooktest.LiveKitAuthorization(lkKey, lkSecret, time.Now(), body)
		req := httptest.NewRequest(http.MethodPost, "/webhooks/livekit", bytes.NewReader(body))
		req.Header.Set("Authorization", authz)
		got, err := lkwebhook.ReceiveWebhookEvent(req, kp)
		if err != nil {
			t.Fatalf("#%d: LiveKit refused our request: %v", i, err)
		}
		if got.Id != ev.Id || got.Event != ev.Event {
			t.Fatalf("#%d: LiveKit read %s %s", i, got.Id, got.Event)
		}
		req = httptest.NewRequest(http.MethodPost, "/webhooks/livekit", bytes.NewReader(append(body, ' ')))
		req.Header.Set("Authorization", authz)
		if _, err := lkwebhook.Receive(req, kp); !errors.Is(err, lkwebhook.ErrInvalidChecksum) {
			t.Fatalf("#%d: changed body: %v", i, err)
		}
		req = httptest.NewRequest(http.MethodPost, "/webhooks/livekit", bytes.NewReader(body))
		req.Header.Set("Authorization", webhooktest.LiveKitAuthorization(lkKey, "another-livekit-secret-0123456789abcdef", time.Now(), body))
		if _, err := lkwebhook.Receive(req, kp); err == nil {
			t.Fatalf("#%d: another secret accepted", i)
		}
	}
}

// sha256b64 is the standard base64 SHA-256 of b, LiveKit's sha256 claim.
func sha256b64(b []byte) string {
	sum := sha256.Sum256(b)
	return base64.StdEncoding.EncodeToString(sum[:])
}
