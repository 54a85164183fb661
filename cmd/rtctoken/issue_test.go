package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// kindCase issues one kind; every kind of every provider has one.
type kindCase struct {
	name, provider, kind string
	args                 []string
	user, room           string // what Verify must report
}

var kindCases = []kindCase{
	{"tencent usersig", "tencent", "usersig", []string{"--user", "alice"}, "alice", ""},
	{"tencent privatemapkey", "tencent", "privatemapkey", []string{"--user", "alice", "--room", "1234", "--role", "publisher", "--options", `{"room_type":"numeric"}`}, "alice", "1234"},
	{"tencent privatemapkey string room", "tencent", "privatemapkey", []string{"--user", "alice", "--room", "lobby"}, "alice", "lobby"},
	{"agora rtc account", "agora", "rtc", []string{"--user", "alice", "--room", "chan1", "--role", "publisher"}, "alice", "chan1"},
	{"agora rtc uid", "agora", "rtc", []string{"--user", "42", "--room", "chan1", "--options", `{"id_type":"uid","rtm":true}`}, "42", "chan1"},
	{"agora rtm", "agora", "rtm", []string{"--user", "alice"}, "alice", ""},
	{"agora chat", "agora", "chat", []string{"--user", "alice"}, "alice", ""},
	{"agora chat_app", "agora", "chat_app", []string{"--user", "backend"}, "", ""},
	{"zoom video", "zoom", "video", []string{"--user", "u42", "--room", "Cool Cars", "--role", "host", "--name", "Ada", "--options", `{"session_key":"k1"}`}, "u42", "Cool Cars"},
	{"zoom meeting", "zoom", "meeting", []string{"--user", "u42", "--room", "123456789"}, "", "123456789"},
	{"zoom meeting native", "zoom", "meeting", []string{"--user", "u42"}, "", ""},
	{"zego token04", "zego", "token04", []string{"--user", "alice"}, "alice", ""},
	{"zego token04 room", "zego", "token04", []string{"--user", "alice", "--room", "room-1", "--role", "publisher"}, "alice", "room-1"},
	{"zego kit", "zego", "kit", []string{"--user", "alice", "--room", "room-1", "--name", "Ada Lovelace"}, "alice", "room-1"},
}

// TestIssueEveryKind issues every kind and verifies the token with the
// provider's own Verify.
func TestIssueEveryKind(t *testing.T) {
	for _, tc := range kindCases {
		t.Run(tc.name, func(t *testing.T) {
			cred := issue(t, vendorEnv, t0, append([]string{tc.provider, tc.kind}, tc.args...)...)
			if cred.Provider != tc.provider || cred.Kind != tc.kind || cred.Token == "" {
				t.Fatalf("credential %+v", cred)
			}
			if !cred.IssuedAt.Equal(t0) || !cred.ExpiresAt.After(t0) {
				t.Fatalf("times %v %v", cred.IssuedAt, cred.ExpiresAt)
			}
			v, err := provider(t, vendorEnv, tc.provider).Verify(context.Background(), tc.kind, cred.Token, t0.Add(time.Minute))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.UserID != tc.user || v.Room != tc.room {
				t.Fatalf("verified user %q room %q, want %q %q", v.UserID, v.Room, tc.user, tc.room)
			}
		})
	}
}

func TestIssuePlainAndTTL(t *testing.T) {
	code, out, errOut := runAt(t, vendorEnv, t0, "", "issue", "agora", "rtm", "--user", "alice", "--plain", "--ttl", "90m")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	tok := strings.TrimSuffix(out, "\n")
	if strings.ContainsAny(tok, "\n{") || !strings.HasPrefix(tok, "007") {
		t.Fatalf("--plain printed %q", out)
	}
	v, err := provider(t, vendorEnv, "agora").Verify(context.Background(), "rtm", tok, t0)
	if err != nil || !v.ExpiresAt.Equal(t0.Add(90*time.Minute)) {
		t.Fatalf("Verify: %v, expires %v", err, v)
	}
	cred := issue(t, vendorEnv, t0, "tencent", "usersig", "--user", "alice", "--ttl", "7200")
	if d := cred.ExpiresAt.Sub(cred.IssuedAt); d != 2*time.Hour {
		t.Fatalf("--ttl 7200 gave %v", d)
	}
}

