package core_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// echoProvider is a minimal provider whose token spells out the grant, so
// the tests can see exactly what the service handed over.
type echoProvider struct{ kinds []core.KindSpec }

func (echoProvider) Name() string             { return "echo" }
func (echoProvider) AppID() string            { return "app-1" }
func (p echoProvider) Kinds() []core.KindSpec { return p.kinds }
func (echoProvider) Verify(context.Context, string, string, time.Time) (*core.Verified, error) {
	return nil, core.ErrMalformed
}
func (echoProvider) Issue(_ context.Context, g core.Grant) (*core.Credential, error) {
	var salt [2]byte
	if _, err := g.Rand.Read(salt[:]); err != nil {
		return nil, err
	}
	return &core.Credential{
		Token:     fmt.Sprintf("%s|%s|%s|%s|%d|%x", g.Kind, g.UserID, g.Room, g.Role, int64(g.TTL/time.Second), salt),
		AppID:     "app-1",
		UserID:    g.UserID,
		Room:      g.Room,
		Role:      g.Role,
		IssuedAt:  g.Now,
		ExpiresAt: g.Now.Add(g.TTL),
		Join:      map[string]any{"user": g.UserID},
	}, nil
}

var echoKinds = []core.KindSpec{
	{Kind: "call", MinTTL: time.Minute, MaxTTL: 24 * time.Hour, DefaultTTL: time.Hour, NeedsRoom: true,
		Roles: []core.Role{{Name: "guest"}, {Name: "host", Elevated: true}}, DefaultRole: "guest",
		ElevatedOptions: []string{"any_user", "record"}},
	{Kind: "chat", MinTTL: time.Minute, MaxTTL: 7 * 24 * time.Hour, DefaultTTL: 24 * time.Hour, ElevatedUsers: []string{"root"}},
	{Kind: "app", MinTTL: time.Minute, MaxTTL: time.Hour, DefaultTTL: time.Hour, ServerOnly: true},
	{Kind: "long", MinTTL: time.Minute, MaxTTL: 180 * 24 * time.Hour, DefaultTTL: 24 * time.Hour},
	{Kind: "open", MinTTL: time.Minute, DefaultTTL: 24 * time.Hour},
}

var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

