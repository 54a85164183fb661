package livekit_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/internal/testutil"
	"github.com/rtctoken/rtctoken/internal/vendortest"
)

const (
	testKey     = "APItestKey1"
	testSecret  = "test-secret-0123456789abcdefghijklmnop"
	otherKey    = "APItestKey2"
	otherSecret = "other-secret-0123456789abcdefghijklmno"
	testURL     = "wss://rtc.example.com"
)

var testNow = time.Unix(1796184073, 0)

func newProvider(t testing.TB, mod func(*livekit.Config)) *livekit.Provider {
	t.Helper()
	return vendortest.New(t, livekit.Config{APIKey: testKey, APISecret: core.NewSecret(testSecret), ServerURL: testURL}, mod, livekit.New)
}

func newService(t testing.TB, p core.Provider, opts ...core.Option) *core.Service {
	return testutil.PinnedService(t, testNow, p, opts...)
}

func allowAll(context.Context, core.Identity, core.Elevation) bool { return true }

func TestNewConfigErrors(t *testing.T) {
	for _, c := range []struct {
		field string
		mod   func(*livekit.Config)
	}{
		{"Name", func(c *livekit.Config) { c.Name = "Live Kit" }},
		{"APIKey", func(c *livekit.Config) { c.APIKey = "" }},
		{"APIKey", func(c *livekit.Config) { c.APIKey = "key with space" }},
		{"APISecret", func(c *livekit.Config) { c.APISecret = core.Secret{} }},
		{"APISecret", func(c *livekit.Config) { c.APISecret = core.NewSecret("secret") }},
		{"APISecret", func(c *livekit.Config) { c.APISecret = core.NewSecret(testSecret + "\n") }},
		{"SecondaryAPISecret", func(c *livekit.Config) { c.SecondaryAPIKey = otherKey }},
		{"SecondaryAPISecret", func(c *livekit.Config) { c.SecondaryAPIKey, c.SecondaryAPISecret = otherKey, core.NewSecret("short") }},
		{"SecondaryAPIKey", func(c *livekit.Config) {
			c.SecondaryAPIKey, c.SecondaryAPISecret = "bad\tkey", core.NewSecret(otherSecret)
		}},
		{"ServerURL", func(c *livekit.Config) { c.ServerURL = "" }},
		{"ServerURL", func(c *livekit.Config) { c.ServerURL = "rtc.example.com" }},
		{"ServerURL", func(c *livekit.Config) { c.ServerURL = "wss://user:pw@rtc.example.com" }},
		{"ServerURL", func(c *livekit.Config) { c.ServerURL = "ftp://rtc.example.com" }},
		{"Kinds", func(c *livekit.Config) { c.Kinds = []string{"video"} }},
		{"Kinds", func(c *livekit.Config) { c.Kinds = []string{livekit.KindRoom, livekit.KindRoom} }},
	} {
		cfg := livekit.Config{APIKey: testKey, APISecret: core.NewSecret(testSecret), ServerURL: testURL}
		c.mod(&cfg)
		_, err := livekit.New(cfg)
		if core.ConfigField(err) != c.field || !errors.Is(err, core.ErrConfig) {
			t.Errorf("want field %s: %v", c.field, err)
			continue
		}
		if strings.Contains(err.Error(), testSecret) || strings.Contains(err.Error(), "pw@") {
			t.Errorf("error leaks a value: %v", err)
		}
	}
}

func TestKinds(t *testing.T) {
	ks := newProvider(t, nil).Kinds()
	if len(ks) != 1 || ks[0].Kind != livekit.KindRoom || !ks[0].NeedsRoom || ks[0].DefaultRole != livekit.RoleSubscriber ||
		ks[0].MaxTTL != 24*time.Hour || ks[0].DefaultTTL != time.Hour {
		t.Fatalf("%+v", ks)
	}
	if r, _ := ks[0].Role(livekit.RoleAdmin); !r.Elevated {
		t.Fatal("admin is not elevated")
	}
	if r, _ := ks[0].Role(livekit.RolePublisher); r.Elevated {
		t.Fatal("publisher is elevated")
	}
}

