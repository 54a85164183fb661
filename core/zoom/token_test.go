package zoom_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// TestParse decodes without a key: a token with a broken signature or a
// broken Zoom rule still parses, with every field filled in.
func TestParse(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	cred, err := p.Issue(context.Background(), core.Grant{Kind: zoom.KindVideo, UserID: "u1", Room: "Cool Cars", TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	long := signRaw(stdHeader, `{"app_key":"`+testKey+`","role_type":0,"tpc":"t","iat":`+itoa(testNow.Unix())+`,"exp":`+itoa(testNow.Unix()+72*3600)+`}`, testSecret)
	for _, tok := range []string{cred.Token, mustSign(t, oldSecret, cred.Token), long} {
		got, err := zoom.Parse(tok)
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if got.Kind != zoom.KindVideo || got.AppID != testKey || got.Video == nil || got.Meeting != nil || got.Header["alg"] != "HS256" || !got.IssuedAt.Equal(testNow) {
			t.Fatalf("parsed %+v", got)
		}
	}
	if _, err := zoom.Verify(long, keys(testSecret), core.Expect{}); !errors.Is(err, core.ErrMismatch) {
		t.Errorf("72 h token: %v", err)
	}
	for _, tok := range []string{"", "a.b.c", signRaw(`{"alg":"none"}`, `{"app_key":"k"}`, testSecret), signRaw(stdHeader, `{"app_key":"k"}`, testSecret)} {
		if _, err := zoom.Parse(tok); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("Parse(%.30q): %v", tok, err)
		}
	}
}

// TestVerifyExpect checks each field of core.Expect, the time window at
// Expect.At, and that a zero At checks no time.
func TestVerifyExpect(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	issue := func(g core.Grant) string {
		g.TTL, g.Now = time.Hour, testNow
		cred, err := p.Issue(context.Background(), g)
		if err != nil {
			t.Fatal(err)
		}
		return cred.Token
	}
	video := issue(core.Grant{Kind: zoom.KindVideo, UserID: "u1", Room: "Cool Cars"})
	meeting := issue(core.Grant{Kind: zoom.KindMeeting, UserID: "u1", Room: "123456789"})
	k := keys(testSecret)
	cases := []struct {
		name, token string
		want        core.Expect
		err         error
	}{
		{"nothing expected", video, core.Expect{}, nil},
		{"everything matches", video, core.Expect{Kind: "video", AppID: testKey, UserID: "u1", Room: "Cool Cars", At: testNow}, nil},
		{"session names fold case", video, core.Expect{Room: "cool cars"}, nil},
		{"another kind", video, core.Expect{Kind: "meeting"}, core.ErrMismatch},
		{"another SDK key", video, core.Expect{AppID: "OTHER"}, core.ErrMismatch},
		{"another user", video, core.Expect{UserID: "u2"}, core.ErrMismatch},
		{"another session", video, core.Expect{Room: "Cool Trucks"}, core.ErrMismatch},
		{"meeting number", meeting, core.Expect{Kind: "meeting", Room: "123456789"}, nil},
		{"another meeting number", meeting, core.Expect{Room: "123456780"}, core.ErrMismatch},
		{"a meeting JWT names no user", meeting, core.Expect{UserID: "u1"}, core.ErrMismatch},
		{"last valid second", video, core.Expect{At: testNow.Add(time.Hour - time.Second)}, nil},
		{"at exp", video, core.Expect{At: testNow.Add(time.Hour)}, core.ErrExpired},
		{"zero At checks no time (testNow is long past)", video, core.Expect{Kind: "video", AppID: testKey}, nil},
		{"mismatch before expiry", video, core.Expect{UserID: "u2", At: testNow.Add(2 * time.Hour)}, core.ErrMismatch},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := zoom.Verify(c.token, k, c.want)
			if c.err == nil {
				if err != nil || got == nil {
					t.Fatalf("got %v", err)
				}
				return
			}
			if !errors.Is(err, c.err) || got != nil {
				t.Fatalf("got %v, want %v", err, c.err)
			}
		})
	}
	// The secondary key verifies; a token signed by neither does not.
	if _, err := zoom.Verify(video, core.Keys{Primary: core.NewSecret(oldSecret), Secondary: core.NewSecret(testSecret)}, core.Expect{}); err != nil {
		t.Errorf("secondary key: %v", err)
	}
	if _, err := zoom.Verify(video, keys(oldSecret), core.Expect{}); !errors.Is(err, core.ErrSignature) || strings.Contains(err.Error(), oldSecret) {
		t.Errorf("other key: %v", err)
	}
}

// Notes tells a Meeting SDK JWT without a meeting number, one for the
// native SDKs, and nothing of the others.
func TestNotes(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	meeting, err := p.Issue(context.Background(), core.Grant{Kind: zoom.KindMeeting, UserID: "u1", Room: "123456789", Role: zoom.RoleParticipant, TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	video, err := p.Issue(context.Background(), core.Grant{Kind: zoom.KindVideo, UserID: "u1", Room: "Cool Cars", TTL: time.Hour, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	iat, exp := itoa(testNow.Unix()), itoa(testNow.Unix()+3600)
	native := signRaw(stdHeader, `{"appKey":"`+testKey+`","sdkKey":"`+testKey+`","iat":`+iat+`,"exp":`+exp+`,"tokenExp":`+exp+`}`, testSecret)
	for tok, want := range map[string]int{meeting.Token: 0, video.Token: 0, native: 1} {
		got, err := zoom.Parse(tok)
		if err != nil {
			t.Fatal(err)
		}
		if n := got.Notes(); len(n) != want || want == 1 && n[0] != "no meeting number: a JWT for the native Meeting SDKs" {
			t.Errorf("%s token, room %q: notes %q", got.Kind, got.Room, n)
		}
	}
}
