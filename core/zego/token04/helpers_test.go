package token04

import "math/rand/v2"

const (
	testAppID  = 1234567890
	testSecret = "fa94dd0f974cf2e293728a526b028271"
)

// seededRand is a deterministic randomness source for tests.
func seededRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	return rand.NewChaCha8(s)
}
