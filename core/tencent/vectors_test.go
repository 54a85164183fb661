package tencent

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/internal/vectors"
)

// TestVectorNegatives checks that Verify and Provider.Verify reject each
// negative vector with the sentinel of its verifier exit code.
func TestVectorNegatives(t *testing.T) {
	sentinels := map[int]error{1: core.ErrSignature, 2: core.ErrMalformed, 3: core.ErrMismatch, 4: core.ErrExpired}
	for _, n := range vectors.Load(t).Negative {
		t.Run(n.ID, func(t *testing.T) {
			var now time.Time // no --now: the expiry is not in question
			if n.Now != nil {
				now = time.Unix(*n.Now, 0)
			}
			key := core.NewSecret(n.Key)
			app := strconv.FormatUint(n.SdkAppID, 10)
			_, err := Verify(n.Token, core.Keys{Primary: key}, core.Expect{AppID: app, At: now})
			checkSentinel(t, "Verify", err, sentinels[n.ExpectExit])

			p, perr := New(Config{SDKAppID: n.SdkAppID, Key: core.NewSecret("another key"), SecondaryKey: key})
			if perr != nil {
				t.Fatal(perr)
			}
			kind := KindUserSig
			if tok, derr := Parse(n.Token); derr == nil && tok.Claims.HasUserbuf() {
				kind = KindPrivateMapKey
			}
			_, err = p.Verify(t.Context(), kind, n.Token, now)
			checkSentinel(t, "Provider.Verify", err, sentinels[n.ExpectExit])
		})
	}
}

var sentinels = []error{core.ErrMalformed, core.ErrSignature, core.ErrMismatch, core.ErrExpired}

// checkSentinel asserts that err wraps want and no other verification
// sentinel (want nil: err is nil).
func checkSentinel(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("%s: %v, want success", what, err)
		}
		return
	}
	for _, s := range sentinels {
		if errors.Is(err, s) != (s == want) {
			t.Fatalf("%s: %v, want an error wrapping only %v", what, err, want)
		}
	}
}

// FuzzProviderVerify: Provider.Verify never panics and every error wraps
// exactly one verification sentinel.
func FuzzProviderVerify(f *testing.F) {
	for _, tok := range vectors.Tokens(f) {
		f.Add(tok)
	}
	f.Add("")
	f.Add("eJ")
	p, err := New(Config{SDKAppID: 1400000000, Key: core.NewSecret("5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"),
		SecondaryKey: core.NewSecret("416938533bc7c0b5ad007e69cb3bf38bc4cd4cd235da4a9ade187256182caa12")})
	if err != nil {
		f.Fatal(err)
	}
	now := time.Unix(1700000000, 0)
	f.Fuzz(func(t *testing.T, token string) {
		for _, kind := range []string{KindUserSig, KindPrivateMapKey} {
			v, err := p.Verify(t.Context(), kind, token, now)
			if err != nil {
				n := 0
				for _, s := range sentinels {
					if errors.Is(err, s) {
						n++
					}
				}
				if n != 1 {
					t.Fatalf("%s: error %v does not wrap exactly one sentinel", kind, err)
				}
				continue
			}
			if v.UserID == "" && v.Claims["TLS.identifier"] != "" {
				t.Fatalf("%s: verified %+v", kind, v)
			}
		}
	})
}
