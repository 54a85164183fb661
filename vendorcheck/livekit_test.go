package vendorcheck

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/livekit/protocol/auth"
	lkproto "github.com/livekit/protocol/livekit"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

const (
	lkKey    = "APIvendorcheck1"
	lkSecret = "vendorcheck-livekit-secret-0123456789abcdef"
)

var sources = map[string]lkproto.TrackSource{
	livekit.SourceCamera: lkproto.TrackSource_CAMERA, livekit.SourceMicrophone: lkproto.TrackSource_MICROPHONE,
	livekit.SourceScreenShare: lkproto.TrackSource_SCREEN_SHARE, livekit.SourceScreenShareAudio: lkproto.TrackSource_SCREEN_SHARE_AUDIO,
}

func lkProvider(t testing.TB) *livekit.Provider {
	t.Helper()
	p, err := livekit.New(livekit.Config{APIKey: lkKey, APISecret: core.NewSecret(lkSecret), ServerURL: "wss://vendorcheck.example"})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// asJSON is v as a generic JSON value, so that two structs with the same
// JSON compare equal whatever their Go types.
func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// ourGrants is our Token's claims as LiveKit's ClaimGrants: without the
// registered claims, identity from sub.
func ourGrants(t *testing.T, tok *livekit.Token) any {
	t.Helper()
	c := *tok.Claims
	c.Issuer, c.Subject, c.ExpiresAt, c.NotBefore, c.IssuedAt, c.ID = "", "", 0, 0, 0, ""
	c.Identity = tok.Identity
	return asJSON(t, &c)
}

// samePermissions compares our resolution of the tri-state grants with the
// vendor's getters.
func samePermissions(t *testing.T, what string, ours *livekit.VideoGrant, theirs *auth.VideoGrant) {
	t.Helper()
	e := ours.Effective()
	got := []bool{e.CanPublish, e.CanSubscribe, e.CanPublishData, e.CanUpdateOwnMetadata, e.CanSubscribeMetrics, e.CanManageAgentSession}
	want := []bool{theirs.GetCanPublish(), theirs.GetCanSubscribe(), theirs.GetCanPublishData(), theirs.GetCanUpdateOwnMetadata(), theirs.GetCanSubscribeMetrics(), theirs.GetCanManageAgentSession()}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s: permissions %v, vendor %v", what, got, want)
	}
	for name, src := range sources {
		if ours.CanPublishSource(name) != theirs.GetCanPublishSource(src) {
			t.Errorf("%s: source %s: ours %v, vendor %v", what, name, ours.CanPublishSource(name), theirs.GetCanPublishSource(src))
		}
	}
}

func randText(r *rand.Rand, min, max int) string { return testutil.RandText(r, min, max) }

func randOptions(r *rand.Rand, role string) json.RawMessage {
	o := map[string]any{}
	flag := func(name string) {
		if r.IntN(4) == 0 {
			o[name] = true
		}
	}
	for _, n := range []string{"room_create", "room_list", "room_record", "ingress_admin", "hidden", "recorder", "agent",
		"can_update_own_metadata", "can_subscribe_metrics", "can_manage_agent_session", "sip_admin", "sip_call"} {
		flag(n)
	}
	if r.IntN(3) == 0 {
		o["can_publish_data"] = r.IntN(2) == 0
	}
	if role != livekit.RoleSubscriber && r.IntN(2) == 0 {
		var s []string
		for _, name := range []string{livekit.SourceCamera, livekit.SourceMicrophone, livekit.SourceScreenShare, livekit.SourceScreenShareAudio} {
			if r.IntN(2) == 0 {
				s = append(s, name)
			}
		}
		if len(s) > 0 {
			o["can_publish_sources"] = s
		}
	}
	if role == livekit.RoleAdmin && r.IntN(3) == 0 {
		o["destination_room"] = randText(r, 1, 20)
	}
	if r.IntN(3) == 0 {
		o["metadata"] = randText(r, 1, 40)
	}
	if r.IntN(3) == 0 {
		o["attributes"] = map[string]string{"k" + randText(r, 0, 5): randText(r, 0, 10)}
	}
	if r.IntN(4) == 0 {
		o["room_config"] = map[string]any{"maxParticipants": 1 + r.IntN(50), "emptyTimeout": 1 + r.IntN(600), "metadata": randText(r, 1, 10)}
	}
	if r.IntN(4) == 0 {
		o["room_preset"] = "preset-" + randText(r, 1, 5)
	}
	b, _ := json.Marshal(o)
	return b
}

