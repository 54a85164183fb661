package accesstoken_test

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
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

// BenchmarkBaselineNewWriterPerToken does what a straightforward builder
// does for the same token: crypto/hmac for each key of the signing chain,
// a new compress/zlib writer per token. It is the yardstick for the
// pooled path above.
func BenchmarkBaselineNewWriterPerToken(b *testing.B) {
	d, err := accesstoken.Parse(mustBuild(b))
	if err != nil {
		b.Fatal(err)
	}
	info := d.SigningInfo
	b.ReportAllocs()
	for b.Loop() {
		var ts, salt [4]byte
		binary.LittleEndian.PutUint32(ts[:], agoratest.Issued)
		binary.LittleEndian.PutUint32(salt[:], agoratest.Salt)
		m := hmac.New(sha256.New, ts[:])
		m.Write([]byte(agoratest.Cert))
		m = hmac.New(sha256.New, salt[:])
		m.Write(m.Sum(nil))
		m = hmac.New(sha256.New, m.Sum(nil))
		m.Write(info)
		var content bytes.Buffer
		sig := m.Sum(nil)
		content.Write([]byte{byte(len(sig)), 0})
		content.Write(sig)
		content.Write(info)
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(content.Bytes())
		w.Close()
		_ = "007" + base64.StdEncoding.EncodeToString(z.Bytes())
	}
}

func mustBuild(b *testing.B) string {
	tok, err := accesstoken.Builder{AppID: agoratest.App, Certificate: agoratest.Cert, Now: agoratest.Now, Rand: agoratest.RepeatSalt(agoratest.Salt)}.
		RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, accesstoken.RolePublisher, 3600, 3600)
	if err != nil {
		b.Fatal(err)
	}
	return tok
}
