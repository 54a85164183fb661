package accesstoken_test

import (
	"errors"
	"reflect"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/agora/internal/agoratest"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

func FuzzParse(f *testing.F) {
	for _, tok := range agoratest.SeedTokens(f) {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		d, err := accesstoken.Parse(tok)
		if err != nil {
			if !errors.Is(err, core.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		_ = d.Claims()
		if err := d.VerifySignature(agoratest.Cert); err != nil && !errors.Is(err, core.ErrSignature) {
			t.Fatalf("VerifySignature: %v", err)
		}
		packed, err := d.Pack(agoratest.Cert)
		if err != nil {
			return // unknown services, duplicate ids or a non-hex app id
		}
		again, err := accesstoken.ParseContent(packed)
		if err != nil {
			t.Fatalf("re-parse of packed content: %v", err)
		}
		if canonical(again.AccessToken2) != canonical(d.AccessToken2) {
			t.Fatalf("pack/parse round trip differs")
		}
	})
}

func FuzzParseContent(f *testing.F) {
	for _, tok := range agoratest.SeedTokens(f) {
		if d, err := accesstoken.Parse(tok); err == nil {
			b, _ := d.Pack(agoratest.Cert)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := accesstoken.ParseContent(b)
		if err != nil {
			if !errors.Is(err, core.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		if !reflect.DeepEqual(d.Signature, b[2:34]) {
			t.Fatalf("signature not taken from the content")
		}
	})
}

func FuzzParseLegacy006(f *testing.F) {
	for _, tok := range agoratest.SeedTokens(f) {
		f.Add(tok, "7d72365eb983485397e3e3f9d460bdda", "2882341273")
	}
	f.Fuzz(func(t *testing.T, tok, channel, uid string) {
		l, err := accesstoken.VerifyLegacy006(tok, accesstoken.VerifyParams{AppID: agoratest.App, Certificates: []string{agoratest.Cert}, Channel: &channel, UID: &uid, Now: agoratest.Now})
		if err != nil && !testutil.OneVerifyError(err) {
			t.Fatalf("unexpected error: %v", err)
		}
		if err == nil && l.AppID != agoratest.App {
			t.Fatalf("accepted another app id")
		}
	})
}