func issue(t *testing.T, svc *core.Service, id core.Identity, req core.Request) (*core.Credential, *livekit.Token) {
	t.Helper()
	req.Provider, req.Kind = livekit.Name, livekit.KindRoom
	return vendortest.Issue(t, svc, id, req, livekit.Verify, testSecret, core.Expect{Kind: livekit.KindRoom, AppID: testKey, At: testNow})
}

func TestServiceRoles(t *testing.T) {
	svc := newService(t, newProvider(t, nil), core.AllowElevated(allowAll))
	ada := core.Identity{UserID: "u-ada", DisplayName: "Ada Lovelace"}
	for _, c := range []struct {
		role                  string
		pub, sub, data, admin bool
	}{
		{"", false, true, false, false},
		{livekit.RoleSubscriber, false, true, false, false},
		{livekit.RolePublisher, true, true, true, false},
		{livekit.RoleAdmin, true, true, true, true},
	} {
		cred, tok := issue(t, svc, ada, core.Request{Room: "standup", Role: c.role})
		v := tok.Claims.Video
		e := v.Effective()
		if e.CanPublish != c.pub || e.CanSubscribe != c.sub || e.CanPublishData != c.data || v.RoomAdmin != c.admin || !v.RoomJoin || v.Room != "standup" {
			t.Errorf("role %q: %+v %+v", c.role, v, e)
		}
		want := c.role
		if want == "" {
			want = livekit.RoleSubscriber
		}
		if tok.Role != want || cred.Role != want {
			t.Errorf("role %q: token says %q, credential %q", c.role, tok.Role, cred.Role)
		}
		cl := tok.Claims
		if cl.Subject != "u-ada" || cl.Identity != "u-ada" || cl.Name != "Ada Lovelace" || cl.Issuer != testKey ||
			cl.NotBefore != testNow.Unix() || cl.IssuedAt != testNow.Unix() || cl.ExpiresAt != testNow.Add(time.Hour).Unix() {
			t.Errorf("claims %+v", cl)
		}
		if cred.Join["serverUrl"] != testURL || cred.Join["token"] != cred.Token || cred.Join["roomName"] != "standup" || cred.Join["identity"] != "u-ada" || len(cred.Join) != 4 {
			t.Errorf("join %v", cred.Join)
		}
	}
}

func TestServiceElevated(t *testing.T) {
	svc := newService(t, newProvider(t, nil))
	id := core.Identity{UserID: "u1"}
	req := func(role, opts string) core.Request {
		r := core.Request{Provider: livekit.Name, Kind: livekit.KindRoom, Room: "r", Role: role}
		if opts != "" {
			r.Options = json.RawMessage(opts)
		}
		return r
	}
	if _, err := svc.Issue(context.Background(), id, req(livekit.RoleAdmin, "")); !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "role"}) {
		t.Errorf("admin: %v", err)
	}
	for _, o := range []string{
		`"metadata":"{\"role\":\"teacher\"}"`, `"attributes":{"role":"admin"}`, `"room_create":true`, `"room_list":true`, `"room_record":true`,
		`"ingress_admin":true`, `"hidden":true`, `"recorder":true`, `"agent":true`, `"can_update_own_metadata":true`,
		`"can_subscribe_metrics":true`, `"can_manage_agent_session":true`, `"destination_room":"x"`, `"room_config":{"maxParticipants":2}`,
		`"room_preset":"p"`, `"sip_admin":true`, `"sip_call":true`,
	} {
		name := strings.Trim(strings.SplitN(o, ":", 2)[0], `"`)
		_, err := svc.Issue(context.Background(), id, req(livekit.RolePublisher, "{"+o+"}"))
		if !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "options." + name}) {
			t.Errorf("%s: %v", name, err)
		}
	}
	// Narrowing options are not elevated.
	if _, err := svc.Issue(context.Background(), id, req(livekit.RolePublisher, `{"can_publish_sources":["camera"],"can_publish_data":false}`)); err != nil {
		t.Error(err)
	}
}

