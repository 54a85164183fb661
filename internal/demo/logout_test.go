package demo

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestLogoutForgetsCredentials: signing out drops the user's cached preset
// bundle, so signing in again issues fresh credentials instead of the ones
// handed out before. The Agora RTM token carries a random salt, so a reissue
// shows in its text.
func TestLogoutForgetsCredentials(t *testing.T) {
	e, err := New(Settings{Logger: quiet()}, nil)
	if err != nil {
		t.Fatal(err)
	}
	login := func() (string, string) {
		t.Helper()
		resp, c := e.Login(posted("application/json"), strings.NewReader(`{"username":"alice","password":"alice-password"}`), false)
		var out struct {
			RTC struct {
				Credentials map[string]struct{ Token string } `json:"credentials"`
			} `json:"rtc"`
		}
		if resp.Status != 200 || c == nil || json.Unmarshal(resp.Body, &out) != nil || out.RTC.Credentials["agora"].Token == "" {
			t.Fatalf("login: %d %s", resp.Status, resp.Body)
		}
		return out.RTC.Credentials["agora"].Token, c.Value
	}
	first, session := login()
	if again, _ := login(); again != first {
		t.Fatal("a second sign-in without logout did not reuse the cached bundle")
	}
	if resp, _ := e.Logout(request{cookie: session}, false); resp.Status != 200 {
		t.Fatalf("logout: %d %s", resp.Status, resp.Body)
	}
	if after, _ := login(); after == first {
		t.Fatal("after logout, sign-in was served the bundle from before it")
	}
}