// TestIssueKeyFlags takes the keys from flags instead of the variables.
func TestIssueKeyFlags(t *testing.T) {
	dir := t.TempDir()
	certFile := filepath.Join(dir, "cert")
	if err := os.WriteFile(certFile, []byte(agoraCert2+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	bare := env{}
	for _, args := range [][]string{
		{"--app-id", agoraAppID, "--secret", agoraCert2},
		{"--app-id", agoraAppID, "--secret-file", certFile},
	} {
		cred := issue(t, bare, t0, append([]string{"agora", "chat", "--user", "alice"}, args...)...)
		e := env{"RTCTOKEN_AGORA_APP_ID": agoraAppID, "RTCTOKEN_AGORA_APP_CERTIFICATE": agoraCert2}
		if _, err := provider(t, e, "agora").Verify(context.Background(), "chat", cred.Token, t0); err != nil {
			t.Fatalf("%v: %v", args, err)
		}
	}
	// A flag overrides the variable.
	cred := issue(t, vendorEnv, t0, "agora", "chat", "--user", "alice", "--secret", agoraCert2)
	if _, err := provider(t, vendorEnv, "agora").Verify(context.Background(), "chat", cred.Token, t0); err == nil {
		t.Fatal("token signed with the variable's certificate, not --secret")
	}
	// Another vendor's broken configuration does not matter.
	broken := vendorEnv.with("RTCTOKEN_ZEGO_SERVER_SECRET", "short")
	issue(t, broken, t0, "agora", "chat", "--user", "alice")
}

func TestIssueErrors(t *testing.T) {
	cases := []struct {
		name string
		env  env
		args []string
		code int
		msg  string // in stderr
	}{
		{"no arguments", vendorEnv, nil, exitUsage, "want <provider> <kind>"},
		{"no user", vendorEnv, []string{"agora", "rtc", "--room", "r"}, exitUsage, "--user is required"},
		{"unknown provider", vendorEnv, []string{"vonage", "video", "--user", "u"}, exitUsage, "unknown provider"},
		{"unknown kind", vendorEnv, []string{"agora", "voice", "--user", "u"}, exitUsage, "unknown_kind"},
		{"missing room", vendorEnv, []string{"agora", "rtc", "--user", "u"}, exitUsage, "invalid_room (room)"},
		{"bad role", vendorEnv, []string{"agora", "rtc", "--user", "u", "--room", "r", "--role", "admin"}, exitUsage, "invalid_role"},
		{"ttl too long", vendorEnv, []string{"agora", "rtc", "--user", "u", "--room", "r", "--ttl", "48h"}, exitUsage, "invalid_ttl"},
		{"ttl unreadable", vendorEnv, []string{"agora", "rtc", "--user", "u", "--room", "r", "--ttl", "soon"}, exitUsage, "--ttl"},
		{"options not JSON", vendorEnv, []string{"agora", "rtc", "--user", "u", "--room", "r", "--options", "{"}, exitUsage, "not valid JSON"},
		{"unknown option", vendorEnv, []string{"agora", "rtc", "--user", "u", "--room", "r", "--options", `{"colour":1}`}, exitUsage, "options.colour"},
		{"unknown flag", vendorEnv, []string{"agora", "rtc", "--user", "u", "--colour"}, exitUsage, "flag provided but not defined"},
		{"both secret flags", vendorEnv, []string{"agora", "chat", "--user", "u", "--secret", "x", "--secret-file", "y"}, exitUsage, "not both"},
		{"not configured", env{}, []string{"agora", "chat", "--user", "u"}, exitConfig, "no"},
		{"incomplete", env{"RTCTOKEN_AGORA_APP_ID": agoraAppID}, []string{"agora", "chat", "--user", "u"}, exitConfig, "RTCTOKEN_AGORA_APP_CERTIFICATE"},
		{"bad secret flag", vendorEnv, []string{"agora", "chat", "--user", "u", "--secret", otherSecret32[:10]}, exitConfig, "--secret"},
		{"secret file missing", env{"RTCTOKEN_AGORA_APP_ID": agoraAppID}, []string{"agora", "chat", "--user", "u", "--secret-file", "/nonexistent/" + agoraCert}, exitConfig, "--secret-file"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := runAt(t, tc.env, t0, "", append([]string{"issue"}, tc.args...)...)
			if code != tc.code || !strings.Contains(errOut, tc.msg) {
				t.Fatalf("exit %d (want %d), stderr %q (want %q)", code, tc.code, errOut, tc.msg)
			}
			if out != "" {
				t.Fatalf("stdout on error: %q", out)
			}
			if strings.Contains(errOut, agoraCert) || strings.Contains(errOut, "/nonexistent/") {
				t.Fatalf("stderr leaks a value: %q", errOut)
			}
		})
	}
}

func TestHelpAndUsage(t *testing.T) {
	for _, args := range [][]string{{"help"}, {"-h"}, {"help", "issue"}, {"help", "inspect"}, {"help", "serve"}, {"issue", "-h"}, {"inspect", "--help"}, {"serve", "-h"}, {"version"}} {
		code, out, _ := runAt(t, env{}, t0, "", args...)
		if code != exitOK || out == "" {
			t.Fatalf("%v: exit %d, output %q", args, code, out)
		}
	}
	code, _, errOut := runAt(t, env{}, t0, "", "frobnicate")
	if code != exitUsage || !strings.Contains(errOut, "unknown command") {
		t.Fatalf("unknown command: exit %d, %q", code, errOut)
	}
	if code, _, _ := runAt(t, env{}, t0, ""); code != exitUsage {
		t.Fatalf("no command: exit %d", code)
	}
	// The serve help lists every variable of the library's configuration.
	_, out, _ := runAt(t, env{}, t0, "", "help", "serve")
	for _, v := range append([]string{envAddr, envJWTSecret, envTrustedHeader, envRateLimit, envMetrics}, "RTCTOKEN_ZEGO_MODE", "RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY") {
		if !strings.Contains(out, v) {
			t.Fatalf("help serve does not mention %s", v)
		}
	}
}

func TestVendorVars(t *testing.T) {
	for _, v := range vendors {
		if vv, ok := varsOf(v); !ok || vv.secondary == "" {
			t.Fatalf("vendor %s: variables %+v", v, vv)
		}
	}
}

// TestIssueVendorMaximumTTL: the operator may ask for the vendor's longest
// lifetime (Tencent: 180 days), beyond the 30 days clients are capped at.
func TestIssueVendorMaximumTTL(t *testing.T) {
	cred := issue(t, vendorEnv, t0, "tencent", "usersig", "--user", "alice", "--ttl", "4320h")
	if got := cred.ExpiresAt.Sub(cred.IssuedAt); got != 180*24*time.Hour {
		t.Fatalf("lifetime %s, want 180 days", got)
	}
	if code, _, _ := runAt(t, vendorEnv, t0, "", "issue", "tencent", "usersig", "--user", "alice", "--ttl", "4321h"); code != exitUsage {
		t.Fatalf("a lifetime over the vendor's limit: exit %d", code)
	}
}

// Keys of the LiveKit and Twilio test applications.
const (
	livekitKey     = "APIrtctokenTest1"
	livekitSecret  = "livekit-test-secret-0123456789abcdefXYZ"
	livekitSecret2 = "livekit-other-secret-0123456789abcdefXYZ"
	twilioAccount  = "AC0123456789abcdef0123456789abcdef"
	twilioKeySID   = "SK0123456789abcdef0123456789abcdef"
	twilioSecret   = "twilio-test-secret-0123456789abc"
	twilioSecret2  = "twilio-other-secret-0123456789ab"
)

// lkTwEnv configures LiveKit and Twilio beside the other providers.
var lkTwEnv = vendorEnv.with(
	"RTCTOKEN_LIVEKIT_API_KEY", livekitKey, "RTCTOKEN_LIVEKIT_API_SECRET", livekitSecret, "RTCTOKEN_LIVEKIT_URL", "wss://lk.example.com",
	"RTCTOKEN_TWILIO_ACCOUNT_SID", twilioAccount, "RTCTOKEN_TWILIO_API_KEY_SID", twilioKeySID, "RTCTOKEN_TWILIO_API_KEY_SECRET", twilioSecret,
	"RTCTOKEN_TWILIO_CHAT_SERVICE_SID", "IS0123456789abcdef0123456789abcdef", "RTCTOKEN_TWILIO_SYNC_SERVICE_SID", "ISfedcba9876543210fedcba9876543210",
)

// lkTwCases issue every kind of LiveKit and Twilio.
var lkTwCases = []kindCase{
	{"livekit room", "livekit", "room", []string{"--user", "alice", "--room", "standup", "--role", "publisher", "--name", "Ada"}, "alice", "standup"},
	{"twilio video", "twilio", "video", []string{"--user", "alice", "--room", "DailyStandup"}, "alice", "DailyStandup"},
	{"twilio voice", "twilio", "voice", []string{"--user", "alice"}, "alice", ""},
	{"twilio chat", "twilio", "chat", []string{"--user", "alice"}, "alice", ""},
	{"twilio sync", "twilio", "sync", []string{"--user", "alice"}, "alice", ""},
}

// noSecret fails the test if out holds a LiveKit or Twilio secret.
func noSecret(t *testing.T, out string) {
	t.Helper()
	for _, s := range []string{livekitSecret, livekitSecret2, twilioSecret, twilioSecret2} {
		if strings.Contains(out, s) {
			t.Fatalf("output contains a secret:\n%s", out)
		}
	}
}

func TestIssueLiveKitTwilio(t *testing.T) {
	for _, tc := range lkTwCases {
		t.Run(tc.name, func(t *testing.T) {
			cred := issue(t, lkTwEnv, t0, append([]string{tc.provider, tc.kind}, tc.args...)...)
			if cred.Provider != tc.provider || cred.Kind != tc.kind || !cred.IssuedAt.Equal(t0) {
				t.Fatalf("credential %+v", cred)
			}
			noSecret(t, cred.Token)
			v, err := provider(t, lkTwEnv, tc.provider).Verify(context.Background(), tc.kind, cred.Token, t0.Add(time.Minute))
			if err != nil || v.UserID != tc.user || v.Room != tc.room {
				t.Fatalf("Verify: %v, %+v", err, v)
			}
		})
	}
	// The flags stand in for the variables.
	e := lkTwEnv.with("RTCTOKEN_LIVEKIT_API_KEY", "", "RTCTOKEN_LIVEKIT_API_SECRET", "")
	cred := issue(t, e, t0, "livekit", "room", "--user", "bob", "--room", "r", "--app-id", "APIflag", "--secret", livekitSecret2)
	if cred.AppID != "APIflag" {
		t.Fatalf("app id %q", cred.AppID)
	}
	// LiveKit's admin role is elevated, and allowed at the command line.
	issue(t, lkTwEnv, t0, "livekit", "room", "--user", "bob", "--room", "r", "--role", "admin")
	for _, args := range [][]string{
		{"issue", "livekit", "room", "--user", "u", "--room", "r", "--secret", "short"},
		{"issue", "twilio", "video", "--user", "u", "--room", "r", "--app-id", "not-an-account"},
	} {
		if code, _, errOut := runAt(t, lkTwEnv, t0, "", args...); code != exitConfig || !strings.Contains(errOut, args[len(args)-2]) {
			t.Fatalf("%v: exit %d, %q", args, code, errOut)
		}
	}
}
