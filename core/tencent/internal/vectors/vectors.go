// Package vectors loads the Tencent UserSig known-answer vectors
// (testdata/vectors/tencent_usersig.json) for the tests of core/tencent
// and core/tencent/usersig.
package vectors

import (
	"testing"

	"github.com/rtctoken/rtctoken/internal/testutil"
)

// Case is one generator input with the output of every official generator.
type Case struct {
	ID     string `json:"id"`
	API    string `json:"api"`
	Inputs struct {
		SdkAppID     uint64  `json:"sdkappid"`
		Key          string  `json:"key"`
		UserID       string  `json:"userid"`
		Expire       int64   `json:"expire"`
		RoomID       *uint32 `json:"roomid"`
		RoomStr      *string `json:"roomstr"`
		PrivilegeMap uint32  `json:"privilege_map"`
		UserbufHex   *string `json:"userbuf_hex"`
	} `json:"inputs"`
	Now          int64          `json:"now"`
	SigningInput string         `json:"signing_input"`
	HMACBase64   string         `json:"hmac_sha256_base64"`
	UserbufHex   string         `json:"userbuf_hex"`
	UserbufField map[string]any `json:"userbuf_fields"`
	Decoded      map[string]any `json:"decoded"`
	Expected     map[string]struct {
		Token      string         `json:"token"`
		JSON       string         `json:"json"`
		ZlibHeader string         `json:"zlib_header"`
		Decoded    map[string]any `json:"decoded"`
		Signing    string         `json:"signing_input"`
		Userbuf    map[string]any `json:"userbuf_fields"`
	} `json:"expected"`
}

// Negative is a token a verifier must refuse, with its exit code (1
// signature, 2 malformed, 3 mismatch, 4 expired).
type Negative struct {
	ID         string `json:"id"`
	Token      string `json:"token"`
	Key        string `json:"key"`
	SdkAppID   uint64 `json:"sdkappid"`
	Now        *int64 `json:"now"`
	ExpectExit int    `json:"expect_exit"`
}

// File is the vector file.
type File struct {
	Cases    []Case     `json:"cases"`
	Negative []Negative `json:"negative"`
}

// Load reads the vector file, failing t unless it has all 16 cases and 11
// negatives.
func Load(t testing.TB) File {
	t.Helper()
	var v File
	testutil.LoadVectors(t, "tencent_usersig.json", &v)
	if len(v.Cases) != 16 || len(v.Negative) != 11 {
		t.Fatalf("vector file has %d cases and %d negatives, want 16 and 11", len(v.Cases), len(v.Negative))
	}
	return v
}

// Tokens returns every token of the file, generated and negative, for
// seeding fuzz tests.
func Tokens(t testing.TB) []string {
	v := Load(t)
	var out []string
	for _, c := range v.Cases {
		for _, e := range c.Expected {
			out = append(out, e.Token)
		}
	}
	for _, n := range v.Negative {
		out = append(out, n.Token)
	}
	return out
}
