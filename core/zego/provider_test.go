package zego

import (
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego/token04"
)

const (
	testAppID     = 1234567890
	testSecret    = "fa94dd0f974cf2e293728a526b028271"
	testSecondary = "0123456789abcdef0123456789abcdef"
)

var testNow = time.Unix(1700000000, 0)

// seededRand is a deterministic randomness source for tests.
func seededRand(seed uint64) *rand.ChaCha8 {
	var s [32]byte
	s[0] = byte(seed)
	s[1] = byte(seed >> 8)
	return rand.NewChaCha8(s)
}

func newTestProvider(t testing.TB, cfg Config) *Provider {
	t.Helper()
	if cfg.AppID == 0 {
		cfg.AppID = testAppID
	}
	if cfg.ServerSecret.IsZero() {
		cfg.ServerSecret = core.NewSecret(testSecret)
	}
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

func newTestService(t testing.TB, p core.Provider) *core.Service {
	t.Helper()
	svc, err := core.NewService([]core.Provider{p},
		core.WithClock(func() time.Time { return testNow }),
		core.WithRand(seededRand(1)))
	if err != nil {
		t.Fatalf("NewService: %v", err)
	}
	return svc
}

func TestNewConfigErrors(t *testing.T) {
	secret := core.NewSecret(testSecret)
	for _, tc := range []struct {
		name, field string
		cfg         Config
	}{
		{"no app id", "AppID", Config{ServerSecret: secret}},
		{"no secret", "ServerSecret", Config{AppID: 1}},
		{"short secret", "ServerSecret", Config{AppID: 1, ServerSecret: core.NewSecret(testSecret[:31])}},
		{"long secret", "ServerSecret", Config{AppID: 1, ServerSecret: core.NewSecret(testSecret + "x")}},
		{"non-ASCII 33-byte secret", "ServerSecret", Config{AppID: 1, ServerSecret: core.NewSecret(testSecret[:31] + "é")}},
		{"bad secondary", "SecondarySecret", Config{AppID: 1, ServerSecret: secret, SecondarySecret: core.NewSecret("short")}},
		{"bad mode", "Mode", Config{AppID: 1, ServerSecret: secret, Mode: 7}},
		{"unknown kind", "Kinds", Config{AppID: 1, ServerSecret: secret, Kinds: []string{KindToken04, "rtc"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := New(tc.cfg)
			var ce *core.ConfigError
			if !errors.Is(err, core.ErrConfig) || !errors.As(err, &ce) || ce.Field != tc.field || ce.Provider != Name {
				t.Fatalf("New: %v, want a ConfigError on %s", err, tc.field)
			}
			for _, s := range []string{testSecret, testSecret[:31], "short"} {
				if strings.Contains(err.Error(), s) {
					t.Fatalf("config error leaks the secret: %v", err)
				}
			}
		})
	}
	p, err := New(Config{Name: "zego-eu", AppID: 7, ServerSecret: secret})
	if err != nil || p.Name() != "zego-eu" || p.AppID() != "7" {
		t.Fatalf("New with name: %v %v", p, err)
	}
}

// TestKindsAllowlist: a kind left out of Config.Kinds is neither listed,
// issued nor verified.
func TestKindsAllowlist(t *testing.T) {
	all := newTestProvider(t, Config{})
	only := newTestProvider(t, Config{Kinds: []string{KindToken04}})
	if ks := only.Kinds(); len(ks) != 1 || ks[0].Kind != KindToken04 || !ks[0].RoomAllowed {
		t.Fatalf("Kinds = %+v", ks)
	}
	ctx := context.Background()
	g := core.Grant{Kind: KindKit, UserID: "u", Room: "r", TTL: time.Hour, Now: testNow, Rand: seededRand(4)}
	if _, err := only.Issue(ctx, g); core.CodeOf(err) != core.CodeUnknownKind {
		t.Fatalf("Issue of a disabled kind: %v", err)
	}
	kit, err := all.Issue(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := only.Verify(ctx, KindKit, kit.Token, testNow); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("Verify of a disabled kind: %v", err)
	}
	g.Kind = KindToken04
	tok, err := only.Issue(ctx, g)
	if err != nil {
		t.Fatal(err)
	}
	if v, err := only.Verify(ctx, KindToken04, tok.Token, testNow); err != nil || v.Room != "r" {
		t.Fatalf("Verify of an enabled kind: %v %v", v, err)
	}
}

func TestKinds(t *testing.T) {
	p := newTestProvider(t, Config{})
	if p.Name() != "zego" || p.AppID() != "1234567890" {
		t.Fatalf("Name/AppID = %q/%q", p.Name(), p.AppID())
	}
	kinds := p.Kinds()
	if len(kinds) != 2 || kinds[0].Kind != KindToken04 || kinds[1].Kind != KindKit {
		t.Fatalf("kinds %+v", kinds)
	}
	for _, k := range kinds {
		if k.MinTTL != time.Minute || k.MaxTTL != 24*time.Hour || k.DefaultTTL != time.Hour || k.DefaultRole != RoleSubscriber || k.ServerOnly {
			t.Errorf("%s: %+v", k.Kind, k)
		}
		for _, r := range []string{RolePublisher, RoleSubscriber} {
			if role, ok := k.Role(r); !ok || role.Elevated {
				t.Errorf("%s: role %s: %v %v", k.Kind, r, role, ok)
			}
		}
	}
	if kinds[0].NeedsRoom || !kinds[0].RoomAllowed || !kinds[1].NeedsRoom {
		t.Fatalf("room rules: %+v", kinds)
	}
	kinds[1].Roles[0].Name = "mutated"
	if p.Kinds()[1].Roles[0].Name != RolePublisher {
		t.Fatal("Kinds returns shared role slices")
	}
}

// TestIssueThroughService issues every kind via core.Service and checks
// the credential, the Join map and that Verify reads it back.
func TestIssueThroughService(t *testing.T) {
	for _, mode := range []Mode{ModeCBC, ModeGCM} {
		p := newTestProvider(t, Config{Mode: mode})
		svc := newTestService(t, p)
		id := core.Identity{UserID: "alice", DisplayName: "Alice Ü"}
		for _, tc := range []struct {
			name string
			req  core.Request
			join map[string]any
			priv *token04.RoomPrivilege
		}{
			{"basic", core.Request{Provider: "zego", Kind: KindToken04},
				map[string]any{"appID": uint32(testAppID), "userID": "alice"}, nil},
			{"room subscriber", core.Request{Provider: "zego", Kind: KindToken04, Room: "room-1"},
				map[string]any{"appID": uint32(testAppID), "userID": "alice", "roomID": "room-1"},
				&token04.RoomPrivilege{RoomID: "room-1", Login: true}},
			{"room publisher streams", core.Request{Provider: "zego", Kind: KindToken04, Room: "room-1", Role: RolePublisher, TTL: 2 * time.Hour,
				Options: json.RawMessage(`{"stream_ids":["s-1","s_2"]}`)},
				map[string]any{"appID": uint32(testAppID), "userID": "alice", "roomID": "room-1"},
				&token04.RoomPrivilege{RoomID: "room-1", Login: true, Publish: true, StreamIDs: []string{"s-1", "s_2"}}},
			{"kit", core.Request{Provider: "zego", Kind: KindKit, Room: "room-1", Role: RolePublisher},
				map[string]any{"appID": uint32(testAppID), "userID": "alice", "roomID": "room-1", "userName": "Alice Ü"},
				&token04.RoomPrivilege{RoomID: "room-1", Login: true, Publish: true}},
		} {
			t.Run(mode.String()+"/"+tc.name, func(t *testing.T) {
				c, err := svc.Issue(context.Background(), id, tc.req)
				if err != nil {
					t.Fatalf("Issue: %v", err)
				}
				ttl := tc.req.TTL
				if ttl == 0 {
					ttl = time.Hour
				}
				if c.Provider != "zego" || c.Kind != tc.req.Kind || c.AppID != "1234567890" || c.UserID != "alice" || c.Room != tc.req.Room ||
					!c.IssuedAt.Equal(testNow) || !c.ExpiresAt.Equal(testNow.Add(ttl)) {
					t.Fatalf("credential %+v", c)
				}
				if wantRole := map[bool]string{true: RoleSubscriber, false: ""}[tc.req.Room != ""]; tc.req.Role == "" && c.Role != wantRole {
					t.Fatalf("role %q, want %q", c.Role, wantRole)
				}
				tokenKey := "token"
				if tc.req.Kind == KindKit {
					tokenKey = "kitToken"
				}
				tc.join[tokenKey] = c.Token
				if len(c.Join) != len(tc.join) {
					t.Fatalf("join %v, want %v", c.Join, tc.join)
				}
				for k, v := range tc.join {
					if c.Join[k] != v {
						t.Fatalf("join[%s] = %#v, want %#v", k, c.Join[k], v)
					}
				}
				v, err := p.Verify(context.Background(), tc.req.Kind, c.Token, testNow)
				if err != nil {
					t.Fatalf("Verify: %v", err)
				}
				if v.Provider != "zego" || v.Kind != tc.req.Kind || v.AppID != "1234567890" || v.UserID != "alice" || v.Room != tc.req.Room ||
					!v.IssuedAt.Equal(c.IssuedAt) || !v.ExpiresAt.Equal(c.ExpiresAt) || v.Claims["mode"] != mode.String() {
					t.Fatalf("verified %+v", v)
				}
				cl, err := token04.Decode(strings.Split(c.Token, "#")[0], []byte(testSecret))
				if err != nil || cl.Mode != mode {
					t.Fatalf("Decode: %v %v", cl, err)
				}
				priv, ok := cl.Privilege()
				switch {
				case tc.priv == nil && (ok || cl.Payload != ""):
					t.Fatalf("basic token carries payload %q", cl.Payload)
				case tc.priv != nil && (!ok || priv.Payload() != tc.priv.Payload()):
					t.Fatalf("privilege %+v, want %+v", priv, *tc.priv)
				}
				if tc.req.Kind == KindKit {
					kit := v.Claims[ClaimKitUnverified].(map[string]any)
					if kit["userName"] != "Alice Ü" || kit["roomID"] != "room-1" {
						t.Fatalf("kit claims %v", kit)
					}
				}
			})
		}
	}
}

func TestIssueDeterministic(t *testing.T) {
	p := newTestProvider(t, Config{})
	g := core.Grant{Kind: KindToken04, UserID: "user1", Now: testNow, Rand: seededRand(9), TTL: time.Hour}
	a, err := p.Issue(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	g.Rand = seededRand(9)
	b, _ := p.Issue(context.Background(), g)
	g.Rand = seededRand(10)
	c, _ := p.Issue(context.Background(), g)
	if a.Token != b.Token || a.Token == c.Token {
		t.Fatalf("same seed must give the same token, another seed another")
	}
	// The IV is drawn from the [0-9a-z] alphabet, as the official generator's.
	bin, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(a.Token, token04.Version))
	if err != nil || len(bin) < 26 {
		t.Fatalf("token binary: %v", err)
	}
	iv := bin[10:26] // after the expire and the IV length
	for _, ch := range iv {
		if !strings.ContainsRune("0123456789abcdefghijklmnopqrstuvwxyz", rune(ch)) {
			t.Fatalf("iv %q outside the alphabet", iv)
		}
	}
	cl, _ := token04.Decode(a.Token, []byte(testSecret))
	if cl.Nonce < 0 {
		t.Fatalf("nonce %d is negative", cl.Nonce)
	}
}

func TestVerifyKeyRotation(t *testing.T) {
	ctx := context.Background()
	oldP := newTestProvider(t, Config{ServerSecret: core.NewSecret(testSecondary)})
	newP := newTestProvider(t, Config{SecondarySecret: core.NewSecret(testSecondary)})
	other := newTestProvider(t, Config{ServerSecret: core.NewSecret(strings.Repeat("x", 32))})
	for _, kind := range []string{KindToken04, KindKit} {
		g := core.Grant{Kind: kind, UserID: "bob", Room: "r1", Now: testNow, Rand: seededRand(3), TTL: time.Hour}
		byOld, err := oldP.Issue(ctx, g)
		if err != nil {
			t.Fatal(err)
		}
		byNew, _ := newP.Issue(ctx, g)
		for name, tok := range map[string]string{"primary": byNew.Token, "secondary": byOld.Token} {
			if v, err := newP.Verify(ctx, kind, tok, testNow); err != nil || v.UserID != "bob" || v.Room != "r1" {
				t.Errorf("%s/%s: %v %v", kind, name, v, err)
			}
		}
		if _, err := oldP.Verify(ctx, kind, byNew.Token, testNow); !errors.Is(err, core.ErrSignature) {
			t.Errorf("%s: old provider accepted a token of the new secret: %v", kind, err)
		}
		if _, err := other.Verify(ctx, kind, byNew.Token, testNow); !errors.Is(err, core.ErrSignature) {
			t.Errorf("%s: unrelated secret: %v", kind, err)
		}
		if _, err := newP.Verify(ctx, kind, byNew.Token, testNow.Add(time.Hour)); !errors.Is(err, core.ErrExpired) {
			t.Errorf("%s: at expiry: %v", kind, err)
		}
	}
}

func TestVerifyEitherMode(t *testing.T) {
	ctx := context.Background()
	cbc, gcm := newTestProvider(t, Config{}), newTestProvider(t, Config{Mode: ModeGCM})
	for _, pair := range [][2]*Provider{{cbc, gcm}, {gcm, cbc}} {
		c, err := pair[0].Issue(ctx, core.Grant{Kind: KindKit, UserID: "u", Room: "r", TTL: time.Hour, Now: testNow, Rand: seededRand(8)})
		if err != nil {
			t.Fatal(err)
		}
		if v, err := pair[1].Verify(ctx, KindKit, c.Token, testNow); err != nil || v.Claims["mode"] != pair[0].mode.String() {
			t.Errorf("%s token with a %s provider: %v", pair[0].mode, pair[1].mode, err)
		}
	}
}

func TestVerifyErrors(t *testing.T) {
	ctx := context.Background()
	p := newTestProvider(t, Config{})
	otherApp := newTestProvider(t, Config{AppID: 42})
	g := core.Grant{Kind: KindToken04, UserID: "bob", Room: "r1", Now: testNow, Rand: seededRand(3), TTL: time.Hour}
	tok, _ := otherApp.Issue(ctx, g)
	if _, err := p.Verify(ctx, KindToken04, tok.Token, testNow); !errors.Is(err, core.ErrMismatch) {
		t.Errorf("other app: %v", err)
	}
	g.Kind = KindKit
	kit, _ := p.Issue(ctx, g)
	if _, err := p.Verify(ctx, KindToken04, kit.Token, testNow); !errors.Is(err, core.ErrMalformed) {
		t.Errorf("kit token as token04: %v", err)
	}
	if _, err := p.Verify(ctx, "rtc", kit.Token, testNow); !errors.Is(err, core.ErrMismatch) {
		t.Errorf("unknown kind: %v", err)
	}
	// A kit part claiming another user or room than the Token04.
	tok04, k, _ := token04.ParseKitToken(kit.Token)
	for name, mut := range map[string]func(*token04.Kit){
		"user": func(k *token04.Kit) { k.UserID = "mallory" },
		"room": func(k *token04.Kit) { k.RoomID = "r2" },
		"app":  func(k *token04.Kit) { k.AppID = 42 },
	} {
		k2 := k
		mut(&k2)
		forged, err := token04.KitToken(tok04, k2)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := p.Verify(ctx, KindKit, forged, testNow); !errors.Is(err, core.ErrMismatch) {
			t.Errorf("kit %s swapped: %v", name, err)
		}
	}
	for _, bad := range []string{"", "04", "#", "04AAAA#", kit.Token + "#x", "05" + kit.Token[2:], kit.Token[:len(kit.Token)-4]} {
		if _, err := p.Verify(ctx, KindKit, bad, testNow); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("Verify(%q): %v, want ErrMalformed", bad, err)
		}
	}
}

// TestIssueValidation checks every input-validation error code and field
// through the service, and calling Issue directly with the grant the
// service would hand over, except for the kind's own rules (room, role,
// TTL), which only the service checks.
func TestIssueValidation(t *testing.T) {
	ctx := context.Background()
	p := newTestProvider(t, Config{})
	svc := newTestService(t, p)
	long := func(n int) string { return strings.Repeat("a", n) }
	streams := func(n int) string {
		ids := make([]string, n)
		for i := range ids {
			ids[i] = "s" + long(i+1)
		}
		b, _ := json.Marshal(map[string]any{"stream_ids": ids})
		return string(b)
	}
	for _, tc := range []struct {
		name        string
		user, room  string
		kind, role  string
		ttl         time.Duration
		opts        string
		displayName string
		code        core.Code
		field       string
		kindRule    bool // checked by the service, against Kinds
	}{
		{name: "user too long", user: long(65), code: core.CodeInvalidUser, field: "user_id"},
		{name: "user percent", user: "a%b", code: core.CodeInvalidUser, field: "user_id"},
		{name: "user space", user: "a b", code: core.CodeInvalidUser, field: "user_id"},
		{name: "user non-ASCII", user: "josé", code: core.CodeInvalidUser, field: "user_id"},
		{name: "room too long", room: long(129), code: core.CodeInvalidRoom, field: "room"},
		{name: "room quote", room: `r"1`, code: core.CodeInvalidRoom, field: "room"},
		{name: "kit without room", kind: KindKit, code: core.CodeInvalidRoom, field: "room", kindRule: true},
		{name: "unknown role", room: "r", role: "host", code: core.CodeInvalidRole, field: "role", kindRule: true},
		{name: "publisher without room", role: RolePublisher, code: core.CodeInvalidRole, field: "role"},
		{name: "ttl too short", ttl: 59 * time.Second, code: core.CodeInvalidTTL, field: "ttl", kindRule: true},
		{name: "ttl too long", ttl: 24*time.Hour + time.Second, code: core.CodeInvalidTTL, field: "ttl", kindRule: true},
		{name: "ttl fraction", ttl: 90*time.Second + time.Millisecond, code: core.CodeInvalidTTL, field: "ttl", kindRule: true},
		{name: "unknown option", room: "r", opts: `{"privilege":1}`, code: core.CodeInvalidOption, field: "options.privilege"},
		{name: "kit option", kind: KindKit, room: "r", role: RolePublisher, opts: `{"stream_ids":["a"]}`, code: core.CodeInvalidOption, field: "options.stream_ids"},
		{name: "streams wrong type", room: "r", role: RolePublisher, opts: `{"stream_ids":"a"}`, code: core.CodeInvalidOption, field: "options.stream_ids"},
		{name: "streams without room", opts: `{"stream_ids":["a"]}`, code: core.CodeInvalidOption, field: "options.stream_ids"},
		{name: "streams for subscriber", room: "r", opts: `{"stream_ids":["a"]}`, code: core.CodeInvalidOption, field: "options.stream_ids"},
		{name: "streams empty", room: "r", role: RolePublisher, opts: `{"stream_ids":[]}`, code: core.CodeInvalidOption, field: "options.stream_ids"},
		{name: "streams too many", room: "r", role: RolePublisher, opts: streams(33), code: core.CodeInvalidOption, field: "options.stream_ids"},
		{name: "stream bad char", room: "r", role: RolePublisher, opts: `{"stream_ids":["a","b.c"]}`, code: core.CodeInvalidOption, field: "options.stream_ids[1]"},
		{name: "stream too long", room: "r", role: RolePublisher, opts: `{"stream_ids":["` + long(257) + `"]}`, code: core.CodeInvalidOption, field: "options.stream_ids[0]"},
		{name: "stream duplicate", room: "r", role: RolePublisher, opts: `{"stream_ids":["a","a"]}`, code: core.CodeInvalidOption, field: "options.stream_ids[1]"},
		{name: "name too long", kind: KindKit, room: "r", displayName: long(257), code: core.CodeInvalidUser, field: "user_name"},
		{name: "name invalid UTF-8", kind: KindKit, room: "r", displayName: "a\xffb", code: core.CodeInvalidUser, field: "user_name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.user == "" {
				tc.user = "alice"
			}
			if tc.kind == "" {
				tc.kind = KindToken04
			}
			check := func(how string, err error) {
				t.Helper()
				var e *core.Error
				if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field {
					t.Fatalf("%s: %v, want %s (%s)", how, err, tc.code, tc.field)
				}
			}
			id := core.Identity{UserID: tc.user, DisplayName: tc.displayName}
			_, err := svc.Issue(ctx, id, core.Request{Provider: "zego", Kind: tc.kind, Room: tc.room, Role: tc.role, TTL: tc.ttl, Options: json.RawMessage(tc.opts)})
			check("Service.Issue", err)
			if !tc.kindRule {
				_, err = p.Issue(ctx, core.Grant{Kind: tc.kind, UserID: tc.user, Room: tc.room, Role: cmp.Or(tc.role, RoleSubscriber), TTL: cmp.Or(tc.ttl, DefaultTTL),
					Options: json.RawMessage(tc.opts), Identity: id, Now: testNow, Rand: seededRand(1)})
				check("Issue", err)
			}
		})
	}
	if _, err := p.Issue(ctx, core.Grant{Kind: "rtc", UserID: "a", TTL: time.Hour, Now: testNow, Rand: seededRand(1)}); core.CodeOf(err) != core.CodeUnknownKind {
		t.Errorf("unknown kind: %v", err)
	}
	// The service always sets Now, TTL and Rand: a grant without one is a
	// programming error.
	for name, g := range map[string]core.Grant{
		"no time":              {Kind: KindToken04, UserID: "a", TTL: time.Hour, Rand: seededRand(1)},
		"no ttl":               {Kind: KindToken04, UserID: "a", Now: testNow, Rand: seededRand(1)},
		"sub-second ttl":       {Kind: KindToken04, UserID: "a", TTL: time.Millisecond, Now: testNow, Rand: seededRand(1)},
		"no randomness source": {Kind: KindToken04, UserID: "a", TTL: time.Hour, Now: testNow},
	} {
		if _, err := p.Issue(ctx, g); core.CodeOf(err) != core.CodeInternal {
			t.Errorf("%s: %v, want %s", name, err, core.CodeInternal)
		}
	}
	if _, err := p.Issue(ctx, core.Grant{Kind: KindToken04, UserID: "a", TTL: time.Hour, Now: testNow, Rand: strings.NewReader("ab")}); err == nil {
		t.Errorf("short randomness: accepted")
	}
	// The boundaries themselves are accepted.
	for _, g := range []core.Grant{
		{Kind: KindToken04, UserID: long(64), Room: long(128), TTL: time.Minute},
		{Kind: KindToken04, UserID: "u~!@#$^&*()_+=-`;',.<>/\\", Room: "r~!@#$^&*()_+=-`;',.<>/\\", TTL: 24 * time.Hour},
		{Kind: KindToken04, UserID: "u", Room: "r", Role: RolePublisher, Options: json.RawMessage(streams(32))},
		{Kind: KindToken04, UserID: "u", Room: "r", Role: RolePublisher, Options: json.RawMessage(`{"stream_ids":["` + long(256) + `"]}`)},
		{Kind: KindToken04, UserID: "u", Role: RoleSubscriber},
		{Kind: KindKit, UserID: "u", Room: "r", Identity: core.Identity{DisplayName: strings.Repeat("李", 85)}},
	} {
		g.Now, g.Rand, g.TTL = testNow, seededRand(2), cmp.Or(g.TTL, DefaultTTL)
		c, err := p.Issue(ctx, g)
		if err != nil {
			t.Errorf("Issue(%+v): %v", g, err)
			continue
		}
		if _, err := p.Verify(ctx, g.Kind, c.Token, testNow); err != nil {
			t.Errorf("Verify: %v", err)
		}
	}
}
