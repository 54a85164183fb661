package agora

import (
	"bytes"
	"compress/zlib"
	"math/rand/v2"
	"testing"
	"time"
)

// stdZlib is the reference: compress/zlib at the default level (a reused
// writer gives the same bytes as a new one).
func stdZlib(t testing.TB, in []byte) []byte {
	t.Helper()
	var b bytes.Buffer
	refWriter.Reset(&b)
	if _, err := refWriter.Write(in); err != nil {
		t.Fatal(err)
	}
	if err := refWriter.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var refWriter = zlib.NewWriter(nil)

// deflateInputs returns inputs of many shapes: empty and tiny, random
// bytes, small alphabets, runs, repeated substrings at all distances, and
// token contents.
func deflateInputs(r *rand.Rand) [][]byte {
	ins := [][]byte{nil, {0}, {1, 2}, {1, 2, 3}, {0, 0, 0, 0}, bytes.Repeat([]byte{7}, maxFastDeflate)}
	for n := range 300 {
		ins = append(ins, bytes.Repeat([]byte("ab"), n))
	}
	for range 3000 {
		n := r.IntN(maxFastDeflate + 1)
		if r.IntN(2) == 0 {
			n = r.IntN(600)
		}
		b := make([]byte, n)
		switch r.IntN(5) {
		case 0: // random bytes
			for i := range b {
				b[i] = byte(r.UintN(256))
			}
		case 1: // small alphabet
			k := 1 + r.UintN(16)
			for i := range b {
				b[i] = byte('a' + r.UintN(k))
			}
		case 2: // copies of earlier data at random distances
			for i := range b {
				if i > 8 && r.IntN(4) > 0 {
					d := 1 + r.IntN(min(i, 5000))
					b[i] = b[i-d]
				} else {
					b[i] = byte(r.UintN(256))
				}
			}
		case 3: // long runs and long repeats
			for i := 0; i < n; {
				run := 1 + r.IntN(300)
				c := byte(r.UintN(4))
				for j := 0; j < run && i < n; j++ {
					b[i] = c
					i++
				}
			}
		default: // hex text with binary framing, like token contents
			for i := range b {
				if r.IntN(5) == 0 {
					b[i] = byte(r.UintN(8))
				} else {
					b[i] = "0123456789abcdef"[r.UintN(16)]
				}
			}
		}
		ins = append(ins, b)
	}
	return ins
}

func TestDeflateMatchesZlib(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var d deflater
	for i, in := range deflateInputs(r) {
		got := d.zlibDefault(nil, in)
		if want := stdZlib(t, in); !bytes.Equal(got, want) {
			t.Fatalf("input %d (%d bytes): output differs from compress/zlib\n got %x\nwant %x", i, len(in), got, want)
		}
	}
}

func TestDeflateLargeFallsBack(t *testing.T) {
	in := bytes.Repeat([]byte("0123456789abcdefghij"), maxFastDeflate/10)
	s := getScratch()
	defer putScratch(s)
	if got, want := s.zlib(nil, in), stdZlib(t, in); !bytes.Equal(got, want) {
		t.Fatal("large input: output differs from compress/zlib")
	}
}

func FuzzDeflate(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	f.Add([]byte("2000c731521be14613488eac3ef393d403a87ea96102529dc5d633e12faabcce540f"))
	var d deflater
	f.Fuzz(func(t *testing.T, in []byte) {
		if len(in) > maxFastDeflate {
			in = in[:maxFastDeflate]
		}
		if got, want := d.zlibDefault(nil, in), stdZlib(t, in); !bytes.Equal(got, want) {
			t.Fatalf("output differs from compress/zlib for %x", in)
		}
	})
}

func benchContent(b *testing.B) []byte {
	tok, err := Builder{AppID: "970CA35de60c44645bbae8a215061b33", Certificate: "5CFd2fd1755d40ecb72977518be15d3b",
		Now: time.Unix(1700000000, 0), Rand: bytes.NewReader(make([]byte, 4))}.
		RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, RolePublisher, 3600, 3600)
	if err != nil {
		b.Fatal(err)
	}
	d, err := Parse(tok)
	if err != nil {
		b.Fatal(err)
	}
	c, err := d.Pack("5CFd2fd1755d40ecb72977518be15d3b")
	if err != nil {
		b.Fatal(err)
	}
	return c
}

// BenchmarkDeflateFast and BenchmarkDeflateZlibPooled compress the same
// RTC token content with the fast encoder and with a reused
// compress/zlib writer.
func BenchmarkDeflateFast(b *testing.B) {
	in := benchContent(b)
	var d deflater
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for b.Loop() {
		buf = d.zlibDefault(buf[:0], in)
	}
}

func BenchmarkDeflateZlibPooled(b *testing.B) {
	in := benchContent(b)
	var out bytes.Buffer
	w := zlib.NewWriter(&out)
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		w.Reset(&out)
		w.Write(in)
		w.Close()
	}
}