func newService(t *testing.T, opts ...core.Option) *core.Service {
	t.Helper()
	base := []core.Option{core.WithClock(func() time.Time { return t0 }), core.WithRand(bytes.NewReader(bytes.Repeat([]byte{0xab}, 1024)))}
	s, err := core.NewService([]core.Provider{echoProvider{echoKinds}}, append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestIssueDefaults(t *testing.T) {
	s := newService(t)
	c, err := s.Issue(context.Background(), core.Identity{UserID: "alice"}, core.Request{Provider: "echo", Kind: "call", Room: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Token != "call|alice|r1|guest|3600|abab" {
		t.Fatalf("token %q", c.Token)
	}
	if c.Provider != "echo" || c.Kind != "call" || c.UserID != "alice" || c.Role != "guest" {
		t.Fatalf("credential %+v", c)
	}
	if !c.IssuedAt.Equal(t0) || !c.ExpiresAt.Equal(t0.Add(time.Hour)) || !c.RenewAfter.Equal(t0.Add(55*time.Minute)) {
		t.Fatalf("times %v %v %v", c.IssuedAt, c.ExpiresAt, c.RenewAfter)
	}
	if c.IssuedAt.Location() != time.UTC {
		t.Fatalf("issued_at not UTC")
	}
}

func TestIssueErrors(t *testing.T) {
	s := newService(t)
	alice := core.Identity{UserID: "alice"}
	cases := []struct {
		name  string
		id    core.Identity
		req   core.Request
		code  core.Code
		field string
	}{
		{"no identity", core.Identity{}, core.Request{Provider: "echo", Kind: "chat"}, core.CodeUnauthenticated, ""},
		{"unknown provider", alice, core.Request{Provider: "nope", Kind: "chat"}, core.CodeUnknownProvider, "provider"},
		{"unknown kind", alice, core.Request{Provider: "echo", Kind: "nope"}, core.CodeUnknownKind, "kind"},
		{"server only kind", alice, core.Request{Provider: "echo", Kind: "app"}, core.CodeUnknownKind, "kind"},
		{"room required", alice, core.Request{Provider: "echo", Kind: "call"}, core.CodeInvalidRoom, "room"},
		{"room refused", alice, core.Request{Provider: "echo", Kind: "chat", Room: "x"}, core.CodeInvalidRoom, "room"},
		{"role refused", alice, core.Request{Provider: "echo", Kind: "chat", Role: "guest"}, core.CodeInvalidRole, "role"},
		{"unknown role", alice, core.Request{Provider: "echo", Kind: "call", Room: "r", Role: "admin"}, core.CodeInvalidRole, "role"},
		{"elevated role", alice, core.Request{Provider: "echo", Kind: "call", Room: "r", Role: "host"}, core.CodeForbidden, "role"},
		{"other user", alice, core.Request{Provider: "echo", Kind: "chat", UserID: "bob"}, core.CodeInvalidUser, "user_id"},
		{"ttl too short", alice, core.Request{Provider: "echo", Kind: "chat", TTL: time.Second}, core.CodeInvalidTTL, "ttl"},
		{"ttl too long", alice, core.Request{Provider: "echo", Kind: "chat", TTL: 8 * 24 * time.Hour}, core.CodeInvalidTTL, "ttl"},
		{"ttl negative", alice, core.Request{Provider: "echo", Kind: "chat", TTL: -time.Hour}, core.CodeInvalidTTL, "ttl"},
		{"ttl fraction", alice, core.Request{Provider: "echo", Kind: "chat", TTL: 90*time.Second + 1}, core.CodeInvalidTTL, "ttl"},
		{"control char room", alice, core.Request{Provider: "echo", Kind: "call", Room: "a\x00b"}, core.CodeInvalidRoom, "room"},
		{"invalid utf8 room", alice, core.Request{Provider: "echo", Kind: "call", Room: "a\xffb"}, core.CodeInvalidRoom, "room"},
		{"long room", alice, core.Request{Provider: "echo", Kind: "call", Room: strings.Repeat("r", 300)}, core.CodeInvalidRoom, "room"},
		{"control char identity", core.Identity{UserID: "a\nb"}, core.Request{Provider: "echo", Kind: "chat"}, core.CodeInvalidUser, "user_id"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := s.Issue(context.Background(), tc.id, tc.req)
			var e *core.Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v is not *core.Error", err)
			}
			if e.Code != tc.code || e.Field != tc.field {
				t.Fatalf("got %s/%q, want %s/%q (%v)", e.Code, e.Field, tc.code, tc.field, err)
			}
			if !errors.Is(err, &core.Error{Code: tc.code}) {
				t.Fatalf("errors.Is by code failed")
			}
		})
	}
}

func TestServerOnlyThroughIssueServer(t *testing.T) {
	s := newService(t)
	c, err := s.IssueServer(context.Background(), core.Identity{UserID: "svc"}, core.Request{Provider: "echo", Kind: "app"})
	if err != nil || c.Kind != "app" {
		t.Fatalf("IssueServer: %v %+v", err, c)
	}
	for _, p := range s.Providers() {
		for _, k := range p.Kinds {
			if k == "app" {
				t.Fatalf("server-only kind listed: %v", p.Kinds)
			}
		}
	}
}

func TestAuthorizerNarrows(t *testing.T) {
	narrow := core.AuthorizerFunc(func(_ context.Context, id core.Identity, req *core.Request, _ core.KindSpec) error {
		if id.Attributes["plan"] == "free" {
			req.TTL = 10 * time.Minute
		}
		return nil
	})
	s := newService(t, core.WithAuthorizer(narrow))
	c, err := s.Issue(context.Background(), core.Identity{UserID: "u", Attributes: map[string]string{"plan": "free"}}, core.Request{Provider: "echo", Kind: "chat"})
	if err != nil || c.ExpiresAt.Sub(c.IssuedAt) != 10*time.Minute {
		t.Fatalf("narrowed ttl: %v %+v", err, c)
	}
	// An authorizer that narrows to something invalid is caught by the kind's rules.
	bad := core.AuthorizerFunc(func(_ context.Context, _ core.Identity, req *core.Request, _ core.KindSpec) error {
		req.Role = "nobody"
		return nil
	})
	s = newService(t, core.WithAuthorizer(bad))
	if _, err := s.Issue(context.Background(), core.Identity{UserID: "u"}, core.Request{Provider: "echo", Kind: "call", Room: "r"}); !errors.Is(err, core.ErrInvalidRole) {
		t.Fatalf("want invalid_role, got %v", err)
	}
}

// roomOnly is the authorizer a host writes when it only cares about rooms:
// it never looks at the user, the role or the options.
var roomOnly = core.AuthorizerFunc(func(_ context.Context, _ core.Identity, req *core.Request, _ core.KindSpec) error {
	if req.Room == "board" {
		return core.Errorf(core.CodeForbidden, "room", "board members only")
	}
	return nil
})

func TestChecksHoldWhateverTheAuthorizer(t *testing.T) {
	alice := core.Identity{UserID: "alice"}
	for name, opts := range map[string][]core.Option{
		"no authorizer":        nil,
		"room-only authorizer": {core.WithAuthorizer(roomOnly)},
		"authorizer allowing everything": {core.WithAuthorizer(core.AuthorizerFunc(
			func(context.Context, core.Identity, *core.Request, core.KindSpec) error { return nil }))},
	} {
		s := newService(t, opts...)
		for _, tc := range []struct {
			req   core.Request
			code  core.Code
			field string
		}{
			{core.Request{Provider: "echo", Kind: "chat", UserID: "bob"}, core.CodeInvalidUser, "user_id"},
			{core.Request{Provider: "echo", Kind: "call", Room: "r", UserID: "Alice"}, core.CodeInvalidUser, "user_id"},
			{core.Request{Provider: "echo", Kind: "call", Room: "r", Role: "host"}, core.CodeForbidden, "role"},
			{core.Request{Provider: "echo", Kind: "call", Room: "r", Options: json.RawMessage(`{"record":true}`)}, core.CodeForbidden, "options.record"},
			{core.Request{Provider: "echo", Kind: "call", Room: "r", Options: json.RawMessage(`{"record":1,"record":0}`)}, core.CodeInvalidOption, "options.record"},
			{core.Request{Provider: "echo", Kind: "call", Room: "r", Options: json.RawMessage(`[{"record":true}]`)}, core.CodeInvalidOption, "options"},
		} {
			_, err := s.Issue(context.Background(), alice, tc.req)
			var e *core.Error
			if !errors.As(err, &e) || e.Code != tc.code || e.Field != tc.field {
				t.Errorf("%s: %+v: got %v, want %s/%s", name, tc.req, err, tc.code, tc.field)
			}
		}
		// The caller's own credential, unelevated, is still issued.
		if c, err := s.Issue(context.Background(), alice, core.Request{Provider: "echo", Kind: "call", Room: "r", UserID: "alice", Options: json.RawMessage(`{"record":false}`)}); err != nil || c.UserID != "alice" {
			t.Errorf("%s: own credential: %v", name, err)
		}
	}
	// Elevated user ids are refused even as the caller's own id.
	_, err := newService(t, core.WithAuthorizer(roomOnly)).Issue(context.Background(), core.Identity{UserID: "ROOT"}, core.Request{Provider: "echo", Kind: "chat"})
	if !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "user_id"}) {
		t.Fatalf("elevated user: %v", err)
	}
}

