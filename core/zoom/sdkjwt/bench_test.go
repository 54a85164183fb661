package sdkjwt_test

import (
	"testing"

	"github.com/golang-jwt/jwt/v5"

	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
)

// The readme_example vector's inputs.
const (
	benchKey    = "VIDEO_SDK_KEY_TEST"
	benchSecret = "Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j"
)

var benchClaims = sdkjwt.VideoClaims{
	AppKey: benchKey, RoleType: 1, Topic: "Cool Cars", IssuedAt: 1700000000, ExpiresAt: 1700007200,
	UserIdentity: "user123", SessionKey: "session123",
}

// BenchmarkSignVideo is the signer on the readme_example claims.
func BenchmarkSignVideo(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sdkjwt.SignVideo(benchSecret, benchClaims); err != nil {
			b.Fatal(err)
		}
	}
}

// videoJWT is benchClaims for golang-jwt, in the same key order.
type videoJWT struct {
	AppKey       string `json:"app_key"`
	RoleType     int    `json:"role_type"`
	Topic        string `json:"tpc"`
	Version      int    `json:"version"`
	IssuedAt     int64  `json:"iat"`
	ExpiresAt    int64  `json:"exp"`
	UserIdentity string `json:"user_identity,omitempty"`
	SessionKey   string `json:"session_key,omitempty"`
	jwt.RegisteredClaims
}

// BenchmarkSignVideoGolangJWT signs the same claims with golang-jwt and
// encoding/json, for the comparison in SignVideo's doc. (Its token is the
// vector's only because these claims need no escaping.)
func BenchmarkSignVideoGolangJWT(b *testing.B) {
	c := benchClaims
	claims := videoJWT{AppKey: c.AppKey, RoleType: c.RoleType, Topic: c.Topic, Version: 1, IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, UserIdentity: c.UserIdentity, SessionKey: c.SessionKey}
	key := []byte(benchSecret)
	want, _ := sdkjwt.SignVideo(benchSecret, c)
	b.ReportAllocs()
	for b.Loop() {
		tok, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims).SignedString(key)
		if err != nil || tok != want {
			b.Fatalf("%v: %s", err, tok)
		}
	}
}
