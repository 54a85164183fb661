package tencent

import (
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// vectors holds the tokens of the vector file: every generator's output
// for each case, and the negatives with the exit code a verifier gives.
type vectors struct {
	Cases []struct {
		Expected map[string]struct {
			Token string `json:"token"`
		} `json:"expected"`
	} `json:"cases"`
	Negative []struct {
		ID         string `json:"id"`
		Token      string `json:"token"`
		Key        string `json:"key"`
		SdkAppID   uint64 `json:"sdkappid"`
		Now        *int64 `json:"now"`
		ExpectExit int    `json:"expect_exit"`
	} `json:"negative"`
}

func loadVectors(t testing.TB) vectors {
	t.Helper()
	var v vectors
	testutil.LoadVectors(t, "tencent_usersig.json", &v)
	if len(v.Cases) != 16 || len(v.Negative) != 11 {
		t.Fatalf("vector file has %d cases and %d negatives, want 16 and 11", len(v.Cases), len(v.Negative))
	}
	return v
}

// TestVectorNegatives checks that Verify and Provider.Verify reject each
// negative vector with the sentinel of its verifier exit code.
func TestVectorNegatives(t *testing.T) {
	sentinels := map[int]error{1: core.ErrSignature, 2: core.ErrMalformed, 3: core.ErrMismatch, 4: core.ErrExpired}
	for _, n := range loadVectors(t).Negative {
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
	v := loadVectors(f)
	for _, c := range v.Cases {
		for _, e := range c.Expected {
			f.Add(e.Token)
		}
	}
	for _, n := range v.Negative {
		f.Add(n.Token)
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
