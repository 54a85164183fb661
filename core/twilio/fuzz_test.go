package twilio_test

import (
	"context"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/internal/testutil"
	"github.com/rtctoken/rtctoken/internal/vendortest"
)

var fuzzSecrets = []string{"rtctokenTwilioVectorSecret012345", "rtctokenTwilioSecondSecretABCDEF", testSecret}

// FuzzVerify: Parse and Verify never panic, every error wraps exactly one
// sentinel, what verifies parses to the same Token, and verified claims
// sign again to a token that verifies to the same claims.
func FuzzVerify(f *testing.F) {
	v := loadVectors(f)
	for _, c := range v.Cases {
		f.Add(c.Token, c.Validity.Now)
	}
	for _, n := range append(v.Negative, v.VendorAccepts...) {
		f.Add(n.Token, n.Now)
	}
	f.Add("", int64(0))
	f.Fuzz(func(t *testing.T, token string, now int64) {
		vendortest.Fuzz(t, token, now, fuzzSecrets, twilio.Parse, twilio.Verify, func(tok *twilio.Token, s core.Secret) (string, error) {
			return twilio.Sign(tok.Claims, tok.Region, s)
		}, func(tok *twilio.Token) any { return tok.Claims })
		p := vectorProvider(t, v, nil)
		if vf, err := p.Verify(context.Background(), twilio.KindVideo, token, time.Unix(now, 0)); err != nil && !testutil.OneVerifyError(err) {
			t.Fatalf("provider: %v", err)
		} else if err == nil && (vf.AppID != v.Accounts.AccountSID || vf.Kind != twilio.KindVideo) {
			t.Fatalf("verified %+v", vf)
		}
	})
}

// FuzzVerifyPayload signs arbitrary payload text, so the fuzzer reaches
// the claim decoding and rules behind the signature check.
func FuzzVerifyPayload(f *testing.F) {
	v := loadVectors(f)
	for _, c := range v.Cases {
		f.Add(c.PayloadJSON, c.Validity.Now)
	}
	f.Add(`{"exp":9223372036854775807,"iss":"SK","jti":"SK-9223372036854775807","sub":"AC","grants":{"identity":"x"}}`, int64(-9223372036854775808))
	f.Fuzz(func(t *testing.T, payload string, now int64) {
		tok, ok := vendortest.FuzzPayload(t, `{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}`, payload, now, fuzzSecrets[0], twilio.Verify)
		if !ok {
			return
		}
		c := tok.Claims
		if c.Issuer == "" || c.Subject == "" || c.ExpiresAt == 0 || c.Grants.Identity == "" || c.ExpiresAt > now+86400 {
			t.Fatalf("verified against the rules: %+v", c)
		}
	})
}
