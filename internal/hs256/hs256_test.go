package hs256

import (
	"encoding/base64"
	"errors"
	"sync"
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rtctoken/rtctoken/core"
)

// reference is the compact JWS of header and payload, signed by
// golang-jwt.
func reference(header, payload []byte, secret string) string {
	enc := base64.RawURLEncoding
	input := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	sig, err := jwt.SigningMethodHS256.Sign(input, []byte(secret))
	if err != nil {
		panic(err)
	}
	return input + "." + enc.EncodeToString(sig)
}

func TestSignerMatchesReference(t *testing.T) {
	header := []byte(`{"alg":"HS256","typ":"JWT"}`)
	secret := "a secret of some thirty-two bytes!"
	s := NewSigner(header, core.NewSecret(secret))
	payloads := []string{"", "{}", "x", "xy", `{"iss":"k","exp":1}`, string(make([]byte, 1000))}
	for round := range 3 { // pooled states are reused from the second round
		for _, p := range payloads {
			want := reference(header, []byte(p), secret)
			got, err := s.Sign([]byte(p))
			if err != nil || got != want {
				t.Fatalf("round %d: Signer.Sign(%q) = %q, %v; want %q", round, p, got, err, want)
			}
			if got, err := Sign(header, []byte(p), core.NewSecret(secret)); err != nil || got != want {
				t.Fatalf("Sign(%q) = %q, %v; want %q", p, got, err, want)
			}
			if parts, err := Split("test", got, 1<<20); err != nil || !parts.Verify(core.NewSecret(secret)) || string(parts.Payload) != p {
				t.Fatalf("the token of %q does not split and verify: %v", p, err)
			}
		}
	}
}

func TestSignerConcurrent(t *testing.T) {
	header, secret := []byte(`{"alg":"HS256"}`), "another secret, long enough"
	s := NewSigner(header, core.NewSecret(secret))
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for i := range 8 {
		wg.Go(func() {
			p := []byte{'"', byte('a' + i), '"'}
			want := reference(header, p, secret)
			for range 200 {
				if got, _ := s.Sign(p); got != want {
					errs <- got
					return
				}
			}
		})
	}
	wg.Wait()
	close(errs)
	for got := range errs {
		t.Errorf("concurrent Sign wrote %q", got)
	}
}

func TestSignEmptySecret(t *testing.T) {
	if _, err := NewSigner([]byte(`{}`), core.Secret{}).Sign([]byte(`{}`)); !errors.Is(err, core.ErrConfig) {
		t.Errorf("Signer.Sign with an empty secret: %v, want core.ErrConfig", err)
	}
	if _, err := Sign([]byte(`{}`), []byte(`{}`), core.Secret{}); !errors.Is(err, core.ErrConfig) {
		t.Errorf("Sign with an empty secret: %v, want core.ErrConfig", err)
	}
}

var benchHeader, benchPayload = []byte(`{"alg":"HS256","typ":"JWT"}`), []byte(`{"iss":"APIrtctokenTest","sub":"user-123","exp":1700003600,"nbf":1700000000,"iat":1700000000,"identity":"user-123","name":"Ada","video":{"roomJoin":true,"room":"daily-standup","canPublish":true,"canSubscribe":true,"canPublishData":true}}`)

// BenchmarkSigner is a Signer's Sign of a LiveKit-sized payload;
// BenchmarkSign is the one-off Sign of the same.
func BenchmarkSigner(b *testing.B) {
	s := NewSigner(benchHeader, core.NewSecret("a secret of some thirty-two bytes!"))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.Sign(benchPayload); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSign(b *testing.B) {
	secret := core.NewSecret("a secret of some thirty-two bytes!")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Sign(benchHeader, benchPayload, secret); err != nil {
			b.Fatal(err)
		}
	}
}
