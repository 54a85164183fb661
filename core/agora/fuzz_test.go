package agora_test

import (
	"context"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/agora/internal/agoratest"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

func FuzzProviderVerify(f *testing.F) {
	p := newProvider(f, testCert2)
	for _, tok := range agoratest.SeedTokens(f) {
		for _, k := range []string{"rtc", "rtm", "chat", "chat_app"} {
			f.Add(k, tok, int64(1111111))
		}
	}
	f.Fuzz(func(t *testing.T, kind, tok string, now int64) {
		v, err := p.Verify(context.Background(), kind, tok, time.Unix(now, 0))
		if err != nil {
			if !testutil.OneVerifyError(err) {
				t.Fatalf("unexpected error: %v", err)
			}
			return
		}
		if v.AppID != testApp || v.Kind != kind {
			t.Fatalf("verified %+v", v)
		}
	})
}
