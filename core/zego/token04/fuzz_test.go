package token04

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

func seedTokens(f *testing.F) {
	for _, c := range loadToken04(f) {
		if c.Expected != nil {
			f.Add(c.Expected.Token)
		}
	}
	for _, c := range loadKit(f) {
		if c.Expected != nil {
			f.Add(c.Expected.KitToken)
			f.Add(c.Expected.Token04Part)
		}
	}
	f.Add("")
	f.Add("04")
	f.Add("04AAAAAA==#e30=")
}

func FuzzDecodeToken04(f *testing.F) {
	seedTokens(f)
	secret := []byte(testSecret)
	f.Fuzz(func(t *testing.T, tok string) {
		c, err := Verify(tok, secret, Expect{AppID: testAppID, Now: time.Unix(1700000000, 0)})
		if err != nil {
			if !testutil.OneVerifyError(err) {
				t.Fatalf("error %v wraps not exactly one sentinel", err)
			}
			if len(tok) > 8 && strings.Contains(err.Error(), tok) {
				t.Fatalf("error message contains the token")
			}
			return
		}
		if c.AppID != testAppID || c.Expire <= c.CTime {
			t.Fatalf("accepted claims %+v", c)
		}
	})
}

func FuzzVerifyKitToken(f *testing.F) {
	seedTokens(f)
	secret := []byte(testSecret)
	f.Fuzz(func(t *testing.T, tok string) {
		v, err := VerifyKit(tok, secret, Expect{AppID: testAppID})
		if err != nil {
			if !testutil.OneVerifyError(err) {
				t.Fatalf("error %v wraps not exactly one sentinel", err)
			}
			return
		}
		kit, c := v.Unverified, v.Claims
		if kit.AppID != c.AppID || kit.UserID != c.UserID {
			t.Fatalf("kit %+v disagrees with token %+v", kit, c)
		}
		// The room is the Token04's alone.
		if p, ok := c.Privilege(); ok != v.HasRoom || p.RoomID != v.Room || (ok && kit.RoomID != v.Room) {
			t.Fatalf("room %q (has %v), privilege %+v, kit %+v", v.Room, v.HasRoom, p, kit)
		}
		// What parses re-encodes to a kit part that parses the same.
		tok04, k2, err := ParseKitToken(tok)
		if err != nil || k2 != kit {
			t.Fatalf("ParseKitToken: %+v %v", k2, err)
		}
		again, err := KitToken(tok04, kit)
		if err != nil {
			return // e.g. a kit user id above U+00FF cannot come from btoa
		}
		if _, k3, err := ParseKitToken(again); err != nil || k3 != kit {
			t.Fatalf("re-encoded kit %+v %v, want %+v", k3, err, kit)
		}
	})
}

func FuzzParseKitToken(f *testing.F) {
	seedTokens(f)
	f.Fuzz(func(t *testing.T, tok string) {
		if _, _, err := ParseKitToken(tok); err != nil && !errors.Is(err, core.ErrMalformed) {
			t.Fatalf("ParseKitToken: %v is not ErrMalformed", err)
		}
	})
}

func FuzzParseRoomPrivilege(f *testing.F) {
	for _, c := range loadToken04(f) {
		f.Add(c.Inputs.Payload)
	}
	f.Fuzz(func(t *testing.T, payload string) {
		p, err := ParseRoomPrivilege(payload)
		if err != nil {
			if !errors.Is(err, core.ErrMalformed) {
				t.Fatalf("error %v", err)
			}
			return
		}
		// Re-encoding and parsing again is stable.
		q, err := ParseRoomPrivilege(p.Payload())
		if err != nil || q.Payload() != p.Payload() {
			t.Fatalf("unstable: %+v -> %+v (%v)", p, q, err)
		}
	})
}

func FuzzURIComponent(f *testing.F) {
	for _, s := range escapeSamples {
		f.Add(s)
	}
	f.Add("%E6%9D%8E%")
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			_, _ = decodeURIComponent(s) // must not panic
			return
		}
		if d, ok := decodeURIComponent(s); ok && !utf8.ValidString(d) {
			t.Fatalf("decodeURIComponent(%q) = %q is not UTF-8", s, d)
		}
		enc := string(appendURIComponent(nil, s))
		if d, ok := decodeURIComponent(enc); !ok || d != s {
			t.Fatalf("decodeURIComponent(encodeURIComponent(%q)) = %q %v", s, d, ok)
		}
	})
}

func FuzzAppendGoString(f *testing.F) {
	for _, s := range escapeSamples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := appendGoString(nil, s); string(got) != string(want) {
			t.Fatalf("appendGoString(%q) = %s, want %s", s, got, want)
		}
	})
}
