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
		Roles: []core.Role{{Name: "guest"}, {Name: "host", Elevated: true}}, DefaultRole: "guest"},
	{Kind: "chat", MinTTL: time.Minute, MaxTTL: 7 * 24 * time.Hour, DefaultTTL: 24 * time.Hour},
	{Kind: "app", MinTTL: time.Minute, MaxTTL: time.Hour, DefaultTTL: time.Hour, ServerOnly: true},
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

func TestAuthorizerNarrowsAndHooks(t *testing.T) {
	narrow := core.AuthorizerFunc(func(ctx context.Context, id core.Identity, req *core.Request, k core.KindSpec) error {
		if err := (core.DefaultAuthorizer{}).Authorize(ctx, id, req, k); err != nil {
			return err
		}
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
	// An authorizer that narrows to something invalid is caught by validation.
	bad := core.AuthorizerFunc(func(_ context.Context, _ core.Identity, req *core.Request, _ core.KindSpec) error {
		req.Role = "nobody"
		return nil
	})
	s = newService(t, core.WithAuthorizer(bad))
	if _, err := s.Issue(context.Background(), core.Identity{UserID: "u"}, core.Request{Provider: "echo", Kind: "call", Room: "r"}); !errors.Is(err, core.ErrInvalidRole) {
		t.Fatalf("want invalid_role, got %v", err)
	}
	hooks := core.DefaultAuthorizer{
		AllowUser:     func(_ context.Context, id core.Identity, _ *core.Request) bool { return id.Attributes["admin"] == "1" },
		AllowElevated: func(_ context.Context, id core.Identity, _ *core.Request) bool { return id.Attributes["admin"] == "1" },
	}
	s = newService(t, core.WithAuthorizer(hooks))
	admin := core.Identity{UserID: "root", Attributes: map[string]string{"admin": "1"}}
	c, err = s.Issue(context.Background(), admin, core.Request{Provider: "echo", Kind: "call", Room: "r", Role: "host", UserID: "bob"})
	if err != nil || c.UserID != "bob" || c.Role != "host" {
		t.Fatalf("admin: %v %+v", err, c)
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
	req := &core.Request{Options: json.RawMessage(`{"any_uid":true}`)}
	err := core.DefaultAuthorizer{}.Authorize(context.Background(), core.Identity{UserID: "u"}, req, k)
	var e *core.Error
	if !errors.As(err, &e) || e.Code != core.CodeForbidden || e.Field != "options.any_uid" {
		t.Fatalf("default authorizer: %v", err)
	}
	allow := core.DefaultAuthorizer{AllowElevated: func(context.Context, core.Identity, *core.Request) bool { return true }}
	if err := allow.Authorize(context.Background(), core.Identity{UserID: "u"}, req, k); err != nil {
		t.Fatalf("allowed elevation refused: %v", err)
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
