package tencent

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
)

const (
	provKey    = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
	provOldKey = "416938533bc7c0b5ad007e69cb3bf38bc4cd4cd235da4a9ade187256182caa12"
	provApp    = 1400000000
)

var provNow = time.Unix(1700000000, 0)

func newProvider(t testing.TB, cfg Config) *Provider {
	t.Helper()
	p, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newService(t testing.TB, p core.Provider, opts ...core.Option) *core.Service {
	t.Helper()
	svc, err := core.NewService([]core.Provider{p}, append([]core.Option{
		core.WithClock(func() time.Time { return provNow }),
		core.WithRand(bytes.NewReader(nil))}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

func TestNewConfig(t *testing.T) {
	key := core.NewSecret(provKey)
	for _, c := range []struct {
		name, field string
		cfg         Config
	}{
		{"no app", "SDKAppID", Config{Key: key}},
		{"app too big", "SDKAppID", Config{SDKAppID: 1 << 32, Key: key}},
		{"no key", "Key", Config{SDKAppID: provApp}},
		{"only old key", "Key", Config{SDKAppID: provApp, SecondaryKey: key}},
		{"bad style", "Style", Config{SDKAppID: provApp, Key: key, Style: usersig.Style(9)}},
		{"unknown kind", "Kinds", Config{SDKAppID: provApp, Key: key, Kinds: []string{KindUserSig, "rtc"}}},
		{"kind twice", "Kinds", Config{SDKAppID: provApp, Key: key, Kinds: []string{KindUserSig, KindUserSig}}},
		{"bad admin", "Admins", Config{SDKAppID: provApp, Key: key, Admins: []string{"ok", "bad/one"}}},
	} {
		_, err := New(c.cfg)
		var ce *core.ConfigError
		if !errors.Is(err, core.ErrConfig) || !errors.As(err, &ce) || ce.Field != c.field || ce.Provider != Name {
			t.Errorf("%s: %v, want a ConfigError for %s", c.name, err, c.field)
		} else if strings.Contains(err.Error(), provKey) {
			t.Errorf("%s: error leaks the key", c.name)
		}
	}
	p := newProvider(t, Config{SDKAppID: 4294967295, Key: key})
	if p.Name() != "tencent" || p.AppID() != "4294967295" {
		t.Errorf("name %q app %q", p.Name(), p.AppID())
	}
	if s := fmt.Sprintf("%v %+v %#v", p, p, Config{Key: key}); strings.Contains(s, provKey) {
		t.Errorf("formatting leaks the key: %s", s)
	}
}

func TestKinds(t *testing.T) {
	p := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	ks := p.Kinds()
	if len(ks) != 2 {
		t.Fatalf("kinds %v", ks)
	}
	us, pm := ks[0], ks[1]
	if us.Kind != "usersig" || us.MinTTL != time.Minute || us.MaxTTL != 180*24*time.Hour || us.DefaultTTL != 24*time.Hour ||
		len(us.Roles) != 0 || us.NeedsRoom || us.RoomAllowed || us.ServerOnly {
		t.Errorf("usersig spec %+v", us)
	}
	if pm.Kind != "privatemapkey" || pm.MinTTL != time.Minute || pm.MaxTTL != 180*24*time.Hour || pm.DefaultTTL != time.Hour ||
		pm.DefaultRole != "subscriber" || !pm.NeedsRoom || pm.ServerOnly || len(pm.Roles) != 2 {
		t.Errorf("privatemapkey spec %+v", pm)
	}
	for _, r := range pm.Roles {
		if r.Elevated || (r.Name != "subscriber" && r.Name != "publisher") {
			t.Errorf("role %+v", r)
		}
	}
	ks[1].Roles[0].Name = "changed"
	if p.Kinds()[1].Roles[0].Name != "subscriber" {
		t.Error("Kinds returns shared slices")
	}
}

// vendorMax raises the service's TTL policy of both kinds to the vendor's
// 180 days, as the official generators' vectors use.
var vendorMax = []core.Option{core.WithTTL(Name, KindUserSig, 0, MaxTTL), core.WithTTL(Name, KindPrivateMapKey, 0, MaxTTL)}

func TestIssueUserSigThroughService(t *testing.T) {
	p := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	svc := newService(t, p, vendorMax...)
	c, err := svc.Issue(t.Context(), core.Identity{UserID: "xiaojun"}, core.Request{Provider: "tencent", Kind: "usersig", TTL: 180 * 24 * time.Hour})
	if err != nil {
		t.Fatal(err)
	}
	// The same inputs as vector usersig_basic, so the same bytes.
	const want = "eAEArABT-3siVExTLnZlciI6IjIuMCIsIlRMUy5pZGVudGlmaWVyIjoieGlhb2p1biIsIlRMUy5zZGthcHBpZCI6MTQwMDAwMDAwMCwiVExTLmV4cGlyZSI6MTU1NTIwMDAsIlRMUy50aW1lIjoxNzAwMDAwMDAwLCJUTFMuc2lnIjoiTHZBN2QvSXc3Z1NzbnNrdlZ6QkRQT0NDRGJ1TkN3NEdId1RDMGJpcCtCND0ifQoBAAD--9-DMfw_"
	if c.Token != want {
		t.Fatalf("token %s", c.Token)
	}
	if c.Provider != "tencent" || c.Kind != "usersig" || c.AppID != "1400000000" || c.UserID != "xiaojun" || c.Room != "" || c.Role != "" ||
		!c.IssuedAt.Equal(provNow) || !c.ExpiresAt.Equal(provNow.Add(180*24*time.Hour)) || c.IssuedAt.Location() != time.UTC {
		t.Fatalf("credential %+v", c)
	}
	join, _ := json.Marshal(c.Join)
	if string(join) != `{"sdkAppID":1400000000,"userID":"xiaojun","userSig":"`+want+`"}` {
		t.Fatalf("join %s", join)
	}
	// Default TTL.
	c, err = svc.Issue(t.Context(), core.Identity{UserID: "xiaojun"}, core.Request{Provider: "tencent", Kind: "usersig"})
	if err != nil {
		t.Fatal(err)
	}
	if c.ExpiresAt.Sub(c.IssuedAt) != 24*time.Hour {
		t.Fatalf("default ttl %v", c.ExpiresAt.Sub(c.IssuedAt))
	}
}

func TestServiceCapsTTL(t *testing.T) {
	svc := newService(t, newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)}))
	id := core.Identity{UserID: "xiaojun"}
	for kind, room := range map[string]string{KindUserSig: "", KindPrivateMapKey: "lobby"} {
		if k, err := svc.Kind(Name, kind); err != nil || k.MaxTTL != 30*24*time.Hour {
			t.Fatalf("%s policy %+v %v", kind, k, err)
		}
		for _, issue := range []func(context.Context, core.Identity, core.Request) (*core.Credential, error){svc.Issue, svc.IssueServer} {
			_, err := issue(t.Context(), id, core.Request{Provider: Name, Kind: kind, Room: room, TTL: MaxTTL})
			if !errors.Is(err, &core.Error{Code: core.CodeInvalidTTL, Field: "ttl"}) {
				t.Fatalf("%s: 180 days: %v", kind, err)
			}
			c, err := issue(t.Context(), id, core.Request{Provider: Name, Kind: kind, Room: room, TTL: 30 * 24 * time.Hour})
			if err != nil || !c.ExpiresAt.Equal(provNow.Add(30*24*time.Hour)) {
				t.Fatalf("%s: 30 days: %v", kind, err)
			}
		}
	}
}

func TestAdminsAreElevated(t *testing.T) {
	ctx := t.Context()
	for _, tc := range []struct {
		name     string
		admins   []string
		elevated []string // ids that must be refused
		plain    []string // ids that must be issued
	}{
		{"default", nil, []string{"administrator", "Administrator", "ADMINISTRATOR"}, []string{"admin", "administrator2", "xiaojun"}},
		{"configured", []string{"ops_admin", "robot-1"}, []string{"ops_admin", "OPS_ADMIN", "Robot-1"}, []string{"administrator", "ops"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey), Admins: tc.admins})
			var asked []core.Elevation
			grant := core.AllowElevated(func(_ context.Context, _ core.Identity, e core.Elevation) bool {
				asked = append(asked, e)
				return true
			})
			plain, granted := newService(t, p), newService(t, p, grant)
			for _, kind := range []string{KindUserSig, KindPrivateMapKey} {
				room := ""
				if kind == KindPrivateMapKey {
					room = "lobby"
				}
				for _, user := range tc.elevated {
					req := core.Request{Provider: Name, Kind: kind, Room: room}
					_, err := plain.Issue(ctx, core.Identity{UserID: user}, req)
					if !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "user_id"}) {
						t.Fatalf("%s %s through Issue: %v", kind, user, err)
					}
					if c, err := plain.IssueServer(ctx, core.Identity{UserID: user}, req); err != nil || c.UserID != user {
						t.Fatalf("%s %s through IssueServer: %v", kind, user, err)
					}
					asked = nil
					if c, err := granted.Issue(ctx, core.Identity{UserID: user}, req); err != nil || c.UserID != user {
						t.Fatalf("%s %s with a grant: %v", kind, user, err)
					}
					if want := (core.Elevation{Provider: Name, Kind: kind, UserID: user}); len(asked) != 1 || asked[0] != want {
						t.Fatalf("grant asked %+v, want %+v", asked, want)
					}
				}
				for _, user := range tc.plain {
					if _, err := plain.Issue(ctx, core.Identity{UserID: user}, core.Request{Provider: Name, Kind: kind, Room: room}); err != nil {
						t.Fatalf("%s %s: %v", kind, user, err)
					}
				}
			}
		})
	}
	for _, admins := range [][]string{{""}, {"admin istrator"}, {strings.Repeat("a", 33)}, {"ok", "bad/one"}} {
		if _, err := New(Config{SDKAppID: provApp, Key: core.NewSecret(provKey), Admins: admins}); !errors.Is(err, core.ErrConfig) {
			t.Errorf("admins %q: %v", admins, err)
		}
	}
	// Kinds hands out copies.
	p := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	p.Kinds()[0].ElevatedUsers[0] = "someone"
	if k := p.Kinds()[0]; len(k.ElevatedUsers) != 1 || k.ElevatedUsers[0] != "administrator" || DefaultAdmins[0] != "administrator" {
		t.Fatalf("Kinds returns shared slices: %v", k.ElevatedUsers)
	}
}

