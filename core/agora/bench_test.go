package agora_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
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

// BenchmarkBuilderRTCWithUID is the low-level builder alone.
func BenchmarkBuilderRTCWithUID(b *testing.B) {
	bl := agora.Builder{AppID: testApp, Certificate: testCert, Now: testNow, Rand: repeatSalt(testSalt)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bl.RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, agora.RolePublisher, 3600, 3600); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineNewWriterPerToken does what a straightforward builder
// does for the same token: crypto/hmac for each key of the signing chain,
// a new compress/zlib writer per token. It is the yardstick for the
// pooled path above.
func BenchmarkBaselineNewWriterPerToken(b *testing.B) {
	d, err := agora.Parse(mustBuild(b))
	if err != nil {
		b.Fatal(err)
	}
	info := d.SigningInfo
	b.ReportAllocs()
	for b.Loop() {
		var ts, salt [4]byte
		binary.LittleEndian.PutUint32(ts[:], testIssued)
		binary.LittleEndian.PutUint32(salt[:], testSalt)
		m := hmac.New(sha256.New, ts[:])
		m.Write([]byte(testCert))
		m = hmac.New(sha256.New, salt[:])
		m.Write(m.Sum(nil))
		m = hmac.New(sha256.New, m.Sum(nil))
		m.Write(info)
		var content bytes.Buffer
		sig := m.Sum(nil)
		content.Write([]byte{byte(len(sig)), 0})
		content.Write(sig)
		content.Write(info)
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(content.Bytes())
		w.Close()
		_ = "007" + base64.StdEncoding.EncodeToString(z.Bytes())
	}
}

func mustBuild(b *testing.B) string {
	tok, err := agora.Builder{AppID: testApp, Certificate: testCert, Now: testNow, Rand: repeatSalt(testSalt)}.
		RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, agora.RolePublisher, 3600, 3600)
	if err != nil {
		b.Fatal(err)
	}
	return tok
}
