package livekit_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/internal/hs256"
	"github.com/rtctoken/rtctoken/internal/testutil"
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
		parsed, perr := livekit.Parse(token)
		if perr != nil && !testutil.OneVerifyError(perr) {
			t.Fatalf("parse: %v", perr)
		}
		for i, s := range fuzzSecrets {
			keys := core.Keys{Primary: core.NewSecret(s), Secondary: core.NewSecret(fuzzSecrets[(i+1)%len(fuzzSecrets)])}
			tok, err := livekit.Verify(token, keys, core.Expect{At: time.Unix(now, 0)})
			if err != nil {
				if !testutil.OneVerifyError(err) {
					t.Fatalf("verify: %v", err)
				}
				if perr != nil && !errors.Is(err, core.ErrMalformed) {
					t.Fatalf("Parse refuses what Verify reads: %v, %v", perr, err)
				}
				continue
			}
			if !reflect.DeepEqual(tok, parsed) {
				t.Fatalf("verified %+v, parsed %+v", tok, parsed)
			}
			again, err := livekit.Sign(tok.Claims, core.NewSecret(s))
			if err != nil {
				t.Fatal(err)
			}
			back, err := livekit.Verify(again, core.Keys{Primary: core.NewSecret(s)}, core.Expect{})
			if err != nil || !reflect.DeepEqual(back.Claims, tok.Claims) {
				t.Fatalf("re-signed: %v\n%+v\n%+v", err, back, tok)
			}
		}
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
		secret := core.NewSecret(fuzzSecrets[0])
		token, err := hs256.Sign([]byte(`{"alg":"HS256","typ":"JWT"}`), []byte(payload), secret)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := livekit.Verify(token, core.Keys{Primary: secret}, core.Expect{At: time.Unix(now, 0)})
		if err != nil {
			if !testutil.OneVerifyError(err) || errors.Is(err, core.ErrSignature) {
				t.Fatalf("a correctly signed token: %v", err)
			}
			return
		}
		if tok.Claims.Issuer == "" || tok.Claims.ExpiresAt == 0 {
			t.Fatalf("verified without iss or exp: %+v", tok.Claims)
		}
	})
}
