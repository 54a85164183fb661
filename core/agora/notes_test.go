package agora_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
)

// Notes tells an RTC token that also logs in to RTM, and nothing of plain
// RTC and RTM tokens.
func TestNotes(t *testing.T) {
	p := newProvider(t, "")
	for _, c := range []struct {
		kind, options string
		want          string
	}{
		{"rtc", `{"rtm":true}`, "carries an RTM login for the same user"},
		{"rtc", ``, ""},
		{"rtm", ``, ""},
	} {
		g := core.Grant{Kind: c.kind, UserID: "alice", Role: "publisher", TTL: 3600e9, Now: testNow, Rand: repeatSalt(testSalt), Options: json.RawMessage(c.options)}
		if c.kind == "rtc" {
			g.Room = "lobby"
		} else {
			g.Role = ""
		}
		cred, err := p.Issue(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		tok, err := agora.Parse(cred.Token)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(tok.Notes(), "; "); got != c.want {
			t.Errorf("%s %s: notes %q, want %q", c.kind, c.options, got, c.want)
		}
	}
}