func TestAuthorizerCannotWiden(t *testing.T) {
	alice := core.Identity{UserID: "alice"}
	cases := []struct {
		name  string
		edit  func(*core.Request)
		code  core.Code
		field string
	}{
		{"other user", func(r *core.Request) { r.UserID = "bob" }, core.CodeInvalidUser, "user_id"},
		{"elevated role", func(r *core.Request) { r.Role = "host" }, core.CodeForbidden, "role"},
		{"elevated option", func(r *core.Request) { r.Options = json.RawMessage(`{"any_user":true}`) }, core.CodeForbidden, "options.any_user"},
		{"ttl over the policy", func(r *core.Request) { r.TTL = 48 * time.Hour }, core.CodeInvalidTTL, "ttl"},
		{"room dropped", func(r *core.Request) { r.Room = "" }, core.CodeInvalidRoom, "room"},
		{"other kind", func(r *core.Request) { r.Kind = "app" }, core.CodeInternal, ""},
		{"other provider", func(r *core.Request) { r.Provider = "other" }, core.CodeInternal, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			authz := core.AuthorizerFunc(func(_ context.Context, _ core.Identity, req *core.Request, _ core.KindSpec) error {
				tc.edit(req)
				return nil
			})
			s := newService(t, core.WithAuthorizer(authz))
			c, err := s.Issue(context.Background(), alice, core.Request{Provider: "echo", Kind: "call", Room: "r"})
			if c != nil || core.CodeOf(err) != tc.code {
				t.Fatalf("got %v %+v, want %s", err, c, tc.code)
			}
			var e *core.Error
			if errors.As(err, &e) && e.Field != tc.field {
				t.Fatalf("field %q, want %q", e.Field, tc.field)
			}
		})
	}
	// A grant opens what the authorizer narrows to, once checked again.
	toBob := core.AuthorizerFunc(func(_ context.Context, _ core.Identity, req *core.Request, _ core.KindSpec) error {
		req.UserID, req.Role = "bob", "host"
		return nil
	})
	var users []string
	var elevations []core.Elevation
	s := newService(t, core.WithAuthorizer(toBob),
		core.AllowUser(func(_ context.Context, _ core.Identity, req core.Request) bool {
			users = append(users, req.UserID)
			return true
		}),
		core.AllowElevated(func(_ context.Context, _ core.Identity, e core.Elevation) bool {
			elevations = append(elevations, e)
			return true
		}))
	c, err := s.Issue(context.Background(), alice, core.Request{Provider: "echo", Kind: "call", Room: "r"})
	if err != nil || c.UserID != "bob" || c.Role != "host" {
		t.Fatalf("granted narrowing: %v %+v", err, c)
	}
	if len(users) != 1 || users[0] != "bob" || len(elevations) != 1 || elevations[0] != (core.Elevation{Provider: "echo", Kind: "call", Role: "host"}) {
		t.Fatalf("grants asked %v %v", users, elevations)
	}
}

