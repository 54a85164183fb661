package agora_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rtctoken/rtctoken/core"
)

func benchIssue(b *testing.B, g core.Grant) {
	p := newProvider(b, "")
	g.Now, g.Rand = testNow, repeatSalt(testSalt)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue(ctx, g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueRTCUID includes decoding the {"id_type":"uid"} options.
func BenchmarkIssueRTCUID(b *testing.B) {
	benchIssue(b, core.Grant{Kind: "rtc", UserID: "2882341273", Room: "7d72365eb983485397e3e3f9d460bdda", Role: "publisher",
		TTL: 3600e9, Options: json.RawMessage(`{"id_type":"uid"}`)})
}

func BenchmarkIssueRTCAccount(b *testing.B) {
	benchIssue(b, core.Grant{Kind: "rtc", UserID: "test_user", Room: "7d72365eb983485397e3e3f9d460bdda", Role: "publisher", TTL: 3600e9})
}

func BenchmarkIssueRTM(b *testing.B) {
	benchIssue(b, core.Grant{Kind: "rtm", UserID: "test_user", TTL: 3600e9})
}

func BenchmarkIssueChat(b *testing.B) {
	benchIssue(b, core.Grant{Kind: "chat", UserID: "chat_user-01", TTL: 3600e9})
}

func BenchmarkVerify(b *testing.B) {
	p := newProvider(b, testCert2)
	c, err := p.Issue(context.Background(), core.Grant{Kind: "rtc", UserID: "test_user", Room: "7d72365eb983485397e3e3f9d460bdda",
		Role: "publisher", TTL: 3600e9, Now: testNow, Rand: repeatSalt(testSalt)})
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Verify(ctx, "rtc", c.Token, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
