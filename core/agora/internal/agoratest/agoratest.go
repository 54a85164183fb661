// Package agoratest holds the fixtures and helpers shared by the tests of
// package agora and of its format package accesstoken.
package agoratest

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// The test project: app id, two certificates, and the pinned issue time
// and salt.
const (
	App    = "970CA35de60c44645bbae8a215061b33"
	Cert   = "5CFd2fd1755d40ecb72977518be15d3b"
	Cert2  = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
	Issued = 1700000000
	Salt   = 12345678
)

// Now is the pinned issue time.
var Now = time.Unix(Issued, 0)

// RepeatSalt is an endless randomness source that always yields the salt.
type RepeatSalt uint32

// Read fills p with the bytes that make accesstoken.NewSalt return r.
func (r RepeatSalt) Read(p []byte) (int, error) {
	var b [4]byte
	binary.LittleEndian.PutUint32(b[:], uint32(r)-1)
	for i := range p {
		p[i] = b[i%4]
	}
	return len(p), nil
}

// Inflate returns the content of a 007 token without the package's help.
func Inflate(t testing.TB, tok string) []byte {
	t.Helper()
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(tok, "007"))
	if err != nil {
		t.Fatalf("base64: %v", err)
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("zlib: %v", err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return b
}

// Reencode compresses content into a 007 token with compress/zlib.
func Reencode(content []byte) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write(content)
	_ = w.Close()
	return "007" + base64.StdEncoding.EncodeToString(b.Bytes())
}

// ExitCode maps a verification error to the independent verifier's exit
// code: 0 valid, 1 signature, 2 malformed, 3 mismatch, 4 expired, -1
// anything else.
func ExitCode(err error) int {
	switch {
	case err == nil:
		return 0
	case errors.Is(err, core.ErrSignature):
		return 1
	case errors.Is(err, core.ErrMalformed):
		return 2
	case errors.Is(err, core.ErrMismatch):
		return 3
	case errors.Is(err, core.ErrExpired):
		return 4
	}
	return -1
}

// SeedTokens returns every token of the vector file, for fuzz seeds.
func SeedTokens(t testing.TB) []string {
	var v struct {
		Cases []struct {
			Expected map[string]struct {
				Token string `json:"token"`
			} `json:"expected"`
		} `json:"cases"`
		APICases []struct {
			Expected struct {
				Go struct {
					Token string `json:"token"`
				} `json:"go"`
			} `json:"expected"`
		} `json:"api_cases"`
		Negative []struct {
			Token string `json:"token"`
		} `json:"negative"`
		Legacy []struct {
			Expected map[string]string `json:"expected"`
		} `json:"legacy_006"`
	}
	testutil.LoadVectors(t, "agora_accesstoken2.json", &v)
	var toks []string
	for _, c := range v.Cases {
		for _, e := range c.Expected {
			toks = append(toks, e.Token)
		}
	}
	for _, c := range v.APICases {
		toks = append(toks, c.Expected.Go.Token)
	}
	for _, c := range v.Negative {
		toks = append(toks, c.Token)
	}
	for _, c := range v.Legacy {
		for _, tok := range c.Expected {
			toks = append(toks, tok)
		}
	}
	if len(toks) == 0 {
		t.Fatal("no seed tokens")
	}
	return toks
}

// NameAlphabet is Agora's character set for channel names and accounts.
const NameAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{|}~,"

// RandName returns minLen to maxLen random bytes of alphabet.
func RandName(r *rand.Rand, alphabet string, minLen, maxLen int) string {
	b := make([]byte, minLen+r.IntN(maxLen-minLen+1))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}