func TestAuthorizerSeesCheckedCopy(t *testing.T) {
	var seen []core.Request
	authz := core.AuthorizerFunc(func(_ context.Context, _ core.Identity, req *core.Request, _ core.KindSpec) error {
		seen = append(seen, *req)
		if i := bytes.IndexByte(req.Options, '0'); i >= 0 {
			req.Options[i] = '1' // widens in place, on the bytes it was given
		}
		return nil
	})
	s := newService(t, core.WithAuthorizer(authz))
	alice := core.Identity{UserID: "alice"}
	for _, req := range []core.Request{
		{Provider: "echo", Kind: "chat", Room: "x"},                // room on a roomless kind
		{Provider: "echo", Kind: "call"},                           // room missing
		{Provider: "echo", Kind: "call", Room: "r", Role: "admin"}, // role not offered
		{Provider: "echo", Kind: "chat", TTL: 8 * 24 * time.Hour},  // ttl over the policy
		{Provider: "echo", Kind: "chat", UserID: "bob"},            // another user
		{Provider: "echo", Kind: "call", Room: "r", Role: "host"},  // elevated role
		{Provider: "echo", Kind: "call", Room: "a\x00b"},           // control character
		{Provider: "echo", Kind: "app"},                            // server only
	} {
		if _, err := s.Issue(context.Background(), alice, req); err == nil {
			t.Fatalf("%+v issued", req)
		}
	}
	if len(seen) != 0 {
		t.Fatalf("the authorizer saw refused requests: %+v", seen)
	}
	if _, err := s.Issue(context.Background(), alice, core.Request{Provider: "echo", Kind: "call", Room: "r"}); err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0].Role != "guest" || seen[0].TTL != time.Hour {
		t.Fatalf("the authorizer saw %+v, want the kind's defaults filled in", seen)
	}
	// Options changed in place are the authorizer's copy, checked again.
	opts := json.RawMessage(`{"record":0}`)
	_, err := s.Issue(context.Background(), alice, core.Request{Provider: "echo", Kind: "call", Room: "r", Options: opts})
	if !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "options.record"}) {
		t.Fatalf("options widened in place: %v", err)
	}
	if string(opts) != `{"record":0}` {
		t.Fatalf("the caller's options were changed: %s", opts)
	}
}

