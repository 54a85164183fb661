package agora_test

import (
	"context"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
)

// seedTokens returns every token of the vector file.
func seedTokens(f *testing.F) []string {
	v := loadVectors(f)
	var toks []string
	for _, c := range v.Cases {
		for _, e := range c.Expected {
			toks = append(toks, e.Token)
		}
	}
	for _, c := range v.APICases {
		toks = append(toks, c.Expected.Go.Token)
	}
	for _, c := range v.Negative {
		toks = append(toks, c.Token)
	}
	for _, c := range v.Legacy {
		for _, tok := range c.Expected {
			toks = append(toks, tok)
		}
	}
	return toks
}

func isVerifyError(err error) bool {
	n := 0
	for _, s := range []error{core.ErrMalformed, core.ErrSignature, core.ErrExpired, core.ErrMismatch} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n == 1
}

func FuzzParse(f *testing.F) {
	for _, tok := range seedTokens(f) {
		f.Add(tok)
	}
	f.Fuzz(func(t *testing.T, tok string) {
		d, err := agora.Parse(tok)
		if err != nil {
			if !errors.Is(err, core.ErrMalformed) {
				t.Fatalf("error does not wrap ErrMalformed: %v", err)
			}
			return
		}
		_ = d.Claims()
		if err := d.VerifySignature(testCert); err != nil && !errors.Is(err, core.ErrSignature) {
			t.Fatalf("VerifySignature: %v", err)
		}
		packed, err := d.Pack(testCert)
		if err != nil {
			return // unknown services, duplicate ids or a non-hex app id
		}
		again, err := agora.ParseContent(packed)
		if err != nil {
			t.Fatalf("re-parse of packed content: %v", err)
		}
		if canonical(again.AccessToken2) != canonical(d.AccessToken2) {
			t.Fatalf("pack/parse round trip differs")
		}
	})
}

func FuzzParseContent(f *testing.F) {
	for _, tok := range seedTokens(f) {
		if d, err := agora.Parse(tok); err == nil {
			b, _ := d.Pack(testCert)
			f.Add(b)
		}
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := agora.ParseContent(b)
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
	for _, tok := range seedTokens(f) {
		f.Add(tok, "7d72365eb983485397e3e3f9d460bdda", "2882341273")
	}
	f.Fuzz(func(t *testing.T, tok, channel, uid string) {
		l, err := agora.VerifyLegacy006(tok, agora.VerifyParams{AppID: testApp, Certificates: []string{testCert}, Channel: &channel, UID: &uid, Now: testNow})
		if err != nil && !isVerifyError(err) {
			t.Fatalf("unexpected error: %v", err)
		}
		if err == nil && l.AppID != testApp {
			t.Fatalf("accepted another app id")
		}
	})
}

func FuzzProviderVerify(f *testing.F) {
	p := newProvider(f, testCert2)
	for _, tok := range seedTokens(f) {
		for _, k := range []string{"rtc", "rtm", "chat", "chat_app"} {
			f.Add(k, tok, int64(1111111))
		}
	}
	f.Fuzz(func(t *testing.T, kind, tok string, now int64) {
		v, err := p.Verify(context.Background(), kind, tok, time.Unix(now, 0))
		if err != nil {
			if !isVerifyError(err) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if v.AppID != testApp || v.Kind != kind {
			t.Fatalf("verified %+v", v)
		}
	})
}
