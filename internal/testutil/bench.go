package testutil

import (
	"crypto/hmac"
	"crypto/sha256"
	"strings"
	"testing"
)

// BenchHMACSHA256 is the reference a vendor's issuance benchmark is read
// against: the bare HMAC-SHA256, under key, of token's signing input (all
// but the last dot-separated segment), nothing else.
func BenchHMACSHA256(b *testing.B, key, token string) {
	input := []byte(token[:max(strings.LastIndexByte(token, '.'), 0)])
	k := []byte(key)
	var sum [sha256.Size]byte
	b.ReportAllocs()
	for b.Loop() {
		m := hmac.New(sha256.New, k)
		m.Write(input)
		m.Sum(sum[:0])
	}
}