func TestIssuePrivateMapKeyThroughService(t *testing.T) {
	p := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	svc := newService(t, p, vendorMax...)
	id := core.Identity{UserID: "xiaojun"}
	cases := []struct {
		name, room, role, opts string
		ttl                    time.Duration
		bits                   uint32
		join                   string // the room part of Join
	}{
		// Vector privmap_numeric_all: the same token bytes.
		{"numeric publisher", "10000", "publisher", `{"room_type":"numeric"}`, 300 * time.Second, 255, `"roomId":10000`},
		{"numeric default role", "4294967294", "", `{"room_type":"numeric"}`, 0, 170, `"roomId":4294967294`},
		{"string room", "lobby-1", "", ``, 0, 170, `"strRoomId":"lobby-1"`},
		{"digits as string", "1000000040", "publisher", `{"room_type":"string"}`, 15552000 * time.Second, 255, `"strRoomId":"1000000040"`},
		{"narrowed subscriber", "room 7", "subscriber", `{"privilege_map":42}`, time.Hour, 42, `"strRoomId":"room 7"`},
		{"narrowed publisher", "7", "publisher", `{"room_type":"numeric","privilege_map":0}`, time.Hour, 0, `"roomId":7`},
		{"every symbol", "Room-1_ABC.xyz !#$%&()+:;<=>?@[]^{}|~,0123456789abcdefghijklmnop", "", ``, time.Hour, 170,
			`"strRoomId":"Room-1_ABC.xyz !#$%\u0026()+:;\u003c=\u003e?@[]^{}|~,0123456789abcdefghijklmnop"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cred, err := svc.Issue(t.Context(), id, core.Request{Provider: "tencent", Kind: "privatemapkey", Room: c.room, Role: c.role, TTL: c.ttl, Options: json.RawMessage(c.opts)})
			if err != nil {
				t.Fatal(err)
			}
			ttl := c.ttl
			if ttl == 0 {
				ttl = time.Hour
			}
			wantRole := c.role
			if wantRole == "" {
				wantRole = "subscriber"
			}
			if cred.Room != c.room || cred.Role != wantRole || cred.UserID != "xiaojun" || !cred.ExpiresAt.Equal(provNow.Add(ttl)) {
				t.Fatalf("credential %+v", cred)
			}
			join, _ := json.Marshal(cred.Join)
			var want map[string]any
			if err := json.Unmarshal([]byte(`{"privateMapKey":"`+cred.Token+`","sdkAppID":1400000000,"userID":"xiaojun",`+c.join+`}`), &want); err != nil {
				t.Fatal(err)
			}
			wantJoin, _ := json.Marshal(want)
			if string(join) != string(wantJoin) {
				t.Fatalf("join\n got %s\nwant %s", join, wantJoin)
			}
			v, err := p.Verify(t.Context(), "privatemapkey", cred.Token, provNow)
			if err != nil {
				t.Fatal(err)
			}
			ub := v.Claims["userbuf"].(map[string]any)
			if v.Room != c.room || ub["dwPrivilegeMap"] != c.bits || ub["dwExpTime"] != uint32(provNow.Add(ttl).Unix()) {
				t.Fatalf("verified %+v", v)
			}
		})
	}
	cred, err := svc.Issue(t.Context(), id, core.Request{Provider: "tencent", Kind: "privatemapkey", Room: "10000", Role: "publisher", TTL: 300 * time.Second, Options: json.RawMessage(`{"room_type":"numeric"}`)})
	if err != nil {
		t.Fatal(err)
	}
	const vector = "eAEA4AAf-3siVExTLnZlciI6IjIuMCIsIlRMUy5pZGVudGlmaWVyIjoieGlhb2p1biIsIlRMUy5zZGthcHBpZCI6MTQwMDAwMDAwMCwiVExTLmV4cGlyZSI6MzAwLCJUTFMudGltZSI6MTcwMDAwMDAwMCwiVExTLnVzZXJidWYiOiJBQUFIZUdsaGIycDFibE55VGdBQUFDY1FaVlB5TEFBQUFQOEFBQUFBIiwiVExTLnNpZyI6IjArTTRLNjRsSVRGNWsrOGp0UUdhbHgwZmd4ZDFhd2VaeDBmWllmZG52Wms9In0KAQAA---SCkKt"
	if cred.Token != vector {
		t.Fatalf("token differs from vector privmap_numeric_all: %s", cred.Token)
	}
}

func TestIssueValidation(t *testing.T) {
	p := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	svc := newService(t, p)
	long := strings.Repeat("a", 33)
	cases := []struct {
		name                   string
		kind, user, room, role string
		ttl                    time.Duration
		opts                   string
		code                   core.Code
		field                  string
	}{
		{"user too long", "usersig", long, "", "", 0, "", core.CodeInvalidUser, "user_id"},
		{"user with dot", "usersig", "a.b", "", "", 0, "", core.CodeInvalidUser, "user_id"},
		{"user with space", "privatemapkey", "a b", "r", "", 0, "", core.CodeInvalidUser, "user_id"},
		{"user non-ascii", "usersig", "é", "", "", 0, "", core.CodeInvalidUser, "user_id"},
		{"usersig room", "usersig", "u", "r", "", 0, "", core.CodeInvalidRoom, "room"},
		{"usersig role", "usersig", "u", "", "publisher", 0, "", core.CodeInvalidRole, "role"},
		{"usersig option", "usersig", "u", "", "", 0, `{"userbuf":"x"}`, core.CodeInvalidOption, "options.userbuf"},
		{"usersig options not object", "usersig", "u", "", "", 0, `[1]`, core.CodeInvalidOption, "options"},
		{"ttl too short", "usersig", "u", "", "", 59 * time.Second, "", core.CodeInvalidTTL, "ttl"},
		{"ttl too long", "usersig", "u", "", "", 181 * 24 * time.Hour, "", core.CodeInvalidTTL, "ttl"},
		{"ttl fraction", "privatemapkey", "u", "r", "", 90*time.Second + time.Millisecond, "", core.CodeInvalidTTL, "ttl"},
		{"no room", "privatemapkey", "u", "", "", 0, "", core.CodeInvalidRoom, "room"},
		{"unknown role", "privatemapkey", "u", "r", "host", 0, "", core.CodeInvalidRole, "role"},
		{"all digits without type", "privatemapkey", "u", "123", "", 0, "", core.CodeInvalidOption, "options.room_type"},
		{"bad room type", "privatemapkey", "u", "r", "", 0, `{"room_type":"uuid"}`, core.CodeInvalidOption, "options.room_type"},
		{"room type not string", "privatemapkey", "u", "r", "", 0, `{"room_type":1}`, core.CodeInvalidOption, "options.room_type"},
		{"numeric room zero", "privatemapkey", "u", "0", "", 0, `{"room_type":"numeric"}`, core.CodeInvalidRoom, "room"},
		{"numeric room leading zero", "privatemapkey", "u", "0123", "", 0, `{"room_type":"numeric"}`, core.CodeInvalidRoom, "room"},
		{"numeric room max+1", "privatemapkey", "u", "4294967295", "", 0, `{"room_type":"numeric"}`, core.CodeInvalidRoom, "room"},
		{"numeric room huge", "privatemapkey", "u", "99999999999999999999", "", 0, `{"room_type":"numeric"}`, core.CodeInvalidRoom, "room"},
		{"numeric room letters", "privatemapkey", "u", "12a", "", 0, `{"room_type":"numeric"}`, core.CodeInvalidRoom, "room"},
		{"string room too long", "privatemapkey", "u", strings.Repeat("r", 65), "", 0, "", core.CodeInvalidRoom, "room"},
		{"string room slash", "privatemapkey", "u", "a/b", "", 0, "", core.CodeInvalidRoom, "room"},
		{"string room quote", "privatemapkey", "u", `a"b`, "", 0, "", core.CodeInvalidRoom, "room"},
		{"string room non-ascii", "privatemapkey", "u", "大厅", "", 0, "", core.CodeInvalidRoom, "room"},
		{"privilege too big", "privatemapkey", "u", "r", "publisher", 0, `{"privilege_map":256}`, core.CodeInvalidOption, "options.privilege_map"},
		{"privilege negative", "privatemapkey", "u", "r", "publisher", 0, `{"privilege_map":-1}`, core.CodeInvalidOption, "options.privilege_map"},
		{"privilege not subset", "privatemapkey", "u", "r", "subscriber", 0, `{"privilege_map":4}`, core.CodeInvalidOption, "options.privilege_map"},
		{"privilege create for subscriber", "privatemapkey", "u", "r", "", 0, `{"privilege_map":3}`, core.CodeInvalidOption, "options.privilege_map"},
		{"privilege fraction", "privatemapkey", "u", "r", "", 0, `{"privilege_map":2.5}`, core.CodeInvalidOption, "options.privilege_map"},
		{"unknown option", "privatemapkey", "u", "r", "", 0, `{"roomType":"string"}`, core.CodeInvalidOption, "options.roomType"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			check := func(via string, err error) {
				t.Helper()
				var e *core.Error
				if !errors.As(err, &e) || e.Code != c.code || e.Field != c.field {
					t.Fatalf("%s: %v, want %s (%s)", via, err, c.code, c.field)
				}
			}
			_, err := svc.IssueServer(t.Context(), core.Identity{UserID: c.user}, core.Request{Provider: "tencent", Kind: c.kind, Room: c.room, Role: c.role, TTL: c.ttl, Options: json.RawMessage(c.opts)})
			check("service", err)
		})
	}
	// Grants no core.Service hands over, straight to the provider.
	for name, c := range map[string]struct {
		g    core.Grant
		code core.Code
	}{
		"no user":      {core.Grant{Kind: "usersig", TTL: time.Hour, Now: provNow}, core.CodeInvalidUser},
		"unknown kind": {core.Grant{Kind: "rtc", UserID: "u", TTL: time.Hour, Now: provNow}, core.CodeUnknownKind},
		"no time":      {core.Grant{Kind: "usersig", UserID: "u", TTL: time.Hour}, core.CodeInternal},
		"no ttl":       {core.Grant{Kind: "privatemapkey", UserID: "u", Room: "r", Role: "publisher", Now: provNow}, core.CodeInternal},
		"negative ttl": {core.Grant{Kind: "usersig", UserID: "u", TTL: -time.Hour, Now: provNow}, core.CodeInternal},
	} {
		if cred, err := p.Issue(t.Context(), c.g); cred != nil || core.CodeOf(err) != c.code {
			t.Errorf("%s: %v, %v, want %s", name, cred, err, c.code)
		}
	}
}

