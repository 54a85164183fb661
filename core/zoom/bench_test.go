package zoom_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// The readme_example vector's inputs.
const (
	benchKey    = "VIDEO_SDK_KEY_TEST"
	benchSecret = "Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j"
)

var benchNow = time.Unix(1700000000, 0)

func benchProvider(b *testing.B) *zoom.Provider {
	b.Helper()
	p, err := zoom.New(zoom.Config{SDKKey: benchKey, SDKSecret: core.NewSecret(benchSecret)})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func benchIssue(b *testing.B, g core.Grant) {
	p := benchProvider(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueVideo is a Provider issuing a Video SDK JWT, Join map included.
func BenchmarkIssueVideo(b *testing.B) {
	benchIssue(b, core.Grant{Kind: zoom.KindVideo, UserID: "user123", Room: "Cool Cars", Role: zoom.RoleHost, TTL: 2 * time.Hour, Now: benchNow})
}

// BenchmarkIssueVideoOptions adds JSON options (decoded strictly each time).
func BenchmarkIssueVideoOptions(b *testing.B) {
	benchIssue(b, core.Grant{
		Kind: zoom.KindVideo, UserID: "user123", Room: "Cool Cars", Role: zoom.RoleHost, TTL: 2 * time.Hour, Now: benchNow,
		Options: json.RawMessage(`{"session_key":"session123","geo_regions":["US","DE"],"video_webrtc_mode":1}`),
	})
}

// BenchmarkIssueMeeting is a Provider issuing a Meeting SDK web JWT.
func BenchmarkIssueMeeting(b *testing.B) {
	benchIssue(b, core.Grant{Kind: zoom.KindMeeting, UserID: "user123", Room: "123456789", Role: zoom.RoleParticipant, TTL: 2 * time.Hour, Now: benchNow})
}

// BenchmarkVerifyVideo is a Provider verifying a Video SDK JWT.
func BenchmarkVerifyVideo(b *testing.B) {
	p := benchProvider(b)
	cred, err := p.Issue(context.Background(), core.Grant{Kind: zoom.KindVideo, UserID: "user123", Room: "Cool Cars", TTL: 2 * time.Hour, Now: benchNow})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Verify(context.Background(), zoom.KindVideo, cred.Token, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}
