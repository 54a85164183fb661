package sdkjwt

import (
	"crypto/sha256"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
)

// benchSigning is the signing input of the bench claims' token.
var benchSigning = func() []byte {
	tok, err := SignVideo("Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j", VideoClaims{
		AppKey: "VIDEO_SDK_KEY_TEST", RoleType: 1, Topic: "Cool Cars", IssuedAt: 1700000000, ExpiresAt: 1700007200,
		UserIdentity: "user123", SessionKey: "session123",
	})
	if err != nil {
		panic(err)
	}
	return []byte(tok[:strings.LastIndexByte(tok, '.')])
}()

// BenchmarkMAC is the signing step with a new HMAC state per token, as
// SignVideo and Authenticate do it.
func BenchmarkMAC(b *testing.B) {
	s := &Signer{secret: core.NewSecret("Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j")}
	b.ReportAllocs()
	for b.Loop() {
		s.mac(benchSigning, nil)
	}
}

// BenchmarkMACPooled is the step as a Signer (the Provider's) does it,
// with pooled HMAC states.
func BenchmarkMACPooled(b *testing.B) {
	s := NewSigner(core.NewSecret("Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j"))
	buf := make([]byte, 0, sha256.Size)
	b.ReportAllocs()
	for b.Loop() {
		s.mac(benchSigning, buf)
	}
}
