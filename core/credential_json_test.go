package core_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// credentialFields mirrors Credential without its MarshalJSON, so
// encoding/json gives the reference output.
type credentialFields struct {
	Provider   string         `json:"provider"`
	Kind       string         `json:"kind"`
	Token      string         `json:"token"`
	AppID      string         `json:"app_id"`
	UserID     string         `json:"user_id"`
	Room       string         `json:"room,omitempty"`
	Role       string         `json:"role,omitempty"`
	IssuedAt   time.Time      `json:"issued_at"`
	ExpiresAt  time.Time      `json:"expires_at"`
	RenewAfter time.Time      `json:"renew_after"`
	Join       map[string]any `json:"join"`
}

func TestCredentialJSONMatchesEncodingJSON(t *testing.T) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	creds := []core.Credential{
		{Provider: "agora", Kind: "rtc", Token: "007abc+/=", AppID: "app", UserID: "alice", Room: "chan <1> & \"2\"", Role: "publisher",
			IssuedAt: now, ExpiresAt: now.Add(time.Hour), RenewAfter: now.Add(55 * time.Minute),
			Join: map[string]any{"uid": uint32(7), "channel": "c", "appId": "app", "flag": true, "n": nil, "i": 3, "i64": int64(-4), "u64": uint64(1 << 40), "f": 2.5, "f2": float64(12), "list": []string{"a"}}},
		{Provider: "zoom", Kind: "video", UserID: "\u2028\u2029\x00\x1f\t\n\r\\é😀\xff", IssuedAt: now.Add(time.Nanosecond), Join: nil},
		{},
	}
	for _, c := range creds {
		got, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(credentialFields(c))
		if string(got) != string(want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
		var back core.Credential
		if err := json.Unmarshal(got, &back); err != nil || back.Token != c.Token || !back.ExpiresAt.Equal(c.ExpiresAt) {
			t.Fatalf("round trip: %v %+v", err, back)
		}
	}
}

func FuzzCredentialJSON(f *testing.F) {
	f.Add("alice", "chan", "tok")
	f.Add("\xff\xfe", "<>&", "\u2028")
	f.Fuzz(func(t *testing.T, user, room, token string) {
		c := core.Credential{UserID: user, Room: room, Token: token, Join: map[string]any{"userID": user, "room": room}}
		got, err := json.Marshal(c)
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(credentialFields(c))
		if string(got) != string(want) {
			t.Fatalf("\n got %s\nwant %s", got, want)
		}
	})
}

// BenchmarkCredentialJSON compares Credential.MarshalJSON with encoding/json
// on the same fields, for a typical Agora RTC credential.
func BenchmarkCredentialJSON(b *testing.B) {
	now := time.Date(2026, 5, 6, 7, 8, 9, 0, time.UTC)
	c := core.Credential{Provider: "agora", Kind: "rtc", Token: "007eJxTYBBa" + strings.Repeat("x9+/", 50), AppID: "970CA35de60c44645bbae8a215061b33",
		UserID: "alice", Room: "lobby", Role: "publisher", IssuedAt: now, ExpiresAt: now.Add(time.Hour), RenewAfter: now.Add(50 * time.Minute),
		Join: map[string]any{"appId": "970CA35de60c44645bbae8a215061b33", "channel": "lobby", "token": "007eJxTYBBa", "uid": "alice"}}
	f := credentialFields{Provider: c.Provider, Kind: c.Kind, Token: c.Token, AppID: c.AppID, UserID: c.UserID, Room: c.Room, Role: c.Role,
		IssuedAt: c.IssuedAt, ExpiresAt: c.ExpiresAt, RenewAfter: c.RenewAfter, Join: c.Join}
	b.Run("hand", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := c.MarshalJSON(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(f); err != nil {
				b.Fatal(err)
			}
		}
	})
}
