package agora_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
)

// TestParseAndVerify checks the package-level Parse and Verify against
// tokens the provider issued: the kind each finds, the fields of Token,
// and every check of Verify with its error.
func TestParseAndVerify(t *testing.T) {
	s := newService(t, newProvider(t, ""))
	rtc, err := issue(t, s, "alice", core.Request{Kind: "rtc", Room: "lobby", Role: "publisher", TTL: 2 * time.Hour,
		Options: json.RawMessage(`{"rtm":true,"join_ttl":600}`)})
	if err != nil {
		t.Fatal(err)
	}
	app, err := issue(t, s, "admin", core.Request{Kind: "chat_app"})
	if err != nil {
		t.Fatal(err)
	}
	tok, err := agora.Parse(rtc.Token)
	if err != nil {
		t.Fatal(err)
	}
	if tok.Kind != "rtc" || tok.AppID != testApp || tok.UserID != "alice" || tok.Room != "lobby" ||
		!tok.IssuedAt.Equal(testNow) || !tok.ExpiresAt.Equal(testNow.Add(2*time.Hour)) ||
		!tok.PrivilegeExpiresAt.Equal(testNow.Add(10*time.Minute)) || len(tok.Content.Services) != 2 {
		t.Fatalf("parsed %+v", tok)
	}
	if d := tok.Deadline(); !d.Equal(tok.PrivilegeExpiresAt) {
		t.Fatalf("Deadline() = %v, want the join privilege's %v", d, tok.PrivilegeExpiresAt)
	}
	if d := (&agora.Token{ExpiresAt: testNow}).Deadline(); !d.Equal(testNow) {
		t.Fatalf("Deadline() without a privilege deadline = %v", d)
	}
	if tok, err := agora.Parse(app.Token); err != nil || tok.Kind != "chat_app" || tok.UserID != "" || tok.Room != "" {
		t.Fatalf("chat app: %+v %v", tok, err)
	}

	keys := core.Keys{Primary: core.NewSecret(testCert2), Secondary: core.NewSecret(testCert)}
	at := testNow.Add(5 * time.Minute)
	v, err := agora.Verify(rtc.Token, keys, core.Expect{Kind: "rtm", AppID: testApp, UserID: "alice", At: at})
	if err != nil || v.Kind != "rtm" || v.UserID != "alice" || v.Room != "" || !v.PrivilegeExpiresAt.Equal(testNow.Add(2*time.Hour)) {
		t.Fatalf("rtm view of an rtc token, secondary key: %+v %v", v, err)
	}
	cases := []struct {
		name string
		keys core.Keys
		want core.Expect
		err  error
	}{
		{"no keys", core.Keys{}, core.Expect{}, core.ErrSignature},
		{"wrong key", core.Keys{Primary: core.NewSecret(testCert2)}, core.Expect{}, core.ErrSignature},
		{"app id", keys, core.Expect{AppID: "a1b2c3d4e5f60718293a4b5c6d7e8f90"}, core.ErrMismatch},
		{"kind", keys, core.Expect{Kind: "chat"}, core.ErrMismatch},
		{"unknown kind", keys, core.Expect{Kind: "video"}, core.ErrMismatch},
		{"user", keys, core.Expect{UserID: "bob"}, core.ErrMismatch},
		{"room", keys, core.Expect{Room: "other"}, core.ErrMismatch},
		{"join privilege expired", keys, core.Expect{Kind: "rtc", At: testNow.Add(10*time.Minute + time.Second)}, core.ErrExpired},
		{"join privilege last second", keys, core.Expect{Kind: "rtc", At: testNow.Add(10*time.Minute + 999*time.Millisecond)}, nil},
		{"zero time: no expiry check", keys, core.Expect{Kind: "rtc", UserID: "alice", Room: "lobby"}, nil},
		{"malformed", keys, core.Expect{}, core.ErrMalformed},
	}
	for _, c := range cases {
		token := rtc.Token
		if c.err == core.ErrMalformed {
			token = "007!!"
		}
		_, err := agora.Verify(token, c.keys, c.want)
		if c.err == nil && err != nil || c.err != nil && !errors.Is(err, c.err) {
			t.Errorf("%s: %v, want %v", c.name, err, c.err)
		}
	}
}

// TestKindsAllowlist: a kind left out of Config.Kinds is not listed,
// issued or verified.
func TestKindsAllowlist(t *testing.T) {
	full := newProvider(t, "")
	p, err := agora.New(agora.Config{AppID: testApp, AppCertificate: core.NewSecret(testCert), Kinds: []string{agora.KindRTM}})
	if err != nil {
		t.Fatal(err)
	}
	if ks := p.Kinds(); len(ks) != 1 || ks[0].Kind != "rtm" {
		t.Fatalf("kinds %+v", ks)
	}
	ctx := context.Background()
	g := core.Grant{Kind: "rtc", UserID: "alice", Room: "r", TTL: time.Hour, Now: testNow, Rand: repeatSalt(1)}
	if _, err := p.Issue(ctx, g); core.CodeOf(err) != core.CodeUnknownKind {
		t.Fatalf("rtc issued: %v", err)
	}
	c, err := full.Issue(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Verify(ctx, "rtc", c.Token, testNow); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("rtc verified: %v", err)
	}
	g = core.Grant{Kind: "rtm", UserID: "alice", TTL: time.Hour, Now: testNow, Rand: repeatSalt(1)}
	if c, err = p.Issue(ctx, g); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Verify(ctx, "rtm", c.Token, testNow); err != nil {
		t.Fatal(err)
	}
}

// Verify with the project's keys and what the token must match; Parse
// reads the same token without a certificate.
func ExampleVerify() {
	tok := "007eJxSYDhuGCT90E3Yo2+N3efJV5hX1K1MZAqae/Sa8UP9VXvOhfArMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgYmBgZABhRgYWBkYwnwlMMoNJFjCpwGCeYm5kbGaammRpYWxiYWpsaZ5qnGqcZpliYmaQlJKSyMVgZGFhZGxiaGRuDAgAAP//qLMlyw=="
	keys := core.Keys{Primary: core.NewSecret("5CFd2fd1755d40ecb72977518be15d3b")}
	t, err := agora.Verify(tok, keys, core.Expect{
		Kind: agora.KindRTC, AppID: "970CA35de60c44645bbae8a215061b33", Room: "7d72365eb983485397e3e3f9d460bdda",
		At: time.Unix(1111200, 0),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Kind, t.Room, t.UserID, t.ExpiresAt.Unix())
	_, err = agora.Verify(tok, keys, core.Expect{Kind: agora.KindRTC, At: time.Unix(1111712, 0)})
	fmt.Println(err)
	p, _ := agora.Parse(tok)
	fmt.Println(p.Kind, p.AppID)
	// Output:
	// rtc 7d72365eb983485397e3e3f9d460bdda 2882341273 1111711
	// rtctoken: token expired: agora: the token or its rtc privilege expired
	// rtc 970CA35de60c44645bbae8a215061b33
}
