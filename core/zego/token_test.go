package zego

import (
	"errors"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// TestParseWithoutKey: of a Token04 Parse reads only the clear expiry and
// mode; of a Kit Token also the kit part, kept apart as unverified.
func TestParseWithoutKey(t *testing.T) {
	p := newTestProvider(t, Config{Mode: ModeGCM})
	tok04 := issueFor(t, p, KindToken04, "room-1")
	kit := issueFor(t, p, KindKit, "room-1")
	exp := testNow.Add(DefaultTTL).UTC()
	for _, tc := range []struct {
		tok, kind string
		kit       bool
	}{{tok04, KindToken04, false}, {kit, KindKit, true}} {
		got, err := Parse(tc.tok)
		if err != nil {
			t.Fatalf("Parse(%s): %v", tc.kind, err)
		}
		if got.Kind != tc.kind || !got.ExpiresAt.Equal(exp) || got.Mode != ModeGCM || !got.IssuedAt.IsZero() ||
			got.AppID != "" || got.UserID != "" || got.Room != "" || got.Claims != nil || (got.Kit != nil) != tc.kit {
			t.Fatalf("Parse(%s) = %+v", tc.kind, got)
		}
	}
	if got, _ := Parse(kit); got.Kit.UserID != "alice" || got.Kit.RoomID != "room-1" || got.Kit.UserName != "Alice" || got.Kit.AppID != testAppID {
		t.Fatalf("kit part %+v", got.Kit)
	}
	for _, bad := range []string{"", "04", "05AAAA", tok04 + "#", kit + "#x", "04!!"} {
		if _, err := Parse(bad); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("Parse(%q): %v, want ErrMalformed", bad, err)
		}
	}
}

// TestVerifyKeysAndExpect: the secondary key is tried after the primary,
// the kind comes from want or the token's shape, and every field of want
// is checked.
func TestVerifyKeysAndExpect(t *testing.T) {
	p := newTestProvider(t, Config{})
	tok := issueFor(t, p, KindToken04, "room-1")
	kit := issueFor(t, p, KindKit, "room-1")
	other := core.NewSecret(testSecondary)
	rotated := core.Keys{Primary: other, Secondary: core.NewSecret(testSecret)}
	for _, tc := range []struct {
		name  string
		tok   string
		keys  core.Keys
		want  core.Expect
		err   error
		kind  string
		valid bool
	}{
		{"token04 by shape", tok, testKeys, core.Expect{}, nil, KindToken04, true},
		{"kit by shape", kit, testKeys, core.Expect{}, nil, KindKit, true},
		{"secondary", kit, rotated, core.Expect{Kind: KindKit, AppID: "1234567890", UserID: "alice", Room: "room-1", At: testNow}, nil, KindKit, true},
		{"no keys", tok, core.Keys{}, core.Expect{}, core.ErrSignature, "", false},
		{"wrong key", tok, core.Keys{Primary: other}, core.Expect{}, core.ErrSignature, "", false},
		{"unknown kind", tok, testKeys, core.Expect{Kind: "rtc"}, core.ErrMismatch, "", false},
		{"kit as token04", kit, testKeys, core.Expect{Kind: KindToken04}, core.ErrMalformed, "", false},
		{"other app", tok, testKeys, core.Expect{AppID: "1234567891"}, core.ErrMismatch, "", false},
		{"non-numeric app", tok, testKeys, core.Expect{AppID: "app"}, core.ErrMismatch, "", false},
		{"other user", tok, testKeys, core.Expect{UserID: "bob"}, core.ErrMismatch, "", false},
		{"other room", tok, testKeys, core.Expect{Room: "room-2"}, core.ErrMismatch, "", false},
		{"expired", tok, testKeys, core.Expect{At: testNow.Add(DefaultTTL)}, core.ErrExpired, "", false},
		{"last second", tok, testKeys, core.Expect{At: testNow.Add(DefaultTTL - time.Second)}, nil, KindToken04, true},
	} {
		got, err := Verify(tc.tok, tc.keys, tc.want)
		switch {
		case tc.err != nil && !errors.Is(err, tc.err):
			t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
		case tc.valid && (err != nil || got.Kind != tc.kind || got.AppID != "1234567890" || got.UserID != "alice" ||
			got.Room != "room-1" || !got.IssuedAt.Equal(testNow) || got.Claims == nil):
			t.Errorf("%s: %+v %v", tc.name, got, err)
		}
	}
}
