package accesstoken

import (
	"bytes"
	"compress/zlib"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"io"
	"testing"
	"time"
)

const benchCert = "5CFd2fd1755d40ecb72977518be15d3b"

// signStd is the signing chain with crypto/hmac, a new state per key.
func signStd(cert string, issueTs, salt uint32, info []byte) []byte {
	var ts, sl [4]byte
	binary.LittleEndian.PutUint32(ts[:], issueTs)
	binary.LittleEndian.PutUint32(sl[:], salt)
	m := hmac.New(sha256.New, ts[:])
	m.Write([]byte(cert))
	k1 := m.Sum(nil)
	m = hmac.New(sha256.New, sl[:])
	m.Write(k1)
	m = hmac.New(sha256.New, m.Sum(nil))
	m.Write(info)
	return m.Sum(nil)
}

func TestSignMatchesCryptoHMAC(t *testing.T) {
	s := getScratch()
	defer putScratch(s)
	info := bytes.Repeat([]byte{7}, 120)
	// The same state signs for several certificates and issue times in
	// turn, as it does when pooled.
	for _, c := range []struct {
		cert string
		ts   uint32
	}{{benchCert, 1700000000}, {benchCert, 1700000000}, {benchCert, 1700000001}, {"0f1e2d3c4b5a69788796a5b4c3d2e1f0", 1700000001}, {benchCert, 1700000001}} {
		if got, want := s.mac.sign(c.cert, c.ts, 12345678, info), signStd(c.cert, c.ts, 12345678, info); !bytes.Equal(got, want) {
			t.Fatalf("%+v: sign %x, crypto/hmac %x", c, got, want)
		}
	}
}

func BenchmarkSignReusedState(b *testing.B) {
	s := getScratch()
	defer putScratch(s)
	info := make([]byte, 120)
	b.ReportAllocs()
	for b.Loop() {
		s.mac.sign(benchCert, 1700000000, 12345678, info)
	}
}

func BenchmarkSignCryptoHMAC(b *testing.B) {
	info := make([]byte, 120)
	b.ReportAllocs()
	for b.Loop() {
		signStd(benchCert, 1700000000, 12345678, info)
	}
}

// BenchmarkParsePooled is Parse with its pooled decoder.
func BenchmarkParsePooled(b *testing.B) {
	tok := benchToken(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(tok); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseFreshReader decodes the same token with a new zlib reader
// and buffers per token, the straightforward way.
func BenchmarkParseFreshReader(b *testing.B) {
	tok := benchToken(b)
	b.ReportAllocs()
	for b.Loop() {
		raw, err := base64.StdEncoding.DecodeString(tok[len(Version):])
		if err != nil {
			b.Fatal(err)
		}
		zr, err := zlib.NewReader(bytes.NewReader(raw))
		if err != nil {
			b.Fatal(err)
		}
		content, err := io.ReadAll(zr)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseContent(content); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBaselineNewWriterPerToken does what a straightforward builder
// does for the token of BenchmarkBuilderRTCWithUID: crypto/hmac for each
// key of the signing chain, a new compress/zlib writer per token. It is
// the yardstick for the pooled path.
func BenchmarkBaselineNewWriterPerToken(b *testing.B) {
	d, err := Parse(benchToken(b))
	if err != nil {
		b.Fatal(err)
	}
	info := d.SigningInfo
	b.ReportAllocs()
	for b.Loop() {
		sig := signStd(benchCert, d.IssueTs, d.Salt, info)
		var content bytes.Buffer
		content.Write([]byte{byte(len(sig)), 0})
		content.Write(sig)
		content.Write(info)
		var z bytes.Buffer
		w := zlib.NewWriter(&z)
		w.Write(content.Bytes())
		w.Close()
		_ = Version + base64.StdEncoding.EncodeToString(z.Bytes())
	}
}

// benchToken is the token of BenchmarkBuilderRTCWithUID.
func benchToken(b *testing.B) string {
	tok, err := Builder{AppID: "970CA35de60c44645bbae8a215061b33", Certificate: benchCert, Now: time.Unix(1700000000, 0),
		Rand: bytes.NewReader(binary.LittleEndian.AppendUint32(nil, 12345678-1))}.
		RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, RolePublisher, 3600, 3600)
	if err != nil {
		b.Fatal(err)
	}
	return tok
}
