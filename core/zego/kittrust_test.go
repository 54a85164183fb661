package zego

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego/token04"
)

// testKeys are the keys of newTestProvider's default secret.
var testKeys = core.Keys{Primary: core.NewSecret(testSecret)}

// issueFor returns a token of kind for user alice, with room when not "".
func issueFor(t *testing.T, p *Provider, kind, room string) string {
	t.Helper()
	c, err := p.Issue(context.Background(), core.Grant{
		Kind: kind, UserID: "alice", Room: room, TTL: DefaultTTL, Now: testNow, Rand: seededRand(21),
		Identity: core.Identity{UserID: "alice", DisplayName: "Alice"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Token
}

// forgeKit wraps token04 in a hand-written kit part, as anyone holding a
// Token04 can.
func forgeKit(t *testing.T, tok04 string, k token04.Kit) string {
	t.Helper()
	kt, err := token04.KitToken(tok04, k)
	if err != nil {
		t.Fatal(err)
	}
	return kt
}

// A user's own roomless Token04 (the login preset) plus a kit part naming
// a room is no Kit Token for that room: the room comes from the Token04.
func TestKitRoomComesFromToken04(t *testing.T) {
	p := newTestProvider(t, Config{})
	basic := issueFor(t, p, KindToken04, "")
	forged := forgeKit(t, basic, token04.Kit{AppID: testAppID, UserID: "alice", RoomID: "board-room", UserName: "Alice"})

	v, err := p.Verify(context.Background(), KindKit, forged, testNow)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.UserID != "alice" || v.Room != "" {
		t.Fatalf("verified user %q room %q, want alice and no room", v.UserID, v.Room)
	}
	kit, _ := v.Claims[ClaimKitUnverified].(map[string]any)
	if kit["roomID"] != "board-room" {
		t.Fatalf("the kit part's room is not reported as unverified: %v", v.Claims)
	}

	if _, err := Verify(forged, testKeys, core.Expect{AppID: "1234567890", Room: "board-room", At: testNow}); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("roomless Token04 verified against the kit's room: %v, want ErrMismatch", err)
	}
	vk, err := Verify(forged, testKeys, core.Expect{AppID: "1234567890", At: testNow})
	if err != nil || vk.Kind != KindKit || vk.Room != "" || vk.Kit.RoomID != "board-room" {
		t.Fatalf("Verify without a room: %+v %v", vk, err)
	}

	// A room Token04 is proof of its own room only.
	real := issueFor(t, p, KindKit, "room-1")
	if _, err := Verify(real, testKeys, core.Expect{Kind: KindKit, AppID: "1234567890", Room: "room-2", At: testNow}); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("room-1 Kit Token against room-2: %v, want ErrMismatch", err)
	}
	vk, err = Verify(real, testKeys, core.Expect{Kind: KindKit, AppID: "1234567890", Room: "room-1", At: testNow})
	if err != nil || vk.Room != "room-1" {
		t.Fatalf("room-1 Kit Token: %+v %v", vk, err)
	}
	// Its kit part cannot move it to another room, nor to another user.
	tok04, k, err := token04.ParseKitToken(real)
	if err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*token04.Kit){
		"room": func(k *token04.Kit) { k.RoomID = "room-2" },
		"user": func(k *token04.Kit) { k.UserID = "bob" },
	} {
		k2 := k
		mut(&k2)
		if _, err := Verify(forgeKit(t, tok04, k2), testKeys, core.Expect{AppID: "1234567890", At: testNow}); !errors.Is(err, core.ErrMismatch) {
			t.Errorf("kit %s rewritten: %v, want ErrMismatch", name, err)
		}
	}
}

// The display name is the kit part's word only: a rewritten userName still
// verifies (nothing can tell), and is reported as unverified, never as a
// verified field.
func TestKitUserNameIsUnverified(t *testing.T) {
	p := newTestProvider(t, Config{})
	tok04, k, err := token04.ParseKitToken(issueFor(t, p, KindKit, "room-1"))
	if err != nil {
		t.Fatal(err)
	}
	k.UserName = "The CEO"
	forged := forgeKit(t, tok04, k)

	v, err := p.Verify(context.Background(), KindKit, forged, testNow)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if v.UserID != "alice" || v.Room != "room-1" {
		t.Fatalf("verified %q in %q", v.UserID, v.Room)
	}
	kit, _ := v.Claims[ClaimKitUnverified].(map[string]any)
	if kit["userName"] != "The CEO" || kit["userID"] != "alice" || kit["roomID"] != "room-1" {
		t.Fatalf("unverified kit claims %v", v.Claims)
	}
	for key, val := range v.Claims {
		if key != ClaimKitUnverified && val == "The CEO" {
			t.Fatalf("the kit user name is reported as claim %q", key)
		}
	}
	vk, err := Verify(forged, testKeys, core.Expect{AppID: "1234567890", At: testNow})
	if err != nil || vk.Kit.UserName != "The CEO" || vk.UserID != "alice" || vk.Claims.UserID != "alice" {
		t.Fatalf("Verify: %+v %v", vk, err)
	}
	// Without the key, Parse fills no verified field from the kit part.
	pt, err := Parse(forged)
	if err != nil || pt.UserID != "" || pt.Room != "" || pt.AppID != "" || pt.Kit.UserID != "alice" || pt.Kit.UserName != "The CEO" {
		t.Fatalf("Parse: %+v %v", pt, err)
	}
}

