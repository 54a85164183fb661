package zego

import (
	"context"
	"errors"
	"testing"

	"github.com/rtctoken/rtctoken/core"
)

// issueFor returns a token of kind for user alice, with room when not "".
func issueFor(t *testing.T, p *Provider, kind, room string) string {
	t.Helper()
	c, err := p.Issue(context.Background(), core.Grant{
		Kind: kind, UserID: "alice", Room: room, Now: testNow, Rand: seededRand(21),
		Identity: core.Identity{UserID: "alice", DisplayName: "Alice"},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.Token
}

// forgeKit wraps token04 in a hand-written kit part, as anyone holding a
// Token04 can.
func forgeKit(t *testing.T, token04 string, k Kit) string {
	t.Helper()
	kt, err := KitToken(token04, k)
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
	forged := forgeKit(t, basic, Kit{AppID: testAppID, UserID: "alice", RoomID: "board-room", UserName: "Alice"})

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

	secret := []byte(testSecret)
	if _, err := VerifyKitToken(forged, secret, Expect{AppID: testAppID, Room: "board-room", Now: testNow}); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("roomless Token04 verified against the kit's room: %v, want ErrMismatch", err)
	}
	vk, err := VerifyKitToken(forged, secret, Expect{AppID: testAppID, Now: testNow})
	if err != nil || vk.HasRoom || vk.Room != "" || vk.Unverified.RoomID != "board-room" {
		t.Fatalf("VerifyKitToken without a room: %+v %v", vk, err)
	}

	// A room Token04 is proof of its own room only.
	real := issueFor(t, p, KindKit, "room-1")
	if _, err := VerifyKitToken(real, secret, Expect{AppID: testAppID, Room: "room-2", Now: testNow}); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("room-1 Kit Token against room-2: %v, want ErrMismatch", err)
	}
	vk, err = VerifyKitToken(real, secret, Expect{AppID: testAppID, Room: "room-1", Now: testNow})
	if err != nil || !vk.HasRoom || vk.Room != "room-1" {
		t.Fatalf("room-1 Kit Token: %+v %v", vk, err)
	}
	// Its kit part cannot move it to another room, nor to another user.
	tok04, k, err := ParseKitToken(real)
	if err != nil {
		t.Fatal(err)
	}
	for name, mut := range map[string]func(*Kit){
		"room": func(k *Kit) { k.RoomID = "room-2" },
		"user": func(k *Kit) { k.UserID = "bob" },
	} {
		k2 := k
		mut(&k2)
		if _, err := VerifyKitToken(forgeKit(t, tok04, k2), secret, Expect{AppID: testAppID, Now: testNow}); !errors.Is(err, core.ErrMismatch) {
			t.Errorf("kit %s rewritten: %v, want ErrMismatch", name, err)
		}
	}
}

// The display name is the kit part's word only: a rewritten userName still
// verifies (nothing can tell), and is reported as unverified, never as a
// verified field.
func TestKitUserNameIsUnverified(t *testing.T) {
	p := newTestProvider(t, Config{})
	tok04, k, err := ParseKitToken(issueFor(t, p, KindKit, "room-1"))
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
	vk, err := VerifyKitToken(forged, []byte(testSecret), Expect{AppID: testAppID, Now: testNow})
	if err != nil || vk.Unverified.UserName != "The CEO" || vk.Claims.UserID != "alice" {
		t.Fatalf("VerifyKitToken: %+v %v", vk, err)
	}
}
