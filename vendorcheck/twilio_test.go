package vendorcheck

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
	twjwt "github.com/twilio/twilio-go/client/jwt"
)

const (
	twAccount = "AC0123456789abcdef0123456789abcdef"
	twKey     = "SK0123456789abcdef0123456789abcdef"
	twSecret  = "vendorcheck-twilio-secret-012345"
	twChat    = "IS0123456789abcdef0123456789abcdef"
	twSync    = "ISfedcba9876543210fedcba9876543210"
	twRole    = "RL0123456789abcdef0123456789abcdef"
	twApp     = "AP0123456789abcdef0123456789abcdef"
	twPush    = "CR0123456789abcdef0123456789abcdef"
)

var twKinds = []string{twilio.KindVideo, twilio.KindVoice, twilio.KindChat, twilio.KindSync}

// grantKey is the payload key of each kind's grant.
var grantKey = map[string]string{twilio.KindVideo: "video", twilio.KindVoice: "voice", twilio.KindChat: "chat", twilio.KindSync: "data_sync"}

func twProvider(t testing.TB, region string) *twilio.Provider {
	t.Helper()
	p, err := twilio.New(twilio.Config{
		AccountSID: twAccount, APIKeySID: twKey, APIKeySecret: core.NewSecret(twSecret), Region: region,
		ChatServiceSID: twChat, ChatRoleSID: twRole, SyncServiceSID: twSync,
		VoiceAppSID: twApp, VoiceAppParams: map[string]string{"campaign": "spring <sale> & more"}, VoicePushCredentialSID: twPush,
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func voiceSafe(s string) string {
	return strings.Map(func(c rune) rune {
		if c < 128 && (c == '_' || c >= '0' && c <= '9' || c|0x20 >= 'a' && c|0x20 <= 'z') {
			return c
		}
		return '_'
	}, s)
}

// TestTwilioOursVerifyWithVendor: every kind, with random identities,
// rooms, TTLs and regions, issued through a core.Service on the real clock,
// is accepted by twilio-go's (*AccessToken).FromJwt with the secret, which
// reads the same account, key, identity, region, grants, header and
// payload. With a wrong secret FromJwt refuses it.
func TestTwilioOursVerifyWithVendor(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	anyRoom := func(_ context.Context, _ core.Identity, e core.Elevation) bool {
		return e.Option == twilio.OptionAnyRoom
	}
	for i := range 400 {
		region := []string{"", "us1", "ie1", "au1"}[r.IntN(4)]
		svc, err := core.NewService([]core.Provider{twProvider(t, region)}, core.AllowElevated(anyRoom))
		if err != nil {
			t.Fatal(err)
		}
		kind := twKinds[i%len(twKinds)]
		user := "u" + randText(r, 1, 30)
		if kind == twilio.KindVoice {
			user = voiceSafe(user)
		}
		req := core.Request{Provider: twilio.Name, Kind: kind, TTL: time.Duration(180+r.IntN(86400-180)) * time.Second}
		if kind == twilio.KindVideo {
			if r.IntN(5) == 0 {
				req.Options = json.RawMessage(`{"any_room":true}`)
			} else {
				req.Room = randText(r, 1, 50)
			}
		}
		cred, err := svc.Issue(context.Background(), core.Identity{UserID: user}, req)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		var at twjwt.AccessToken
		got, err := at.FromJwt(cred.Token, twSecret)
		if err != nil {
			t.Fatalf("%d: FromJwt: %v", i, err)
		}
		if got.AccountSid != twAccount || got.SigningKeySid != twKey || got.Identity != user {
			t.Fatalf("%d: vendor reads %+v", i, got)
		}
		if region == "" && got.Region != nil || region != "" && got.Region != region {
			t.Fatalf("%d: region %v, want %q", i, got.Region, region)
		}
		ours, err := twilio.Parse(cred.Token)
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Grants) != 1 || got.Grants[0].Key() != grantKey[kind] {
			t.Fatalf("%d: vendor grants %v", i, got.Grants)
		}
		oursGrants := asJSON(t, ours.Claims.Grants).(map[string]any)
		if g, w := oursGrants[grantKey[kind]], asJSON(t, got.Grants[0].ToPayload()); !reflect.DeepEqual(g, w) {
			t.Fatalf("%d: %s grant\n ours   %v\n vendor %v", i, kind, g, w)
		}
		if !reflect.DeepEqual(asJSON(t, got.Payload()), asJSON(t, ours.Raw)) || !reflect.DeepEqual(asJSON(t, got.Headers()), asJSON(t, ours.Header)) {
			t.Fatalf("%d: vendor payload %v %v\n ours %v %v", i, got.Headers(), got.Payload(), ours.Header, ours.Raw)
		}
		var again twjwt.AccessToken
		if _, err := again.FromJwt(cred.Token, "another-secret-0123456789abcdef"); err == nil {
			t.Fatalf("%d: FromJwt accepts a wrong secret", i)
		}
	}
}

// TestTwilioVendorVerifiesWithOurs: tokens twilio-go's CreateAccessToken
// and ToJwt make, one grant of each kind with random fields, identities,
// regions and TTLs (within Twilio's 24 h), verify with our Provider, which
// reads the same identity, room and grants.
func TestTwilioVendorVerifiesWithOurs(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 400 {
		kind := twKinds[i%len(twKinds)]
		region := []string{"", "ie1"}[r.IntN(2)]
		params := twjwt.AccessTokenParams{AccountSid: twAccount, SigningKeySid: twKey, Secret: twSecret,
			Identity: "u" + randText(r, 1, 30), Region: region, Ttl: float64(3600 + r.IntN(86400-3600))}
		tok := twjwt.CreateAccessToken(params)
		room := ""
		switch kind {
		case twilio.KindVideo:
			room = randText(r, 1, 40)
			tok.AddGrant(&twjwt.VideoGrant{Room: room})
		case twilio.KindVoice:
			g := &twjwt.VoiceGrant{Incoming: twjwt.Incoming{Allow: r.IntN(2) == 0}, EndpointID: randText(r, 0, 10)}
			if r.IntN(2) == 0 {
				g.Outgoing = twjwt.Outgoing{ApplicationSid: twApp, ApplicationParams: map[string]any{"to": randText(r, 1, 10)}}
			}
			if r.IntN(2) == 0 {
				g.PushCredentialSid = twPush
			}
			tok.AddGrant(g)
		case twilio.KindChat:
			tok.AddGrant(&twjwt.ChatGrant{ServiceSid: twChat, EndpointID: randText(r, 0, 10), DeploymentRoleSid: []string{"", twRole}[r.IntN(2)]})
		case twilio.KindSync:
			tok.AddGrant(&twjwt.SyncGrant{ServiceSid: twSync, EndpointID: randText(r, 0, 10)})
		}
		jwtStr, err := tok.ToJwt()
		if err != nil {
			t.Fatal(err)
		}
		v, err := twProvider(t, "").Verify(context.Background(), kind, jwtStr, time.Now())
		if err != nil {
			t.Fatalf("%d: our Verify: %v", i, err)
		}
		if v.UserID != params.Identity || v.Room != room || v.AppID != twAccount || v.Kind != kind {
			t.Fatalf("%d: %+v", i, v)
		}
		ours, _ := twilio.Parse(jwtStr)
		if ours.Region != region || ours.APIKeySID != twKey {
			t.Fatalf("%d: %+v", i, ours)
		}
		oursGrants := asJSON(t, ours.Claims.Grants).(map[string]any)
		if g, w := oursGrants[grantKey[kind]], asJSON(t, tok.Grants[0].ToPayload()); !reflect.DeepEqual(g, w) {
			t.Fatalf("%d: %s grant\n ours   %v\n vendor %v", i, kind, g, w)
		}
		// What we read signs again to the vendor's bytes.
		if again, err := twilio.Sign(ours.Claims, ours.Region, core.NewSecret(twSecret)); err != nil || again != jwtStr {
			t.Fatalf("%d: re-signed %v:\n%s\n%s", i, err, again, jwtStr)
		}
	}
}

// TestTwilioVectorsBothWays: the vector tokens that stay valid on a real
// clock decode with FromJwt as the vectors recorded, and with ours to the
// same grants; we refuse the ones longer than Twilio's 24 h, which
// twilio-go accepts.
func TestTwilioVectorsBothWays(t *testing.T) {
	b, err := os.ReadFile("../core/twilio/testdata/twilio_accesstoken.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		Accounts struct {
			Keys map[string]string `json:"keys"`
		} `json:"accounts"`
		Cases []struct {
			ID     string `json:"id"`
			Token  string `json:"token"`
			Inputs struct {
				SigningKeySid string `json:"signing_key_sid"`
			} `json:"inputs"`
			Validity struct {
				Stable bool `json:"wallclock_valid_until_exp"`
			} `json:"validity"`
		} `json:"cases"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, c := range v.Cases {
		if !c.Validity.Stable {
			continue
		}
		n++
		secret := v.Accounts.Keys[c.Inputs.SigningKeySid]
		var at twjwt.AccessToken
		got, err := at.FromJwt(c.Token, secret)
		if err != nil {
			t.Fatalf("%s: FromJwt: %v", c.ID, err)
		}
		ours, err := twilio.Parse(c.Token)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(asJSON(t, got.Payload()), asJSON(t, ours.Raw)) {
			t.Fatalf("%s: payload %v, ours %v", c.ID, got.Payload(), ours.Raw)
		}
		if _, err := twilio.Verify(c.Token, core.Keys{Primary: core.NewSecret(secret)}, core.Expect{At: time.Now()}); err == nil {
			t.Fatalf("%s: we accept a token Twilio refuses (lifetime over 24 h)", c.ID)
		}
	}
	if n < 14 {
		t.Fatalf("only %d vector tokens", n)
	}
}
