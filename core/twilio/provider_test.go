package twilio_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/internal/testutil"
	"github.com/rtctoken/rtctoken/internal/vendortest"
)

const (
	testAccount = "AC00000000000000000000000000000001"
	testKey     = "SK00000000000000000000000000000001"
	testSecret  = "twilio-test-secret-0123456789abcd"
	otherKey    = "SK00000000000000000000000000000002"
	otherSecret = "twilio-other-secret-0123456789abc"
	chatSID     = "IS00000000000000000000000000000001"
	syncSID     = "IS00000000000000000000000000000002"
	roleSID     = "RL00000000000000000000000000000001"
	appSID      = "AP00000000000000000000000000000001"
	pushSID     = "CR00000000000000000000000000000001"
)

var testNow = time.Unix(1796184073, 0)

func testConfig() twilio.Config {
	return twilio.Config{
		AccountSID: testAccount, APIKeySID: testKey, APIKeySecret: core.NewSecret(testSecret),
		ChatServiceSID: chatSID, ChatRoleSID: roleSID, SyncServiceSID: syncSID,
		VoiceAppSID: appSID, VoiceAppParams: map[string]string{"campaign": "<spring>"}, VoicePushCredentialSID: pushSID,
	}
}

func newProvider(t testing.TB, mod func(*twilio.Config)) *twilio.Provider {
	t.Helper()
	return vendortest.New(t, testConfig(), mod, twilio.New)
}

func newService(t testing.TB, p core.Provider, opts ...core.Option) *core.Service {
	return testutil.PinnedService(t, testNow, p, opts...)
}

func TestNewConfigErrors(t *testing.T) {
	for _, c := range []struct {
		field string
		mod   func(*twilio.Config)
	}{
		{"Name", func(c *twilio.Config) { c.Name = "Twilio!" }},
		{"AccountSID", func(c *twilio.Config) { c.AccountSID = "" }},
		{"AccountSID", func(c *twilio.Config) { c.AccountSID = "AC0000000000000000000000000000000G" }},
		{"AccountSID", func(c *twilio.Config) { c.AccountSID = testKey }},
		{"APIKeySID", func(c *twilio.Config) { c.APIKeySID = "" }},
		{"APIKeySecret", func(c *twilio.Config) { c.APIKeySecret = core.Secret{} }},
		{"APIKeySecret", func(c *twilio.Config) { c.APIKeySecret = core.NewSecret("short") }},
		{"SecondaryAPIKeySID", func(c *twilio.Config) { c.SecondaryAPIKeySID = "SK1" }},
		{"SecondaryAPIKeySecret", func(c *twilio.Config) { c.SecondaryAPIKeySID = otherKey }},
		{"ChatServiceSID", func(c *twilio.Config) { c.ChatServiceSID = roleSID }},
		{"ChatRoleSID", func(c *twilio.Config) { c.ChatRoleSID = chatSID }},
		{"SyncServiceSID", func(c *twilio.Config) { c.SyncServiceSID = "IS" }},
		{"VoiceAppSID", func(c *twilio.Config) { c.VoiceAppSID = pushSID }},
		{"VoiceAppParams", func(c *twilio.Config) { c.VoiceAppSID = "" }},
		{"VoicePushCredentialSID", func(c *twilio.Config) { c.VoicePushCredentialSID = appSID }},
		{"Region", func(c *twilio.Config) { c.Region = "IE1" }},
		{"Kinds", func(c *twilio.Config) { c.Kinds = []string{"conversations"} }},
		{"Kinds", func(c *twilio.Config) { c.Kinds = []string{twilio.KindVideo, twilio.KindVideo} }},
		{"ChatServiceSID", func(c *twilio.Config) { c.Kinds, c.ChatServiceSID = []string{twilio.KindChat}, "" }},
		{"SyncServiceSID", func(c *twilio.Config) { c.Kinds, c.SyncServiceSID = []string{twilio.KindSync}, "" }},
	} {
		cfg := testConfig()
		c.mod(&cfg)
		_, err := twilio.New(cfg)
		if core.ConfigField(err) != c.field || !errors.Is(err, core.ErrConfig) {
			t.Errorf("want field %s: %v", c.field, err)
		} else if strings.Contains(err.Error(), testSecret) {
			t.Errorf("error leaks the secret: %v", err)
		}
	}
}

