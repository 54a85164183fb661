package livekit_test

import (
	"context"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/internal/testutil"
	"github.com/rtctoken/rtctoken/internal/vendortest"
)

var fuzzSecrets = []string{"rtctoken-vector-secret-livekit-0123456789ABCDEF", "rtctoken-vector-secret-second-key-ZYXWVUTSRQ9876", testSecret}

func addSeeds(f *testing.F, add func(c lkCase)) {
	v := loadVectors(f)
	for _, c := range v.Cases {
		if c.ExpectedError == nil {
			add(c)
		}
	}
}

// FuzzVerify: Parse and Verify never panic, every error wraps exactly one
// sentinel, what verifies also parses to the same Token, and verified
// claims sign again to a token that verifies to the same claims.
func FuzzVerify(f *testing.F) {
	addSeeds(f, func(c lkCase) { f.Add(c.Token, c.Validity.Now) })
	v := loadVectors(f)
	for _, n := range append(v.Negative, v.Boundary...) {
		f.Add(n.Token, n.Now)
	}
	f.Add("", int64(0))
	f.Add("a.b.c", int64(1))
	f.Fuzz(func(t *testing.T, token string, now int64) {
		vendortest.Fuzz(t, token, now, fuzzSecrets, livekit.Parse, livekit.Verify, func(tok *livekit.Token, s core.Secret) (string, error) {
			return livekit.Sign(tok.Claims, s)
		}, func(tok *livekit.Token) any { return tok.Claims })
		p := newProvider(t, nil)
		if v, err := p.Verify(context.Background(), livekit.KindRoom, token, time.Unix(now, 0)); err != nil && !testutil.OneVerifyError(err) {
			t.Fatalf("provider: %v", err)
		} else if err == nil && v.AppID != testKey {
			t.Fatalf("verified for %q", v.AppID)
		}
	})
}

// FuzzVerifyPayload signs arbitrary payload text, so the fuzzer reaches
// the claim decoding and rules behind the signature check.
func FuzzVerifyPayload(f *testing.F) {
	addSeeds(f, func(c lkCase) { f.Add(c.PayloadJSON, c.Validity.Now) })
	f.Add(`{"iss":"k","exp":9223372036854775807,"nbf":-9223372036854775808}`, int64(0))
	f.Add(`{"iss":"k","exp":1,"video":{"canPublish":null}}`, int64(-9223372036854775808))
	f.Fuzz(func(t *testing.T, payload string, now int64) {
		tok, ok := vendortest.FuzzPayload(t, `{"alg":"HS256","typ":"JWT"}`, payload, now, fuzzSecrets[0], livekit.Verify)
		if !ok {
			return
		}
		if tok.Claims.Issuer == "" || tok.Claims.ExpiresAt == 0 {
			t.Fatalf("verified without iss or exp: %+v", tok.Claims)
		}
	})
}
