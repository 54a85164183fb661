package accesstoken_test

import (
	"testing"

	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/agora/internal/agoratest"
)

// BenchmarkBuilderRTCWithUID is the low-level builder alone.
func BenchmarkBuilderRTCWithUID(b *testing.B) {
	bl := accesstoken.Builder{AppID: agoratest.App, Certificate: agoratest.Cert, Now: agoratest.Now, Rand: agoratest.RepeatSalt(agoratest.Salt)}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bl.RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, accesstoken.RolePublisher, 3600, 3600); err != nil {
			b.Fatal(err)
		}
	}
}
