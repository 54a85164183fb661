package livekit_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

func benchIssue(b *testing.B, g core.Grant) {
	p := newProvider(b, nil)
	g.Kind, g.Now, g.TTL = livekit.KindRoom, testNow, time.Hour
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueRoom is a Provider issuing a publisher token, Join map included.
func BenchmarkIssueRoom(b *testing.B) {
	benchIssue(b, core.Grant{UserID: "user-123", Room: "daily-standup", Role: livekit.RolePublisher, Identity: core.Identity{UserID: "user-123", DisplayName: "Ada"}})
}

// BenchmarkIssueRoomOptions adds JSON options (decoded strictly each time).
func BenchmarkIssueRoomOptions(b *testing.B) {
	benchIssue(b, core.Grant{UserID: "user-123", Room: "daily-standup", Role: livekit.RoleAdmin,
		Options: json.RawMessage(`{"can_publish_sources":["camera","microphone"],"metadata":"{\"role\":\"teacher\"}","attributes":{"seat":"A-12"}}`)})
}

// BenchmarkHMACSHA256 is the reference: the bare HMAC-SHA256 of a signing
// input the size of BenchmarkIssueRoom's, nothing else.
func BenchmarkHMACSHA256(b *testing.B) {
	p := newProvider(b, nil)
	cred, err := p.Issue(context.Background(), core.Grant{Kind: livekit.KindRoom, UserID: "user-123", Room: "daily-standup", Role: livekit.RolePublisher, TTL: time.Hour, Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	testutil.BenchHMACSHA256(b, testSecret, cred.Token)
}

// BenchmarkVerifyRoom is a Provider verifying a token (key lookup by iss).
func BenchmarkVerifyRoom(b *testing.B) {
	p := newProvider(b, nil)
	cred, err := p.Issue(context.Background(), core.Grant{Kind: livekit.KindRoom, UserID: "user-123", Room: "daily-standup", Role: livekit.RolePublisher, TTL: time.Hour, Now: testNow})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Verify(context.Background(), livekit.KindRoom, cred.Token, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