func TestElevationGrant(t *testing.T) {
	alice := core.Identity{UserID: "alice"}
	cases := []struct {
		name string
		req  core.Request
		id   core.Identity
		want []core.Elevation
	}{
		{"role", core.Request{Provider: "echo", Kind: "call", Room: "r", Role: "host"}, alice,
			[]core.Elevation{{Provider: "echo", Kind: "call", Role: "host"}}},
		{"option", core.Request{Provider: "echo", Kind: "call", Room: "r", Options: json.RawMessage(`{"any_user":"yes"}`)}, alice,
			[]core.Elevation{{Provider: "echo", Kind: "call", Option: "any_user"}}},
		{"role and two options", core.Request{Provider: "echo", Kind: "call", Room: "r", Role: "host", Options: json.RawMessage(`{"record":1,"any_user":true}`)}, alice,
			[]core.Elevation{{Provider: "echo", Kind: "call", Role: "host"}, {Provider: "echo", Kind: "call", Option: "record"}, {Provider: "echo", Kind: "call", Option: "any_user"}}},
		{"caller is privileged", core.Request{Provider: "echo", Kind: "chat"}, core.Identity{UserID: "Root"},
			[]core.Elevation{{Provider: "echo", Kind: "chat", UserID: "Root"}}},
		{"names a privileged user", core.Request{Provider: "echo", Kind: "chat", UserID: "root"}, alice,
			[]core.Elevation{{Provider: "echo", Kind: "chat", UserID: "root"}}},
		{"nothing elevated", core.Request{Provider: "echo", Kind: "call", Room: "r", Options: json.RawMessage(`{"record":false,"any_user":null}`)}, alice, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var asked []core.Elevation
			yes := core.AllowElevated(func(_ context.Context, _ core.Identity, e core.Elevation) bool { asked = append(asked, e); return true })
			allowOthers := core.AllowUser(func(context.Context, core.Identity, core.Request) bool { return true })
			if _, err := newService(t, yes, allowOthers).Issue(context.Background(), tc.id, tc.req); err != nil {
				t.Fatalf("allowed: %v", err)
			}
			if fmt.Sprint(asked) != fmt.Sprint(tc.want) {
				t.Fatalf("asked %+v, want %+v", asked, tc.want)
			}
			// Without the grant each one is refused, naming the field.
			_, err := newService(t, allowOthers).Issue(context.Background(), tc.id, tc.req)
			if len(tc.want) == 0 {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			first := tc.want[0]
			field := "role"
			switch {
			case first.Option != "":
				field = "options." + first.Option
			case first.UserID != "":
				field = "user_id"
			}
			if !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: field}) {
				t.Fatalf("without a grant: %v, want forbidden %s", err, field)
			}
		})
	}
	// A grant that allows one elevation does not allow the next.
	onlyHost := core.AllowElevated(func(_ context.Context, _ core.Identity, e core.Elevation) bool { return e.Role == "host" })
	_, err := newService(t, onlyHost).Issue(context.Background(), alice, core.Request{Provider: "echo", Kind: "call", Room: "r", Role: "host", Options: json.RawMessage(`{"any_user":true}`)})
	if !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "options.any_user"}) {
		t.Fatalf("second elevation: %v", err)
	}
}

