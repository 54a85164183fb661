package webhooktest

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

const tencentCommand = "C2C.CallbackAfterSendMsg"

// tencentChatBody is a C2C message callback; its MsgKey is id.
func tencentChatBody(at time.Time, id string) []byte {
	return []byte(`{"CallbackCommand":"` + tencentCommand + `","From_Account":"alice","To_Account":"bob",` +
		`"MsgSeq":48374,"MsgRandom":2953874,"MsgTime":` + sec(at) + `,"MsgKey":"` + id + `","EventTime":` + ms(at) + `,` +
		`"MsgBody":[{"MsgType":"TIMTextElem","MsgContent":{"Text":"` + payloadMarker + ` \u00e9"}}]}`)
}

func tencentChatEvent(token string, appID uint64, at time.Time, id string) Delivery {
	return Delivery{Query: TencentChatQuery(token, appID, tencentCommand, at), Body: tencentChatBody(at, id)}
}

// withoutParam returns d with the query parameter name removed.
func withoutParam(d Delivery, name string) Delivery {
	q, _ := url.ParseQuery(d.Query)
	q.Del(name)
	d.Query = q.Encode()
	return d
}

func tencentChatFixture() *fixture {
	ev := func(at time.Time, id string) Delivery { return tencentChatEvent(TencentToken, TencentAppID, at, id) }
	f := &fixture{
		vendor: "tencent_chat",
		scheme: func() (webhook.Scheme, error) {
			return webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret(TencentToken), SDKAppID: TencentAppID})
		},
		event:     ev,
		forged:    func(at time.Time) Delivery { return tencentChatEvent(wrongSecret, TencentAppID, at, "forged") },
		malformed: func(at time.Time) Delivery { return withoutParam(ev(at, "nosign"), "Sign") },
		wantType:  tencentCommand, wantID: none,
		ack: ackJSON(map[string]any{"ActionStatus": "OK", "ErrorCode": 0.0}),
		rows: []row{
			{name: "tencent_chat query with more parameters", dispatched: 1, steps: []step{{send: func(at time.Time) Delivery {
				d := ev(at, "extra")
				d.Query = "Note=a%2Bb%26c%3D&" + d.Query + "&Empty="
				return d
			}}}},
			{name: "tencent_chat without the query", steps: []step{{send: func(at time.Time) Delivery {
				d := ev(at, "noquery")
				d.Query = ""
				return d
			}, status: 400, code: webhook.CodeMalformed}}},
			{name: "tencent_chat another app's SdkAppid", steps: []step{{send: func(at time.Time) Delivery {
				return tencentChatEvent(TencentToken, otherAppID, at, "other-app")
			}, status: 401, code: webhook.CodeInvalidSignature}}},
			{name: "tencent_chat Sign of another second", steps: []step{{send: func(at time.Time) Delivery {
				d := ev(at, "moved")
				q, _ := url.ParseQuery(d.Query)
				q.Set("RequestTime", sec(at.Add(-time.Second)))
				d.Query = q.Encode()
				return d
			}, status: 401, code: webhook.CodeInvalidSignature}}},
			{name: "tencent_chat duplicate MsgKey dispatched once", dispatched: 1,
				steps: []step{{send: func(at time.Time) Delivery { return ev(at, "msg-1") }}, {send: func(at time.Time) Delivery { return ev(at, "msg-1") }}}},
		},
	}
	// TUILiveKit spells the parameters SdkAppId and WebhookCommand.
	f.rows = append(f.rows, row{name: "tencent_chat in TUILiveKit's spelling", dispatched: 1, events: dispatched(f, "live"),
		steps: []step{{send: func(at time.Time) Delivery {
			d := ev(at, "live")
			q, _ := url.ParseQuery(d.Query)
			q.Set("SdkAppId", q.Get("SdkAppid"))
			q.Set("WebhookCommand", q.Get("CallbackCommand"))
			q.Del("SdkAppid")
			q.Del("CallbackCommand")
			d.Query = q.Encode()
			return d
		}}}})
	return f
}

func none(string) string { return "" }

// trtcBody is a TRTC "enter room" callback, tab-indented as TRTC sends
// it. The event's own time, and so its dedupe key, depends on id alone.
func trtcBody(at time.Time, id string) []byte {
	return []byte("{\n\t\"EventGroupId\":\t1,\n\t\"EventType\":\t103,\n\t\"CallbackTs\":\t" + ms(at) + ",\n\t\"EventInfo\":\t{\n" +
		"\t\t\"RoomId\":\t\"room-" + id + "\",\n\t\t\"EventTs\":\t1764633600,\n\t\t\"EventMsTs\":\t1764633600123,\n" +
		"\t\t\"UserId\":\t\"" + payloadMarker + "\",\n\t\t\"Role\":\t20,\n\t\t\"Reason\":\t1\n\t}\n}")
}

func trtcEvent(key string, appID uint64, at time.Time, id string) Delivery {
	b := trtcBody(at, id)
	return Delivery{Body: b, Header: TRTCHeaders(key, appID, b)}
}

func trtcFixture() *fixture {
	ev := func(at time.Time, id string) Delivery { return trtcEvent(TRTCKey, TencentAppID, at, id) }
	return &fixture{
		vendor: "trtc",
		scheme: func() (webhook.Scheme, error) {
			return webhook.TRTC(webhook.TRTCConfig{Key: core.NewSecret(TRTCKey), SDKAppID: TencentAppID})
		},
		event:  ev,
		forged: func(at time.Time) Delivery { return trtcEvent("wrongKey0001", TencentAppID, at, "forged") },
		// The right digest in hex instead of base64.
		malformed: func(at time.Time) Delivery {
			d := ev(at, "hex")
			m := hmac.New(sha256.New, []byte(TRTCKey))
			m.Write(d.Body)
			return with(d, "Sign", hex.EncodeToString(m.Sum(nil)))
		},
		wantType: "103", wantID: none,
		ack: ackJSON(map[string]any{"code": 0.0}),
		rows: []row{
			{name: "trtc another app's SdkAppId", steps: []step{{send: func(at time.Time) Delivery {
				return trtcEvent(TRTCKey, otherAppID, at, "other-app")
			}, status: 401, code: webhook.CodeInvalidSignature}}},
			{name: "trtc resend with a new CallbackTs dispatched once", dispatched: 1,
				steps: []step{{send: func(at time.Time) Delivery { return ev(at, "r1") }}, {send: func(at time.Time) Delivery { return ev(at, "r1") }}}},
		},
	}
}
