package agora_test

import (
	"encoding/json"
	"strconv"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// TestIndependentVerifier runs every kind the provider issues through the
// independent verifier (RTCTOKEN_VERIFY), then a tampered token.
func TestIndependentVerifier(t *testing.T) {
	testutil.Verifier(t)
	var p core.Provider = newProvider(t, "")
	s := newService(t, p)
	now := strconv.FormatInt(testIssued+60, 10)
	cases := []struct {
		user string
		req  core.Request
		// expected RTC channel/uid, or user id of the first service
		channel, uid, userID string
		service              string
	}{
		{"2882341273", core.Request{Kind: "rtc", Room: "7d72365eb983485397e3e3f9d460bdda", Role: "publisher", Options: json.RawMessage(`{"id_type":"uid"}`)},
			"7d72365eb983485397e3e3f9d460bdda", "2882341273", "", "rtc"},
		{"42", core.Request{Kind: "rtc", Room: "lobby", Options: json.RawMessage(`{"id_type":"uid","any_uid":true}`)}, "lobby", "", "", "rtc"},
		{"alice smith", core.Request{Kind: "rtc", Room: "room (1)", Role: "subscriber", TTL: 24 * time.Hour,
			Options: json.RawMessage(`{"rtm":true,"join_ttl":600}`)}, "room (1)", "alice smith", "", "rtc"},
		{"test_user", core.Request{Kind: "rtm"}, "", "", "test_user", "rtm"},
		{"chat_user-01", core.Request{Kind: "chat"}, "", "", "chat_user-01", "chat"},
		{"admin", core.Request{Kind: "chat_app"}, "", "", "", "chat"},
	}
	for _, c := range cases {
		t.Run(c.req.Kind+"/"+c.user, func(t *testing.T) {
			cred, err := issue(t, s, c.user, c.req)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"agora", "--app-id", testApp, "--cert", testCert, "--now", now}
			if c.service == "rtc" {
				args = append(args, "--channel", c.channel, "--uid", c.uid)
			}
			res := testutil.RunVerifier(t, append(args, cred.Token)...)
			if res.Exit != 0 || !res.Valid {
				t.Fatalf("exit %d valid %v: %s", res.Exit, res.Valid, res.Raw)
			}
			if len(res.Warnings) > 0 {
				t.Logf("verifier warnings: %v", res.Warnings)
			}
			ttl := c.req.TTL
			if ttl == 0 {
				ttl = time.Hour
			}
			if res.Claims["app_id"] != testApp || res.Claims["issue_ts"] != float64(testIssued) ||
				res.Claims["expire"] != float64(ttl/time.Second) || res.Claims["salt"] != float64(testSalt) {
				t.Errorf("claims %v", res.Claims)
			}
			svc := res.Claims["services"].([]any)[0].(map[string]any)
			if svc["name"] != c.service {
				t.Errorf("service %v", svc)
			}
			if c.service == "rtc" && (svc["channel_name"] != c.channel || svc["uid"] != c.uid) {
				t.Errorf("rtc service %v", svc)
			}
			if c.service != "rtc" && svc["user_id"] != c.userID {
				t.Errorf("service %v", svc)
			}
			late := strconv.FormatInt(cred.ExpiresAt.Unix()+1, 10)
			if res := testutil.RunVerifier(t, "agora", "--app-id", testApp, "--cert", testCert, "--now", late, cred.Token); res.Exit != 4 {
				t.Errorf("after expiry: exit %d", res.Exit)
			}
		})
	}
	// A byte of the signed content changed, recompressed: bad signature
	// for the verifier and for the package.
	cred, err := issue(t, s, "alice", core.Request{Kind: "rtc", Room: "room"})
	if err != nil {
		t.Fatal(err)
	}
	content := inflate(t, cred.Token)
	content[len(content)-1] ^= 1 // last byte of the account
	tampered := reencode(content)
	if res := testutil.RunVerifier(t, "agora", "--app-id", testApp, "--cert", testCert, tampered); res.Exit != 1 || res.Valid {
		t.Errorf("tampered: exit %d valid %v", res.Exit, res.Valid)
	}
	if _, err := p.Verify(t.Context(), "rtc", tampered, testNow); exitCode(err) != 1 {
		t.Errorf("tampered: %v", err)
	}
	if res := testutil.RunVerifier(t, "agora", "--app-id", testApp, "--cert", testCert2, cred.Token); res.Exit != 1 {
		t.Errorf("wrong certificate: exit %d", res.Exit)
	}
}
