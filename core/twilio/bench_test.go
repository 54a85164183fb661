package twilio_test

import (
	"context"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

func benchGrant(kind string) core.Grant {
	g := core.Grant{Kind: kind, UserID: "user_123", TTL: time.Hour, Now: testNow, Identity: core.Identity{UserID: "user_123"}}
	if kind == twilio.KindVideo {
		g.Room = "DailyStandup"
	}
	return g
}

func benchIssue(b *testing.B, kind string) {
	p := newProvider(b, nil)
	g := benchGrant(kind)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueVideo and the others are a Provider issuing one kind,
// Join map included.
func BenchmarkIssueVideo(b *testing.B) { benchIssue(b, twilio.KindVideo) }
func BenchmarkIssueVoice(b *testing.B) { benchIssue(b, twilio.KindVoice) }
func BenchmarkIssueChat(b *testing.B)  { benchIssue(b, twilio.KindChat) }
func BenchmarkIssueSync(b *testing.B)  { benchIssue(b, twilio.KindSync) }

// BenchmarkHMACSHA256 is the reference: the bare HMAC-SHA256 of a signing
// input the size of BenchmarkIssueVideo's, nothing else.
func BenchmarkHMACSHA256(b *testing.B) {
	cred, err := newProvider(b, nil).Issue(context.Background(), benchGrant(twilio.KindVideo))
	if err != nil {
		b.Fatal(err)
	}
	testutil.BenchHMACSHA256(b, testSecret, cred.Token)
}

// BenchmarkVerifyVideo is a Provider verifying a video token.
func BenchmarkVerifyVideo(b *testing.B) {
	p := newProvider(b, nil)
	cred, err := p.Issue(context.Background(), benchGrant(twilio.KindVideo))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Verify(context.Background(), twilio.KindVideo, cred.Token, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