func kindNames(p *twilio.Provider) []string {
	var out []string
	for _, k := range p.Kinds() {
		out = append(out, k.Kind)
	}
	return out
}

func TestKinds(t *testing.T) {
	if got := strings.Join(kindNames(newProvider(t, nil)), ","); got != "video,voice,chat,sync" {
		t.Fatalf("all: %s", got)
	}
	p := newProvider(t, func(c *twilio.Config) { c.ChatServiceSID, c.ChatRoleSID, c.SyncServiceSID = "", "", "" })
	if got := strings.Join(kindNames(p), ","); got != "video,voice" {
		t.Fatalf("without services: %s", got)
	}
	p = newProvider(t, func(c *twilio.Config) { c.Kinds = []string{twilio.KindSync} })
	if got := strings.Join(kindNames(p), ","); got != "sync" {
		t.Fatalf("listed: %s", got)
	}
	for _, k := range newProvider(t, nil).Kinds() {
		if k.MaxTTL != 24*time.Hour || k.MinTTL != 3*time.Minute || k.DefaultTTL != time.Hour || len(k.Roles) != 0 || k.NeedsRoom ||
			k.RoomAllowed != (k.Kind == twilio.KindVideo) || (k.Kind == twilio.KindVideo) != (len(k.ElevatedOptions) == 1) {
			t.Errorf("%+v", k)
		}
	}
}

func issue(t *testing.T, svc *core.Service, id core.Identity, req core.Request) (*core.Credential, *twilio.Token) {
	t.Helper()
	req.Provider = twilio.Name
	return vendortest.Issue(t, svc, id, req, twilio.Verify, testSecret, core.Expect{Kind: req.Kind, AppID: testAccount, At: testNow})
}

func TestServiceKinds(t *testing.T) {
	svc := newService(t, newProvider(t, func(c *twilio.Config) { c.Region = "ie1" }))
	id := core.Identity{UserID: "alice_1"}
	for _, c := range []struct {
		kind, room, grants string
		join               []string
	}{
		{twilio.KindVideo, "DailyStandup", `{"identity":"alice_1","video":{"room":"DailyStandup"}}`, []string{"name", "token"}},
		{twilio.KindVoice, "", `{"identity":"alice_1","voice":{"incoming":{"allow":true},"outgoing":{"application_sid":"` + appSID + `","params":{"campaign":"\u003cspring\u003e"}},"push_credential_sid":"` + pushSID + `"}}`, []string{"token"}},
		{twilio.KindChat, "", `{"chat":{"deployment_role_sid":"` + roleSID + `","service_sid":"` + chatSID + `"},"identity":"alice_1"}`, []string{"token"}},
		{twilio.KindSync, "", `{"data_sync":{"service_sid":"` + syncSID + `"},"identity":"alice_1"}`, []string{"token"}},
	} {
		cred, tok := issue(t, svc, id, core.Request{Kind: c.kind, Room: c.room})
		g, _ := json.Marshal(tok.Claims.Grants)
		if string(g) != c.grants {
			t.Errorf("%s grants:\n got %s\nwant %s", c.kind, g, c.grants)
		}
		cl := tok.Claims
		if tok.Kind != c.kind || cl.Issuer != testKey || cl.Subject != testAccount || cl.ID != testKey+"-1796184073" || cl.NotBefore != testNow.Unix() ||
			cl.ExpiresAt != testNow.Unix()+3600 || cl.IssuedAt != 0 || tok.Region != "ie1" || tok.Header["cty"] != twilio.ContentType {
			t.Errorf("%s: %+v %v", c.kind, cl, tok.Header)
		}
		if len(cred.Join) != len(c.join) || cred.Join["token"] != cred.Token || (c.room != "" && cred.Join["name"] != c.room) {
			t.Errorf("%s join %v", c.kind, cred.Join)
		}
	}
}

