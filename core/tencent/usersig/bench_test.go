package usersig

import (
	"bytes"
	"compress/zlib"
	"encoding/json"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// The vendor's demo application and key, and a fixed issue time.
const (
	benchApp = 1400000000
	benchKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
)

var benchNow = time.Unix(1700000000, 0)

func benchSigner(b *testing.B, style Style) *Signer {
	b.Helper()
	s, err := NewSigner(benchApp, core.NewSecret(benchKey), style)
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// BenchmarkUserSig is the low-level issue path in each layout (v1.3
// compresses with compress/zlib at level 6).
func BenchmarkUserSig(b *testing.B) {
	for _, style := range []Style{StyleGo14, StyleGo13} {
		b.Run(style.String(), func(b *testing.B) {
			s := benchSigner(b, style)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.UserSig("xiaojun", 86400, benchNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkPrivateMapKey(b *testing.B) {
	s := benchSigner(b, StyleGo14)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := s.PrivateMapKeyWithStringRoomID("xiaojun", 3600, benchNow, "lobby-1", PrivSubscribe); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEncoding measures the hand-written v1.4 layers against the
// standard library producing the same bytes (TestStoredZlibMatchesCompressZlib,
// TestJSONMatchesEncodingJSON): the JSON document and the level-0 zlib
// stream of one UserSig.
func BenchmarkEncoding(b *testing.B) {
	sig := make([]byte, 32)
	doc := go14Doc{Version: Version, Identifier: "xiaojun", SdkAppID: benchApp, Expire: 86400, Time: benchNow.Unix(), Sig: sig}
	js := appendJSON14(nil, doc.Identifier, doc.SdkAppID, doc.Time, doc.Expire, nil, sig)
	b.Run("json/append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = appendJSON14(buf[:0], doc.Identifier, doc.SdkAppID, doc.Time, doc.Expire, nil, sig)
		}
	})
	b.Run("json/encoding-json", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			if err := json.NewEncoder(&buf).Encode(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("zlib/append", func(b *testing.B) {
		b.ReportAllocs()
		var buf []byte
		for b.Loop() {
			buf = appendStoredZlib(buf[:0], js)
		}
	})
	b.Run("zlib/compress-zlib", func(b *testing.B) {
		b.ReportAllocs()
		var buf bytes.Buffer
		for b.Loop() {
			buf.Reset()
			w, _ := zlib.NewWriterLevel(&buf, zlib.NoCompression)
			w.Write(js)
			w.Close()
		}
	})
}

// BenchmarkInflate is the outer layers of Decode with the pooled zlib
// reader, against a new compress/zlib reader per token.
func BenchmarkInflate(b *testing.B) {
	s := benchSigner(b, StyleGo14)
	tok, err := s.UserSig("xiaojun", 86400, benchNow)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("pooled", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Inflate(tok); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("new-reader", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			raw, _ := tokenEncoding.DecodeString(tok)
			zr, err := zlib.NewReader(bytes.NewReader(raw))
			if err != nil {
				b.Fatal(err)
			}
			if _, err := io.ReadAll(zr); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkScratchPool is UserSig with the signer's pooled scratch, against
// a fresh one (buffers and keyed HMAC) per token.
func BenchmarkScratchPool(b *testing.B) {
	for _, pooled := range []bool{true, false} {
		name := map[bool]string{true: "pooled", false: "fresh"}[pooled]
		b.Run(name, func(b *testing.B) {
			s := benchSigner(b, StyleGo14)
			b.ReportAllocs()
			for b.Loop() {
				if !pooled {
					s.pool = sync.Pool{New: s.pool.New}
				}
				if _, err := s.UserSig("xiaojun", 86400, benchNow); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
