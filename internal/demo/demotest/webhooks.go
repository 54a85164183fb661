package demotest

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/webhooktest"
	"github.com/rtctoken/rtctoken/internal/demo"
)

// deliver sends a vendor's callback as it is, with the client's timeout.
func (c *client) deliver(path string, d webhooktest.Delivery) (*http.Response, []byte) {
	c.t.Helper()
	status, hdr, body := webhooktest.Send(c.t, c.hc, c.base+path, d)
	return &http.Response{StatusCode: status, Header: hdr}, body
}

// agoraNotice is an Agora notification with noticeId id, signed with
// secret.
func agoraNotice(secret, id string, at time.Time) webhooktest.Delivery {
	b := []byte(`{"noticeId":"` + id + `","productId":1,"eventType":103,"notifyMs":` + strconv.FormatInt(at.UnixMilli(), 10) +
		`,"payload":{"channelName":"lobby","uid":42,"clientSeq":1,"ts":` + strconv.FormatInt(at.Unix(), 10) + `}}`)
	return webhooktest.Delivery{Body: b, Header: webhooktest.AgoraHeaders(secret, b)}
}

// liveKitEvent is a LiveKit room_started webhook signed with the key pair.
func liveKitEvent(key, secret string) webhooktest.Delivery {
	b := []byte(`{"event":"room_started", "room":{"sid":"RM_demo", "name":"lobby"}, "id":"EV_demo0001", "createdAt":"` + strconv.FormatInt(time.Now().Unix(), 10) + `"}`)
	h := http.Header{}
	h.Set("Authorization", webhooktest.LiveKitAuthorization(key, secret, time.Now(), b))
	h.Set("Content-Type", "application/webhook+json")
	return webhooktest.Delivery{Body: b, Header: h}
}

// dispatched checks that the demo's handler got the event of vendor with
// id (or any id when "").
func dispatched(vendor, typ, id string) func(t *testing.T, env *demo.Env, resp *http.Response, body []byte) {
	return func(t *testing.T, env *demo.Env, _ *http.Response, body []byte) {
		t.Helper()
		for _, ev := range env.WebhookEvents() {
			if ev.Vendor == vendor && ev.Type == typ && (id == "" || ev.ID == id) {
				return
			}
		}
		t.Fatalf("no %s %s event %q among %+v (answer %s)", vendor, typ, id, env.WebhookEvents(), body)
	}
}

