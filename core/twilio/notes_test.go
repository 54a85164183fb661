package twilio_test

import (
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
)

// Notes and AllRooms tell a video grant without a room and a token with
// several grants or none.
func TestNotes(t *testing.T) {
	for _, c := range []struct {
		name   string
		grants twilio.Grants
		all    bool
		note   string
	}{
		{"video room", twilio.Grants{Identity: "a", Video: &twilio.VideoGrant{Room: "r"}}, false, ""},
		{"video every room", twilio.Grants{Identity: "a", Video: &twilio.VideoGrant{}}, true, "the video grant names no room: it opens every room of the account"},
		{"two grants", twilio.Grants{Identity: "a", Video: &twilio.VideoGrant{}, Sync: &twilio.SyncGrant{ServiceSID: "IS00000000000000000000000000000001"}}, false, "holds several product grants or none"},
		{"none", twilio.Grants{Identity: "a"}, false, "holds several product grants or none"},
	} {
		tok, err := twilio.Sign(&twilio.Claims{Issuer: testKey, Subject: testAccount, ID: twilio.JTI(testKey, testNow.Unix()),
			NotBefore: testNow.Unix(), ExpiresAt: testNow.Unix() + 3600, Grants: c.grants}, "", core.NewSecret(testSecret))
		if err != nil {
			t.Fatal(err)
		}
		got, err := twilio.Parse(tok)
		if err != nil {
			t.Fatal(err)
		}
		var note string
		if n := got.Notes(); len(n) == 1 {
			note = n[0]
		} else if len(n) > 1 {
			note = "several"
		}
		if got.AllRooms() != c.all || note != c.note {
			t.Errorf("%s: AllRooms %v, notes %q", c.name, got.AllRooms(), got.Notes())
		}
	}
}
