package vendortest

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/hs256"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// Fuzz is what a FuzzVerify checks of a token at Unix time now under each
// of secrets (the next one as the secondary): Parse and Verify never
// panic, every error wraps exactly one sentinel, what verifies also parses
// to the same token, and its claims (of claims) sign again with resign to
// a token that verifies to the same claims.
func Fuzz[T any](t *testing.T, token string, now int64, secrets []string, parse func(string) (T, error), verify Verifier[T], resign func(T, core.Secret) (string, error), claims func(T) any) {
	parsed, perr := parse(token)
	if perr != nil && !testutil.OneVerifyError(perr) {
		t.Fatalf("parse: %v", perr)
	}
	for i, s := range secrets {
		keys := core.Keys{Primary: core.NewSecret(s), Secondary: core.NewSecret(secrets[(i+1)%len(secrets)])}
		tok, err := verify(token, keys, core.Expect{At: time.Unix(now, 0)})
		if err != nil {
			if !testutil.OneVerifyError(err) || (perr != nil && !errors.Is(err, core.ErrMalformed)) {
				t.Fatalf("verify: %v (parse: %v)", err, perr)
			}
			continue
		}
		if !reflect.DeepEqual(tok, parsed) {
			t.Fatalf("verified %+v, parsed %+v", tok, parsed)
		}
		again, err := resign(tok, core.NewSecret(s))
		if err != nil {
			t.Fatal(err)
		}
		back, err := verify(again, core.Keys{Primary: core.NewSecret(s)}, core.Expect{})
		if err != nil || !reflect.DeepEqual(claims(back), claims(tok)) {
			t.Fatalf("re-signed: %v\n%+v\n%+v", err, back, tok)
		}
	}
}

// FuzzPayload signs payload under header with secret and verifies it at
// Unix time now: an error must wrap exactly one sentinel and not
// core.ErrSignature. It reports the token and whether it verified.
func FuzzPayload[T any](t *testing.T, header, payload string, now int64, secret string, verify Verifier[T]) (T, bool) {
	key := core.NewSecret(secret)
	token, err := hs256.Sign([]byte(header), []byte(payload), key)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := verify(token, core.Keys{Primary: key}, core.Expect{At: time.Unix(now, 0)})
	if err != nil {
		if !testutil.OneVerifyError(err) || errors.Is(err, core.ErrSignature) {
			t.Fatalf("a correctly signed token: %v", err)
		}
		return tok, false
	}
	return tok, true
}
