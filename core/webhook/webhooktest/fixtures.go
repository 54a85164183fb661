package webhooktest

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// fixture is one scheme's receiver and how its vendor signs.
type fixture struct {
	vendor string
	scheme func() (webhook.Scheme, error)
	// event is a signed delivery of one event with id, signed at at.
	event func(at time.Time, id string) Delivery
	// forged is an event signed with the wrong secret.
	forged func(at time.Time) Delivery
	// malformed is a request the vendor's scheme cannot read.
	malformed func(at time.Time) Delivery
	// wantType and wantID are the event's Type and ID as the scheme
	// documents them.
	wantType string
	wantID   func(id string) string
	// ack checks the scheme's success answer.
	ack func(t *testing.T, status int, hdr http.Header, body []byte)
	// rows are the scheme's own rows.
	rows []row
}

func fixtures() []*fixture {
	return []*fixture{agoraFixture(), tencentChatFixture(), trtcFixture(), zoomFixture(), zegoFixture(), liveKitFixture()}
}

func ms(at time.Time) string  { return strconv.FormatInt(at.UnixMilli(), 10) }
func sec(at time.Time) string { return strconv.FormatInt(at.Unix(), 10) }
func same(id string) string   { return id }

// ackJSON checks a 200 answer with a JSON body; want, when set, are
// members the body must hold.
func ackJSON(want map[string]any) func(t *testing.T, status int, hdr http.Header, body []byte) {
	return func(t *testing.T, status int, _ http.Header, body []byte) {
		t.Helper()
		if status != http.StatusOK {
			t.Fatalf("status %d, want 200: %s", status, body)
		}
		var got map[string]any
		if err := json.Unmarshal(body, &got); err != nil {
			t.Fatalf("acknowledgement is not a JSON object: %q", body)
		}
		for k, v := range want {
			if got[k] != v {
				t.Fatalf("acknowledgement %s: %s is %v, want %v", body, k, got[k], v)
			}
		}
	}
}

// agoraBody is an Agora RTC "broadcaster joined" notification. Its bytes
// would not survive a re-encoding: a CRLF, spaces, \u and \/ escapes.
func agoraBody(at time.Time, id, pad string) []byte {
	return []byte(`{"noticeId":"` + id + `","productId":1,"eventType":103,"notifyMs":` + ms(at) + `,"sid":"A1B2",` + "\r\n" +
		` "payload": {"channelName":"test_webhook","uid":12121212,"account":"caf\u00e9 \/ ` + payloadMarker + `",` +
		`"clientSeq":1,"ts":` + sec(at) + `,"pad":"` + pad + `"}}`)
}

func agoraEvent(secret string, at time.Time, id string) Delivery {
	b := agoraBody(at, id, "")
	return Delivery{Body: b, Header: AgoraHeaders(secret, b)}
}

// agoraEventOfSize is a signed Agora notification of exactly n bytes.
func agoraEventOfSize(at time.Time, id string, n int) Delivery {
	b := agoraBody(at, id, "")
	b = agoraBody(at, id, strings.Repeat("a", n-len(b)))
	return Delivery{Body: b, Header: AgoraHeaders(AgoraSecret, b)}
}

func agoraFixture() *fixture {
	return &fixture{
		vendor: "agora",
		scheme: func() (webhook.Scheme, error) {
			return webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret(AgoraSecret)})
		},
		event:  func(at time.Time, id string) Delivery { return agoraEvent(AgoraSecret, at, id) },
		forged: func(at time.Time) Delivery { return agoraEvent(wrongSecret, at, "forged") },
		// A SHA-1 value in the SHA-256 header.
		malformed: func(at time.Time) Delivery {
			d := agoraEvent(AgoraSecret, at, "short")
			return with(d, "Agora-Signature-V2", d.Header.Get("Agora-Signature"))
		},
		wantType: "1:103", wantID: same,
		ack: ackJSON(nil),
		rows: []row{
			{name: "agora V2 decides over a valid SHA-1", steps: []step{{send: func(at time.Time) Delivery {
				d := agoraEvent(AgoraSecret, at, "v2")
				return with(d, "Agora-Signature-V2", agoraEvent(wrongSecret, at, "v2").Header.Get("Agora-Signature-V2"))
			}, status: 401, code: webhook.CodeInvalidSignature}}},
			{name: "agora unsigned", steps: []step{{send: func(at time.Time) Delivery {
				return Delivery{Body: agoraBody(at, "unsigned", "")}
			}, status: 400, code: webhook.CodeMalformed}}},
		},
	}
}
