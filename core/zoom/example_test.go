package zoom_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// exampleService is a Service with the clock pinned to the readme_example
// vector's time.
func exampleService(p core.Provider) *core.Service {
	svc, err := core.NewService([]core.Provider{p},
		core.WithClock(func() time.Time { return time.Unix(1700000000, 0) }),
		core.WithRand(bytes.NewReader(nil)), // Zoom JWTs use no randomness
		core.AllowElevated(func(context.Context, core.Identity, core.Elevation) bool { return true }))
	if err != nil {
		panic(err)
	}
	return svc
}

func printJoin(join map[string]any) {
	b, _ := json.Marshal(join) // keys sorted
	fmt.Println(string(b))
}

// A Video SDK JWT for the signed-in user as host of "Cool Cars": the
// readme_example vector, byte for byte.
func ExampleProvider_video() {
	p, err := zoom.New(zoom.Config{
		SDKKey:    "VIDEO_SDK_KEY_TEST",
		SDKSecret: core.NewSecret("Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j"),
		Kinds:     []string{zoom.KindVideo},
	})
	if err != nil {
		panic(err)
	}
	cred, err := exampleService(p).Issue(context.Background(), core.Identity{UserID: "user123"}, core.Request{
		Provider: "zoom", Kind: zoom.KindVideo, Room: "Cool Cars", Role: zoom.RoleHost,
		Options: json.RawMessage(`{"session_key":"session123"}`),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(cred.Token)
	fmt.Println(cred.ExpiresAt.Format(time.RFC3339))
	cred.Join["signature"] = "<token>"
	printJoin(cred.Join)
	// Output:
	// eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBfa2V5IjoiVklERU9fU0RLX0tFWV9URVNUIiwicm9sZV90eXBlIjoxLCJ0cGMiOiJDb29sIENhcnMiLCJ2ZXJzaW9uIjoxLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwNzIwMCwidXNlcl9pZGVudGl0eSI6InVzZXIxMjMiLCJzZXNzaW9uX2tleSI6InNlc3Npb24xMjMifQ.ksZ-8dWotIsc9RkwWb4kJx9wNL9CGaABX5Xhx6iPm9M
	// 2023-11-15T00:13:20Z
	// {"sessionKey":"session123","sessionName":"Cool Cars","signature":"\u003ctoken\u003e","userName":"user123"}
}

// A Meeting SDK for Web JWT for meeting 123456789, then the same provider
// verifying it. The token is the readme_example vector, byte for byte.
func ExampleProvider_meeting() {
	p, err := zoom.New(zoom.Config{
		SDKKey:    "MEETING_SDK_KEY_TEST",
		SDKSecret: core.NewSecret("Mt6Kp2Wq9Zr4Xy7Lb3Nd8Fg5Hj1Sa0Vc"),
		Kinds:     []string{zoom.KindMeeting},
	})
	if err != nil {
		panic(err)
	}
	cred, err := exampleService(p).Issue(context.Background(),
		core.Identity{UserID: "u-1", DisplayName: "Ada"},
		core.Request{Provider: "zoom", Kind: zoom.KindMeeting, Room: "123456789"})
	if err != nil {
		panic(err)
	}
	fmt.Println(cred.Token)
	cred.Join["signature"] = "<token>"
	printJoin(cred.Join)

	v, err := p.Verify(context.Background(), zoom.KindMeeting, cred.Token, time.Unix(1700000000, 0))
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Room, v.Claims["role"], v.ExpiresAt.Sub(v.IssuedAt))
	// Output:
	// eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBLZXkiOiJNRUVUSU5HX1NES19LRVlfVEVTVCIsInNka0tleSI6Ik1FRVRJTkdfU0RLX0tFWV9URVNUIiwibW4iOiIxMjM0NTY3ODkiLCJyb2xlIjowLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwNzIwMCwidG9rZW5FeHAiOjE3MDAwMDcyMDB9.A4Z0lrrwqY9HN35-lv6rQt_MfYSZAxYBTJacKIB_WVo
	// {"meetingNumber":"123456789","sdkKey":"MEETING_SDK_KEY_TEST","signature":"\u003ctoken\u003e","userName":"Ada"}
	// 123456789 0 2h0m0s
}

// Parse reads a token without a key, for inspection: nothing it returns is
// authenticated. Verify checks the signature, Zoom's rules and what the
// token must be for.
func ExampleParse() {
	const tok = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJhcHBfa2V5IjoiVklERU9fU0RLX0tFWV9URVNUIiwicm9sZV90eXBlIjoxLCJ0cGMiOiJDb29sIENhcnMiLCJ2ZXJzaW9uIjoxLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwNzIwMCwidXNlcl9pZGVudGl0eSI6InVzZXIxMjMiLCJzZXNzaW9uX2tleSI6InNlc3Npb24xMjMifQ.ksZ-8dWotIsc9RkwWb4kJx9wNL9CGaABX5Xhx6iPm9M"
	t, err := zoom.Parse(tok)
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Kind, t.AppID, t.UserID, t.Room, t.ExpiresAt.Format(time.RFC3339))

	_, err = zoom.Verify(tok, core.Keys{Primary: core.NewSecret("Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j")}, core.Expect{
		Kind: zoom.KindVideo, AppID: "VIDEO_SDK_KEY_TEST", UserID: "user123", Room: "cool cars", At: time.Unix(1700000000, 0),
	})
	fmt.Println(err)
	_, err = zoom.Verify(tok, core.Keys{Primary: core.NewSecret("another secret")}, core.Expect{})
	fmt.Println(errors.Is(err, core.ErrSignature))
	// Output:
	// video VIDEO_SDK_KEY_TEST user123 Cool Cars 2023-11-15T00:13:20Z
	// <nil>
	// true
}
