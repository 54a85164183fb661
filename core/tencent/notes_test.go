package tencent

import (
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
)

// Notes tells a UserSig whose userbuf is no PrivateMapKey's, and nothing
// of a plain UserSig or a PrivateMapKey.
func TestNotes(t *testing.T) {
	s, _ := usersig.NewSigner(5, core.NewSecret("test-key"), usersig.StyleGo14)
	now := time.Unix(1000, 0)
	sig, _ := s.UserSig("alice", 60, now)
	pmk, _ := s.PrivateMapKeyWithStringRoomID("alice", 60, now, "lobby", usersig.PrivSubscribe)
	opaque, _ := s.UserSigWithBuf("alice", 60, now, []byte("abc"))
	for tok, want := range map[string]int{sig: 0, pmk: 0, opaque: 1} {
		got, err := Parse(tok)
		if err != nil {
			t.Fatal(err)
		}
		if n := got.Notes(); len(n) != want || want == 1 && n[0] != "carries a userbuf that is not a PrivateMapKey's" {
			t.Errorf("%s: notes %q", got.Kind, n)
		}
	}
}
