package agora_test

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/testutil"
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

// BenchmarkHMACSHA256 is the reference the Issue benchmarks are read
// against: one crypto/hmac SHA-256, under the 32-byte certificate, of the
// first 200 bytes of BenchmarkIssueRTCUID's token, nothing else. (An Agora
// token has no dot: the one added ends the input testutil signs.)
func BenchmarkHMACSHA256(b *testing.B) {
	p := newProvider(b, "")
	c, err := p.Issue(context.Background(), core.Grant{Kind: "rtc", UserID: "2882341273", Room: "7d72365eb983485397e3e3f9d460bdda",
		Role: "publisher", TTL: 3600e9, Now: testNow, Rand: repeatSalt(testSalt), Options: json.RawMessage(`{"id_type":"uid"}`)})
	if err != nil {
		b.Fatal(err)
	}
	testutil.BenchHMACSHA256(b, testCert, c.Token[:200]+".")
}
