package config_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/core/twilio"
)

const (
	liveKitSecret  = "LIVEKITSECRETc0ffee0123456789abcdef"
	liveKitSecret2 = "LIVEKITSECRETolder9876543210fedcba"
	twilioSecret   = "TWILIOSECRETc0ffee0123456789abcd"
	twilioSecret2  = "TWILIOSECRETolder9876543210fedcb"
	twilioAccount  = "AC0123456789abcdef0123456789abcdef"
	twilioKey      = "SK0123456789abcdef0123456789abcdef"
)

func liveKitTwilio() map[string]string {
	return map[string]string{
		"RTCTOKEN_LIVEKIT_API_KEY":                 "APIkey1",
		"RTCTOKEN_LIVEKIT_API_SECRET":              liveKitSecret,
		"RTCTOKEN_LIVEKIT_API_KEY_SECONDARY":       "APIkey0",
		"RTCTOKEN_LIVEKIT_API_SECRET_SECONDARY":    liveKitSecret2,
		"RTCTOKEN_LIVEKIT_URL":                     "wss://lk.example.com",
		"RTCTOKEN_TWILIO_ACCOUNT_SID":              twilioAccount,
		"RTCTOKEN_TWILIO_API_KEY_SID":              twilioKey,
		"RTCTOKEN_TWILIO_API_KEY_SECRET":           twilioSecret,
		"RTCTOKEN_TWILIO_API_KEY_SID_SECONDARY":    "SKfedcba9876543210fedcba9876543210",
		"RTCTOKEN_TWILIO_API_KEY_SECRET_SECONDARY": twilioSecret2,
		"RTCTOKEN_TWILIO_CHAT_SERVICE_SID":         "IS0123456789abcdef0123456789abcdef",
		"RTCTOKEN_TWILIO_CHAT_ROLE_SID":            "RL0123456789abcdef0123456789abcdef",
		"RTCTOKEN_TWILIO_SYNC_SERVICE_SID":         "ISfedcba9876543210fedcba9876543210",
		"RTCTOKEN_TWILIO_VOICE_APP_SID":            "AP0123456789abcdef0123456789abcdef",
		"RTCTOKEN_TWILIO_REGION":                   "ie1",
	}
}

func TestLoadLiveKitTwilio(t *testing.T) {
	c, err := config.Load(env(liveKitTwilio()))
	if err != nil {
		t.Fatal(err)
	}
	want := livekit.Config{APIKey: "APIkey1", SecondaryAPIKey: "APIkey0", ServerURL: "wss://lk.example.com"}
	l := c.LiveKit
	if l == nil || l.APIKey != want.APIKey || l.SecondaryAPIKey != want.SecondaryAPIKey || l.ServerURL != want.ServerURL ||
		l.APISecret.Reveal() != liveKitSecret || l.SecondaryAPISecret.Reveal() != liveKitSecret2 {
		t.Errorf("livekit = %+v", l)
	}
	w := c.Twilio
	if w == nil || w.AccountSID != twilioAccount || w.APIKeySID != twilioKey || w.APIKeySecret.Reveal() != twilioSecret ||
		w.SecondaryAPIKeySecret.Reveal() != twilioSecret2 || w.SecondaryAPIKeySID == "" || w.ChatServiceSID == "" || w.ChatRoleSID == "" ||
		w.SyncServiceSID == "" || w.VoiceAppSID == "" || w.Region != "ie1" {
		t.Errorf("twilio = %+v", w)
	}
	if got := c.Enabled(); !slices.Equal(got, []string{"livekit", "twilio"}) {
		t.Errorf("Enabled = %v", got)
	}
	ps, err := c.Providers()
	if err != nil || len(ps) != 2 || ps[0].Name() != "livekit" || ps[0].AppID() != "APIkey1" || ps[1].Name() != "twilio" || ps[1].AppID() != twilioAccount {
		t.Fatalf("providers %v: %v", ps, err)
	}
	var kinds []string
	for _, k := range ps[1].Kinds() {
		kinds = append(kinds, k.Kind)
	}
	if strings.Join(kinds, ",") != "video,voice,chat,sync" {
		t.Errorf("twilio kinds %v", kinds)
	}
}

