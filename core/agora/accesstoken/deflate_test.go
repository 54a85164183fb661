package accesstoken

import (
	"bytes"
	"compress/zlib"
	"container/heap"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"io"
	"math/rand/v2"
	"testing"

	"github.com/rtctoken/rtctoken/internal/testutil"
)

// inflateStd inflates a zlib stream with compress/zlib, which also checks
// the Adler-32 trailer.
func inflateStd(t testing.TB, z []byte) []byte {
	t.Helper()
	zr, err := zlib.NewReader(bytes.NewReader(z))
	if err != nil {
		t.Fatalf("zlib header: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("inflate: %v", err)
	}
	return out
}

// zlibDefault is the stream of compress/zlib at the default level.
func zlibDefault(in []byte) []byte {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write(in)
	_ = w.Close()
	return b.Bytes()
}

// vectorPayloads returns the content of every builder and API vector.
func vectorPayloads(t testing.TB) map[string][]byte {
	var v struct {
		Cases []struct {
			ID      string `json:"id"`
			Payload string `json:"payload_hex"`
		} `json:"cases"`
		APICases []struct {
			ID      string `json:"id"`
			Payload string `json:"payload_hex"`
		} `json:"api_cases"`
	}
	testutil.LoadVectors(t, "agora_accesstoken2.json", &v)
	out := map[string][]byte{}
	for _, c := range append(v.Cases, v.APICases...) {
		b, err := hex.DecodeString(c.Payload)
		if err != nil || len(b) == 0 {
			t.Fatalf("%s: payload %v", c.ID, err)
		}
		out[c.ID] = b
	}
	return out
}

// deflateInputs are inputs that exercise every kind of block and the
// segment boundary.
func deflateInputs() map[string][]byte {
	r := rand.New(rand.NewPCG(1, 2))
	random := func(n int, alphabet string) []byte {
		b := make([]byte, n)
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return b
	}
	bs := make([]byte, 256)
	for i := range bs {
		bs[i] = byte(i)
	}
	// Frequencies along the Fibonacci sequence give a Huffman tree deeper
	// than 15 bits, which the length limit must flatten.
	var fib []byte
	a, b := 1, 1
	for s := 0; s < 22; s++ {
		fib = append(fib, bytes.Repeat([]byte{byte(s * 7)}, a)...)
		a, b = b, a+b
	}
	r.Shuffle(len(fib), func(i, j int) { fib[i], fib[j] = fib[j], fib[i] })
	return map[string][]byte{
		"empty":          {},
		"one":            {42},
		"three":          []byte("abc"),
		"all bytes":      bs,
		"random binary":  random(5000, string(bs)),
		"random 70000":   random(70000, string(bs)),
		"zeros 100000":   make([]byte, 100000),
		"pattern 70000":  bytes.Repeat([]byte("0123456789abcdef-"), 70000/17),
		"text":           bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog "), 50),
		"hex 300":        random(300, "0123456789abcdef"),
		"fibonacci":      fib,
		"segment 32768":  random(segmentSize, "abcd"),
		"segment 32769":  random(segmentSize+1, "abcd"),
		"two segments+1": random(2*segmentSize+1, "ab"),
	}
}

func TestDeflateInflates(t *testing.T) {
	var d deflater
	inputs := deflateInputs()
	for id, p := range vectorPayloads(t) {
		inputs["vector "+id] = p
	}
	for name, in := range inputs {
		// Twice, so that the second run sees the state of the first.
		for range 2 {
			z := d.appendZlib([]byte("prefix"), in)
			if !bytes.HasPrefix(z, []byte("prefix")) {
				t.Fatalf("%s: dst prefix lost", name)
			}
			if got := inflateStd(t, z[len("prefix"):]); !bytes.Equal(got, in) {
				t.Fatalf("%s: inflated %d bytes differ from the %d of the input", name, len(got), len(in))
			}
			// Never much longer than stored blocks.
			if bound := 2 + len(in) + 5*(len(in)/segmentSize+1) + 4; len(z)-len("prefix") > bound {
				t.Errorf("%s: %d bytes, stored would be %d", name, len(z)-len("prefix"), bound)
			}
		}
	}
}

// TestDeflateVectorSizes: on every vector the stream is no longer than
// compress/zlib's at the default level.
func TestDeflateVectorSizes(t *testing.T) {
	var d deflater
	for id, p := range vectorPayloads(t) {
		own, std := len(d.appendZlib(nil, p)), len(zlibDefault(p))
		t.Logf("%-28s content %3d  own %3d  compress/zlib %3d", id, len(p), own, std)
		if own > std {
			t.Errorf("%s: %d bytes against compress/zlib's %d", id, own, std)
		}
	}
}

func TestDeflateBaseWraps(t *testing.T) {
	var d deflater
	in := []byte("abcdabcdabcdabcd and abcdabcd again")
	d.appendZlib(nil, in)
	d.base = 1<<30 + 1 // as after a billion bytes
	for range 3 {
		if got := inflateStd(t, d.appendZlib(nil, in)); !bytes.Equal(got, in) {
			t.Fatal("inflated content differs after the base wrapped")
		}
	}
	if d.base > 1<<20 {
		t.Errorf("base %d was not reset", d.base)
	}
}

func FuzzDeflate(f *testing.F) {
	for _, p := range vectorPayloads(f) {
		f.Add(p)
	}
	for _, in := range deflateInputs() {
		if len(in) < 4096 {
			f.Add(in)
		}
	}
	var d deflater
	f.Fuzz(func(t *testing.T, in []byte) {
		if got := inflateStd(t, d.appendZlib(nil, in)); !bytes.Equal(got, in) {
			t.Fatalf("inflated content differs from the %d bytes of the input", len(in))
		}
	})
}

// huffmanCost is sum(freq*len) of an optimal unlimited Huffman code,
// computed with a heap, as the reference for lengths.
func huffmanCost(freq []int32) int {
	h := &intHeap{}
	for _, f := range freq {
		if f > 0 {
			heap.Push(h, int(f))
		}
	}
	cost := 0
	for h.Len() > 1 {
		a, b := heap.Pop(h).(int), heap.Pop(h).(int)
		cost += a + b
		heap.Push(h, a+b)
	}
	return cost
}

type intHeap []int

func (h intHeap) Len() int           { return len(h) }
func (h intHeap) Less(i, j int) bool { return h[i] < h[j] }
func (h intHeap) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *intHeap) Push(x any)        { *h = append(*h, x.(int)) }
func (h *intHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

func TestHuffmanLengths(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	var h huffman
	for iter := range 3000 {
		size := []int{numCodeLen, numDist, numLitLen}[iter%3]
		maxBits := []int{maxCLBits, maxLitBits, maxLitBits}[iter%3]
		freq := make([]int32, size)
		used := 0
		for s := range freq {
			switch r.IntN(4) {
			case 0:
			case 1:
				freq[s] = int32(1 + r.IntN(3))
			case 2:
				freq[s] = int32(1 + r.IntN(300))
			default:
				freq[s] = int32(1 + r.IntN(70000)>>r.IntN(16))
			}
			if iter%7 == 0 && s >= 2 {
				freq[s] = 0
			}
			if iter%11 == 0 { // skewed: Fibonacci-like
				freq[s] = int32(1) << min(s, 20)
			}
			if freq[s] > 0 {
				used++
			}
		}
		var syms []uint16
		for s, f := range freq {
			if f > 0 {
				syms = append(syms, uint16(s))
			}
		}
		syms = atLeastTwo(syms)
		lens := make([]uint8, size)
		got := h.lengths(freq, syms, lens, maxBits)
		kraft, cost, longest := 0, 0, 0
		for s, l := range lens {
			if freq[s] > 0 && l == 0 {
				t.Fatalf("iter %d: used symbol %d has no code", iter, s)
			}
			if freq[s] == 0 && l > 0 && used >= 2 {
				t.Fatalf("iter %d: unused symbol %d has a code", iter, s)
			}
			if l > 0 {
				kraft += 1 << (maxBits - int(l))
				cost += int(freq[s]) * int(l)
				longest = max(longest, int(l))
			}
		}
		if got != cost {
			t.Fatalf("iter %d: lengths returned cost %d, the lengths give %d", iter, got, cost)
		}
		if kraft != 1<<maxBits {
			t.Fatalf("iter %d: incomplete or overfull code (Kraft %d/%d)", iter, kraft, 1<<maxBits)
		}
		if longest > maxBits {
			t.Fatalf("iter %d: a code of %d bits", iter, longest)
		}
		if ref := huffmanCost(freq); used >= 2 && longest < maxBits && cost != ref {
			t.Fatalf("iter %d: cost %d, optimal %d", iter, cost, ref)
		}
	}
}

// benchContent is the content of the token of BenchmarkBuilderRTCWithUID.
func benchContent(b *testing.B) []byte {
	d, err := Parse(benchToken(b))
	if err != nil {
		b.Fatal(err)
	}
	content, err := d.Pack(benchCert)
	if err != nil {
		b.Fatal(err)
	}
	return content
}

// benchDeflate runs enc on the content of a token with pooled state.
func benchDeflate(b *testing.B, enc func(s *scratch, in []byte) []byte) {
	in := benchContent(b)
	s := getScratch()
	defer putScratch(s)
	b.ReportAllocs()
	for b.Loop() {
		s.z = enc(s, in)
	}
}

// BenchmarkDeflateOwn is the default encoder on a token's content.
func BenchmarkDeflateOwn(b *testing.B) {
	benchDeflate(b, func(s *scratch, in []byte) []byte { return s.df.appendZlib(s.z[:0], in) })
}

// BenchmarkDeflateZlibDefault is compress/zlib at the default level, its
// writer reused, on the same content.
func BenchmarkDeflateZlibDefault(b *testing.B) {
	benchDeflate(b, func(s *scratch, in []byte) []byte { return s.zlib(s.z[:0], in) })
}

func TestBuildUnknownCompression(t *testing.T) {
	tok := AccessToken2{AppID: "970CA35de60c44645bbae8a215061b33", IssueTs: 1, Salt: 1, Services: []Service{RTMService("u", 60)}}
	if _, err := tok.BuildCompressed(benchCert, CompressZlib+1); !errors.Is(err, ErrBuild) {
		t.Errorf("unknown compression: %v", err)
	}
}

// randomTokens returns n random tokens of every kind the provider issues,
// with names of several alphabets.
func randomTokens(r *rand.Rand, n int) []AccessToken2 {
	name := func(alphabet string, lo, hi int) string {
		b := make([]byte, lo+r.IntN(hi-lo+1))
		for i := range b {
			b[i] = alphabet[r.IntN(len(alphabet))]
		}
		return string(b)
	}
	alphabets := []string{
		"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{|}~,",
		"0123456789abcdef", "abcdefghijklmnopqrstuvwxyz_", "0123456789",
	}
	toks := make([]AccessToken2, n)
	for i := range toks {
		a := alphabets[r.IntN(len(alphabets))]
		var svcs []Service
		switch r.IntN(5) {
		case 0:
			svcs = []Service{RTCService(name(a, 1, 64), name(a, 1, 255), Role(1+r.IntN(2)), SamePrivileges(r.Uint32N(86401)))}
		case 1:
			svcs = []Service{RTCService(name(a, 1, 64), UID(r.Uint32()), Role(1+r.IntN(2)), SamePrivileges(3600))}
		case 2:
			svcs = []Service{RTMService(name(a, 1, 64), 3600)}
		case 3:
			svcs = []Service{ChatUserService(name(a, 1, 64), 86400)}
		default:
			u := name(a, 1, 64)
			svcs = []Service{RTCService(name(a, 1, 64), u, RolePublisher, SamePrivileges(600)), RTMService(u, 3600)}
		}
		toks[i] = AccessToken2{AppID: "970CA35de60c44645bbae8a215061b33", IssueTs: 1700000000 + r.Uint32N(1e8), Expire: 3600,
			Salt: 1 + r.Uint32N(MaxSalt), Services: svcs}
	}
	return toks
}

// TestDefaultTokenLength: for random tokens of every kind the provider
// issues, with names of several alphabets, the default encoder's token
// holds the same content as compress/zlib's and is no longer than it plus
// 2%.
func TestDefaultTokenLength(t *testing.T) {
	longer, diff, worst := 0, 0, -1<<31
	for _, tok := range randomTokens(rand.New(rand.NewPCG(5, 6)), 2000) {
		fast, err := tok.Build(benchCert)
		if err != nil {
			t.Fatal(err)
		}
		std, err := tok.BuildCompressed(benchCert, CompressZlib)
		if err != nil {
			t.Fatal(err)
		}
		rf, _ := base64.StdEncoding.DecodeString(fast[3:])
		rs, _ := base64.StdEncoding.DecodeString(std[3:])
		if !bytes.Equal(inflateStd(t, rf), inflateStd(t, rs)) {
			t.Fatalf("content differs for %+v", tok)
		}
		if len(fast)*100 > len(std)*102 {
			t.Errorf("token of %d characters, compress/zlib's %d", len(fast), len(std))
		}
		if len(fast) > len(std) {
			longer++
		}
		diff += len(fast) - len(std)
		worst = max(worst, len(fast)-len(std))
	}
	t.Logf("%d of 2000 tokens longer than compress/zlib's; %+.2f characters on average, at most %+d", longer, float64(diff)/2000, worst)
}

// TestFixedEstimate: whenever fixedIsShorter takes the fixed code without
// building the dynamic one, the full costing agrees that the fixed code is
// no longer, on random tokens and every vector; and it does decide most of
// the tokens that take the fixed code, those of the Issue benchmarks
// among them.
func TestFixedEstimate(t *testing.T) {
	var ins [][]byte
	for _, tok := range randomTokens(rand.New(rand.NewPCG(7, 8)), 3000) {
		in, err := tok.Pack(benchCert)
		if err != nil {
			t.Fatal(err)
		}
		ins = append(ins, in)
	}
	for _, p := range vectorPayloads(t) {
		ins = append(ins, p)
	}
	var bench [][]byte
	for _, uid := range []string{"2882341273", "test_user"} {
		tok := AccessToken2{AppID: "970CA35de60c44645bbae8a215061b33", IssueTs: 1700000000, Expire: 3600, Salt: 12345678,
			Services: []Service{RTCService("7d72365eb983485397e3e3f9d460bdda", uid, RolePublisher, SamePrivileges(3600))}}
		in, err := tok.Pack(benchCert)
		if err != nil {
			t.Fatal(err)
		}
		bench = append(bench, in)
	}
	var d deflater
	decided, fixedWins := 0, 0
	for i, in := range append(ins, bench...) {
		d.tokenize(in)
		early := d.fixedIsShorter(3+d.fixedBits, len(in))
		fixed, dynamic := d.costs()
		if fixed <= dynamic {
			fixedWins++
		}
		switch {
		case early && fixed > dynamic:
			t.Errorf("input %d: the fixed code (%d bits) was taken over a dynamic one of %d bits", i, fixed, dynamic)
		case early:
			decided++
		case i >= len(ins):
			t.Errorf("benchmark input %d: not decided early (fixed %d bits, dynamic %d)", i-len(ins), fixed, dynamic)
		}
	}
	if decided*10 < fixedWins*7 {
		t.Errorf("only %d of the %d inputs that take the fixed code decided early", decided, fixedWins)
	}
	t.Logf("%d of %d inputs take the fixed code, %d of them decided early", fixedWins, len(ins)+len(bench), decided)
	// A segment too long for the estimate is always costed in full.
	if d.fixedIsShorter(1, maxEstimated) {
		t.Error("estimated a segment of maxEstimated bytes")
	}
}
