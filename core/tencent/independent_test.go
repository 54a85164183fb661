package tencent

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// TestIndependentVerifier runs every kind, in both styles, through the
// separate verifier named by RTCTOKEN_VERIFY, and checks that tampered and
// wrongly keyed tokens are rejected by it.
func TestIndependentVerifier(t *testing.T) {
	testutil.Verifier(t)
	const app, key = 1400123456, "416938533bc7c0b5ad007e69cb3bf38bc4cd4cd235da4a9ade187256182caa12"
	now := time.Unix(1735689600, 0)
	grants := []struct {
		name string
		g    core.Grant
		room map[string]any // expected userbuf claims
	}{
		{"usersig", core.Grant{Kind: KindUserSig, UserID: "user_01", TTL: 24 * time.Hour}, nil},
		{"privatemapkey numeric", core.Grant{Kind: KindPrivateMapKey, UserID: "user_01", Room: "4294967294", Role: RolePublisher, TTL: time.Hour,
			Options: json.RawMessage(`{"room_type":"numeric"}`)}, map[string]any{"cVer": 0.0, "dwAuthID": 4294967294.0, "dwPrivilegeMap": 255.0}},
		{"privatemapkey string", core.Grant{Kind: KindPrivateMapKey, UserID: "Abc-_09", Room: "Room 1 <&>", TTL: time.Hour},
			map[string]any{"cVer": 1.0, "dwAuthID": 0.0, "roomStr": "Room 1 <&>", "dwPrivilegeMap": 170.0}},
	}
	for _, style := range []usersig.Style{usersig.StyleGo14, usersig.StyleGo13} {
		var prov core.Provider = newProvider(t, Config{SDKAppID: app, Key: core.NewSecret(key), Style: style})
		for _, c := range grants {
			t.Run(style.String()+"/"+c.name, func(t *testing.T) {
				g := c.g
				g.Now = now
				cred, err := prov.Issue(t.Context(), g)
				if err != nil {
					t.Fatal(err)
				}
				argsAt := func(at time.Time) []string {
					a := []string{"tencent", "--sdkappid", strconv.Itoa(app), "--key", key, "--userid", g.UserID, "--now", strconv.FormatInt(at.Unix(), 10)}
					if c.room == nil {
						a = append(a, "--userbuf-hex", "none")
					}
					return a
				}
				args := argsAt(cred.ExpiresAt)
				res := testutil.RunVerifier(t, append(args, cred.Token)...)
				if res.Exit != 0 || !res.Valid {
					t.Fatalf("verifier: exit %d: %s", res.Exit, res.Raw)
				}
				cl := res.Claims
				if cl["identifier"] != g.UserID || cl["sdkappid"] != float64(app) || cl["time"] != float64(now.Unix()) ||
					cl["expire"] != g.TTL.Seconds() || cl["ver"] != "2.0" {
					t.Fatalf("verifier claims %v", cl)
				}
				if c.room != nil {
					ub, _ := cl["userbuf"].(map[string]any)
					for k, want := range c.room {
						if ub[k] != want {
							t.Fatalf("verifier userbuf %s = %v, want %v", k, ub[k], want)
						}
					}
					if ub["account"] != g.UserID || ub["dwExpTime"] != float64(cred.ExpiresAt.Unix()) {
						t.Fatalf("verifier userbuf %v", ub)
					}
				}

				// One second after expiry.
				if res := testutil.RunVerifier(t, append(argsAt(cred.ExpiresAt.Add(time.Second)), cred.Token)...); res.Exit != 4 || res.Valid {
					t.Fatalf("expired token: exit %d", res.Exit)
				}
				// A token signed with another key.
				other := newProvider(t, Config{SDKAppID: app, Key: core.NewSecret("another key"), Style: style})
				forged, err := other.Issue(t.Context(), g)
				if err != nil {
					t.Fatal(err)
				}
				if res := testutil.RunVerifier(t, append(args, forged.Token)...); res.Exit != 1 || res.Valid {
					t.Fatalf("token with another key: exit %d", res.Exit)
				}
				// A token whose identifier was changed after signing.
				tampered := retarget(t, cred.Token, "mallory")
				if res := testutil.RunVerifier(t, "tencent", "--sdkappid", strconv.Itoa(app), "--key", key, tampered); res.Exit != 1 || res.Valid {
					t.Fatalf("tampered token: exit %d: %s", res.Exit, res.Raw)
				}
			})
		}
	}
}

// retarget rewrites the TLS.identifier of a token, keeping its signature,
// and re-wraps it.
func retarget(t *testing.T, token, user string) string {
	t.Helper()
	text, err := usersig.Inflate(token)
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(text, &doc); err != nil {
		t.Fatal(err)
	}
	doc["TLS.identifier"] = user
	out, _ := json.Marshal(doc)
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(out)
	zw.Close()
	tampered := strings.NewReplacer("+", "*", "/", "-", "=", "_").Replace(base64.StdEncoding.EncodeToString(z.Bytes()))
	if _, err := Parse(tampered); err != nil {
		t.Fatalf("tampered token does not decode: %v (%s)", err, hex.EncodeToString(out[:8]))
	}
	return tampered
}