func TestVideoAnyRoom(t *testing.T) {
	ctx := context.Background()
	id := core.Identity{UserID: "alice"}
	svc := newService(t, newProvider(t, nil))
	if _, err := svc.Issue(ctx, id, core.Request{Provider: twilio.Name, Kind: twilio.KindVideo}); !errors.Is(err, &core.Error{Code: core.CodeInvalidRoom, Field: "room"}) {
		t.Errorf("no room: %v", err)
	}
	roomless := core.Request{Provider: twilio.Name, Kind: twilio.KindVideo, Options: json.RawMessage(`{"any_room":true}`)}
	if _, err := svc.Issue(ctx, id, roomless); !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "options.any_room"}) {
		t.Errorf("any_room without a grant: %v", err)
	}
	svc = newService(t, newProvider(t, nil), core.AllowElevated(func(_ context.Context, _ core.Identity, e core.Elevation) bool {
		return e.Option == twilio.OptionAnyRoom
	}))
	cred, tok := issue(t, svc, id, core.Request{Kind: twilio.KindVideo, Options: roomless.Options})
	if tok.Claims.Grants.Video == nil || tok.Room != "" || len(cred.Join) != 1 {
		t.Errorf("roomless: %+v %v", tok.Claims.Grants, cred.Join)
	}
	roomless.Room = "r"
	if _, err := svc.Issue(ctx, id, roomless); !errors.Is(err, &core.Error{Code: core.CodeInvalidOption, Field: "options.any_room"}) {
		t.Errorf("any_room and a room: %v", err)
	}
}

func TestIdentityAlwaysTheCallers(t *testing.T) {
	p := newProvider(t, nil)
	anyone := core.AllowUser(func(context.Context, core.Identity, core.Request) bool { return true })
	svc := newService(t, p, anyone)
	for _, k := range []string{twilio.KindVideo, twilio.KindVoice, twilio.KindChat, twilio.KindSync} {
		_, err := svc.Issue(context.Background(), core.Identity{UserID: "alice"}, core.Request{Provider: twilio.Name, Kind: k, Room: map[bool]string{true: "r"}[k == twilio.KindVideo], UserID: "bob"})
		if !errors.Is(err, &core.Error{Code: core.CodeInvalidUser, Field: "user_id"}) {
			t.Errorf("%s for another user: %v", k, err)
		}
		if _, err := svc.IssueServer(context.Background(), core.Identity{UserID: "alice"}, core.Request{Provider: twilio.Name, Kind: k, Room: map[bool]string{true: "r"}[k == twilio.KindVideo], UserID: "bob"}); err == nil {
			t.Errorf("%s: IssueServer for another user", k)
		}
	}
	if _, err := svc.Issue(context.Background(), core.Identity{UserID: "alice@example.com"}, core.Request{Provider: twilio.Name, Kind: twilio.KindVoice}); !errors.Is(err, &core.Error{Code: core.CodeInvalidUser, Field: "user_id"}) {
		t.Errorf("voice identity: %v", err)
	}
	if _, tok := issue(t, svc, core.Identity{UserID: "alice@example.com"}, core.Request{Kind: twilio.KindChat}); tok.Identity != "alice@example.com" {
		t.Errorf("chat identity %q", tok.Identity)
	}
}

