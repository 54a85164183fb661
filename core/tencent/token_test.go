package tencent

import (
	"errors"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
)

// TestVerify covers every field of core.Keys and core.Expect and the order
// in which Verify reports problems.
func TestVerify(t *testing.T) {
	key, old := core.NewSecret("test-key"), core.NewSecret("old")
	s, _ := usersig.NewSigner(5, key, usersig.StyleGo14)
	now := time.Unix(1000, 0)
	sig, err := s.UserSig("alice", 60, now)
	if err != nil {
		t.Fatal(err)
	}
	pmk, _ := s.PrivateMapKeyWithStringRoomID("alice", 60, now, "lobby", usersig.PrivSubscribe)
	opaque, _ := s.UserSigWithBuf("alice", 60, now, []byte("abc"))
	at := func(d time.Duration) time.Time { return now.Add(d) }
	for _, c := range []struct {
		name  string
		token string
		keys  core.Keys
		want  core.Expect
		err   error
	}{
		{"valid", sig, core.Keys{Primary: key}, core.Expect{Kind: KindUserSig, AppID: "5", UserID: "alice", At: now}, nil},
		{"nothing expected", sig, core.Keys{Primary: key}, core.Expect{}, nil},
		{"secondary key", sig, core.Keys{Primary: old, Secondary: key}, core.Expect{AppID: "5"}, nil},
		{"secondary only", sig, core.Keys{Secondary: key}, core.Expect{AppID: "5"}, nil},
		{"no keys", sig, core.Keys{}, core.Expect{}, core.ErrSignature},
		{"wrong keys", sig, core.Keys{Primary: old, Secondary: core.NewSecret("older")}, core.Expect{}, core.ErrSignature},
		{"other app", sig, core.Keys{Primary: key}, core.Expect{AppID: "6"}, core.ErrMismatch},
		{"other user", sig, core.Keys{Primary: key}, core.Expect{UserID: "bob"}, core.ErrMismatch},
		{"room of a usersig", sig, core.Keys{Primary: key}, core.Expect{Room: "lobby"}, core.ErrMismatch},
		{"usersig as privatemapkey", sig, core.Keys{Primary: key}, core.Expect{Kind: KindPrivateMapKey}, core.ErrMismatch},
		{"unknown kind", sig, core.Keys{Primary: key}, core.Expect{Kind: "rtc"}, core.ErrMismatch},
		{"unknown kind before malformed", "!", core.Keys{Primary: key}, core.Expect{Kind: "rtc"}, core.ErrMismatch},
		{"privatemapkey", pmk, core.Keys{Primary: key}, core.Expect{Kind: KindPrivateMapKey, Room: "lobby", At: now}, nil},
		{"privatemapkey as usersig", pmk, core.Keys{Primary: key}, core.Expect{Kind: KindUserSig}, core.ErrMismatch},
		{"other room", pmk, core.Keys{Primary: key}, core.Expect{Kind: KindPrivateMapKey, Room: "hall"}, core.ErrMismatch},
		{"opaque userbuf", opaque, core.Keys{Primary: key}, core.Expect{}, nil},
		{"opaque userbuf as privatemapkey", opaque, core.Keys{Primary: key}, core.Expect{Kind: KindPrivateMapKey}, core.ErrMalformed},
		{"expiry instant", sig, core.Keys{Primary: key}, core.Expect{At: at(60 * time.Second)}, nil},
		{"expired", sig, core.Keys{Primary: key}, core.Expect{At: at(61 * time.Second)}, core.ErrExpired},
		{"zero time: no expiry check", sig, core.Keys{Primary: key}, core.Expect{AppID: "5"}, nil},
		{"malformed", sig[:len(sig)/2], core.Keys{Primary: key}, core.Expect{}, core.ErrMalformed},
		{"wrong key and app: signature first", sig, core.Keys{Primary: old}, core.Expect{AppID: "6"}, core.ErrSignature},
		{"other app, expired: mismatch first", sig, core.Keys{Primary: key}, core.Expect{AppID: "6", At: at(time.Hour)}, core.ErrMismatch},
	} {
		t.Run(c.name, func(t *testing.T) {
			tok, err := Verify(c.token, c.keys, c.want)
			checkSentinel(t, "Verify", err, c.err)
			if (tok != nil) != (c.err == nil) {
				t.Fatalf("token %+v with error %v", tok, err)
			}
			if tok != nil && (!tok.IssuedAt.Equal(now) || !tok.ExpiresAt.Equal(now.Add(time.Minute)) || tok.AppID != "5" || tok.UserID != "alice") {
				t.Fatalf("token %+v", tok)
			}
		})
	}
}

