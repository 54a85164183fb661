package zego_test

import (
	"context"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zego/token04"
)

// countReader is a cheap, never-failing randomness source for benchmarks.
type countReader struct{ n byte }

func (r *countReader) Read(p []byte) (int, error) {
	for i := range p {
		r.n++
		p[i] = r.n % 200
	}
	return len(p), nil
}

const (
	benchApp    = 1234567890
	benchSecret = "fa94dd0f974cf2e293728a526b028271"
)

var benchNow = time.Unix(1700000000, 0)

func benchProvider(b *testing.B, mode zego.Mode) *zego.Provider {
	b.Helper()
	p, err := zego.New(zego.Config{AppID: benchApp, ServerSecret: core.NewSecret(benchSecret), Mode: mode})
	if err != nil {
		b.Fatal(err)
	}
	return p
}

func benchIssue(b *testing.B, mode zego.Mode, g core.Grant) {
	p := benchProvider(b, mode)
	g.Now, g.Rand, g.TTL = benchNow, &countReader{}, time.Hour
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue(ctx, g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkIssueToken04CBC is the target path: a Token04 through the
// provider, AES-CBC, basic (no room).
func BenchmarkIssueToken04CBC(b *testing.B) {
	benchIssue(b, zego.ModeCBC, core.Grant{Kind: zego.KindToken04, UserID: "user1"})
}

func BenchmarkIssueToken04CBCRoom(b *testing.B) {
	benchIssue(b, zego.ModeCBC, core.Grant{Kind: zego.KindToken04, UserID: "user1", Room: "room-42", Role: zego.RolePublisher})
}

func BenchmarkIssueToken04GCM(b *testing.B) {
	benchIssue(b, zego.ModeGCM, core.Grant{Kind: zego.KindToken04, UserID: "user1"})
}

func BenchmarkIssueKit(b *testing.B) {
	benchIssue(b, zego.ModeCBC, core.Grant{Kind: zego.KindKit, UserID: "user1", Room: "room-42",
		Identity: core.Identity{UserID: "user1", DisplayName: "Zoë 😀 李"}})
}

// BenchmarkGenerate is the low-level generator, which also sets up
// the AES key on every call.
func BenchmarkGenerate(b *testing.B) {
	p := token04.Params{AppID: benchApp, UserID: "user1", CTime: 1700000000, Effective: 3600, Nonce: 123456789, IV: []byte("0123456789abcdef")}
	secret := []byte(benchSecret)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := token04.Generate(secret, p); err != nil {
			b.Fatal(err)
		}
	}
}

func benchVerify(b *testing.B, mode zego.Mode, g core.Grant) {
	p := benchProvider(b, mode)
	g.Now, g.Rand, g.TTL = benchNow, &countReader{}, time.Hour
	ctx := context.Background()
	c, err := p.Issue(ctx, g)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Verify(ctx, g.Kind, c.Token, benchNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerifyToken04CBC(b *testing.B) {
	benchVerify(b, zego.ModeCBC, core.Grant{Kind: zego.KindToken04, UserID: "user1", Room: "room-42"})
}

func BenchmarkVerifyToken04GCM(b *testing.B) {
	benchVerify(b, zego.ModeGCM, core.Grant{Kind: zego.KindToken04, UserID: "user1", Room: "room-42"})
}

func BenchmarkVerifyKit(b *testing.B) {
	benchVerify(b, zego.ModeCBC, core.Grant{Kind: zego.KindKit, UserID: "user1", Room: "room-42"})
}
