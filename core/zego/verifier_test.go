package zego

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego/token04"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// TestIndependentVerifier issues every kind through the core.Provider
// interface and has the independent verifier (RTCTOKEN_VERIFY) check it,
// then checks that it rejects a tampered token.
func TestIndependentVerifier(t *testing.T) {
	testutil.Verifier(t)
	ctx := context.Background()
	now := strconv.FormatInt(testNow.Unix(), 10)
	for _, mode := range []Mode{ModeCBC, ModeGCM} {
		var p core.Provider = newTestProvider(t, Config{Mode: mode})
		for _, g := range []core.Grant{
			{Kind: KindToken04, UserID: "alice"},
			{Kind: KindToken04, UserID: "bob<&>", Room: "room-1", Role: RolePublisher, Options: json.RawMessage(`{"stream_ids":["cam","screen"]}`)},
			{Kind: KindKit, UserID: "carol", Room: "room-2", Identity: core.Identity{UserID: "carol", DisplayName: "Carol Zoë 😀"}},
		} {
			g.Now, g.Rand, g.TTL = testNow, seededRand(5), 2*time.Hour
			t.Run(mode.String()+"/"+g.Kind+"/"+g.UserID, func(t *testing.T) {
				c, err := p.Issue(ctx, g)
				if err != nil {
					t.Fatalf("Issue: %v", err)
				}
				cmd := "zego"
				if g.Kind == KindKit {
					cmd = "zegokit"
				}
				res := testutil.RunVerifier(t, cmd, "--app-id", "1234567890", "--secret", testSecret, "--now", now, c.Token)
				if len(res.Warnings) > 0 {
					t.Errorf("verifier warnings: %v", res.Warnings)
				}
				if res.Exit != 0 || !res.Valid {
					t.Fatalf("verifier: exit %d: %s", res.Exit, res.Raw)
				}
				claims := res.Claims
				if g.Kind == KindKit {
					kit, _ := claims["kit"].(map[string]any)
					if kit["userID"] != g.UserID || kit["roomID"] != g.Room || kit["userName_decoded"] != g.Identity.DisplayName {
						t.Fatalf("kit claims %v", kit)
					}
					claims, _ = claims["token04"].(map[string]any)
				}
				if claims["user_id"] != g.UserID || claims["app_id"] != float64(testAppID) ||
					claims["ctime"] != float64(testNow.Unix()) || claims["expire"] != float64(testNow.Add(2*time.Hour).Unix()) {
					t.Fatalf("token04 claims %v", claims)
				}
				if g.Room != "" {
					pj, _ := claims["payload_json"].(map[string]any)
					priv, _ := pj["privilege"].(map[string]any)
					wantPublish := float64(0)
					if g.Role == RolePublisher {
						wantPublish = 1
					}
					if pj["room_id"] != g.Room || priv["1"] != float64(1) || priv["2"] != wantPublish {
						t.Fatalf("payload %v", pj)
					}
				}

				// Tampered: one character of the ciphertext changed.
				i := 40
				b := []byte(c.Token)
				b[i] = map[bool]byte{true: 'B', false: 'A'}[b[i] == 'A']
				res = testutil.RunVerifier(t, cmd, "--app-id", "1234567890", "--secret", testSecret, "--now", now, string(b))
				if res.Exit == 0 || res.Valid {
					t.Fatalf("verifier accepted a tampered token: %s", res.Raw)
				}
				// Expired and wrong app id.
				late := strconv.FormatInt(testNow.Add(2*time.Hour).Unix(), 10)
				if res = testutil.RunVerifier(t, cmd, "--app-id", "1234567890", "--secret", testSecret, "--now", late, c.Token); res.Exit != 4 {
					t.Fatalf("expired: exit %d", res.Exit)
				}
				if res = testutil.RunVerifier(t, cmd, "--app-id", "1", "--secret", testSecret, c.Token); res.Exit != 3 {
					t.Fatalf("other app: exit %d", res.Exit)
				}
				if !strings.HasPrefix(c.Token, token04.Version) {
					t.Fatalf("token %q", c.Token)
				}
			})
		}
	}
}