func TestIssueErrors(t *testing.T) {
	p := newProvider(t, nil)
	for _, c := range []struct {
		g    core.Grant
		code core.Code
	}{
		{core.Grant{Kind: twilio.KindVoice, UserID: "u", TTL: time.Hour}, core.CodeInternal},
		{core.Grant{Kind: twilio.KindVoice, UserID: "u", Now: testNow}, core.CodeInternal},
		{core.Grant{Kind: "rtc", UserID: "u", TTL: time.Hour, Now: testNow}, core.CodeUnknownKind},
		{core.Grant{Kind: twilio.KindVoice, UserID: "u", TTL: time.Hour, Now: testNow, Options: json.RawMessage(`{"application_sid":"AP1"}`)}, core.CodeInvalidOption},
		{core.Grant{Kind: twilio.KindChat, UserID: "u", TTL: time.Hour, Now: testNow, Options: json.RawMessage(`{"deployment_role_sid":"RL1"}`)}, core.CodeInvalidOption},
		{core.Grant{Kind: twilio.KindVideo, UserID: "u", Room: "r", TTL: time.Hour, Now: testNow, Options: json.RawMessage(`{"any_room":1}`)}, core.CodeInvalidOption},
	} {
		if _, err := p.Issue(context.Background(), c.g); core.CodeOf(err) != c.code {
			t.Errorf("%+v: %v", c.g, err)
		}
	}
	p = newProvider(t, func(c *twilio.Config) { c.Kinds = []string{twilio.KindVideo} })
	if _, err := p.Issue(context.Background(), core.Grant{Kind: twilio.KindVoice, UserID: "u", TTL: time.Hour, Now: testNow}); core.CodeOf(err) != core.CodeUnknownKind {
		t.Errorf("left-out kind: %v", err)
	}
}

func TestVerifyKeyByIssuer(t *testing.T) {
	rotated := newProvider(t, func(c *twilio.Config) {
		c.SecondaryAPIKeySID, c.SecondaryAPIKeySecret = otherKey, core.NewSecret(otherSecret)
	})
	old := newProvider(t, func(c *twilio.Config) { c.APIKeySID, c.APIKeySecret = otherKey, core.NewSecret(otherSecret) })
	g := core.Grant{Kind: twilio.KindVideo, UserID: "u", Room: "r", TTL: time.Hour, Now: testNow, Identity: core.Identity{UserID: "u"}}
	for _, p := range []*twilio.Provider{old, newProvider(t, nil)} {
		cred, err := p.Issue(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		v, err := rotated.Verify(context.Background(), twilio.KindVideo, cred.Token, testNow)
		if err != nil || v.AppID != testAccount || v.UserID != "u" || v.Room != "r" || v.Kind != twilio.KindVideo || !v.IssuedAt.Equal(testNow) {
			t.Fatalf("%+v %v", v, err)
		}
		if _, err := rotated.Verify(context.Background(), twilio.KindVoice, cred.Token, testNow); !errors.Is(err, core.ErrMismatch) {
			t.Fatalf("video token as voice: %v", err)
		}
	}
	cred, _ := newProvider(t, func(c *twilio.Config) { c.APIKeySID = "SK00000000000000000000000000000003" }).Issue(context.Background(), g)
	if _, err := rotated.Verify(context.Background(), twilio.KindVideo, cred.Token, testNow); !errors.Is(err, core.ErrSignature) {
		t.Fatalf("unknown key: %v", err)
	}
	cred, _ = newProvider(t, func(c *twilio.Config) { c.AccountSID = "AC00000000000000000000000000000009" }).Issue(context.Background(), g)
	if _, err := rotated.Verify(context.Background(), twilio.KindVideo, cred.Token, testNow); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("other account: %v", err)
	}
}

