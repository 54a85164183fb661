package httpapitest

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// authzCases are the table rows about the identity and elevation checks,
// which hold whatever the authorizer: the fixture's authorizer only refuses
// mallory and narrows the free plan, and checks nothing else.
func authzCases(t testing.TB) []Case {
	uid := map[string]string{HostUserHeader: "12345"}
	free := map[string]string{HostUserHeader: "frank", hostPlanHeader: "free"}
	admin := map[string]string{HostUserHeader: "administrator"}
	return []Case{
		// The credential is for the caller.
		{Name: "authz: other user for usersig", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"user_id":"bob"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "authz: other user for zoom", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"s1","user_id":"bob"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "authz: other user for zego kit", Method: "POST", Path: "/rtc/zego/kit", Body: `{"room":"room-1","user_id":"bob"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "authz: own id in another case", Method: "POST", Path: "/rtc/agora/rtm", Body: `{"user_id":"Alice"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "authz: other user on the free plan", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","user_id":"bob"}`, Headers: free, Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},

		// Nothing elevated.
		{Name: "authz: zoom meeting host", Method: "POST", Path: "/rtc/zoom/meeting", Body: `{"room":"85746065432","role":"host"}`, Headers: alice(), Status: 403, Code: core.CodeForbidden, Field: "role"},
		{Name: "authz: zoom host on the free plan", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"s1","role":"host"}`, Headers: free, Status: 403, Code: core.CodeForbidden, Field: "role"},
		{Name: "authz: agora any_uid", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","options":{"id_type":"uid","any_uid":true}}`, Headers: uid, Status: 403, Code: core.CodeForbidden, Field: "options.any_uid"},
		{Name: "authz: agora any_uid without id_type", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","options":{"any_uid":1}}`, Headers: alice(), Status: 403, Code: core.CodeForbidden, Field: "options.any_uid"},
		{Name: "authz: agora any_uid false", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"chan1","options":{"id_type":"uid","any_uid":false}}`, Headers: uid, Status: 200, WantUser: "12345", WantRoom: "chan1"},
		{Name: "authz: tencent admin usersig", Method: "POST", Path: "/rtc/tencent/usersig", Headers: admin, Status: 403, Code: core.CodeForbidden, Field: "user_id"},
		{Name: "authz: tencent admin in another case", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{HostUserHeader: "Administrator"}, Status: 403, Code: core.CodeForbidden, Field: "user_id"},
		{Name: "authz: tencent admin privatemapkey", Method: "POST", Path: "/rtc/tencent/privatemapkey", Body: `{"room":"lobby"}`, Headers: admin, Status: 403, Code: core.CodeForbidden, Field: "user_id"},
		{Name: "authz: tencent admin from a bearer", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{"Authorization": "Bearer " + bearerToken(t, "administrator", time.Hour)}, Status: 403, Code: core.CodeForbidden, Field: "user_id"},
		{Name: "authz: tencent admin named in the body", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"user_id":"administrator"}`, Headers: alice(), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "authz: tencent admin in a batch", Method: "POST", Path: "/rtc/batch", Body: `{"requests":[{"provider":"agora","kind":"rtm"},{"provider":"tencent","kind":"usersig"}]}`, Headers: admin, Status: 403, Code: core.CodeForbidden, Field: "requests[1].user_id"},
		{Name: "authz: admin is not elevated elsewhere", Method: "POST", Path: "/rtc/agora/rtm", Headers: admin, Status: 200, WantUser: "administrator"},

		// TTLs: thirty days at most.
		{Name: "authz: usersig over thirty days", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"ttl":2592001}`, Headers: alice(), Status: 400, Code: core.CodeInvalidTTL, Field: "ttl"},
		{Name: "authz: usersig for 180 days", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"ttl":15552000}`, Headers: alice(), Status: 400, Code: core.CodeInvalidTTL, Field: "ttl"},
		{Name: "authz: privatemapkey over thirty days", Method: "POST", Path: "/rtc/tencent/privatemapkey", Body: `{"room":"lobby","ttl":2592001}`, Headers: alice(), Status: 400, Code: core.CodeInvalidTTL, Field: "ttl"},
		{Name: "authz: usersig for thirty days", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"ttl":2592000}`, Headers: alice(), Status: 200, WantUser: "alice"},

		// The kind's rules run before the authorizer: mallory, whom it
		// refuses, gets the kind's answer for a request the kind refuses.
		{Name: "authz: kind rules before the authorizer", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"room":"x"}`, Headers: map[string]string{HostUserHeader: "mallory"}, Status: 400, Code: core.CodeInvalidRoom, Field: "room"},
		{Name: "authz: identity before the authorizer", Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"user_id":"bob"}`, Headers: map[string]string{HostUserHeader: "mallory"}, Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
	}
}

// authzChecks runs the identity and elevation checks that need more than
// one request: the preset bundles of attach and login never carry an App
// Admin UserSig, and a thirty-day credential verifies for thirty days.
func authzChecks(t *testing.T, api *httpapi.API, client *http.Client, base string) {
	t.Run("no admin usersig in bundles", func(t *testing.T) {
		for _, tc := range []Case{
			{Method: "GET", Path: "/me", Headers: map[string]string{HostUserHeader: "administrator"}},
			{Method: "POST", Path: "/login", Headers: map[string]string{"X-Login-User": "administrator"}},
		} {
			status, _, body := Do(t, client, base, tc)
			if status >= 500 {
				t.Fatalf("%s %s: %d %s", tc.Method, tc.Path, status, body)
			}
			var b struct {
				Credentials map[string]core.Credential `json:"credentials"`
				RTC         struct {
					Credentials map[string]core.Credential `json:"credentials"`
				} `json:"rtc"`
			}
			if err := json.Unmarshal(body, &b); err != nil {
				t.Fatalf("%s %s: %s (%v)", tc.Method, tc.Path, body, err)
			}
			for name, c := range b.Credentials {
				checkNotAdmin(t, api, name, c)
			}
			for name, c := range b.RTC.Credentials {
				checkNotAdmin(t, api, name, c)
			}
			if strings.Contains(string(body), "userSig") {
				t.Fatalf("%s %s: a UserSig in %s", tc.Method, tc.Path, body)
			}
		}
	})
	t.Run("thirty days verify", func(t *testing.T) {
		status, _, body := Do(t, client, base, Case{Method: "POST", Path: "/rtc/tencent/usersig", Body: `{"ttl":2592000}`, Headers: alice()})
		var c core.Credential
		if err := json.Unmarshal(body, &c); status != 200 || err != nil {
			t.Fatalf("%d %s (%v)", status, body, err)
		}
		VerifyCredential(t, api, c, "alice", "")
		if d := c.ExpiresAt.Sub(c.IssuedAt); d != 30*24*time.Hour {
			t.Fatalf("lifetime %v", d)
		}
	})
}

func checkNotAdmin(t *testing.T, api *httpapi.API, name string, c core.Credential) {
	t.Helper()
	if c.Provider == "tencent" {
		t.Fatalf("preset %s: a %s/%s credential for %q", name, c.Provider, c.Kind, c.UserID)
	}
	VerifyCredential(t, api, c, "administrator", "")
}