// TestParse reads every field without the key, whatever the key was.
func TestParse(t *testing.T) {
	s, _ := usersig.NewSigner(1400000001, core.NewSecret("unknown to the reader"), usersig.StyleGo13)
	now := time.Unix(1700000000, 0)
	sig, _ := s.UserSig("alice", 300, now)
	num, _ := s.PrivateMapKey("bob", 300, now, 4294967294, usersig.PrivAll)
	str, _ := s.PrivateMapKeyWithStringRoomID("bob", 300, now, "Room 1", usersig.PrivSubscribe)
	opaque, _ := s.UserSigWithBuf("carol", 300, now, []byte("abc"))
	for _, c := range []struct {
		token, kind, user, room string
		privileges              uint32
	}{
		{sig, KindUserSig, "alice", "", 0},
		{num, KindPrivateMapKey, "bob", "4294967294", usersig.PrivAll},
		{str, KindPrivateMapKey, "bob", "Room 1", usersig.PrivSubscribe},
		{opaque, "", "carol", "", 0},
	} {
		tok, err := Parse(c.token)
		if err != nil {
			t.Fatal(err)
		}
		if tok.Kind != c.kind || tok.AppID != "1400000001" || tok.UserID != c.user || tok.Room != c.room ||
			!tok.IssuedAt.Equal(now) || !tok.ExpiresAt.Equal(now.Add(300*time.Second)) || tok.IssuedAt.Location() != time.UTC {
			t.Errorf("%s: %+v", c.kind, tok)
		}
		if (tok.PrivateMap != nil) != (c.kind == KindPrivateMapKey) || tok.PrivateMap != nil && tok.PrivateMap.PrivilegeMap != c.privileges {
			t.Errorf("%s: userbuf %+v", c.kind, tok.PrivateMap)
		}
	}
	for _, bad := range []string{"", "eJ", "not a token!", sig[:len(sig)-8]} {
		if _, err := Parse(bad); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("Parse(%q): %v, want ErrMalformed", bad, err)
		}
	}
}

// TestConfigKindsAndName: a kind left out of Config.Kinds is neither
// listed, issued nor verified, and Config.Name names the provider.
func TestConfigKindsAndName(t *testing.T) {
	full := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	p := newProvider(t, Config{Name: "tencent-eu", SDKAppID: provApp, Key: core.NewSecret(provKey), Kinds: []string{KindUserSig}})
	if ks := p.Kinds(); len(ks) != 1 || ks[0].Kind != KindUserSig || ks[0].ElevatedUsers[0] != DefaultAdmins[0] {
		t.Fatalf("kinds %+v", ks)
	}
	if p.Name() != "tencent-eu" || full.Name() != Name {
		t.Fatalf("names %q %q", p.Name(), full.Name())
	}
	g := core.Grant{Kind: KindPrivateMapKey, UserID: "alice", Room: "lobby", Role: RoleSubscriber, TTL: time.Hour, Now: provNow}
	if _, err := p.Issue(t.Context(), g); !errors.Is(err, &core.Error{Code: core.CodeUnknownKind}) {
		t.Fatalf("disabled kind issued: %v", err)
	}
	pmk, err := full.Issue(t.Context(), g)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Verify(t.Context(), KindPrivateMapKey, pmk.Token, provNow); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("disabled kind verified: %v", err)
	}
	c, err := p.Issue(t.Context(), core.Grant{Kind: KindUserSig, UserID: "alice", TTL: time.Hour, Now: provNow})
	if err != nil || c.Provider != "tencent-eu" {
		t.Fatalf("issue: %+v %v", c, err)
	}
	v, err := p.Verify(t.Context(), KindUserSig, c.Token, provNow)
	if err != nil || v.Provider != "tencent-eu" || v.Kind != KindUserSig || v.AppID != "1400000000" {
		t.Fatalf("verify: %+v %v", v, err)
	}
}
