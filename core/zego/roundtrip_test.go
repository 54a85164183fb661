package zego

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego/token04"
)

// randomID draws a valid id of 1..max bytes from the allowed characters.
func randomID(r *rand.Rand, max int, allowed *[128]bool) string {
	var chars []byte
	for c := range allowed {
		if allowed[c] {
			chars = append(chars, byte(c))
		}
	}
	n := 1 + r.IntN(max)
	if r.IntN(4) > 0 {
		n = 1 + r.IntN(12)
	}
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[r.IntN(len(chars))]
	}
	return string(b)
}

func randomName(r *rand.Rand) string {
	parts := []string{"Zoë", " ", "李", "😀", "a&b", "%", "'", `"`, "\\", "~", "é", "x"}
	var b strings.Builder
	for n := r.IntN(6); n > 0; n-- {
		b.WriteString(parts[r.IntN(len(parts))])
	}
	return b.String()
}

// TestRoundTrip issues random grants of every kind and mode and checks that
// Verify returns exactly what was granted.
func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(42, 7))
	ctx := context.Background()
	providers := map[Mode]*Provider{
		ModeCBC: newTestProvider(t, Config{}),
		ModeGCM: newTestProvider(t, Config{Mode: ModeGCM, SecondarySecret: core.NewSecret(testSecondary)}),
	}
	for i := range 400 {
		mode := Mode(r.IntN(2))
		p := providers[mode]
		g := core.Grant{
			Kind:   []string{KindToken04, KindKit}[r.IntN(2)],
			UserID: randomID(r, MaxUserIDLen, &idChars),
			TTL:    time.Duration(60+r.IntN(86400-60+1)) * time.Second,
			Now:    time.Unix(1_600_000_000+r.Int64N(500_000_000), 0),
			Rand:   rand.NewChaCha8([32]byte{byte(i), byte(i >> 8)}),
		}
		if g.Kind == KindKit || r.IntN(3) > 0 {
			g.Room = randomID(r, MaxRoomIDLen, &idChars)
		}
		if g.Room != "" {
			g.Role = []string{RolePublisher, RoleSubscriber, ""}[r.IntN(3)]
		}
		var streams []string
		if g.Kind == KindToken04 && g.Role == RolePublisher && r.IntN(2) == 0 {
			seen := map[string]bool{}
			for n := 1 + r.IntN(4); n > 0; n-- {
				if id := randomID(r, MaxStreamIDLen, &streamChars); !seen[id] {
					seen[id] = true
					streams = append(streams, id)
				}
			}
			g.Options, _ = json.Marshal(map[string]any{"stream_ids": streams})
		}
		if g.Kind == KindKit {
			g.Identity.DisplayName = randomName(r)
			if r.IntN(4) > 0 { // mostly the caller's own token, sometimes another user's
				g.Identity.UserID = g.UserID
			}
		}
		c, err := p.Issue(ctx, g)
		if err != nil {
			t.Fatalf("#%d Issue(%+v): %v", i, g, err)
		}
		v, err := p.Verify(ctx, g.Kind, c.Token, g.Now.Add(g.TTL-time.Second))
		if err != nil {
			t.Fatalf("#%d Verify: %v", i, err)
		}
		if v.UserID != g.UserID || v.Room != g.Room || v.AppID != "1234567890" || !v.IssuedAt.Equal(g.Now) || !v.ExpiresAt.Equal(g.Now.Add(g.TTL)) {
			t.Fatalf("#%d verified %+v for grant %+v", i, v, g)
		}
		if v.Claims["mode"] != mode.String() {
			t.Fatalf("#%d mode %v", i, v.Claims["mode"])
		}
		tok04, _, _ := strings.Cut(c.Token, token04.KitSeparator)
		cl, err := token04.Decode(tok04, []byte(testSecret))
		if err != nil {
			t.Fatalf("#%d Decode: %v", i, err)
		}
		priv, isRoom := cl.Privilege()
		if isRoom != (g.Room != "") || priv.RoomID != g.Room || priv.Login != isRoom || priv.Publish != (g.Role == RolePublisher) || len(priv.StreamIDs) != len(streams) {
			t.Fatalf("#%d privilege %+v for grant %+v", i, priv, g)
		}
		for j := range streams {
			if priv.StreamIDs[j] != streams[j] {
				t.Fatalf("#%d stream ids %v, want %v", i, priv.StreamIDs, streams)
			}
		}
		if g.Kind == KindKit {
			kit, _ := v.Claims[ClaimKitUnverified].(map[string]any)
			want := g.UserID
			if g.Identity.DisplayName != "" && g.Identity.UserID == g.UserID {
				want = g.Identity.DisplayName
			}
			if kit["userName"] != want || c.Join["userName"] != want {
				t.Fatalf("#%d userName %q, want %q", i, kit["userName"], want)
			}
		}
		if _, err := p.Verify(ctx, g.Kind, c.Token, g.Now.Add(g.TTL)); err == nil {
			t.Fatalf("#%d accepted at expiry", i)
		}
	}
}