func TestUserGrant(t *testing.T) {
	admin := core.Identity{UserID: "ops", Attributes: map[string]string{"admin": "1"}}
	var asked []core.Request
	s := newService(t, core.AllowUser(func(_ context.Context, id core.Identity, req core.Request) bool {
		asked = append(asked, req)
		return id.Attributes["admin"] == "1"
	}))
	c, err := s.Issue(context.Background(), admin, core.Request{Provider: "echo", Kind: "chat", UserID: "bob"})
	if err != nil || c.UserID != "bob" {
		t.Fatalf("granted: %v %+v", err, c)
	}
	if _, err := s.Issue(context.Background(), core.Identity{UserID: "eve"}, core.Request{Provider: "echo", Kind: "chat", UserID: "bob"}); !errors.Is(err, core.ErrInvalidUser) {
		t.Fatalf("not granted: %v", err)
	}
	// The caller's own id never asks the grant.
	if _, err := s.Issue(context.Background(), admin, core.Request{Provider: "echo", Kind: "chat", UserID: "ops"}); err != nil {
		t.Fatal(err)
	}
	if len(asked) != 2 || asked[0].UserID != "bob" || asked[0].TTL != 24*time.Hour {
		t.Fatalf("grant asked %+v", asked)
	}
	// A user grant does not open an elevated user.
	if _, err := s.Issue(context.Background(), admin, core.Request{Provider: "echo", Kind: "chat", UserID: "root"}); !errors.Is(err, &core.Error{Code: core.CodeForbidden, Field: "user_id"}) {
		t.Fatalf("elevated user through a user grant: %v", err)
	}
	for _, o := range []core.Option{core.AllowUser(nil), core.AllowElevated(nil)} {
		if _, err := core.NewService(nil, o); !errors.Is(err, core.ErrConfig) {
			t.Fatalf("nil grant: %v", err)
		}
	}
}

func TestIssueServerIsTrusted(t *testing.T) {
	s := newService(t, core.WithAuthorizer(core.AuthorizerFunc(func(context.Context, core.Identity, *core.Request, core.KindSpec) error {
		return core.Errorf(core.CodeForbidden, "", "no")
	})))
	for _, req := range []core.Request{
		{Provider: "echo", Kind: "chat", UserID: "root"},
		{Provider: "echo", Kind: "call", Room: "r", Role: "host", UserID: "bob", Options: json.RawMessage(`{"any_user":true}`)},
	} {
		if _, err := s.IssueServer(context.Background(), core.Identity{UserID: "svc"}, req); err != nil {
			t.Fatalf("%+v: %v", req, err)
		}
	}
	// The kind's rules and the TTL policy still apply.
	if _, err := s.IssueServer(context.Background(), core.Identity{UserID: "svc"}, core.Request{Provider: "echo", Kind: "long", TTL: 31 * 24 * time.Hour}); !errors.Is(err, core.ErrInvalidTTL) {
		t.Fatalf("ttl over the policy: %v", err)
	}
}