// Open shows the content of an authentic token that Verify refuses (a kit
// part naming another user, an expired token), with either key, and opens
// nothing with a wrong one.
func TestOpen(t *testing.T) {
	p := newTestProvider(t, Config{})
	tok04 := issueFor(t, p, KindToken04, "board-room")
	forged := forgeKit(t, tok04, token04.Kit{AppID: testAppID, UserID: "mallory", RoomID: "board-room"})
	if _, err := Verify(forged, testKeys, core.Expect{}); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("Verify of a kit part naming another user: %v, want ErrMismatch", err)
	}
	rotated := core.Keys{Primary: core.NewSecret("0123456789abcdef0123456789abcdef"), Secondary: testKeys.Primary}
	for name, tok := range map[string]string{"token04": tok04, "kit": forged} {
		o, err := Open(tok, rotated)
		if err != nil {
			t.Fatalf("%s: Open: %v", name, err)
		}
		if o.UserID != "alice" || o.Room != "board-room" || o.AppID != "1234567890" || o.Claims == nil || !o.ExpiresAt.After(o.IssuedAt) {
			t.Fatalf("%s: opened %+v", name, o)
		}
		if kit, _ := o.Map()[ClaimKitUnverified].(map[string]any); (name == "kit") != (kit != nil) || (kit != nil && kit["userID"] != "mallory") {
			t.Fatalf("%s: kit part in Map: %v", name, o.Map())
		}
		// Open takes no time: what Verify refuses as expired opens.
		if _, err := Verify(tok, testKeys, core.Expect{At: o.ExpiresAt.Add(time.Hour)}); name == "token04" && !errors.Is(err, core.ErrExpired) {
			t.Fatalf("%s: Verify after expiry: %v", name, err)
		}
		if _, err := Open(tok, core.Keys{Primary: rotated.Primary}); !errors.Is(err, core.ErrSignature) {
			t.Fatalf("%s: Open with a wrong key: %v, want ErrSignature", name, err)
		}
	}
	if _, err := Open(tok04, core.Keys{}); !errors.Is(err, core.ErrSignature) {
		t.Fatalf("Open without keys: %v, want ErrSignature", err)
	}
	if _, err := Open("04garbage", testKeys); !errors.Is(err, core.ErrMalformed) {
		t.Fatalf("Open of a malformed token: %v, want ErrMalformed", err)
	}
	if m, err := Parse(tok04); err != nil || m.Map()["mode"] == nil || len(m.Map()) != 2 {
		t.Fatalf("Map of a parsed, still encrypted token: %v %v", m, err)
	}
}

// Notes tells a still encrypted token, a Kit Token's unauthenticated kit
// part, and a Kit Token around a roomless Token04.
func TestNotes(t *testing.T) {
	p := newTestProvider(t, Config{})
	basic := issueFor(t, p, KindToken04, "")
	roomless := forgeKit(t, basic, token04.Kit{AppID: testAppID, UserID: "alice", RoomID: "board-room"})
	kit := issueFor(t, p, KindKit, "board-room")
	parsed := func(tok string) *Token {
		tk, err := Parse(tok)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	opened := func(tok string) *Token {
		tk, err := Open(tok, testKeys)
		if err != nil {
			t.Fatal(err)
		}
		return tk
	}
	for _, c := range []struct {
		name string
		tok  *Token
		want []string // a word of each note
	}{
		{"sealed token04", parsed(basic), []string{"encrypted"}},
		{"sealed kit", parsed(kit), []string{"kit part's"}},
		{"token04", opened(basic), nil},
		{"kit", opened(kit), []string{"not authenticated"}},
		{"roomless kit", opened(roomless), []string{"not authenticated", "bound to no room"}},
	} {
		n := c.tok.Notes()
		ok := len(n) == len(c.want)
		for i := 0; ok && i < len(n); i++ {
			ok = strings.Contains(n[i], c.want[i])
		}
		if !ok {
			t.Errorf("%s: notes %q", c.name, n)
		}
	}
}
