package zoom_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
)

// fuzzKeys and fuzzSecrets are the vectors' key pairs.
var (
	fuzzKeys    = []string{"VIDEO_SDK_KEY_TEST", "MEETING_SDK_KEY_TEST"}
	fuzzSecrets = []string{"Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j", "Mt6Kp2Wq9Zr4Xy7Lb3Nd8Fg5Hj1Sa0Vc", "0123456789abcdef0123456789ABCDEF", "sécret-ñ-κλειδί-Zoom-ünïcödé-01"}
)

func addVectorSeeds(f *testing.F, add func(c zoomCase)) {
	for _, file := range []string{"zoom_videosdk.json", "zoom_meetingsdk.json"} {
		for _, c := range loadCases(f, file) {
			if c.Expected != nil {
				add(c)
			}
		}
	}
}

// oneSentinel fails unless err wraps exactly one verification sentinel.
func oneSentinel(t *testing.T, err error) {
	t.Helper()
	n := 0
	for _, s := range []error{core.ErrMalformed, core.ErrSignature, core.ErrMismatch, core.ErrExpired} {
		if errors.Is(err, s) {
			n++
		}
	}
	if n != 1 {
		t.Fatalf("error wraps %d sentinels: %v", n, err)
	}
}

// resignEqual checks that verified claims are valid claims: they sign again
// and verify to the same claims.
func resignEqual(t *testing.T, tok *zoom.Token, secret string, now time.Time) {
	t.Helper()
	var again string
	var err error
	switch tok.Kind {
	case zoom.KindVideo:
		v := *tok.Video
		v.Version = 1
		again, err = sdkjwt.SignVideo(secret, v)
	case zoom.KindMeeting:
		again, err = sdkjwt.SignMeeting(secret, *tok.Meeting)
	default:
		t.Fatalf("kind %q", tok.Kind)
	}
	if err != nil {
		t.Fatalf("verified claims do not sign: %v", err)
	}
	back, err := zoom.Verify(again, keys(secret), core.Expect{AppID: tok.AppID, At: now})
	if err != nil {
		t.Fatalf("re-signed token: %v", err)
	}
	if tok.Video != nil {
		back.Video.Version = tok.Video.Version
	}
	if !reflect.DeepEqual(back.Video, tok.Video) || !reflect.DeepEqual(back.Meeting, tok.Meeting) {
		t.Fatalf("re-signed claims differ:\n%+v %+v\n%+v %+v", back.Video, back.Meeting, tok.Video, tok.Meeting)
	}
}

func FuzzVerify(f *testing.F) {
	addVectorSeeds(f, func(c zoomCase) {
		f.Add(c.Expected.Token, c.Inputs.IAT)
		if c.Expected.StdToken != "" {
			f.Add(c.Expected.StdToken, c.Inputs.IAT)
		}
	})
	f.Add("", int64(0))
	f.Add("eyJhbGciOiJub25lIn0.e30.", int64(0))
	f.Add("a.b.c", int64(1700000000))
	f.Fuzz(func(t *testing.T, token string, now int64) {
		at := time.Unix(now, 0)
		parsed, perr := zoom.Parse(token)
		if perr != nil {
			oneSentinel(t, perr)
		}
		for _, key := range fuzzKeys {
			for i, s := range fuzzSecrets {
				k := core.Keys{Primary: core.NewSecret(s), Secondary: core.NewSecret(fuzzSecrets[(i+1)%len(fuzzSecrets)])}
				tok, err := zoom.Verify(token, k, core.Expect{AppID: key, At: at})
				if err != nil {
					oneSentinel(t, err)
					if (errors.Is(err, core.ErrMismatch) || errors.Is(err, core.ErrExpired)) && perr != nil {
						t.Fatalf("Parse refuses what Verify reads: %v, %v", perr, err)
					}
					continue
				}
				if tok.AppID != key || (tok.Video == nil) == (tok.Meeting == nil) || !reflect.DeepEqual(tok, parsed) {
					t.Fatalf("verified token %+v for key %s; parsed %+v", tok, key, parsed)
				}
				if _, err := zoom.Verify(token, keys(s), core.Expect{AppID: key, At: at}); err == nil {
					resignEqual(t, tok, s, at)
				}
			}
		}
		for _, s := range fuzzSecrets[:2] {
			p, err := zoom.New(zoom.Config{SDKKey: fuzzKeys[0], SDKSecret: core.NewSecret(s)})
			if err != nil {
				t.Fatal(err)
			}
			for _, kind := range []string{zoom.KindVideo, zoom.KindMeeting} {
				if v, err := p.Verify(context.Background(), kind, token, at); err != nil {
					oneSentinel(t, err)
				} else if v.Kind != kind || v.AppID != fuzzKeys[0] {
					t.Fatalf("verified %+v", v)
				}
			}
		}
	})
}

// FuzzVerifyPayload signs arbitrary payload text, so the fuzzer reaches the
// claim decoding and rules behind the signature check.
func FuzzVerifyPayload(f *testing.F) {
	addVectorSeeds(f, func(c zoomCase) { f.Add(c.Expected.PayloadJSON, c.Inputs.IAT) })
	f.Add(`{"appKey":"MEETING_SDK_KEY_TEST","mn":1e3,"role":0,"iat":0,"exp":1800}`, int64(0))
	f.Add(`{"app_key":"VIDEO_SDK_KEY_TEST","role_type":1,"tpc":"x","iat":-9223372036854775808,"exp":9223372036854775807}`, int64(0))
	f.Fuzz(func(t *testing.T, payload string, now int64) {
		secret := fuzzSecrets[0]
		token := signRaw(stdHeader, payload, secret)
		at := time.Unix(now, 0)
		for _, key := range fuzzKeys {
			tok, err := zoom.Verify(token, keys(secret), core.Expect{AppID: key, At: at})
			if err != nil {
				oneSentinel(t, err)
				if errors.Is(err, core.ErrSignature) {
					t.Fatalf("a correctly signed token: %v", err)
				}
				continue
			}
			resignEqual(t, tok, secret, at)
		}
	})
}