func TestVerifyRules(t *testing.T) {
	keys := core.Keys{Primary: core.NewSecret(testSecret)}
	base := func() *twilio.Claims {
		n := testNow.Unix()
		return &twilio.Claims{ExpiresAt: n + 3600, Issuer: testKey, ID: twilio.JTI(testKey, n), NotBefore: n, Subject: testAccount,
			Grants: twilio.Grants{Identity: "u", Video: &twilio.VideoGrant{Room: "r"}}}
	}
	for _, c := range []struct {
		name string
		mod  func(*twilio.Claims)
		want core.Expect
		err  error
	}{
		{"ok", func(*twilio.Claims) {}, core.Expect{Kind: twilio.KindVideo, AppID: testAccount, UserID: "u", Room: "r", At: testNow}, nil},
		{"no time", func(*twilio.Claims) {}, core.Expect{}, nil},
		{"24 h", func(c *twilio.Claims) { c.ExpiresAt = c.NotBefore + 86400 }, core.Expect{At: testNow}, nil},
		{"24 h + 1 s", func(c *twilio.Claims) { c.ExpiresAt = c.NotBefore + 86401 }, core.Expect{}, core.ErrMismatch},
		{"iat rules over jti", func(c *twilio.Claims) { c.IssuedAt, c.ExpiresAt = c.NotBefore+7200, c.NotBefore+86401 }, core.Expect{}, nil},
		{"no jti: nbf", func(c *twilio.Claims) { c.ID, c.ExpiresAt = "", c.NotBefore+86401 }, core.Expect{}, core.ErrMismatch},
		{"far from now", func(c *twilio.Claims) { c.ID, c.NotBefore = "", 0 }, core.Expect{At: testNow.Add(time.Hour - 24*time.Hour - time.Second)}, core.ErrMismatch},
		{"no iss", func(c *twilio.Claims) { c.Issuer = "" }, core.Expect{}, core.ErrMismatch},
		{"no sub", func(c *twilio.Claims) { c.Subject = "" }, core.Expect{}, core.ErrMismatch},
		{"no exp", func(c *twilio.Claims) { c.ExpiresAt = 0 }, core.Expect{}, core.ErrMismatch},
		{"no identity", func(c *twilio.Claims) { c.Grants.Identity = "" }, core.Expect{}, core.ErrMismatch},
		{"kind", func(*twilio.Claims) {}, core.Expect{Kind: twilio.KindChat}, core.ErrMismatch},
		{"two grants", func(c *twilio.Claims) { c.Grants.Sync = &twilio.SyncGrant{} }, core.Expect{Kind: twilio.KindVideo}, core.ErrMismatch},
		{"account", func(*twilio.Claims) {}, core.Expect{AppID: "AC1"}, core.ErrMismatch},
		{"user", func(*twilio.Claims) {}, core.Expect{UserID: "v"}, core.ErrMismatch},
		{"room", func(*twilio.Claims) {}, core.Expect{Room: "R"}, core.ErrMismatch},
		{"before nbf", func(*twilio.Claims) {}, core.Expect{At: testNow.Add(-time.Second)}, core.ErrExpired},
		{"at exp", func(*twilio.Claims) {}, core.Expect{At: testNow.Add(time.Hour)}, core.ErrExpired},
		{"before exp", func(*twilio.Claims) {}, core.Expect{At: testNow.Add(time.Hour - time.Second)}, nil},
	} {
		cl := base()
		c.mod(cl)
		tok, _ := twilio.Sign(cl, "", keys.Primary)
		_, err := twilio.Verify(tok, keys, c.want)
		if (c.err == nil) != (err == nil) || (c.err != nil && (!errors.Is(err, c.err) || !testutil.OneVerifyError(err))) {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

func TestParse(t *testing.T) {
	for _, bad := range []string{"", "a.b.c", "e30.e30.", "eyJhbGciOiJIUzI1NiJ9.e30.", // no cty
		"eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldFIn0.e30.", // typ JWE
		"eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHdyIjoxfQ.e30.",      // twr 1
		"eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIn0.eyJleHAiOiIxIn0.",     // exp "1"
		"eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIn0.W10.", strings.Repeat("x", twilio.MaxTokenLen+1)} {
		if _, err := twilio.Parse(bad); !errors.Is(err, core.ErrMalformed) || !testutil.OneVerifyError(err) {
			t.Errorf("%.50q: %v", bad, err)
		}
	}
}

// TestConcurrentUse issues and verifies every kind from several goroutines
// at once (run with -race).
func TestConcurrentUse(t *testing.T) {
	p := newProvider(t, nil)
	kinds := []string{twilio.KindVideo, twilio.KindVoice, twilio.KindChat, twilio.KindSync}
	vendortest.Concurrent(t, func(i int) error {
		kind := kinds[i%len(kinds)]
		g := core.Grant{Kind: kind, UserID: "u", TTL: time.Hour, Now: testNow, Identity: core.Identity{UserID: "u"}}
		if kind == twilio.KindVideo {
			g.Room = "r"
		}
		cred, err := p.Issue(context.Background(), g)
		if err == nil {
			_, err = p.Verify(context.Background(), kind, cred.Token, testNow)
		}
		return err
	})
}
