package zego

import (
	"errors"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// seedTokens adds every token of the vendor vectors to the corpus.
func seedTokens(f *testing.F) {
	var v struct {
		Cases []struct {
			Expected *struct {
				Token       string `json:"token"`
				KitToken    string `json:"kit_token"`
				Token04Part string `json:"token04_part"`
			} `json:"expected"`
		} `json:"cases"`
	}
	for _, file := range []string{"zego_token04.json", "zego_kittoken.json"} {
		testutil.LoadVectors(f, file, &v)
		for _, c := range v.Cases {
			if e := c.Expected; e != nil {
				for _, tok := range []string{e.Token, e.KitToken, e.Token04Part} {
					if tok != "" {
						f.Add(tok)
					}
				}
			}
		}
	}
	f.Add("")
	f.Add("04")
	f.Add("04AAAAAA==#e30=")
}

func FuzzProviderVerify(f *testing.F) {
	seedTokens(f)
	p, err := New(Config{AppID: testAppID, ServerSecret: core.NewSecret(testSecret), SecondarySecret: core.NewSecret(testSecondary)})
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		for _, kind := range []string{KindToken04, KindKit} {
			if _, err := p.Verify(t.Context(), kind, tok, time.Unix(1700000000, 0)); err != nil && !testutil.OneVerifyError(err) {
				t.Fatalf("%s: error %v wraps not exactly one sentinel", kind, err)
			}
		}
	})
}

// FuzzParseVerify: Parse fails only with ErrMalformed, never fills a
// verified field, and whatever Verify accepts, Parse reads the same kind,
// expiry and mode of.
func FuzzParseVerify(f *testing.F) {
	seedTokens(f)
	keys := core.Keys{Primary: core.NewSecret(testSecret)}
	f.Fuzz(func(t *testing.T, tok string) {
		pt, perr := Parse(tok)
		if perr != nil && !errors.Is(perr, core.ErrMalformed) {
			t.Fatalf("Parse: %v is not ErrMalformed", perr)
		}
		if perr == nil && (pt.AppID != "" || pt.UserID != "" || pt.Room != "" || pt.Claims != nil) {
			t.Fatalf("Parse filled verified fields: %+v", pt)
		}
		vt, err := Verify(tok, keys, core.Expect{})
		if err != nil {
			if !testutil.OneVerifyError(err) {
				t.Fatalf("Verify: error %v wraps not exactly one sentinel", err)
			}
			return
		}
		if perr != nil || pt.Kind != vt.Kind || !pt.ExpiresAt.Equal(vt.ExpiresAt) || pt.Mode != vt.Mode {
			t.Fatalf("Verify %+v but Parse %+v %v", vt, pt, perr)
		}
	})
}
