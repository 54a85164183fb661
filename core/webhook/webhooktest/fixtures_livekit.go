package webhooktest

import (
	"net/http"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// The LiveKit receiver's test-only API key pair.
const (
	LiveKitAPIKey = "APIwebhooktest01"
	LiveKitSecret = "livekit-webhook-test-secret-0123456789abcdef"
)

// liveKitBody is a participant_joined webhook as protojson writes it, with
// a space after every comma and int64 values as strings.
func liveKitBody(at time.Time, id string) []byte {
	return []byte(`{"event":"participant_joined", "room":{"sid":"RM_test0001", "name":"` + payloadMarker + `", "emptyTimeout":300}, ` +
		`"participant":{"sid":"PA_test0001", "identity":"alice", "joinedAt":"` + sec(at) + `"}, "id":"` + id + `", "createdAt":"` + sec(at) + `"}`)
}

func liveKitEvent(key, secret string, at time.Time, body []byte) Delivery {
	h := http.Header{}
	h.Set("Authorization", LiveKitAuthorization(key, secret, at, body))
	h.Set("Content-Type", "application/webhook+json")
	return Delivery{Body: body, Header: h}
}

func liveKitFixture() *fixture {
	ev := func(at time.Time, id string) Delivery {
		return liveKitEvent(LiveKitAPIKey, LiveKitSecret, at, liveKitBody(at, id))
	}
	return &fixture{
		vendor: "livekit",
		scheme: func() (webhook.Scheme, error) {
			return webhook.LiveKit(webhook.LiveKitConfig{APIKey: LiveKitAPIKey, Secret: core.NewSecret(LiveKitSecret)})
		},
		event: ev,
		forged: func(at time.Time) Delivery {
			return liveKitEvent(LiveKitAPIKey, wrongSecret, at, liveKitBody(at, "forged"))
		},
		// LiveKit sends a bare JWT: a Bearer prefix is not one.
		malformed: func(at time.Time) Delivery {
			d := ev(at, "bearer")
			return with(d, "Authorization", "Bearer "+d.Header.Get("Authorization"))
		},
		wantType: "participant_joined", wantID: same,
		ack: ack2xx,
		rows: []row{
			{name: "livekit token of another body", steps: []step{{send: func(at time.Time) Delivery {
				d := ev(at, "swapped")
				d.Body = liveKitBody(at, "swapped-too")
				return d
			}, status: 401, code: webhook.CodeInvalidSignature}}},
			{name: "livekit unknown API key", steps: []step{{send: func(at time.Time) Delivery {
				return liveKitEvent("APIunknown", LiveKitSecret, at, liveKitBody(at, "unknown"))
			}, status: 401, code: webhook.CodeInvalidSignature}}},
			{name: "livekit resend dispatched once", dispatched: 1,
				steps: []step{{send: func(at time.Time) Delivery { return ev(at, "EV_resend") }}, {send: func(at time.Time) Delivery { return ev(at, "EV_resend") }}}},
		},
	}
}
