package twilio_test

import (
	"context"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

func randText(r *rand.Rand, min, max int) string { return testutil.RandText(r, min, max) }

func randClaims(r *rand.Rand) *twilio.Claims {
	n := 1_600_000_000 + r.Int64N(400_000_000)
	key := "SK" + strings.Repeat("ab", 16)
	c := &twilio.Claims{ExpiresAt: n + 1 + r.Int64N(86400), Issuer: key, ID: twilio.JTI(key, n), NotBefore: n, Subject: "AC" + strings.Repeat("0f", 16),
		Grants: twilio.Grants{Identity: randText(r, 1, 30)}}
	g := &c.Grants
	switch r.IntN(5) {
	case 0:
		g.Video = &twilio.VideoGrant{Room: randText(r, 0, 30)}
	case 1:
		g.Voice = &twilio.VoiceGrant{Incoming: &twilio.VoiceIncoming{Allow: r.IntN(2) == 0}, EndpointID: randText(r, 0, 5)}
		if r.IntN(2) == 0 {
			g.Voice.Outgoing = &twilio.VoiceOutgoing{ApplicationSID: "AP1", Params: map[string]any{randText(r, 1, 4): randText(r, 0, 8)}}
		}
	case 2:
		g.Chat = &twilio.ChatGrant{ServiceSID: randText(r, 0, 5), DeploymentRoleSID: randText(r, 0, 5), PushCredentialSID: randText(r, 0, 3)}
	case 3:
		g.Sync = &twilio.SyncGrant{ServiceSID: randText(r, 0, 5), EndpointID: randText(r, 0, 5)}
	default:
		g.IPMessaging, g.RTC = &twilio.ChatGrant{ServiceSID: "IS1"}, &twilio.RTCGrant{ConfigurationProfileSID: randText(r, 0, 4)}
	}
	return c
}

func TestRoundTripClaims(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 500 {
		secret := core.NewSecret(randText(r, 1, 64))
		c := randClaims(r)
		region := []string{"", "ie1", "au1"}[r.IntN(3)]
		tok, err := twilio.Sign(c, region, secret)
		if err != nil {
			t.Fatal(err)
		}
		got, err := twilio.Verify(tok, core.Keys{Primary: core.NewSecret("wrong"), Secondary: secret}, core.Expect{AppID: c.Subject, At: time.Unix(c.NotBefore, 0)})
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if !reflect.DeepEqual(got.Claims, c) || got.Region != region || !got.IssuedAt.Equal(time.Unix(c.NotBefore, 0)) {
			t.Fatalf("%d:\n got %+v\nwant %+v", i, got.Claims, c)
		}
	}
}

// TestRoundTripService issues random requests of every kind through the
// Service and checks the token says what was asked.
func TestRoundTripService(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	svc := newService(t, newProvider(t, nil))
	kinds := []string{twilio.KindVideo, twilio.KindVoice, twilio.KindChat, twilio.KindSync}
	for i := range 300 {
		kind := kinds[r.IntN(len(kinds))]
		user := "u" + randText(r, 1, 30)
		if kind == twilio.KindVoice {
			user = strings.Map(func(c rune) rune {
				if c < 128 && (c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z') {
					return c
				}
				return '_'
			}, user)
		}
		req := core.Request{Kind: kind, TTL: time.Duration(180+r.IntN(86400-180)) * time.Second}
		if kind == twilio.KindVideo {
			req.Room = randText(r, 1, 60)
		}
		cred, tok := issue(t, svc, core.Identity{UserID: user}, req)
		if tok.Kind != kind || tok.Identity != user || tok.Room != req.Room || tok.ExpiresAt.Sub(tok.IssuedAt) != req.TTL || !cred.ExpiresAt.Equal(tok.ExpiresAt) {
			t.Fatalf("%d: %+v %+v", i, tok, cred)
		}
	}
}

func TestTamper(t *testing.T) {
	p := newProvider(t, nil)
	g := core.Grant{Kind: twilio.KindVideo, UserID: "alice", Room: "r", TTL: time.Hour, Now: testNow, Identity: core.Identity{UserID: "alice"}}
	a, _ := p.Issue(context.Background(), g)
	g.UserID, g.Identity.UserID, g.Room = "mallory", "mallory", "BoardRoom"
	b, _ := p.Issue(context.Background(), g)
	testutil.TamperJWS(t, a.Token, b.Token, func(tok string) error {
		_, err := p.Verify(context.Background(), twilio.KindVideo, tok, testNow)
		return err
	})
}
