package zoom_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
)

// pieces are what random texts are made of: JSON specials, control
// characters, U+2028, non-ASCII and a character outside the BMP.
var (
	plainPieces = []string{"a", "Z", "7", " ", "-", "\"", "\\", "/", "<", ">", "&", "é", "会", "😀", "\uFFFD", "\u00a0"}
	allPieces   = append([]string{"\x00", "\x1f", "\t", "\n", "\x7f", "\u2028", "\u2029"}, plainPieces...)
	regions     = []string{"AU", "BR", "CA", "CN", "DE", "HK", "IN", "JP", "MX", "NL", "SG", "US"}
)

func units(s string) int { return len(utf16.Encode([]rune(s))) }

// randText returns a text of min..max UTF-16 units.
func randText(r *rand.Rand, pieces []string, min, max int) string {
	n := min + r.IntN(max-min+1)
	var b strings.Builder
	for u := 0; u < n; {
		p := pieces[r.IntN(len(pieces))]
		if u+units(p) > n {
			continue
		}
		b.WriteString(p)
		u += units(p)
	}
	return b.String()
}

func randFlag(r *rand.Rand) sdkjwt.Flag { return sdkjwt.Flag(r.IntN(3)) }

func randVideo(r *rand.Rand) sdkjwt.VideoClaims {
	iat := 1_600_000_000 + r.Int64N(200_000_000)
	c := sdkjwt.VideoClaims{
		AppKey: randText(r, plainPieces, 1, 40), RoleType: r.IntN(2), Topic: randText(r, allPieces, 1, sdkjwt.MaxTopicLen),
		Version: 1, IssuedAt: iat, ExpiresAt: iat + 1800 + r.Int64N(172800-1800+1),
		CloudRecordingOption: randFlag(r), CloudRecordingElection: randFlag(r), VideoWebRTCMode: randFlag(r), AudioWebRTCMode: randFlag(r),
	}
	if r.IntN(2) == 0 {
		c.UserIdentity = randText(r, allPieces, 1, sdkjwt.MaxUserIdentityLen)
	}
	if r.IntN(2) == 0 {
		c.SessionKey = randText(r, allPieces, 1, sdkjwt.MaxSessionKeyLen)
	}
	if r.IntN(2) == 0 {
		c.TelemetryTrackingID = randText(r, allPieces, 1, sdkjwt.MaxTelemetryIDLen)
	}
	for _, i := range r.Perm(len(regions))[:r.IntN(len(regions)+1)] {
		c.GeoRegions = append(c.GeoRegions, regions[i])
	}
	return c
}

func randMeeting(r *rand.Rand) sdkjwt.MeetingClaims {
	iat := 1_600_000_000 + r.Int64N(200_000_000)
	c := sdkjwt.MeetingClaims{
		SDKKey: randText(r, plainPieces, 1, 40), IssuedAt: iat, ExpiresAt: iat + 1800 + r.Int64N(172800-1800+1),
		VideoWebRTCMode: randFlag(r),
	}
	switch r.IntN(3) {
	case 0: // native
	case 1:
		c.MeetingNumber, c.Role = sdkjwt.MeetingNumber{Text: randText(r, allPieces, 1, sdkjwt.MaxMeetingNumberLen)}, sdkjwt.Flag(1+r.IntN(2))
	case 2:
		n := 1 + r.Int64N(1<<53-1)
		c.MeetingNumber, c.Role = sdkjwt.MeetingNumber{Text: strconv.FormatInt(n, 10), Numeric: true}, sdkjwt.Flag(1+r.IntN(2))
	}
	return c
}

func TestRoundTripClaims(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 500; i++ {
		secret := randText(r, plainPieces, 1, 64)
		v := randVideo(r)
		tok, err := sdkjwt.SignVideo(secret, v)
		if err != nil {
			t.Fatalf("video %d %+v: %v", i, v, err)
		}
		got, err := zoom.Verify(tok, core.Keys{Primary: core.NewSecret("wrong-secret"), Secondary: core.NewSecret(secret)}, core.Expect{AppID: v.AppKey, At: time.Unix(v.IssuedAt, 0)})
		if err != nil {
			t.Fatalf("video %d: %v", i, err)
		}
		if got.Kind != zoom.KindVideo || got.Meeting != nil || !reflect.DeepEqual(*got.Video, v) {
			t.Fatalf("video %d\n got %+v\nwant %+v", i, got.Video, v)
		}
		if got.Claims["tpc"] != v.Topic || got.Claims["exp"] != v.ExpiresAt {
			t.Fatalf("video %d: claims %v", i, got.Claims)
		}

		m := randMeeting(r)
		tok, err = sdkjwt.SignMeeting(secret, m)
		if err != nil {
			t.Fatalf("meeting %d %+v: %v", i, m, err)
		}
		gotM, err := zoom.Verify(tok, keys(secret), core.Expect{AppID: m.SDKKey, At: time.Unix(m.ExpiresAt-1, 0)})
		if err != nil {
			t.Fatalf("meeting %d: %v", i, err)
		}
		if gotM.Kind != zoom.KindMeeting || gotM.Video != nil || !reflect.DeepEqual(*gotM.Meeting, m) {
			t.Fatalf("meeting %d\n got %+v\nwant %+v", i, gotM.Meeting, m)
		}
		if m.MeetingNumber.Numeric {
			if _, isInt := gotM.Claims["mn"].(int64); !isInt {
				t.Fatalf("meeting %d: numeric mn decoded as %T", i, gotM.Claims["mn"])
			}
		}
	}
}

