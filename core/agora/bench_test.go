package agora_test

import (
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/agora"
)

// zeroReader is a cheap, never-failing salt source for benchmarks.
type zeroReader struct{}

func (zeroReader) Read(p []byte) (int, error) { clear(p); return len(p), nil }

const (
	benchApp  = "970CA35de60c44645bbae8a215061b33"
	benchCert = "5CFd2fd1755d40ecb72977518be15d3b"
)

func benchBuilder() agora.Builder {
	return agora.Builder{AppID: benchApp, Certificate: benchCert, Now: time.Unix(1700000000, 0), Rand: zeroReader{}}
}

func BenchmarkBuildRTCWithUID(b *testing.B) {
	bl := benchBuilder()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := bl.RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, agora.RolePublisher, 3600, 3600); err != nil {
			b.Fatal(err)
		}
	}
}
