package zoom_test

import (
	"context"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// TestIndependentVerifier runs every kind the Provider issues, through the
// core.Provider interface, past the independent verifier (RTCTOKEN_VERIFY).
func TestIndependentVerifier(t *testing.T) {
	testutil.Verifier(t)
	var p core.Provider = newProvider(t, zoom.Config{IATSkew: 30 * time.Second})
	cases := []struct {
		name, verifierKind string
		grant              core.Grant
		claims             map[string]any
	}{
		{"video", "videosdk", core.Grant{
			Kind: zoom.KindVideo, UserID: "user-Ü😀", Room: `Cool <Cars> & "Trucks" 会议`, Role: zoom.RoleHost, TTL: 48*time.Hour - 30*time.Second,
			Options: json.RawMessage(`{"session_key":"sk-1","geo_regions":["US","JP"],"cloud_recording_option":1,"cloud_recording_election":0,"telemetry_tracking_id":"trk","video_webrtc_mode":0,"audio_webrtc_mode":1}`),
		}, map[string]any{
			"app_key": testKey, "role_type": 1, "tpc": `Cool <Cars> & "Trucks" 会议`, "version": 1, "user_identity": "user-Ü😀",
			"session_key": "sk-1", "geo_regions": "US,JP", "cloud_recording_option": 1, "cloud_recording_election": 0,
			"telemetry_tracking_id": "trk", "video_webrtc_mode": 0, "audio_webrtc_mode": 1,
		}},
		{"meeting web", "meetingsdk", core.Grant{
			Kind: zoom.KindMeeting, UserID: "u1", Room: "85746065432", Role: zoom.RoleHost, TTL: 1800 * time.Second,
			Options: json.RawMessage(`{"video_webrtc_mode":1}`),
		}, map[string]any{"appKey": testKey, "sdkKey": testKey, "mn": "85746065432", "role": 1, "video_webrtc_mode": 1}},
		{"meeting native", "meetingsdk", core.Grant{Kind: zoom.KindMeeting, UserID: "u1", TTL: 2 * time.Hour},
			map[string]any{"appKey": testKey, "sdkKey": testKey}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.grant.Now = testNow
			cred, err := p.Issue(context.Background(), c.grant)
			if err != nil {
				t.Fatal(err)
			}
			now := strconv.FormatInt(testNow.Unix(), 10)
			res := testutil.RunVerifier(t, "zoom", "--sdk-secret", testSecret, "--now", now, "--kind", c.verifierKind, cred.Token)
			if res.Exit != 0 || !res.Valid {
				t.Fatalf("verifier: exit %d: %s", res.Exit, res.Raw)
			}
			want := map[string]any{"iat": cred.IssuedAt.Unix(), "exp": cred.ExpiresAt.Unix()}
			if c.grant.Kind == zoom.KindMeeting {
				want["tokenExp"] = cred.ExpiresAt.Unix()
			}
			for k, v := range c.claims {
				want[k] = v
			}
			if !sameJSON(t, res.Claims, want) {
				t.Errorf("verifier claims\n got %v\nwant %v", res.Claims, want)
			}
			if len(res.Warnings) > 0 {
				t.Logf("verifier warnings: %v", res.Warnings)
			}

			// A flipped signature character is a bad signature (exit 1).
			i := strings.LastIndexByte(cred.Token, '.') + 1
			flip := byte('A')
			if cred.Token[i] == 'A' {
				flip = 'B'
			}
			tampered := cred.Token[:i] + string(flip) + cred.Token[i+1:]
			res = testutil.RunVerifier(t, "zoom", "--sdk-secret", testSecret, "--now", now, tampered)
			if res.Exit != 1 || res.Valid {
				t.Errorf("tampered token: exit %d valid %v", res.Exit, res.Valid)
			}
			// Past exp it is expired (exit 4).
			res = testutil.RunVerifier(t, "zoom", "--sdk-secret", testSecret, "--now", strconv.FormatInt(cred.ExpiresAt.Unix(), 10), cred.Token)
			if res.Exit != 4 {
				t.Errorf("at exp: exit %d", res.Exit)
			}
		})
	}
}