func TestRoundTripProvider(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	p := newProvider(t, zoom.Config{IATSkew: time.Duration(r.IntN(60)) * time.Second})
	max := p.Kinds()[0].MaxTTL
	for i := 0; i < 300; i++ {
		now := time.Unix(1_600_000_000+r.Int64N(200_000_000), r.Int64N(1e9))
		g := core.Grant{
			Kind: zoom.KindVideo, UserID: randText(r, plainPieces, 1, sdkjwt.MaxUserIdentityLen),
			Role: []string{"", zoom.RoleParticipant, zoom.RoleHost}[r.IntN(3)],
			TTL:  zoom.MinTTL + time.Duration(r.Int64N(int64((max-zoom.MinTTL)/time.Second)+1))*time.Second, Now: now,
		}
		opts := map[string]any{}
		if r.IntN(2) == 0 {
			g.Kind, g.Room = zoom.KindMeeting, ""
			if r.IntN(3) > 0 {
				g.Room = strconv.FormatInt(100_000_000+r.Int64N(99_900_000_000), 10)
			} else if g.Role == zoom.RoleHost {
				g.Role = ""
			}
			if r.IntN(2) == 0 {
				opts["video_webrtc_mode"] = r.IntN(2)
			}
		} else {
			g.Room = randText(r, plainPieces, 1, sdkjwt.MaxTopicLen)
			if r.IntN(2) == 0 {
				opts["session_key"] = randText(r, plainPieces, 1, sdkjwt.MaxSessionKeyLen)
			}
			if r.IntN(2) == 0 {
				opts["geo_regions"] = []string{regions[r.IntN(len(regions))]}
			}
			for _, k := range []string{"cloud_recording_option", "cloud_recording_election", "video_webrtc_mode", "audio_webrtc_mode"} {
				if r.IntN(2) == 0 {
					opts[k] = r.IntN(2)
				}
			}
		}
		g.Options, _ = json.Marshal(opts)
		cred, err := p.Issue(context.Background(), g)
		if err != nil {
			t.Fatalf("%d %+v: %v", i, g, err)
		}
		v, err := p.Verify(context.Background(), g.Kind, cred.Token, now)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		wantUser := cred.UserID
		if g.Kind == zoom.KindMeeting {
			wantUser = ""
		}
		if v.AppID != cred.AppID || v.UserID != wantUser || v.Room != cred.Room || !v.IssuedAt.Equal(cred.IssuedAt) || !v.ExpiresAt.Equal(cred.ExpiresAt) {
			t.Fatalf("%d: verified %+v, issued %+v", i, v, cred)
		}
		if cred.ExpiresAt.Sub(now.Truncate(time.Second)) != g.TTL {
			t.Fatalf("%d: lifetime from now %s, want %s", i, cred.ExpiresAt.Sub(now.Truncate(time.Second)), g.TTL)
		}
		for k, want := range opts {
			got := v.Claims[k]
			if regs, ok := want.([]string); ok {
				want = strings.Join(regs, ",")
			}
			if !sameJSON(t, got, want) {
				t.Fatalf("%d: claim %s = %v, want %v", i, k, got, want)
			}
		}
	}
}

// TestLongestToken builds the largest Video SDK JWT the limits allow (every
// character escaped as \u00XX) and checks that Verify still reads it.
func TestLongestToken(t *testing.T) {
	esc := func(n int) string { return strings.Repeat("\x01", n) }
	c := sdkjwt.VideoClaims{
		AppKey: strings.Repeat("\x01", sdkjwt.MaxSDKKeyLen), RoleType: 1, Topic: esc(sdkjwt.MaxTopicLen),
		IssuedAt: -1 << 62, ExpiresAt: -1<<62 + 172800,
		UserIdentity: esc(sdkjwt.MaxUserIdentityLen), SessionKey: esc(sdkjwt.MaxSessionKeyLen), TelemetryTrackingID: esc(sdkjwt.MaxTelemetryIDLen),
		GeoRegions:           regions,
		CloudRecordingOption: sdkjwt.On, CloudRecordingElection: sdkjwt.On, VideoWebRTCMode: sdkjwt.On, AudioWebRTCMode: sdkjwt.On,
	}
	tok, err := sdkjwt.SignVideo(testSecret, c)
	if err != nil {
		t.Fatal(err)
	}
	if len(tok) > sdkjwt.MaxTokenLen || len(tok) > 6<<10 {
		t.Errorf("longest token is %d bytes; MaxTokenLen %d", len(tok), sdkjwt.MaxTokenLen)
	}
	if _, err := zoom.Verify(tok, keys(testSecret), core.Expect{AppID: c.AppKey, At: time.Unix(-1<<62, 0)}); err != nil {
		t.Fatal(err)
	}
	c.AppKey += "x"
	if _, err := sdkjwt.SignVideo(testSecret, c); !errors.Is(err, core.ErrConfig) {
		t.Errorf("over-long SDK key: %v", err)
	}
	c.AppKey, c.GeoRegions = "k", []string{"US", "JP", "US"}
	if _, err := sdkjwt.SignVideo(testSecret, c); core.CodeOf(err) != core.CodeInvalidOption {
		t.Errorf("repeated region: %v", err)
	}
}