func TestElevatedOptionsWritten(t *testing.T) {
	svc := newService(t, newProvider(t, nil), core.AllowElevated(allowAll))
	_, tok := issue(t, svc, core.Identity{UserID: "mod"}, core.Request{Room: "r", Role: livekit.RoleAdmin, Options: json.RawMessage(`{
		"metadata":"<m>","attributes":{"seat":"A"},"room_create":true,"room_list":true,"room_record":true,"ingress_admin":true,
		"hidden":true,"recorder":true,"agent":true,"can_update_own_metadata":true,"can_subscribe_metrics":true,
		"can_manage_agent_session":true,"destination_room":"overflow","room_config":{"maxParticipants":2},"room_preset":"p",
		"sip_admin":true,"sip_call":true,"can_publish_sources":["screen_share"],"can_publish_data":false}`)})
	c := tok.Claims
	v := c.Video
	e := v.Effective()
	if c.Metadata != "<m>" || c.Attributes["seat"] != "A" || !v.RoomCreate || !v.RoomList || !v.RoomRecord || !v.IngressAdmin ||
		!v.Hidden || !v.Recorder || !v.Agent || !e.CanUpdateOwnMetadata || !e.CanSubscribeMetrics || !e.CanManageAgentSession ||
		v.DestinationRoom != "overflow" || string(c.RoomConfig) != `{"maxParticipants":2}` || c.RoomPreset != "p" ||
		c.SIP == nil || !c.SIP.Admin || !c.SIP.Call || e.CanPublishData || !v.CanPublishSource(livekit.SourceScreenShare) || v.CanPublishSource(livekit.SourceCamera) {
		t.Fatalf("claims %+v video %+v", c, v)
	}
}

func TestHostDataFromIdentity(t *testing.T) {
	p := newProvider(t, func(c *livekit.Config) { c.MetadataAttribute, c.Attributes = "lk_meta", []string{"team", "seat"} })
	id := core.Identity{UserID: "bob", Attributes: map[string]string{"lk_meta": `{"role":"student"}`, "team": "blue", "plan": "pro"}}
	svc := newService(t, p, core.AllowElevated(allowAll), core.AllowUser(func(context.Context, core.Identity, core.Request) bool { return true }))
	_, tok := issue(t, svc, id, core.Request{Room: "r"})
	if tok.Claims.Metadata != `{"role":"student"}` || len(tok.Claims.Attributes) != 1 || tok.Claims.Attributes["team"] != "blue" {
		t.Fatalf("metadata %q attributes %v", tok.Claims.Metadata, tok.Claims.Attributes)
	}
	// Options override; another user's token carries none of the caller's data.
	_, tok = issue(t, svc, id, core.Request{Room: "r", Options: json.RawMessage(`{"metadata":"m2","attributes":{"team":"red"}}`)})
	if tok.Claims.Metadata != "m2" || tok.Claims.Attributes["team"] != "red" {
		t.Fatalf("override: %q %v", tok.Claims.Metadata, tok.Claims.Attributes)
	}
	_, tok = issue(t, svc, core.Identity{UserID: "bob", DisplayName: "Bob", Attributes: id.Attributes}, core.Request{Room: "r", UserID: "carol"})
	if tok.Claims.Metadata != "" || tok.Claims.Attributes != nil || tok.Claims.Name != "" || tok.Identity != "carol" {
		t.Fatalf("other user: %+v", tok.Claims)
	}
}