func TestVerifyProvider(t *testing.T) {
	ctx := t.Context()
	issuer := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provOldKey)})
	rotated := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey), SecondaryKey: core.NewSecret(provOldKey)})
	fresh := newProvider(t, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	otherApp := newProvider(t, Config{SDKAppID: provApp + 1, Key: core.NewSecret(provOldKey)})

	us, err := issuer.Issue(ctx, core.Grant{Kind: "usersig", UserID: "alice", TTL: time.Hour, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	pm, err := issuer.Issue(ctx, core.Grant{Kind: "privatemapkey", UserID: "alice", Room: "lobby", Role: "publisher", TTL: time.Hour, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	primary, err := rotated.Issue(ctx, core.Grant{Kind: "usersig", UserID: "alice", TTL: time.Hour, Now: provNow})
	if err != nil {
		t.Fatal(err)
	}
	later := provNow.Add(time.Hour + time.Second)
	cases := []struct {
		name  string
		p     *Provider
		kind  string
		token string
		now   time.Time
		want  error
	}{
		{"issuer usersig", issuer, "usersig", us.Token, provNow, nil},
		{"secondary key usersig", rotated, "usersig", us.Token, provNow, nil},
		{"primary key usersig", rotated, "usersig", primary.Token, provNow, nil},
		{"secondary key privatemapkey", rotated, "privatemapkey", pm.Token, provNow, nil},
		{"without the old key", fresh, "usersig", us.Token, provNow, core.ErrSignature},
		{"other app", otherApp, "usersig", us.Token, provNow, core.ErrMismatch},
		{"privatemapkey as usersig", issuer, "usersig", pm.Token, provNow, core.ErrMismatch},
		{"usersig as privatemapkey", issuer, "privatemapkey", us.Token, provNow, core.ErrMismatch},
		{"unknown kind", issuer, "rtc", us.Token, provNow, core.ErrMismatch},
		{"expired usersig", rotated, "usersig", us.Token, later, core.ErrExpired},
		{"expired privatemapkey", issuer, "privatemapkey", pm.Token, later, core.ErrExpired},
		{"garbage", issuer, "usersig", "not a token", provNow, core.ErrMalformed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := c.p.Verify(ctx, c.kind, c.token, c.now)
			checkSentinel(t, "Verify", err, c.want)
			if err != nil {
				if strings.Contains(err.Error(), c.token) || strings.Contains(err.Error(), provKey) || strings.Contains(err.Error(), provOldKey) {
					t.Fatalf("error leaks the token or a key: %v", err)
				}
				return
			}
			if v.Provider != "tencent" || v.Kind != c.kind || v.AppID != "1400000000" || v.UserID != "alice" ||
				!v.IssuedAt.Equal(provNow) || !v.ExpiresAt.Equal(provNow.Add(time.Hour)) {
				t.Fatalf("verified %+v", v)
			}
			if v.Claims["TLS.identifier"] != "alice" || v.Claims["TLS.sdkappid"] != uint64(provApp) || v.Claims["TLS.expire"] != int64(3600) {
				t.Fatalf("claims %v", v.Claims)
			}
			if c.kind == "privatemapkey" {
				ub := v.Claims["userbuf"].(map[string]any)
				if v.Room != "lobby" || ub["roomStr"] != "lobby" || ub["cVer"] != uint8(1) || ub["dwPrivilegeMap"] != uint32(255) {
					t.Fatalf("privatemapkey claims %+v", v)
				}
			} else if _, ok := v.Claims["userbuf"]; ok || v.Room != "" {
				t.Fatalf("usersig claims %+v", v)
			}
		})
	}

	// A PrivateMapKey whose userbuf names another user or application.
	s, _ := usersig.NewSigner(provApp, core.NewSecret(provOldKey), usersig.StyleGo14)
	for name, m := range map[string]usersig.PrivateMap{
		"other account": usersig.NumericRoomMap(provApp, "mallory", 1, provNow, 60, 255),
		"other app":     usersig.NumericRoomMap(provApp+1, "alice", 1, provNow, 60, 255),
	} {
		b, _ := m.MarshalBinary()
		tok, _ := s.UserSigWithBuf("alice", 60, provNow, b)
		if _, err := issuer.Verify(ctx, "privatemapkey", tok, provNow); !errors.Is(err, core.ErrMismatch) {
			t.Errorf("%s: %v, want ErrMismatch", name, err)
		}
	}
	opaque, _ := s.UserSigWithBuf("alice", 60, provNow, []byte("abc"))
	if _, err := issuer.Verify(ctx, "privatemapkey", opaque, provNow); !errors.Is(err, core.ErrMalformed) {
		t.Errorf("opaque userbuf: %v, want ErrMalformed", err)
	}
}

// TestProviderRoundTrip issues random valid requests and checks that
// Verify returns what was asked for.
func TestProviderRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	const userChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-"
	const roomChars = userChars + " !#$%&()+:;<=.>?@[]^{}|~,"
	pick := func(chars string, n int) string {
		b := make([]byte, n)
		for i := range b {
			b[i] = chars[rng.IntN(len(chars))]
		}
		return string(b)
	}
	for i := range 300 {
		style := usersig.Style(rng.IntN(2))
		app := 1 + rng.Uint64N(1<<32-1)
		p := newProvider(t, Config{SDKAppID: app, Key: core.NewSecret(pick(roomChars, 1+rng.IntN(64))), Style: style})
		now := time.Unix(1e9+rng.Int64N(2e9), 0)
		ttl := MinTTL + time.Duration(rng.Int64N(int64((MaxTTL-MinTTL)/time.Second)))*time.Second
		g := core.Grant{Kind: "usersig", UserID: pick(userChars, 1+rng.IntN(32)), TTL: ttl, Now: now}
		var bits uint32
		if rng.IntN(2) == 0 {
			g.Kind = "privatemapkey"
			g.Role, bits = "subscriber", usersig.PrivSubscribe
			if rng.IntN(2) == 0 {
				g.Role, bits = "publisher", usersig.PrivAll
			}
			if rng.IntN(2) == 0 {
				bits &= rng.Uint32N(256)
				g.Options = json.RawMessage(`{"privilege_map":` + strconv.Itoa(int(bits)) + `}`)
			}
			if rng.IntN(2) == 0 {
				g.Room = strconv.FormatUint(1+rng.Uint64N(MaxRoomID), 10)
				g.Options = withRoomType(g.Options, "numeric")
			} else {
				g.Room = "r" + pick(roomChars, rng.IntN(64))
			}
		}
		c, err := p.Issue(context.Background(), g)
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		v, err := p.Verify(context.Background(), g.Kind, c.Token, now.Add(ttl))
		if err != nil {
			t.Fatalf("case %d: %v", i, err)
		}
		if v.UserID != g.UserID || v.Room != g.Room || !v.IssuedAt.Equal(now) || !v.ExpiresAt.Equal(now.Add(ttl)) || v.AppID != p.AppID() {
			t.Fatalf("case %d: %+v for %+v", i, v, g)
		}
		if g.Kind == "privatemapkey" {
			ub := v.Claims["userbuf"].(map[string]any)
			if ub["dwPrivilegeMap"] != bits || ub["account"] != g.UserID || ub["dwExpTime"] != uint32(now.Add(ttl).Unix()) {
				t.Fatalf("case %d: userbuf %v", i, ub)
			}
		}
		if _, err := p.Verify(context.Background(), g.Kind, c.Token, now.Add(ttl+time.Second)); !errors.Is(err, core.ErrExpired) {
			t.Fatalf("case %d: after expiry: %v", i, err)
		}
	}
}

func withRoomType(opts json.RawMessage, typ string) json.RawMessage {
	if len(opts) == 0 {
		return json.RawMessage(`{"room_type":"` + typ + `"}`)
	}
	return json.RawMessage(`{"room_type":"` + typ + `",` + string(opts[1:]))
}
