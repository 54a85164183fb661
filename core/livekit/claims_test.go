package livekit_test

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"

	"github.com/rtctoken/rtctoken/core/livekit"
)

func TestClaimsElevated(t *testing.T) {
	for claims, want := range map[string][]string{
		`{}`: nil,
		`{"video":{"roomJoin":true,"room":"r","canPublish":true,"canSubscribe":true,"canPublishData":true}}`:   nil,
		`{"video":{"roomJoin":true,"canUpdateOwnMetadata":false,"canSubscribeMetrics":false}}`:                 nil,
		`{"roomConfig":null,"agent":null,"video":{"roomJoin":true}}`:                                           nil,
		`{"video":{"roomAdmin":true,"roomCreate":true,"destinationRoom":"d","canManageAgentSession":true}}`:    {"canManageAgentSession", "destinationRoom", "roomAdmin", "roomCreate"},
		`{"sip":{},"roomPreset":"p","roomConfig":{"maxParticipants":2},"inference":{},"video":{"agent":true}}`: {"inference", "roomConfig", "roomPreset", "sip", "video.agent"},
		`{"video":{"hidden":true,"recorder":true,"ingressAdmin":true,"roomList":true,"roomRecord":true}}`:      {"hidden", "ingressAdmin", "recorder", "roomList", "roomRecord"},
	} {
		var c livekit.Claims
		if err := json.Unmarshal([]byte(claims), &c); err != nil {
			t.Fatal(err)
		}
		if got := c.Elevated(); !slices.Equal(got, want) {
			t.Errorf("%s: Elevated() = %q, want %q", claims, got, want)
		}
	}
}

// TestElevatedOptionsShowInClaims: every elevated option of the provider
// but metadata and attributes (which grant nothing by themselves) issues a
// token whose Claims.Elevated is not empty, so an inspection of the token
// sees what the authorizer had to allow; a plain publisher token has none.
func TestElevatedOptionsShowInClaims(t *testing.T) {
	p := newProvider(t, nil)
	values := map[string]any{"destination_room": "other", "room_config": map[string]any{"maxParticipants": 3}, "room_preset": "preset"}
	opts := p.Kinds()[0].ElevatedOptions
	if len(opts) < 10 {
		t.Fatalf("elevated options %v", opts)
	}
	for _, name := range append(opts, "") {
		if name == "metadata" || name == "attributes" {
			continue
		}
		g := core.Grant{Kind: livekit.KindRoom, UserID: "u", Room: "r", Role: livekit.RoleAdmin, TTL: time.Hour, Now: testNow}
		if name == "" {
			g.Role = livekit.RolePublisher
		} else {
			v, ok := values[name]
			if !ok {
				v = true
			}
			g.Options, _ = json.Marshal(map[string]any{name: v})
		}
		c, err := p.Issue(context.Background(), g)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		tok, err := livekit.Parse(c.Token)
		if err != nil {
			t.Fatal(err)
		}
		got := tok.Claims.Elevated()
		switch {
		case name == "" && got != nil:
			t.Errorf("publisher token: elevated %v", got)
		case name != "" && !slices.ContainsFunc(got, func(s string) bool { return s != "roomAdmin" }):
			t.Errorf("option %s: elevated %v names nothing beyond the admin role", name, got)
		}
	}
}