func TestLiveKitTwilioErrors(t *testing.T) {
	for _, c := range []struct {
		name, unset, set, value, wantVar string
	}{
		{"livekit key missing", "RTCTOKEN_LIVEKIT_API_KEY", "", "", "RTCTOKEN_LIVEKIT_API_KEY"},
		{"livekit secret missing", "RTCTOKEN_LIVEKIT_API_SECRET", "", "", "RTCTOKEN_LIVEKIT_API_SECRET"},
		{"livekit url missing", "RTCTOKEN_LIVEKIT_URL", "", "", "RTCTOKEN_LIVEKIT_URL"},
		{"livekit short secret", "", "RTCTOKEN_LIVEKIT_API_SECRET", "LEAKCANARY-short", "RTCTOKEN_LIVEKIT_API_SECRET"},
		{"livekit bad url", "", "RTCTOKEN_LIVEKIT_URL", "lk.example.com", "RTCTOKEN_LIVEKIT_URL"},
		{"livekit second key without secret", "RTCTOKEN_LIVEKIT_API_SECRET_SECONDARY", "", "", "RTCTOKEN_LIVEKIT_API_SECRET_SECONDARY"},
		{"twilio account missing", "RTCTOKEN_TWILIO_ACCOUNT_SID", "", "", "RTCTOKEN_TWILIO_ACCOUNT_SID"},
		{"twilio bad account", "", "RTCTOKEN_TWILIO_ACCOUNT_SID", "AC-LEAKCANARY", "RTCTOKEN_TWILIO_ACCOUNT_SID"},
		{"twilio secret missing", "RTCTOKEN_TWILIO_API_KEY_SECRET", "", "", "RTCTOKEN_TWILIO_API_KEY_SECRET"},
		{"twilio bad chat service", "", "RTCTOKEN_TWILIO_CHAT_SERVICE_SID", "RL0123456789abcdef0123456789abcdef", "RTCTOKEN_TWILIO_CHAT_SERVICE_SID"},
		{"twilio bad region", "", "RTCTOKEN_TWILIO_REGION", "IE 1", "RTCTOKEN_TWILIO_REGION"},
		{"twilio bad voice app", "", "RTCTOKEN_TWILIO_VOICE_APP_SID", "AP1", "RTCTOKEN_TWILIO_VOICE_APP_SID"},
	} {
		m := liveKitTwilio()
		delete(m, c.unset)
		if c.set != "" {
			m[c.set] = c.value
		}
		_, err := config.Load(env(m))
		var ve *config.VarError
		if !errors.As(err, &ve) || ve.Var != c.wantVar || !errors.Is(err, core.ErrConfig) {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		for _, secret := range []string{liveKitSecret, twilioSecret, "LEAKCANARY"} {
			if strings.Contains(err.Error(), secret) {
				t.Errorf("%s: the error leaks a value: %v", c.name, err)
			}
		}
	}
}

// The secondary key pair reaches the providers: a token of the second
// LiveKit key verifies, one of an unconfigured key does not.
func TestLiveKitSecondaryKeyIsWired(t *testing.T) {
	c, err := config.Load(env(liveKitTwilio()))
	if err != nil {
		t.Fatal(err)
	}
	ps, err := c.Providers()
	if err != nil {
		t.Fatal(err)
	}
	old, err := livekit.New(livekit.Config{APIKey: "APIkey0", APISecret: core.NewSecret(liveKitSecret2), ServerURL: "wss://x"})
	if err != nil {
		t.Fatal(err)
	}
	if err := issueAndVerify(old, ps[0], livekit.KindRoom); err != nil {
		t.Errorf("second LiveKit key: %v", err)
	}
	old2, err := twilio.New(twilio.Config{AccountSID: twilioAccount, APIKeySID: "SKfedcba9876543210fedcba9876543210", APIKeySecret: core.NewSecret(twilioSecret2)})
	if err != nil {
		t.Fatal(err)
	}
	if err := issueAndVerify(old2, ps[1], twilio.KindVoice); err != nil {
		t.Errorf("second Twilio key: %v", err)
	}
}

// issueAndVerify issues a credential of kind from signer for user "u1"
// (room "r1") and verifies it with verifier.
func issueAndVerify(signer, verifier core.Provider, kind string) error {
	svc, err := core.NewService([]core.Provider{signer})
	if err != nil {
		return err
	}
	req := core.Request{Provider: signer.Name(), Kind: kind}
	if kind == livekit.KindRoom {
		req.Room = "r1"
	}
	cred, err := svc.Issue(context.Background(), core.Identity{UserID: "u1"}, req)
	if err != nil {
		return err
	}
	_, err = verifier.Verify(context.Background(), kind, cred.Token, svc.Now())
	return err
}