func TestTTLPolicy(t *testing.T) {
	s := newService(t, core.WithTTL("echo", "chat", 2*time.Hour, 100*24*time.Hour))
	k, err := s.Kind("echo", "chat")
	if err != nil {
		t.Fatal(err)
	}
	if k.DefaultTTL != 2*time.Hour || k.MaxTTL != 7*24*time.Hour {
		t.Fatalf("policy not clamped to vendor limits: %+v", k)
	}
	// Thirty days at most by default, whatever the vendor allows.
	d := newService(t)
	for _, kind := range []string{"long", "open"} {
		if k, _ := d.Kind("echo", kind); k.MaxTTL != 30*24*time.Hour {
			t.Fatalf("%s: default policy maximum %v", kind, k.MaxTTL)
		}
		if _, err := d.Issue(context.Background(), core.Identity{UserID: "u"}, core.Request{Provider: "echo", Kind: kind, TTL: 30*24*time.Hour + time.Second}); !errors.Is(err, core.ErrInvalidTTL) {
			t.Fatalf("%s: ttl over thirty days: %v", kind, err)
		}
		if c, err := d.Issue(context.Background(), core.Identity{UserID: "u"}, core.Request{Provider: "echo", Kind: kind, TTL: 30 * 24 * time.Hour}); err != nil || c.ExpiresAt.Sub(c.IssuedAt) != 30*24*time.Hour {
			t.Fatalf("%s: thirty days: %v", kind, err)
		}
	}
	// WithTTL raises it up to the vendor's maximum, and no further.
	raised := newService(t, core.WithTTL("echo", "long", 0, 365*24*time.Hour), core.WithTTL("echo", "open", 0, 365*24*time.Hour))
	if k, _ := raised.Kind("echo", "long"); k.MaxTTL != 180*24*time.Hour || k.DefaultTTL != 24*time.Hour {
		t.Fatalf("raised policy %+v", k)
	}
	if k, _ := raised.Kind("echo", "open"); k.MaxTTL != 365*24*time.Hour {
		t.Fatalf("raised policy of an unbounded kind %+v", k)
	}
	if c, err := raised.Issue(context.Background(), core.Identity{UserID: "u"}, core.Request{Provider: "echo", Kind: "long", TTL: 180 * 24 * time.Hour}); err != nil || c.ExpiresAt.Sub(c.IssuedAt) != 180*24*time.Hour {
		t.Fatalf("raised ttl: %v", err)
	}
	c, _ := s.Issue(context.Background(), core.Identity{UserID: "u"}, core.Request{Provider: "echo", Kind: "chat"})
	if c.ExpiresAt.Sub(c.IssuedAt) != 2*time.Hour {
		t.Fatalf("default ttl not applied")
	}
	for _, o := range []core.Option{
		core.WithTTL("nope", "chat", time.Hour, 0),
		core.WithTTL("echo", "nope", time.Hour, 0),
		core.WithTTL("echo", "chat", 2*time.Hour, time.Hour),
		core.WithClock(nil), core.WithRand(nil), core.WithAuthorizer(nil),
	} {
		if _, err := core.NewService([]core.Provider{echoProvider{echoKinds}}, o); !errors.Is(err, core.ErrConfig) {
			t.Fatalf("want ErrConfig, got %v", err)
		}
	}
	if _, err := core.NewService([]core.Provider{echoProvider{echoKinds}, echoProvider{echoKinds}}); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("duplicate provider accepted")
	}
}

func TestBatchAllOrNothing(t *testing.T) {
	s := newService(t)
	id := core.Identity{UserID: "u"}
	creds, err := s.IssueBatch(context.Background(), id, []core.Request{{Provider: "echo", Kind: "chat"}, {Provider: "echo", Kind: "call", Room: "r"}})
	if err != nil || len(creds) != 2 {
		t.Fatalf("batch: %v", err)
	}
	_, err = s.IssueBatch(context.Background(), id, []core.Request{{Provider: "echo", Kind: "chat"}, {Provider: "echo", Kind: "call"}})
	var e *core.Error
	if !errors.As(err, &e) || e.Field != "requests[1].room" || e.Code != core.CodeInvalidRoom {
		t.Fatalf("batch error %v", err)
	}
	if _, err := s.IssueBatch(context.Background(), id, make([]core.Request, core.MaxBatch+1)); !errors.Is(err, core.ErrInvalidRequest) {
		t.Fatalf("oversized batch: %v", err)
	}
}

func TestDecodeOptions(t *testing.T) {
	var o struct {
		UID   uint32 `json:"uid"`
		Flags []int  `json:"flags"`
	}
	cases := map[string]string{
		`{"uid":"x"}`:       "options.uid",
		`{"zzz":1}`:         "options.zzz",
		`[1]`:               "options",
		`{"uid":1} {}`:      "options",
		`{"uid":1`:          "options",
		`{"uid":-1}`:        "options.uid",
		`{"flags":[1,"a"]}`: "options.flags",
		`{"UID":7}`:         "options.UID",
		`{"uid":1,"uid":2}`: "options.uid",
		`{"uid":1,}`:        "options",
	}
	for in, field := range cases {
		err := core.DecodeOptions(json.RawMessage(in), &o)
		var e *core.Error
		if !errors.As(err, &e) || e.Code != core.CodeInvalidOption || e.Field != field {
			t.Errorf("%s: got %v, want field %s", in, err, field)
		}
	}
	if err := core.DecodeOptions(json.RawMessage(`{"uid":7}`), &o); err != nil || o.UID != 7 {
		t.Fatalf("valid options: %v", err)
	}
	if err := core.DecodeOptions(nil, &o); err != nil {
		t.Fatal(err)
	}
}

