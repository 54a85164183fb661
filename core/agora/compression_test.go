package agora_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
)

// TestCompression: Config.Compression picks the encoder; both tokens hold
// the same content, the CompressZlib one is the vendor builder's, and both
// verify.
func TestCompression(t *testing.T) {
	ctx := context.Background()
	g := core.Grant{Kind: "rtc", UserID: "alice", Room: "lobby", Role: "publisher", TTL: 3600e9, Now: testNow, Rand: repeatSalt(testSalt)}
	tokens := map[accesstoken.Compression]string{}
	for _, c := range []accesstoken.Compression{accesstoken.CompressFast, accesstoken.CompressZlib} {
		p, err := agora.New(agora.Config{AppID: testApp, AppCertificate: core.NewSecret(testCert), Compression: c})
		if err != nil {
			t.Fatal(err)
		}
		cred, err := p.Issue(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		want, err := accesstoken.Builder{AppID: testApp, Certificate: testCert, Now: testNow, Rand: repeatSalt(testSalt), Compression: c}.
			RTCWithAccount("lobby", "alice", accesstoken.RolePublisher, 3600, 3600)
		if err != nil {
			t.Fatal(err)
		}
		if cred.Token != want {
			t.Errorf("compression %d: token\n got %s\nwant %s", c, cred.Token, want)
		}
		if _, err := p.Verify(ctx, "rtc", cred.Token, testNow); err != nil {
			t.Errorf("compression %d: Verify: %v", c, err)
		}
		tokens[c] = cred.Token
	}
	fast, zlib := tokens[accesstoken.CompressFast], tokens[accesstoken.CompressZlib]
	if fast == zlib {
		t.Error("both encoders gave the same bytes")
	}
	if !bytes.Equal(inflate(t, fast), inflate(t, zlib)) {
		t.Error("the encoders' tokens hold different content")
	}
	if len(fast) > len(zlib) {
		t.Errorf("default token of %d characters, compress/zlib's %d", len(fast), len(zlib))
	}
	_, err := agora.New(agora.Config{AppID: testApp, AppCertificate: core.NewSecret(testCert), Compression: accesstoken.CompressZlib + 1})
	var ce *core.ConfigError
	if !errors.As(err, &ce) || ce.Field != "Compression" {
		t.Errorf("unknown compression: %v", err)
	}
}