// TestLiveKitOursVerifyWithVendor: every role, with random identities,
// rooms, names and every option, issued through a core.Service on the real
// clock, verifies with auth.ParseAPIToken(...).Verify(secret), which reads
// the same identity, API key and grants, and resolves the tri-state
// permissions as we do. A wrong secret fails there too.
func TestLiveKitOursVerifyWithVendor(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	all := func(context.Context, core.Identity, core.Elevation) bool { return true }
	svc, err := core.NewService([]core.Provider{lkProvider(t)}, core.AllowElevated(all))
	if err != nil {
		t.Fatal(err)
	}
	roles := []string{livekit.RoleSubscriber, livekit.RolePublisher, livekit.RoleAdmin}
	for i := range 400 {
		role := roles[i%len(roles)]
		id := core.Identity{UserID: "u" + randText(r, 1, 40), DisplayName: randText(r, 0, 30)}
		req := core.Request{Provider: livekit.Name, Kind: livekit.KindRoom, Room: randText(r, 1, 60), Role: role,
			TTL: time.Duration(60+r.IntN(86400-60)) * time.Second, Options: randOptions(r, role)}
		cred, err := svc.Issue(context.Background(), id, req)
		if err != nil {
			t.Fatalf("%d: %v (%s)", i, err, req.Options)
		}
		v, err := auth.ParseAPIToken(cred.Token)
		if err != nil {
			t.Fatalf("%d: ParseAPIToken: %v", i, err)
		}
		if v.APIKey() != lkKey || v.Identity() != id.UserID {
			t.Fatalf("%d: vendor reads key %q identity %q", i, v.APIKey(), v.Identity())
		}
		reg, grants, err := v.Verify(lkSecret)
		if err != nil {
			t.Fatalf("%d: vendor Verify: %v", i, err)
		}
		if !reg.ExpiresAt.Time.Equal(cred.ExpiresAt) || reg.Issuer != lkKey || reg.Subject != id.UserID {
			t.Fatalf("%d: registered claims %+v", i, reg)
		}
		ours, err := livekit.Parse(cred.Token)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := ourGrants(t, ours), asJSON(t, grants); !reflect.DeepEqual(g, w) {
			t.Fatalf("%d: grants\n ours   %v\n vendor %v", i, g, w)
		}
		if grants.Video == nil || grants.Video.Room != req.Room || !grants.Video.RoomJoin || grants.Video.RoomAdmin != (role == livekit.RoleAdmin) {
			t.Fatalf("%d: vendor video grant %+v", i, grants.Video)
		}
		samePermissions(t, role, ours.Claims.Video, grants.Video)
		if _, _, err := v.Verify("another-secret-0123456789abcdef0123"); err == nil {
			t.Fatalf("%d: vendor accepts a wrong secret", i)
		}
	}
}

func randTri(r *rand.Rand, set func(bool)) {
	switch r.IntN(3) {
	case 1:
		set(false)
	case 2:
		set(true)
	}
}

// TestLiveKitVendorVerifiesWithOurs: tokens auth.AccessToken.ToJWT makes,
// with random identities, names, metadata, attributes and video grants
// (tri-state permissions unset, false and true), verify with our Provider,
// which reads the same grants and permissions as the vendor's verifier.
func TestLiveKitVendorVerifiesWithOurs(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	p := lkProvider(t)
	for i := range 400 {
		identity, room := "u"+randText(r, 1, 30), randText(r, 1, 40)
		vg := &auth.VideoGrant{RoomJoin: true, Room: room, RoomAdmin: r.IntN(3) == 0, RoomCreate: r.IntN(5) == 0, RoomRecord: r.IntN(5) == 0,
			Hidden: r.IntN(5) == 0, Recorder: r.IntN(5) == 0, Agent: r.IntN(6) == 0, IngressAdmin: r.IntN(6) == 0}
		randTri(r, vg.SetCanPublish)
		randTri(r, vg.SetCanSubscribe)
		randTri(r, vg.SetCanPublishData)
		randTri(r, vg.SetCanUpdateOwnMetadata)
		randTri(r, vg.SetCanSubscribeMetrics)
		randTri(r, vg.SetCanManageAgentSession)
		if r.IntN(2) == 0 {
			vg.SetCanPublishSources([]lkproto.TrackSource{lkproto.TrackSource_CAMERA, lkproto.TrackSource_SCREEN_SHARE}[:1+r.IntN(2)])
		}
		at := auth.NewAccessToken(lkKey, lkSecret).SetIdentity(identity).SetVideoGrant(vg).SetValidFor(time.Duration(60+r.IntN(86400)) * time.Second)
		if r.IntN(2) == 0 {
			at.SetName(randText(r, 1, 20))
		}
		if r.IntN(2) == 0 {
			at.SetMetadata(randText(r, 1, 40))
		}
		if r.IntN(2) == 0 {
			at.SetAttributes(map[string]string{"a" + randText(r, 0, 4): randText(r, 0, 8)})
		}
		if r.IntN(4) == 0 {
			at.SetSIPGrant(&auth.SIPGrant{Admin: r.IntN(2) == 0, Call: true})
		}
		if r.IntN(4) == 0 {
			at.SetRoomPreset("preset")
		}
		tok, err := at.ToJWT()
		if err != nil {
			t.Fatal(err)
		}
		verified, err := p.Verify(context.Background(), livekit.KindRoom, tok, time.Now())
		if err != nil {
			t.Fatalf("%d: our Verify: %v", i, err)
		}
		if verified.UserID != identity || verified.Room != room || verified.AppID != lkKey {
			t.Fatalf("%d: %+v", i, verified)
		}
		ours, _ := livekit.Parse(tok)
		_, grants, err := mustParse(t, tok).Verify(lkSecret)
		if err != nil {
			t.Fatal(err)
		}
		if g, w := ourGrants(t, ours), asJSON(t, grants); !reflect.DeepEqual(g, w) {
			t.Fatalf("%d: grants\n ours   %v\n vendor %v", i, g, w)
		}
		samePermissions(t, "vendor-made", ours.Claims.Video, grants.Video)
		wantRole := livekit.RoleSubscriber
		switch {
		case vg.RoomAdmin:
			wantRole = livekit.RoleAdmin
		case vg.GetCanPublish():
			wantRole = livekit.RolePublisher
		}
		if ours.Role != wantRole {
			t.Fatalf("%d: role %s, want %s", i, ours.Role, wantRole)
		}
	}
}

