package twilio_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/internal/hs256"
	"github.com/rtctoken/rtctoken/internal/testutil"
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
		parsed, perr := twilio.Parse(token)
		if perr != nil && !testutil.OneVerifyError(perr) {
			t.Fatalf("parse: %v", perr)
		}
		for i, s := range fuzzSecrets {
			keys := core.Keys{Primary: core.NewSecret(s), Secondary: core.NewSecret(fuzzSecrets[(i+1)%len(fuzzSecrets)])}
			tok, err := twilio.Verify(token, keys, core.Expect{At: time.Unix(now, 0)})
			if err != nil {
				if !testutil.OneVerifyError(err) || (perr != nil && !errors.Is(err, core.ErrMalformed)) {
					t.Fatalf("verify: %v (parse: %v)", err, perr)
				}
				continue
			}
			if !reflect.DeepEqual(tok, parsed) {
				t.Fatalf("verified %+v, parsed %+v", tok, parsed)
			}
			again, err := twilio.Sign(tok.Claims, tok.Region, core.NewSecret(s))
			if err != nil {
				t.Fatal(err)
			}
			back, err := twilio.Verify(again, core.Keys{Primary: core.NewSecret(s)}, core.Expect{})
			if err != nil || !reflect.DeepEqual(back.Claims, tok.Claims) {
				t.Fatalf("re-signed: %v", err)
			}
		}
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
		secret := core.NewSecret(fuzzSecrets[0])
		token, err := hs256.Sign([]byte(`{"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}`), []byte(payload), secret)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := twilio.Verify(token, core.Keys{Primary: secret}, core.Expect{At: time.Unix(now, 0)})
		if err != nil {
			if !testutil.OneVerifyError(err) || errors.Is(err, core.ErrSignature) {
				t.Fatalf("a correctly signed token: %v", err)
			}
			return
		}
		c := tok.Claims
		if c.Issuer == "" || c.Subject == "" || c.ExpiresAt == 0 || c.Grants.Identity == "" || c.ExpiresAt > now+86400 {
			t.Fatalf("verified against the rules: %+v", c)
		}
	})
}
