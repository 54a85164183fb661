package livekit_test

import (
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
)

// Notes names the grants of a token beyond joining one room.
func TestNotes(t *testing.T) {
	for _, c := range []struct {
		video livekit.VideoGrant
		note  string
	}{
		{livekit.VideoGrant{RoomJoin: true, Room: "r"}, ""},
		{livekit.VideoGrant{RoomJoin: true, Room: "r", RoomAdmin: true, RoomRecord: true}, "role admin, with elevated grants: roomAdmin, roomRecord"},
	} {
		tok, err := livekit.Sign(&livekit.Claims{Issuer: testKey, Subject: "u", NotBefore: testNow.Unix(), ExpiresAt: testNow.Unix() + 3600, Video: &c.video},
			core.NewSecret(testSecret))
		if err != nil {
			t.Fatal(err)
		}
		got, err := livekit.Parse(tok)
		if err != nil {
			t.Fatal(err)
		}
		var note string
		if n := got.Notes(); len(n) > 0 {
			note = n[0]
		}
		if note != c.note || len(got.Notes()) > 1 {
			t.Errorf("%+v: notes %q", c.video, got.Notes())
		}
	}
}
