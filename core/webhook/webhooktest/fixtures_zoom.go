package webhooktest

import (
	"bytes"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// zoomBody is a participant-joined webhook, pretty-printed: a receiver
// that re-encodes the body before checking its signature fails on it.
func zoomBody(at time.Time, id string) []byte {
	return []byte("{\n  \"event\": \"meeting.participant_joined\",\n  \"event_ts\": " + ms(at) + ",\n  \"payload\": {\n" +
		"    \"account_id\": \"AbCdEfGhIjKlMnOpQrStUv\",\n    \"object\": {\"id\": \"85746065432\", \"uuid\": \"" + id + "\",\n" +
		"      \"participant\": {\"user_name\": \"" + payloadMarker + " \\u00e9\", \"join_time\": \"2026-12-02T00:00:00Z\"}}\n  }\n}")
}

func zoomEvent(secret string, at time.Time, body []byte) Delivery {
	return Delivery{Body: body, Header: ZoomHeaders(secret, at, body)}
}

const plainToken = "qgg8vlvZRS6UYooatFL8Aw"

func zoomChallenge(at time.Time) []byte {
	return []byte(`{"payload":{"plainToken":"` + plainToken + `"},"event_ts":` + ms(at) + `,"event":"endpoint.url_validation"}`)
}

// challengeAnswered checks the answer to a signed url_validation.
func challengeAnswered(t *testing.T, _ http.Header, body []byte) {
	var a struct {
		PlainToken     string `json:"plainToken"`
		EncryptedToken string `json:"encryptedToken"`
	}
	if err := json.Unmarshal(body, &a); err != nil {
		t.Fatalf("challenge answer %s: %v", body, err)
	}
	if a.PlainToken != plainToken || a.EncryptedToken != ZoomChallengeAnswer(ZoomSecret, plainToken) {
		t.Fatalf("challenge answer %s, want plainToken %s and encryptedToken %s", body, plainToken, ZoomChallengeAnswer(ZoomSecret, plainToken))
	}
}

// noAnswer checks a refused challenge did not hand out the HMAC.
func noAnswer(t *testing.T, _ http.Header, body []byte) {
	if bytes.Contains(body, []byte("encryptedToken")) || bytes.Contains(body, []byte(ZoomChallengeAnswer(ZoomSecret, plainToken))) {
		t.Fatalf("an unverified challenge was answered: %s", body)
	}
}

func zoomFixture() *fixture {
	ev := func(at time.Time, id string) Delivery { return zoomEvent(ZoomSecret, at, zoomBody(at, id)) }
	return &fixture{
		vendor: "zoom",
		scheme: func() (webhook.Scheme, error) {
			return webhook.Zoom(webhook.ZoomConfig{Secret: core.NewSecret(ZoomSecret)})
		},
		event:  ev,
		forged: func(at time.Time) Delivery { return zoomEvent(wrongSecret, at, zoomBody(at, "forged")) },
		malformed: func(at time.Time) Delivery {
			d := ev(at, "v1")
			return with(d, "x-zm-signature", "v1="+d.Header.Get("x-zm-signature")[len("v0="):])
		},
		wantType: "meeting.participant_joined", wantID: none,
		ack: ack2xx,
		rows: []row{
			{name: "zoom exact replay dispatched once", dispatched: 1,
				steps: []step{{send: func(at time.Time) Delivery { return ev(at, "replay") }}, {again: true}}},
			{name: "zoom url_validation answered when signed", steps: []step{{send: func(at time.Time) Delivery {
				return zoomEvent(ZoomSecret, at, zoomChallenge(at))
			}, status: 200, check: challengeAnswered}}},
			{name: "zoom url_validation with a forged signature", steps: []step{{send: func(at time.Time) Delivery {
				return zoomEvent(wrongSecret, at, zoomChallenge(at))
			}, status: 401, code: webhook.CodeInvalidSignature, check: noAnswer}}},
			{name: "zoom url_validation unsigned", steps: []step{{send: func(at time.Time) Delivery {
				return Delivery{Body: zoomChallenge(at)}
			}, status: 400, code: webhook.CodeMalformed, check: noAnswer}}},
			{name: "zoom stale url_validation", steps: []step{{send: func(at time.Time) Delivery {
				return zoomEvent(ZoomSecret, at.Add(-time.Hour), zoomChallenge(at.Add(-time.Hour)))
			}, status: 401, code: webhook.CodeStale, check: noAnswer}}},
		},
	}
}

func zegoEvent(secret string, at time.Time, id string) Delivery {
	return Delivery{Body: ZegoBody(secret, 1234567890, "room_create", at, "n-"+id,
		`"room_id":"`+payloadMarker+`"`, `"room_session_id":"858588229380538369"`, `"id_name":"u1"`)}
}

func zegoFixture() *fixture {
	ev := func(at time.Time, id string) Delivery { return zegoEvent(ZegoSecret, at, id) }
	return &fixture{
		vendor: "zego",
		scheme: func() (webhook.Scheme, error) {
			return webhook.Zego(webhook.ZegoConfig{Secret: core.NewSecret(ZegoSecret)})
		},
		event:  ev,
		forged: func(at time.Time) Delivery { return zegoEvent(wrongSecret, at, "forged") },
		// The documentation's placeholder: not 40 hex digits.
		malformed: func(at time.Time) Delivery {
			d := ev(at, "placeholder")
			d.Body = []byte(`{"event":"room_create","timestamp":` + sec(at) + `,"nonce":"1","signature":"signature"}`)
			return d
		},
		wantType: "room_create", wantID: none,
		ack: ack2xx,
		rows: []row{
			{name: "zego exact replay dispatched once", dispatched: 1,
				steps: []step{{send: func(at time.Time) Delivery { return ev(at, "replay") }}, {again: true}}},
		},
	}
}

// ack2xx checks a 2xx answer.
func ack2xx(t *testing.T, status int, _ http.Header, body []byte) {
	t.Helper()
	if status < 200 || status > 299 {
		t.Fatalf("status %d, want 2xx: %s", status, body)
	}
}