func mustParse(t *testing.T, tok string) *auth.APIKeyTokenVerifier {
	t.Helper()
	v, err := auth.ParseAPIToken(tok)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// TestLiveKitVectorsBothWays: the vector tokens that stay valid on a real
// clock verify with both verifiers, which read the same grants; the
// negative tokens whose verdict does not depend on the clock are refused
// by both.
func TestLiveKitVectorsBothWays(t *testing.T) {
	b, err := os.ReadFile("../core/livekit/testdata/livekit_accesstoken.json")
	if err != nil {
		t.Fatal(err)
	}
	var v struct {
		KeyProvider map[string]string `json:"key_provider"`
		Cases       []struct {
			ID       string `json:"id"`
			Token    string `json:"token"`
			Validity struct {
				Stable bool `json:"wallclock_valid_until_exp"`
			} `json:"validity"`
		} `json:"cases"`
		Negative []struct {
			ID           string  `json:"id"`
			Token        string  `json:"token"`
			VerifySecret *string `json:"verify_secret"`
			Stable       bool    `json:"wallclock_stable"`
		} `json:"negative"`
	}
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatal(err)
	}
	p, err := livekit.New(livekit.Config{
		APIKey: "APIrtctokenVec1", APISecret: core.NewSecret(v.KeyProvider["APIrtctokenVec1"]),
		SecondaryAPIKey: "APIrtctokenVec2", SecondaryAPISecret: core.NewSecret(v.KeyProvider["APIrtctokenVec2"]), ServerURL: "wss://x",
	})
	if err != nil {
		t.Fatal(err)
	}
	keys := auth.NewFileBasedKeyProviderFromMap(v.KeyProvider)
	n := 0
	for _, c := range v.Cases {
		if !c.Validity.Stable || c.Token == "" {
			continue
		}
		n++
		vv := mustParse(t, c.Token)
		_, grants, err := vv.Verify(keys.GetSecret(vv.APIKey()))
		if err != nil {
			t.Fatalf("%s: vendor: %v", c.ID, err)
		}
		if _, err := p.Verify(context.Background(), livekit.KindRoom, c.Token, time.Now()); err != nil {
			t.Fatalf("%s: ours: %v", c.ID, err)
		}
		ours, _ := livekit.Parse(c.Token)
		if g, w := ourGrants(t, ours), asJSON(t, grants); !reflect.DeepEqual(g, w) {
			t.Fatalf("%s: grants\n ours   %v\n vendor %v", c.ID, g, w)
		}
	}
	for _, neg := range v.Negative {
		if !neg.Stable {
			continue
		}
		n++
		secret := ""
		vv, err := auth.ParseAPIToken(neg.Token)
		if err == nil {
			secret = keys.GetSecret(vv.APIKey())
			if neg.VerifySecret != nil {
				secret = *neg.VerifySecret
			}
			_, _, err = vv.Verify(secret)
		}
		if err == nil {
			t.Errorf("%s: the vendor accepts it", neg.ID)
		}
		if _, err := p.Verify(context.Background(), livekit.KindRoom, neg.Token, time.Now()); err == nil && neg.VerifySecret == nil {
			t.Errorf("%s: we accept it", neg.ID)
		}
		if neg.VerifySecret != nil {
			if _, err := livekit.Verify(neg.Token, core.Keys{Primary: core.NewSecret(*neg.VerifySecret)}, core.Expect{At: time.Now()}); err == nil {
				t.Errorf("%s: we accept it", neg.ID)
			}
		}
	}
	if n < 30 {
		t.Fatalf("only %d vector tokens checked", n)
	}
}