func TestIssueOptionErrors(t *testing.T) {
	p := newProvider(t, nil)
	for _, c := range []struct{ role, opts, field string }{
		{livekit.RoleSubscriber, `{"can_publish_sources":["camera"]}`, "options.can_publish_sources"},
		{livekit.RolePublisher, `{"can_publish_sources":[]}`, "options.can_publish_sources"},
		{livekit.RolePublisher, `{"can_publish_sources":["webcam"]}`, "options.can_publish_sources"},
		{livekit.RolePublisher, `{"can_publish_sources":["camera","camera"]}`, "options.can_publish_sources"},
		{livekit.RolePublisher, `{"can_publish_data":"yes"}`, "options.can_publish_data"},
		{livekit.RolePublisher, `{"destination_room":"x"}`, "options.destination_room"},
		{livekit.RoleAdmin, `{"destination_room":"a\nb"}`, "options.destination_room"},
		{livekit.RolePublisher, `{"room_config":[1]}`, "options.room_config"},
		{livekit.RolePublisher, `{"room_config":{"egress":{"room":{}}}}`, "options.room_config"},
		{livekit.RolePublisher, `{"metadata":"` + strings.Repeat("m", 64<<10+1) + `"}`, "options.metadata"},
		{livekit.RolePublisher, `{"attributes":{"":"x"}}`, "options.attributes"},
		{livekit.RolePublisher, `{"evil":true}`, "options.evil"},
	} {
		_, err := p.Issue(context.Background(), core.Grant{Kind: livekit.KindRoom, UserID: "u", Room: "r", Role: c.role, TTL: time.Hour, Now: testNow, Options: json.RawMessage(c.opts)})
		if !errors.Is(err, &core.Error{Code: core.CodeInvalidOption, Field: c.field}) {
			t.Errorf("%s: %v", c.opts[:min(len(c.opts), 60)], err)
		}
	}
	for _, g := range []core.Grant{
		{Kind: livekit.KindRoom, UserID: "u", Room: "r", TTL: time.Hour},
		{Kind: livekit.KindRoom, UserID: "u", Room: "r", Now: testNow},
	} {
		if _, err := p.Issue(context.Background(), g); core.CodeOf(err) != core.CodeInternal {
			t.Errorf("incomplete grant: %v", err)
		}
	}
	if _, err := p.Issue(context.Background(), core.Grant{Kind: "video", UserID: "u", TTL: time.Hour, Now: testNow}); core.CodeOf(err) != core.CodeUnknownKind {
		t.Errorf("unknown kind: %v", err)
	}
}

