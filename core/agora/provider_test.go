package agora_test

import (
	"context"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
)

func newProvider(t testing.TB, secondary string) *agora.Provider {
	t.Helper()
	p, err := agora.New(agora.Config{AppID: testApp, AppCertificate: core.NewSecret(testCert), SecondaryCertificate: core.NewSecret(secondary)})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// newService builds a service that grants elevated options, so the
// provider's own checks of any_uid are reached.
func newService(t testing.TB, p core.Provider) *core.Service {
	t.Helper()
	elevated := core.AllowElevated(func(context.Context, core.Identity, core.Elevation) bool { return true })
	s, err := core.NewService([]core.Provider{p}, core.WithClock(func() time.Time { return testNow }), core.WithRand(repeatSalt(testSalt)), elevated)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestNewConfig(t *testing.T) {
	secret := "5CFd2fd1755d40ecb72977518be15d3b"
	bad := []struct {
		cfg   agora.Config
		field string
	}{
		{agora.Config{AppID: "", AppCertificate: core.NewSecret(secret)}, "AppID"},
		{agora.Config{AppID: testApp[:31], AppCertificate: core.NewSecret(secret)}, "AppID"},
		{agora.Config{AppID: testApp[:31] + "g", AppCertificate: core.NewSecret(secret)}, "AppID"},
		{agora.Config{AppID: testApp}, "AppCertificate"},
		{agora.Config{AppID: testApp, AppCertificate: core.NewSecret(secret + "0")}, "AppCertificate"},
		{agora.Config{AppID: testApp, AppCertificate: core.NewSecret(secret), SecondaryCertificate: core.NewSecret(secret[:31] + "z")}, "SecondaryCertificate"},
		{agora.Config{AppID: testApp, AppCertificate: core.NewSecret(secret), Kinds: []string{"rtc", "video"}}, "Kinds"},
	}
	for i, c := range bad {
		_, err := agora.New(c.cfg)
		var ce *core.ConfigError
		if !errors.Is(err, core.ErrConfig) || !errors.As(err, &ce) || ce.Field != c.field || ce.Provider != "agora" {
			t.Errorf("config %d: %v, want a ConfigError for %s", i, err, c.field)
		}
		if err != nil && strings.Contains(err.Error(), secret[:31]) {
			t.Errorf("config %d: error shows the certificate", i)
		}
	}
	p, err := agora.New(agora.Config{Name: "agora-eu", AppID: testApp, AppCertificate: core.NewSecret(testCert)})
	if err != nil || p.Name() != "agora-eu" || p.AppID() != testApp {
		t.Errorf("name %q app %q: %v", p.Name(), p.AppID(), err)
	}
	if p := newProvider(t, ""); p.Name() != agora.Name {
		t.Errorf("default name %q", p.Name())
	}
}

func TestKinds(t *testing.T) {
	kinds := newProvider(t, "").Kinds()
	if len(kinds) != 4 {
		t.Fatalf("%d kinds", len(kinds))
	}
	byName := map[string]core.KindSpec{}
	for _, k := range kinds {
		byName[k.Kind] = k
		if k.MinTTL != time.Minute || k.MaxTTL != 24*time.Hour || k.DefaultTTL != time.Hour {
			t.Errorf("%s: ttl %v..%v default %v", k.Kind, k.MinTTL, k.MaxTTL, k.DefaultTTL)
		}
	}
	rtc := byName["rtc"]
	if !rtc.NeedsRoom || rtc.DefaultRole != "subscriber" || len(rtc.Roles) != 2 || rtc.ServerOnly {
		t.Errorf("rtc spec %+v", rtc)
	}
	for _, r := range rtc.Roles {
		if r.Elevated {
			t.Errorf("role %s is elevated", r.Name)
		}
	}
	for _, k := range []string{"rtm", "chat", "chat_app"} {
		s := byName[k]
		if s.NeedsRoom || s.RoomAllowed || len(s.Roles) != 0 || s.ServerOnly != (k == "chat_app") {
			t.Errorf("%s spec %+v", k, s)
		}
	}
}

// issue issues through a core.Service; chat_app needs IssueServer.
func issue(t testing.TB, s *core.Service, user string, req core.Request) (*core.Credential, error) {
	t.Helper()
	req.Provider = "agora"
	id := core.Identity{UserID: user}
	if req.Kind == "chat_app" {
		return s.IssueServer(context.Background(), id, req)
	}
	return s.Issue(context.Background(), id, req)
}

func TestIssueThroughService(t *testing.T) {
	p := newProvider(t, "")
	s := newService(t, p)
	b := accesstoken.Builder{AppID: testApp, Certificate: testCert, Now: testNow, Rand: repeatSalt(testSalt)}
	cases := []struct {
		name   string
		user   string
		req    core.Request
		want   func() (string, error)
		join   map[string]any
		userID string
		role   string
	}{
		{"rtc uid publisher", "2882341273", core.Request{Kind: "rtc", Room: "7d72365eb983485397e3e3f9d460bdda", Role: "publisher", Options: json.RawMessage(`{"id_type":"uid"}`)},
			func() (string, error) {
				return b.RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, accesstoken.RolePublisher, 3600, 3600)
			},
			map[string]any{"appId": testApp, "channel": "7d72365eb983485397e3e3f9d460bdda", "uid": uint32(2882341273)}, "2882341273", "publisher"},
		{"rtc account subscriber (default role)", "alice", core.Request{Kind: "rtc", Room: "room 1", TTL: 10 * time.Minute},
			func() (string, error) {
				return b.RTCWithAccount("room 1", "alice", accesstoken.RoleSubscriber, 600, 600)
			},
			map[string]any{"appId": testApp, "channel": "room 1", "userAccount": "alice"}, "alice", "subscriber"},
		{"rtc numeric account", "1001", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"id_type":"account"}`)},
			func() (string, error) { return b.RTCWithAccount("r", "1001", accesstoken.RoleSubscriber, 3600, 3600) },
			map[string]any{"appId": testApp, "channel": "r", "userAccount": "1001"}, "1001", "subscriber"},
		{"rtc any uid", "42", core.Request{Kind: "rtc", Room: "r", Role: "publisher", Options: json.RawMessage(`{"id_type":"uid","any_uid":true}`)},
			func() (string, error) { return b.RTCWithUID("r", 0, accesstoken.RolePublisher, 3600, 3600) },
			map[string]any{"appId": testApp, "channel": "r", "uid": uint32(42)}, "42", "publisher"},
		{"rtc per-privilege", "bob", core.Request{Kind: "rtc", Room: "r", Role: "publisher", TTL: 2 * time.Hour,
			Options: json.RawMessage(`{"privilege_ttl":3600,"publish_video_ttl":900,"publish_data_ttl":60}`)},
			func() (string, error) {
				return b.RTCWithAccountAndPrivileges("r", "bob", 7200, accesstoken.RTCPrivileges{Join: 3600, PublishAudio: 3600, PublishVideo: 900, PublishData: 60})
			},
			map[string]any{"appId": testApp, "channel": "r", "userAccount": "bob"}, "bob", "publisher"},
		{"rtc with rtm", "test_user", core.Request{Kind: "rtc", Room: "7d72365eb983485397e3e3f9d460bdda", Role: "publisher", TTL: 600,
			Options: json.RawMessage(`{"rtm":true,"privilege_ttl":300}`)},
			func() (string, error) {
				return b.RTCWithRTM("7d72365eb983485397e3e3f9d460bdda", "test_user", accesstoken.RolePublisher, 600, 300)
			},
			map[string]any{"appId": testApp, "channel": "7d72365eb983485397e3e3f9d460bdda", "userAccount": "test_user", "rtmUserId": "test_user"}, "test_user", "publisher"},
		{"rtm", "test_user", core.Request{Kind: "rtm"},
			func() (string, error) { return b.RTM("test_user", 3600) },
			map[string]any{"appId": testApp, "userId": "test_user"}, "test_user", ""},
		{"chat", "chat_user-01", core.Request{Kind: "chat", TTL: 24 * time.Hour},
			func() (string, error) { return b.ChatUser("chat_user-01", 86400) },
			map[string]any{"appId": testApp, "userId": "chat_user-01"}, "chat_user-01", ""},
		{"chat app", "admin", core.Request{Kind: "chat_app"},
			func() (string, error) { return b.ChatApp(3600) },
			map[string]any{"appId": testApp}, "", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.req.TTL == 600 {
				c.req.TTL = 600 * time.Second
			}
			cred, err := issue(t, s, c.user, c.req)
			if err != nil {
				t.Fatal(err)
			}
			want, err := c.want()
			if err != nil {
				t.Fatal(err)
			}
			if cred.Token != want {
				t.Errorf("token\n got %s\nwant %s", cred.Token, want)
			}
			c.join["token"] = want
			if !jsonEqual(cred.Join, c.join) {
				t.Errorf("join %v, want %v", cred.Join, c.join)
			}
			ttl := c.req.TTL
			if ttl == 0 {
				ttl = time.Hour
			}
			if cred.UserID != c.userID || cred.Role != c.role || cred.Room != c.req.Room || cred.AppID != testApp ||
				!cred.IssuedAt.Equal(testNow) || !cred.ExpiresAt.Equal(testNow.Add(ttl)) || cred.Provider != "agora" || cred.Kind != c.req.Kind {
				t.Errorf("credential %+v", cred)
			}
			v, err := p.Verify(context.Background(), c.req.Kind, cred.Token, testNow)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			wantUser := c.userID
			if strings.Contains(c.name, "any uid") {
				wantUser = ""
			}
			if v.UserID != wantUser || v.Room != c.req.Room || !v.IssuedAt.Equal(testNow) || !v.ExpiresAt.Equal(testNow.Add(ttl)) ||
				v.Kind != c.req.Kind || v.Provider != "agora" || v.AppID != testApp {
				t.Errorf("verified %+v", v)
			}
		})
	}
	// chat_app is never served to end users.
	if _, err := s.Issue(context.Background(), core.Identity{UserID: "u"}, core.Request{Provider: "agora", Kind: "chat_app"}); !errors.Is(err, core.ErrUnknownKind) {
		t.Errorf("chat_app through Issue: %v", err)
	}
}

func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}

func TestIssueValidation(t *testing.T) {
	s := newService(t, newProvider(t, ""))
	long := func(n int) string { return strings.Repeat("a", n) }
	cases := []struct {
		user  string
		req   core.Request
		code  core.Code
		field string
	}{
		// rtc room and role
		{"alice", core.Request{Kind: "rtc"}, core.CodeInvalidRoom, "room"},
		{"alice", core.Request{Kind: "rtc", Room: long(64)}, core.CodeInvalidRoom, "room"},
		{"alice", core.Request{Kind: "rtc", Room: "a/b"}, core.CodeInvalidRoom, "room"},
		{"alice", core.Request{Kind: "rtc", Room: "canal-é"}, core.CodeInvalidRoom, "room"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Role: "host"}, core.CodeInvalidRole, "role"},
		{"alice", core.Request{Kind: "rtc", Room: "r", TTL: 30 * time.Second}, core.CodeInvalidTTL, "ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", TTL: 25 * time.Hour}, core.CodeInvalidTTL, "ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", TTL: 90*time.Second + time.Millisecond}, core.CodeInvalidTTL, "ttl"},
		// rtc user ids
		{"12345", core.Request{Kind: "rtc", Room: "r"}, core.CodeInvalidOption, "options.id_type"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"id_type":"uid"}`)}, core.CodeInvalidUser, "user_id"},
		{"0", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"id_type":"uid"}`)}, core.CodeInvalidUser, "user_id"},
		{"0042", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"id_type":"uid"}`)}, core.CodeInvalidUser, "user_id"},
		{"4294967296", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"id_type":"uid"}`)}, core.CodeInvalidUser, "user_id"},
		{"a/b", core.Request{Kind: "rtc", Room: "r"}, core.CodeInvalidUser, "user_id"},
		{long(256), core.Request{Kind: "rtc", Room: "r"}, core.CodeInvalidUser, "user_id"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"id_type":"name"}`)}, core.CodeInvalidOption, "options.id_type"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"any_uid":true}`)}, core.CodeInvalidOption, "options.any_uid"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"id_type":"account","any_uid":true}`)}, core.CodeInvalidOption, "options.any_uid"},
		{"7", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"any_uid":true}`)}, core.CodeInvalidOption, "options.any_uid"},
		{long(65), core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"rtm":true}`)}, core.CodeInvalidUser, "user_id"},
		// rtc privilege TTLs
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"privilege_ttl":0}`)}, core.CodeInvalidOption, "options.privilege_ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"privilege_ttl":3601}`)}, core.CodeInvalidOption, "options.privilege_ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"join_ttl":-5}`)}, core.CodeInvalidOption, "options.join_ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Role: "publisher", Options: json.RawMessage(`{"publish_audio_ttl":7200}`)}, core.CodeInvalidOption, "options.publish_audio_ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Role: "publisher", Options: json.RawMessage(`{"publish_video_ttl":1.5}`)}, core.CodeInvalidOption, "options.publish_video_ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"publish_data_ttl":60}`)}, core.CodeInvalidOption, "options.publish_data_ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"publish_audio_ttl":60}`)}, core.CodeInvalidOption, "options.publish_audio_ttl"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"colour":"red"}`)}, core.CodeInvalidOption, "options.colour"},
		{"alice", core.Request{Kind: "rtc", Room: "r", Options: json.RawMessage(`{"rtm":"yes"}`)}, core.CodeInvalidOption, "options.rtm"},
		// rtm
		{"alice", core.Request{Kind: "rtm", Room: "r"}, core.CodeInvalidRoom, "room"},
		{"alice", core.Request{Kind: "rtm", Role: "publisher"}, core.CodeInvalidRole, "role"},
		{"alice", core.Request{Kind: "rtm", Options: json.RawMessage(`{"rtm":true}`)}, core.CodeInvalidOption, "options.rtm"},
		{long(65), core.Request{Kind: "rtm"}, core.CodeInvalidUser, "user_id"},
		{" alice", core.Request{Kind: "rtm"}, core.CodeInvalidUser, "user_id"},
		{"alice ", core.Request{Kind: "rtm"}, core.CodeInvalidUser, "user_id"},
		{"null", core.Request{Kind: "rtm"}, core.CodeInvalidUser, "user_id"},
		{"a/b", core.Request{Kind: "rtm"}, core.CodeInvalidUser, "user_id"},
		{"alice", core.Request{Kind: "rtm", TTL: 48 * time.Hour}, core.CodeInvalidTTL, "ttl"},
		// chat
		{"al ice", core.Request{Kind: "chat"}, core.CodeInvalidUser, "user_id"},
		{"alice@example.com", core.Request{Kind: "chat"}, core.CodeInvalidUser, "user_id"},
		{long(65), core.Request{Kind: "chat"}, core.CodeInvalidUser, "user_id"},
		{"alice", core.Request{Kind: "chat", Room: "r"}, core.CodeInvalidRoom, "room"},
		{"alice", core.Request{Kind: "chat", Role: "publisher"}, core.CodeInvalidRole, "role"},
		{"alice", core.Request{Kind: "chat", Options: json.RawMessage(`{"x":1}`)}, core.CodeInvalidOption, "options.x"},
		// chat_app
		{"alice", core.Request{Kind: "chat_app", Role: "subscriber"}, core.CodeInvalidRole, "role"},
		{"alice", core.Request{Kind: "chat_app", TTL: 59 * time.Second}, core.CodeInvalidTTL, "ttl"},
	}
	for _, c := range cases {
		_, err := issue(t, s, c.user, c.req)
		var e *core.Error
		if !errors.As(err, &e) || e.Code != c.code || e.Field != c.field {
			t.Errorf("%s user %.20q room %q options %s: %v, want %s (%s)", c.req.Kind, c.user, c.req.Room, c.req.Options, err, c.code, c.field)
		}
	}
}

// TestIssueDirect calls Issue without a service, with grants no
// core.Service hands over: the request rules (room, role, TTL) are the
// Service's, tested in TestIssueValidation.
func TestIssueDirect(t *testing.T) {
	p := newProvider(t, "")
	bad := []struct {
		name string
		g    core.Grant
		code core.Code
	}{
		{"unknown kind", core.Grant{Kind: "video", UserID: "alice", TTL: time.Hour, Now: testNow, Rand: repeatSalt(1)}, core.CodeUnknownKind},
		{"zero time", core.Grant{Kind: "rtm", UserID: "alice", TTL: time.Hour, Rand: repeatSalt(1)}, core.CodeInternal},
		{"zero ttl", core.Grant{Kind: "rtc", UserID: "alice", Room: "r", Now: testNow, Rand: repeatSalt(1)}, core.CodeInternal},
		{"negative ttl", core.Grant{Kind: "chat", UserID: "alice", TTL: -time.Hour, Now: testNow, Rand: repeatSalt(1)}, core.CodeInternal},
	}
	for _, b := range bad {
		if c, err := p.Issue(context.Background(), b.g); c != nil || core.CodeOf(err) != b.code {
			t.Errorf("%s: %+v %v, want %s", b.name, c, err, b.code)
		}
	}
	if _, err := p.Issue(context.Background(), core.Grant{Kind: "rtm", UserID: "alice", TTL: time.Hour, Now: testNow}); err == nil {
		t.Error("no randomness source: no error")
	}
}

func TestVerifyKeysAndErrors(t *testing.T) {
	primary := newProvider(t, "")
	rotated, err := agora.New(agora.Config{AppID: testApp, AppCertificate: core.NewSecret(testCert2), SecondaryCertificate: core.NewSecret(testCert)})
	if err != nil {
		t.Fatal(err)
	}
	other, err := agora.New(agora.Config{AppID: "a1b2c3d4e5f60718293a4b5c6d7e8f90", AppCertificate: core.NewSecret(testCert)})
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	grant := core.Grant{Kind: "rtc", UserID: "alice", Room: "r", TTL: 10 * time.Minute, Now: testNow, Rand: repeatSalt(7),
		Options: json.RawMessage(`{"join_ttl":300,"rtm":true}`)}
	c, err := primary.Issue(ctx, grant)
	if err != nil {
		t.Fatal(err)
	}
	// Issued with the primary certificate: verifies with the primary and,
	// after rotation, with the secondary.
	for _, p := range []*agora.Provider{primary, rotated} {
		if _, err := p.Verify(ctx, "rtc", c.Token, testNow); err != nil {
			t.Errorf("verify: %v", err)
		}
	}
	newer, err := rotated.Issue(ctx, grant)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := primary.Verify(ctx, "rtc", newer.Token, testNow); !errors.Is(err, core.ErrSignature) {
		t.Errorf("token of the new certificate with the old one only: %v", err)
	}
	if _, err := rotated.Verify(ctx, "rtc", newer.Token, testNow); err != nil {
		t.Errorf("rotated primary: %v", err)
	}
	v, err := primary.Verify(ctx, "rtm", c.Token, testNow)
	if err != nil || v.UserID != "alice" || v.Room != "" {
		t.Errorf("rtc+rtm token as rtm: %+v %v", v, err)
	}
	chat, err := primary.Issue(ctx, core.Grant{Kind: "chat", UserID: "alice", TTL: time.Hour, Now: testNow, Rand: repeatSalt(7)})
	if err != nil {
		t.Fatal(err)
	}
	app, err := primary.Issue(ctx, core.Grant{Kind: "chat_app", UserID: "server", TTL: time.Hour, Now: testNow, Rand: repeatSalt(7)})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		p     *agora.Provider
		kind  string
		token string
		now   time.Time
		want  error
	}{
		{"boundary", primary, "rtc", c.Token, testNow.Add(300 * time.Second), nil},
		{"join privilege expired", primary, "rtc", c.Token, testNow.Add(301 * time.Second), core.ErrExpired},
		{"rtm login lasts the token", primary, "rtm", c.Token, testNow.Add(600 * time.Second), nil},
		{"token expired", primary, "rtm", c.Token, testNow.Add(601 * time.Second), core.ErrExpired},
		{"other app", other, "rtc", c.Token, testNow, core.ErrMismatch},
		{"wrong kind chat", primary, "chat", c.Token, testNow, core.ErrMismatch},
		{"chat app is not a user token", primary, "chat", app.Token, testNow, core.ErrMismatch},
		{"chat user is not an app token", primary, "chat_app", chat.Token, testNow, core.ErrMismatch},
		{"chat as rtc", primary, "rtc", chat.Token, testNow, core.ErrMismatch},
		{"unknown kind", primary, "video", c.Token, testNow, core.ErrMismatch},
		{"malformed", primary, "rtc", "007abc", testNow, core.ErrMalformed},
		{"empty", primary, "rtc", "", testNow, core.ErrMalformed},
		{"truncated", primary, "rtc", c.Token[:len(c.Token)-8], testNow, core.ErrMalformed},
		{"legacy 006", primary, "rtc", "006970CA35de60c44645bbae8a215061b33IACV0fZUBw+72cVoL9eyGGh3Q6Poi8bgjwVLnyKSJyOXR7dIfRBXoFHlEAABAAAAR/QQAAEAAQCvKDdW", testNow, core.ErrMalformed},
		{"chat ok", primary, "chat", chat.Token, testNow, nil},
		{"chat app ok", primary, "chat_app", app.Token, testNow, nil},
	}
	for _, tc := range cases {
		_, err := tc.p.Verify(ctx, tc.kind, tc.token, tc.now)
		if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		if err != nil && (strings.Contains(err.Error(), testCert) || len(tc.token) > 20 && strings.Contains(err.Error(), tc.token[3:20])) {
			t.Errorf("%s: error shows a secret or the token", tc.name)
		}
	}
	v, err = primary.Verify(ctx, "chat_app", app.Token, testNow)
	if err != nil || v.UserID != "" {
		t.Errorf("chat_app verified %+v %v", v, err)
	}
	svcs := v.Claims["services"].([]any)
	privs := svcs[0].(map[string]any)["privileges"].([]any)
	if p := privs[0].(map[string]any); p["name"] != "app" || p["expires_at"] != int64(testIssued+3600) {
		t.Errorf("chat_app claims %v", v.Claims)
	}
}

// TestConcurrent issues and verifies from several goroutines; run with
// -race it checks that the pooled state is not shared.
func TestConcurrent(t *testing.T) {
	p := newProvider(t, "")
	ctx := context.Background()
	done := make(chan error)
	for w := range 8 {
		go func() {
			var err error
			for i := range 200 {
				user := "user-" + strconv.Itoa(w) + "-" + strconv.Itoa(i)
				var c *core.Credential
				if c, err = p.Issue(ctx, core.Grant{Kind: "rtc", UserID: user, Room: "room", TTL: time.Hour, Now: testNow, Rand: repeatSalt(uint32(1 + i))}); err != nil {
					break
				}
				var v *core.Verified
				if v, err = p.Verify(ctx, "rtc", c.Token, testNow); err != nil {
					break
				}
				if v.UserID != user {
					err = errors.New("verified another user: " + v.UserID)
					break
				}
			}
			done <- err
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}