// webhookCases are the rows about the webhook receivers the examples
// mount at /webhooks/<vendor>, on the demo's generated secrets: a signed
// callback is acknowledged and handled, a forged one refused in the
// envelope.
func webhookCases() []Case {
	agora := func(env *demo.Env) string { return env.WebhookConfig.Agora.Secret.Reveal() }
	zoom := func(env *demo.Env) string { return env.WebhookConfig.Zoom.Secret.Reveal() }
	challenge := []byte(`{"payload":{"plainToken":"demo-plain-token"},"event_ts":1,"event":"endpoint.url_validation"}`)
	return []Case{
		{Name: "agora webhook signed", Method: "POST", Path: demo.WebhookPrefix + "agora", Status: 200,
			Webhook: func(env *demo.Env) webhooktest.Delivery { return agoraNotice(agora(env), "demo-notice-1", time.Now()) },
			Check:   dispatched("agora", "1:103", "demo-notice-1")},
		{Name: "agora webhook forged", Method: "POST", Path: demo.WebhookPrefix + "agora", Status: 401, Code: webhook.CodeInvalidSignature,
			Webhook: func(*demo.Env) webhooktest.Delivery { return agoraNotice("not-the-secret", "demo-forged", time.Now()) }},
		{Name: "agora webhook stale", Method: "POST", Path: demo.WebhookPrefix + "agora", Status: 401, Code: webhook.CodeStale,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				return agoraNotice(agora(env), "demo-stale", time.Now().Add(-time.Hour))
			}},
		{Name: "agora webhook compressed", Method: "POST", Path: demo.WebhookPrefix + "agora", Status: 415, Code: httpapi.CodeUnsupportedMedia,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				d := agoraNotice(agora(env), "demo-gzip", time.Now())
				d.Header.Set("Content-Encoding", "gzip")
				return d
			}},
		{Name: "webhook GET", Method: "GET", Path: demo.WebhookPrefix + "agora", Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "POST"},
		{Name: "tencent chat webhook signed", Method: "POST", Path: demo.WebhookPrefix + "tencent_chat", Status: 200,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				c := env.WebhookConfig.TencentChat
				return webhooktest.Delivery{
					Query: webhooktest.TencentChatQuery(c.Token.Reveal(), c.SDKAppID, "State.StateChange", time.Now()),
					Body:  []byte(`{"CallbackCommand":"State.StateChange","Info":{"Action":"Login","To_Account":"alice","Reason":"Register"}}`),
				}
			},
			Check: dispatched("tencent_chat", "State.StateChange", "")},
		{Name: "tencent chat webhook of another app", Method: "POST", Path: demo.WebhookPrefix + "tencent_chat", Status: 401, Code: webhook.CodeInvalidSignature,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				c := env.WebhookConfig.TencentChat
				return webhooktest.Delivery{Query: webhooktest.TencentChatQuery(c.Token.Reveal(), c.SDKAppID+1, "State.StateChange", time.Now()), Body: []byte(`{}`)}
			}},
		{Name: "zoom webhook challenge signed", Method: "POST", Path: demo.WebhookPrefix + "zoom", Status: 200,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				return webhooktest.Delivery{Body: challenge, Header: webhooktest.ZoomHeaders(zoom(env), time.Now(), challenge)}
			},
			Check: func(t *testing.T, env *demo.Env, _ *http.Response, body []byte) {
				if want := webhooktest.ZoomChallengeAnswer(zoom(env), "demo-plain-token"); !strings.Contains(string(body), want) {
					t.Fatalf("challenge answer %s lacks %s", body, want)
				}
			}},
		{Name: "zoom webhook challenge forged", Method: "POST", Path: demo.WebhookPrefix + "zoom", Status: 401, Code: webhook.CodeInvalidSignature,
			Webhook: func(*demo.Env) webhooktest.Delivery {
				return webhooktest.Delivery{Body: challenge, Header: webhooktest.ZoomHeaders("not-the-secret", time.Now(), challenge)}
			}},
		{Name: "trtc webhook signed", Method: "POST", Path: demo.WebhookPrefix + "trtc", Status: 200,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				c := env.WebhookConfig.TRTC
				b := []byte(`{"EventGroupId":1,"EventType":101,"CallbackTs":` + strconv.FormatInt(time.Now().UnixMilli(), 10) + `,"EventInfo":{"RoomId":"lobby","EventTs":1,"EventMsTs":1000,"UserId":"alice"}}`)
				return webhooktest.Delivery{Body: b, Header: webhooktest.TRTCHeaders(c.Key.Reveal(), c.SDKAppID, b)}
			},
			Check: dispatched("trtc", "101", "")},
		{Name: "zego webhook signed", Method: "POST", Path: demo.WebhookPrefix + "zego", Status: 200,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				return webhooktest.Delivery{Body: webhooktest.ZegoBody(env.WebhookConfig.Zego.Secret.Reveal(), 1, "stream_create", time.Now(), "demo-nonce", `"stream_id":"s1"`)}
			},
			Check: dispatched("zego", "stream_create", "")},
		{Name: "livekit webhook signed", Method: "POST", Path: demo.WebhookPrefix + "livekit", Status: 200,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				c := env.WebhookConfig.LiveKit
				return liveKitEvent(c.APIKey, c.Secret.Reveal())
			},
			Check: dispatched("livekit", "room_started", "EV_demo0001")},
		{Name: "livekit webhook forged", Method: "POST", Path: demo.WebhookPrefix + "livekit", Status: 401, Code: webhook.CodeInvalidSignature,
			Webhook: func(env *demo.Env) webhooktest.Delivery {
				return liveKitEvent(env.WebhookConfig.LiveKit.APIKey, "not-the-secret")
			}},
		{Name: "zego webhook forged", Method: "POST", Path: demo.WebhookPrefix + "zego", Status: 401, Code: webhook.CodeInvalidSignature,
			Webhook: func(*demo.Env) webhooktest.Delivery {
				return webhooktest.Delivery{Body: webhooktest.ZegoBody("not-the-secret", 1, "stream_create", time.Now(), "demo-nonce", `"stream_id":"s1"`)}
			}},
	}
}