func TestSecretRedacts(t *testing.T) {
	s := core.NewSecret("hunter2-very-secret")
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	log.Info("x", "secret", s, "struct", struct{ S core.Secret }{s})
	j, _ := json.Marshal(map[string]any{"s": s})
	out := fmt.Sprintf("%v %+v %#v %s %q %x", s, s, s, s, s, s) + buf.String() + string(j)
	if strings.Contains(out, "hunter2") {
		t.Fatalf("secret leaked: %s", out)
	}
	if s.Reveal() != "hunter2-very-secret" || !s.Equal(core.NewSecret("hunter2-very-secret")) || s.Equal(core.NewSecret("x")) {
		t.Fatal("Reveal/Equal")
	}
}

func TestWithFieldPrefix(t *testing.T) {
	err := core.WithFieldPrefix(core.Errorf(core.CodeInvalidTTL, "ttl", "x"), "requests[2].")
	if e := err.(*core.Error); e.Field != "requests[2].ttl" {
		t.Fatal(e.Field)
	}
	err = core.WithFieldPrefix(core.Errorf(core.CodeInvalidRequest, "", "x"), "requests[2].")
	if e := err.(*core.Error); e.Field != "requests[2]" {
		t.Fatal(e.Field)
	}
	plain := errors.New("x")
	if core.WithFieldPrefix(plain, "p.") != plain || core.CodeOf(plain) != core.CodeInternal {
		t.Fatal("plain error changed")
	}
	if core.CodeOf(nil) != "" {
		t.Fatal("a nil error has a code")
	}
}

func TestRenameField(t *testing.T) {
	fields := map[string]string{"tpc": "room"}
	orig := core.Errorf(core.CodeInvalidRoom, "tpc", "too long")
	err := core.RenameField(fmt.Errorf("sign: %w", orig), fields)
	var e *core.Error
	if !errors.As(err, &e) || e.Field != "room" || e.Code != core.CodeInvalidRoom || e.Message != "too long" || orig.Field != "tpc" {
		t.Fatalf("renamed %v (original now %q)", err, orig.Field)
	}
	other := core.Errorf(core.CodeInvalidOption, "iv", "x")
	plain := errors.New("x")
	if core.RenameField(other, fields) != error(other) || core.RenameField(plain, fields) != plain {
		t.Fatal("an error without a mapped field changed")
	}
}

func TestElevatedOptions(t *testing.T) {
	k := core.KindSpec{Kind: "rtc", ElevatedOptions: []string{"any_uid"}}
	for opts, want := range map[string]bool{
		`{"any_uid":true}`: true, `{"any_uid":1}`: true, `{"any_\u0075id":"yes"}`: true,
		`{"any_uid":false}`: false, `{"any_uid":null}`: false, `{"any_uid":0}`: false, `{}`: false, ``: false, `[1]`: false,
	} {
		if _, got := core.ElevatedOption(k, json.RawMessage(opts)); got != want {
			t.Errorf("%s: elevated %v, want %v", opts, got, want)
		}
	}
}

func TestServiceVerify(t *testing.T) {
	s := newService(t)
	if _, err := s.Verify(context.Background(), "echo", "call", "x"); !errors.Is(err, core.ErrMalformed) {
		t.Fatalf("provider's verifier not used: %v", err)
	}
	if _, err := s.Verify(context.Background(), "nope", "call", "x"); !errors.Is(err, core.ErrUnknownProvider) {
		t.Fatalf("unknown provider: %v", err)
	}
}
