// Package vendortest holds the test steps the HS256 vendor packages
// (LiveKit, Twilio) share.
package vendortest

import (
	"context"
	"encoding/json"
	"os"
	"testing"

	"github.com/rtctoken/rtctoken/core"
)

// New builds a provider with newP from cfg changed by mod (when not nil),
// failing the test on an error.
func New[C, P any](t testing.TB, cfg C, mod func(*C), newP func(C) (P, error)) P {
	t.Helper()
	if mod != nil {
		mod(&cfg)
	}
	p, err := newP(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// Verifier is a vendor's top-level Verify.
type Verifier[T any] func(token string, keys core.Keys, want core.Expect) (T, error)

// Issue issues req for id through svc and verifies the token with secret,
// expecting want and the credential's user and room.
func Issue[T any](t *testing.T, svc *core.Service, id core.Identity, req core.Request, verify Verifier[T], secret string, want core.Expect) (*core.Credential, T) {
	t.Helper()
	cred, err := svc.Issue(context.Background(), id, req)
	if err != nil {
		t.Fatal(err)
	}
	want.UserID, want.Room = cred.UserID, cred.Room
	tok, err := verify(cred.Token, core.Keys{Primary: core.NewSecret(secret)}, want)
	if err != nil {
		t.Fatal(err)
	}
	return cred, tok
}

// Concurrent runs step 50 times in each of 8 goroutines (the goroutine's
// number i) and fails the test on the first error.
func Concurrent(t *testing.T, step func(i int) error) {
	errs := make(chan error, 8)
	for i := range 8 {
		go func() {
			for range 50 {
				if err := step(i); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range 8 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// ReadJSON decodes the JSON file at path into v, failing the test on an
// error.
func ReadJSON(t testing.TB, path string, v any) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}
