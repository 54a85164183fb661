package livekit_test

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

func randText(r *rand.Rand, min, max int) string { return testutil.RandText(r, min, max) }

func randBool(r *rand.Rand) *bool {
	switch r.IntN(3) {
	case 0:
		return nil
	case 1:
		return new(bool)
	}
	t := true
	return &t
}

func randClaims(r *rand.Rand) *livekit.Claims {
	iat := 1_600_000_000 + r.Int64N(400_000_000)
	c := &livekit.Claims{Issuer: randText(r, 1, 20), Subject: randText(r, 0, 30), IssuedAt: iat, NotBefore: iat, ExpiresAt: iat + 1 + r.Int64N(86400)}
	c.Identity = c.Subject
	if r.IntN(2) == 0 {
		c.Name = randText(r, 1, 20)
	}
	if r.IntN(2) == 0 {
		c.Metadata = randText(r, 1, 40)
	}
	if r.IntN(2) == 0 {
		c.Attributes = map[string]string{randText(r, 1, 5): randText(r, 0, 10), randText(r, 1, 5): randText(r, 0, 10)}
	}
	if r.IntN(4) > 0 {
		v := &livekit.VideoGrant{
			RoomJoin: r.IntN(2) == 0, Room: randText(r, 0, 20), RoomAdmin: r.IntN(2) == 0, RoomCreate: r.IntN(4) == 0,
			CanPublish: randBool(r), CanSubscribe: randBool(r), CanPublishData: randBool(r), CanUpdateOwnMetadata: randBool(r),
			Hidden: r.IntN(4) == 0, CanSubscribeMetrics: randBool(r), DestinationRoom: randText(r, 0, 5),
		}
		for _, s := range []string{livekit.SourceCamera, livekit.SourceMicrophone, livekit.SourceScreenShare, livekit.SourceScreenShareAudio} {
			if r.IntN(3) == 0 {
				v.CanPublishSources = append(v.CanPublishSources, s)
			}
		}
		c.Video = v
	}
	if r.IntN(5) == 0 {
		c.SIP = &livekit.SIPGrant{Admin: r.IntN(2) == 0, Call: true}
	}
	if r.IntN(5) == 0 {
		c.RoomConfig = json.RawMessage(`{"maxParticipants":3}`)
	}
	return c
}

func TestRoundTripClaims(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 500 {
		secret := core.NewSecret(randText(r, 1, 64))
		c := randClaims(r)
		tok, err := livekit.Sign(c, secret)
		if err != nil {
			t.Fatal(err)
		}
		got, err := livekit.Verify(tok, core.Keys{Primary: core.NewSecret("wrong"), Secondary: secret},
			core.Expect{Kind: livekit.KindRoom, AppID: c.Issuer, At: time.Unix(c.IssuedAt, 0)})
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if !reflect.DeepEqual(got.Claims, c) {
			t.Fatalf("%d:\n got %+v\nwant %+v", i, got.Claims, c)
		}
	}
}

// TestRoundTripService issues random requests through the Service, every
// role and option included, and checks the token says what was asked.
func TestRoundTripService(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	svc := newService(t, newProvider(t, nil), core.AllowElevated(allowAll))
	roles := []string{livekit.RoleSubscriber, livekit.RolePublisher, livekit.RoleAdmin}
	for i := range 300 {
		id := core.Identity{UserID: strings.TrimSpace(randText(r, 1, 40)) + "x", DisplayName: randText(r, 0, 20)}
		room := randText(r, 1, 60)
		role := roles[r.IntN(3)]
		opts := map[string]any{}
		if role != livekit.RoleSubscriber && r.IntN(2) == 0 {
			opts["can_publish_sources"] = []string{livekit.SourceMicrophone}
		}
		if r.IntN(2) == 0 {
			opts["can_publish_data"] = r.IntN(2) == 0
		}
		if r.IntN(3) == 0 {
			opts["metadata"] = randText(r, 1, 30)
		}
		raw, _ := json.Marshal(opts)
		ttl := time.Duration(60+r.IntN(86400-60)) * time.Second
		cred, tok := issue(t, svc, id, core.Request{Room: room, Role: role, TTL: ttl, Options: raw})
		v := tok.Claims.Video
		e := v.Effective()
		wantData := role != livekit.RoleSubscriber
		if b, ok := opts["can_publish_data"].(bool); ok {
			wantData = b
		}
		if tok.Identity != id.UserID || tok.Room != room || tok.Role != role || cred.Role != role || tok.Claims.Name != id.DisplayName ||
			e.CanPublish != (role != livekit.RoleSubscriber) || e.CanPublishData != wantData || v.RoomAdmin != (role == livekit.RoleAdmin) ||
			tok.ExpiresAt.Sub(tok.IssuedAt) != ttl || !cred.ExpiresAt.Equal(tok.ExpiresAt) {
			t.Fatalf("%d: %+v %+v %+v", i, tok, v, cred)
		}
		if m, ok := opts["metadata"]; ok && tok.Claims.Metadata != m {
			t.Fatalf("%d: metadata %q", i, tok.Claims.Metadata)
		}
		if _, ok := opts["can_publish_sources"]; ok && (v.CanPublishSource(livekit.SourceCamera) || !v.CanPublishSource(livekit.SourceMicrophone)) {
			t.Fatalf("%d: sources %v", i, v.CanPublishSources)
		}
	}
}

// TestTamper: changing any character of a token, or swapping its
// segments with another token's, never verifies.
func TestTamper(t *testing.T) {
	p := newProvider(t, nil)
	g := core.Grant{Kind: livekit.KindRoom, UserID: "alice", Room: "r", Role: livekit.RoleSubscriber, TTL: time.Hour, Now: testNow}
	a, _ := p.Issue(context.Background(), g)
	g.Role, g.UserID = livekit.RoleAdmin, "mallory"
	b, _ := p.Issue(context.Background(), g)
	testutil.TamperJWS(t, a.Token, b.Token, func(tok string) error {
		_, err := p.Verify(context.Background(), livekit.KindRoom, tok, testNow)
		return err
	})
}