// TestVerifyKeyByIssuer: the Provider picks the secret by iss among its key
// pairs; a token of another key, or signed with the other pair's secret,
// fails.
func TestVerifyKeyByIssuer(t *testing.T) {
	old := newProvider(t, func(c *livekit.Config) { c.APIKey, c.APISecret = otherKey, core.NewSecret(otherSecret) })
	rotated := newProvider(t, func(c *livekit.Config) {
		c.SecondaryAPIKey, c.SecondaryAPISecret = otherKey, core.NewSecret(otherSecret)
	})
	g := core.Grant{Kind: livekit.KindRoom, UserID: "u", Room: "r", Role: livekit.RolePublisher, TTL: time.Hour, Now: testNow}
	for _, p := range []*livekit.Provider{old, newProvider(t, nil)} {
		cred, err := p.Issue(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		v, err := rotated.Verify(context.Background(), livekit.KindRoom, cred.Token, testNow)
		if err != nil || v.AppID != p.AppID() || v.UserID != "u" || v.Room != "r" || v.Provider != livekit.Name {
			t.Fatalf("%s: %+v %v", p.AppID(), v, err)
		}
	}
	unknown := newProvider(t, func(c *livekit.Config) { c.APIKey = "APIunknown" })
	cred, _ := unknown.Issue(context.Background(), g)
	if _, err := rotated.Verify(context.Background(), livekit.KindRoom, cred.Token, testNow); !errors.Is(err, core.ErrSignature) {
		t.Fatalf("unknown key: %v", err)
	}
	// iss names the primary key, but the other pair's secret signed it.
	swapped, _ := livekit.Sign(&livekit.Claims{Issuer: testKey, Subject: "u", ExpiresAt: testNow.Unix() + 60}, core.NewSecret(otherSecret))
	if _, err := rotated.Verify(context.Background(), livekit.KindRoom, swapped, testNow); !errors.Is(err, core.ErrSignature) {
		t.Fatalf("swapped: %v", err)
	}
	if _, err := rotated.Verify(context.Background(), "video", cred.Token, testNow); !errors.Is(err, core.ErrMismatch) || core.CodeOf(err) != core.CodeUnknownKind {
		t.Fatalf("kind: %v", err)
	}
	// A second secret for the same key.
	twin := newProvider(t, func(c *livekit.Config) { c.SecondaryAPISecret = core.NewSecret(otherSecret) })
	if _, err := twin.Verify(context.Background(), livekit.KindRoom, swapped, testNow); err != nil {
		t.Fatalf("second secret of the key: %v", err)
	}
}

func TestVerifyExpect(t *testing.T) {
	p := newProvider(t, nil)
	cred, err := p.Issue(context.Background(), core.Grant{Kind: livekit.KindRoom, UserID: "u", Room: "r", Role: livekit.RolePublisher, TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	keys := core.Keys{Primary: core.NewSecret(testSecret)}
	for _, c := range []struct {
		want core.Expect
		err  error
	}{
		{core.Expect{}, nil},
		{core.Expect{Kind: "video"}, core.ErrMismatch},
		{core.Expect{AppID: otherKey}, core.ErrMismatch},
		{core.Expect{UserID: "v"}, core.ErrMismatch},
		{core.Expect{Room: "R"}, core.ErrMismatch},
		{core.Expect{At: testNow.Add(-time.Minute)}, nil},
		{core.Expect{At: testNow.Add(-time.Minute - time.Second)}, core.ErrExpired},
		{core.Expect{At: testNow.Add(time.Hour + 59*time.Second)}, nil},
		{core.Expect{At: testNow.Add(time.Hour + time.Minute)}, core.ErrExpired},
	} {
		_, err := livekit.Verify(cred.Token, keys, c.want)
		if (c.err == nil) != (err == nil) || (c.err != nil && !errors.Is(err, c.err)) || (err != nil && !testutil.OneVerifyError(err)) {
			t.Errorf("%+v: %v", c.want, err)
		}
	}
	if _, err := livekit.Verify(cred.Token, core.Keys{}, core.Expect{}); !errors.Is(err, core.ErrSignature) {
		t.Errorf("no keys: %v", err)
	}
	if _, err := livekit.Verify(cred.Token, core.Keys{Primary: core.NewSecret("wrong"), Secondary: core.NewSecret(testSecret)}, core.Expect{}); err != nil {
		t.Errorf("secondary: %v", err)
	}
}

func TestParse(t *testing.T) {
	p := newProvider(t, nil)
	cred, _ := p.Issue(context.Background(), core.Grant{Kind: livekit.KindRoom, UserID: "u", Room: "r", Role: livekit.RoleAdmin, TTL: time.Hour, Now: testNow})
	tok, err := livekit.Parse(cred.Token)
	if err != nil || tok.APIKey != testKey || tok.Identity != "u" || tok.Room != "r" || tok.Role != livekit.RoleAdmin ||
		!tok.ExpiresAt.Equal(testNow.Add(time.Hour)) || tok.Header["alg"] != "HS256" || tok.Raw["sub"] != "u" {
		t.Fatalf("%+v %v", tok, err)
	}
	for _, bad := range []string{"", "a.b", "a.b.c.d", "!!.e30.", cred.Token + "=", "eyJhbGciOiJub25lIn0.e30.",
		"eyJhbGciOiJIUzI1NiJ9.W10.", "eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjEuNX0.", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOjF9.", strings.Repeat("a", livekit.MaxTokenLen+1)} {
		if _, err := livekit.Parse(bad); !errors.Is(err, core.ErrMalformed) || !testutil.OneVerifyError(err) {
			t.Errorf("%.40q: %v", bad, err)
		}
	}
}

// TestConcurrentUse issues and verifies from several goroutines at once
// (run with -race).
func TestConcurrentUse(t *testing.T) {
	p := newProvider(t, func(c *livekit.Config) {
		c.SecondaryAPIKey, c.SecondaryAPISecret = otherKey, core.NewSecret(otherSecret)
	})
	vendortest.Concurrent(t, func(int) error {
		cred, err := p.Issue(context.Background(), core.Grant{Kind: livekit.KindRoom, UserID: "u", Room: "r", Role: livekit.RolePublisher, TTL: time.Hour, Now: testNow})
		if err == nil {
			_, err = p.Verify(context.Background(), livekit.KindRoom, cred.Token, testNow)
		}
		return err
	})
}
