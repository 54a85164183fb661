package accesstoken

import (
	"encoding/binary"
	"hash/adler32"
	"math"
	"math/bits"
)

// deflater is the package's own zlib (RFC 1950) encoder, sized for token
// content of a few hundred bytes. It runs one pass of LZ77 with hash
// chains and lazy matching (the strategy of zlib's default level), then
// writes each segment as a fixed-Huffman, dynamic-Huffman or stored block,
// whichever is shortest: a single final block for content up to
// segmentSize. Most tokens take the fixed code, and for most of those an
// estimate shows it shorter before the dynamic code is built
// (fixedIsShorter). Its state needs no clearing between tokens.
//
// It is the default because it is about thirteen times as fast as
// compress/zlib on a token's content (BenchmarkDeflateOwn 1.02 us against
// BenchmarkDeflateZlibDefault 13.5 us, BenchmarkHMACSHA256 0.69 us in the
// same run; medians of five runs on the 2-core AMD EPYC) while its
// streams are shorter: compress/zlib ends each stream with an empty
// stored block of 4 to 5 bytes. github.com/klauspost/compress
// reaches neither: at its levels 1 to 6 it takes 4 to 5.5 us there and
// gives tokens up to 10% longer than compress/zlib's on the test vectors,
// its stateless mode up to 14% longer, and its level 9 is as slow as
// compress/zlib.
type deflater struct {
	// head holds, per hash of 4 bytes, base+pos+1 of the last position
	// with that hash; values <= base belong to earlier segments.
	head [1 << hashBits]int32
	base int32
	prev []int32  // per position: the head value it replaced
	toks []uint32 // literals (< 256) and matches (matchFlag | (len-3)<<16 | dist-1)

	litFreq  [numLitLen]int32
	distFreq [numDist]int32
	clFreq   [numCodeLen]int32
	litUsed  [4]uint64 // bit c: literal c is in use
	lenUsed  uint32    // bit c: length code 257+c is in use
	distUsed uint32    // bit c: distance code c is in use
	litLen   [numLitLen]uint8
	distLen  [numDist]uint8
	clLen    [numCodeLen]uint8
	litCode  [numLitLen]uint16
	distCode [numDist]uint16
	clCode   [numCodeLen]uint16
	// The symbols in use, ascending, with one or two unused ones added
	// so that each code has at least two.
	litSyms  [numLitLen + 1]uint16
	distSyms [numDist + 1]uint16
	clSyms   [numCodeLen + 1]uint16
	nLit     int
	nDist    int
	nCL      int
	clSeq    [numLitLen + numDist]uint16 // run-length coded code lengths: symbol | extra<<5
	nclSeq   int
	// fixedBits is the size of the tokens in the fixed code, extra
	// bits included; extraBits the extra bits alone.
	fixedBits, extraBits int
	huff                 huffman

	bw bitWriter
}

const (
	hashBits    = 11
	minMatch    = 4
	maxMatch    = 258
	maxChain    = 32
	lazyEnough  = 32
	segmentSize = 1 << 15 // at most a stored block's 65535 bytes, within the 32 KB window
	endOfBlock  = 256
	numLitLen   = 286
	numDist     = 30
	numCodeLen  = 19
	matchFlag   = 1 << 31
	maxLitBits  = 15
	maxCLBits   = 7
)

// Length and distance codes of RFC 1951, section 3.2.5.
var (
	lengthBase  = [29]uint16{3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258}
	lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
	distBase    = [numDist]uint16{1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577}
	distExtra   = [numDist]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
	// The order in which the code length code's lengths are sent.
	codeLenOrder = [numCodeLen]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}
)

// Lookup tables, built once: the length code (0..28) of len-3, the
// distance code of dist-1 below 256 and of (dist-1)>>7 above, and the
// fixed Huffman code.
var (
	lenCodeOf     [256]uint8
	distCodeLow   [256]uint8
	distCodeHigh  [256]uint8
	fixedLitLen   [numLitLen]uint8
	fixedLitCode  [numLitLen]uint16
	fixedDistLen  [numDist]uint8
	fixedDistCode [numDist]uint16
)

func init() {
	for c := range lengthBase {
		for l := int(lengthBase[c]); l < int(lengthBase[c])+1<<lengthExtra[c] && l <= maxMatch; l++ {
			lenCodeOf[l-3] = uint8(c)
		}
	}
	for c := range distBase {
		for d := int(distBase[c]) - 1; d < int(distBase[c])-1+1<<distExtra[c]; d++ {
			if d < 256 {
				distCodeLow[d] = uint8(c)
			} else {
				distCodeHigh[d>>7] = uint8(c)
			}
		}
	}
	// The fixed code has 288 literal/length symbols; the last two are
	// never used but take their place in the canonical order.
	var lens [288]uint8
	var codes [288]uint16
	for s := range lens {
		switch {
		case s < 144:
			lens[s] = 8
		case s < 256:
			lens[s] = 9
		case s < 280:
			lens[s] = 7
		default:
			lens[s] = 8
		}
	}
	canonicalCodes(lens[:], codes[:])
	copy(fixedLitLen[:], lens[:])
	copy(fixedLitCode[:], codes[:])
	for s := range fixedDistLen {
		fixedDistLen[s] = 5
	}
	canonicalCodes(fixedDistLen[:], fixedDistCode[:])
}

// distCodeOf returns the distance code of dist-1.
func distCodeOf(d uint32) uint8 {
	if d < 256 {
		return distCodeLow[d]
	}
	return distCodeHigh[d>>7]
}

// zlibHeader is the two bytes compress/zlib and the vendors' generators
// write at the default level: deflate, 32 KB window, "default" level.
var zlibHeader = [2]byte{0x78, 0x9c}

// appendZlib appends the zlib stream of in to dst.
func (d *deflater) appendZlib(dst, in []byte) []byte {
	d.bw.dst = append(dst, zlibHeader[:]...)
	for start := 0; ; start += segmentSize {
		seg := in[start:min(start+segmentSize, len(in))]
		last := start+segmentSize >= len(in)
		d.block(seg, last)
		if last {
			break
		}
	}
	d.bw.flush()
	dst = binary.BigEndian.AppendUint32(d.bw.dst, adler32.Checksum(in))
	d.bw.dst = nil
	return dst
}

// block writes one segment as a single block.
func (d *deflater) block(in []byte, last bool) {
	d.tokenize(in)
	stored := 3 + (8-(d.bw.n+3)%8)%8 + 32 + 8*len(in)
	final := uint64(0)
	if last {
		final = 1
	}
	if fixed := 3 + d.fixedBits; fixed < stored && d.fixedIsShorter(fixed, len(in)) {
		d.bw.put(final|1<<1, 3)
		d.writeTokens(&fixedLitLen, &fixedLitCode, &fixedDistLen, &fixedDistCode)
		return
	}
	fixed, dynamic := d.costs()
	switch {
	case stored < fixed && stored < dynamic:
		d.bw.put(final, 3)
		d.bw.alignByte()
		d.bw.put(uint64(len(in))|uint64(^uint16(len(in)))<<16, 32)
		d.bw.flush()
		d.bw.dst = append(d.bw.dst, in...)
	case fixed <= dynamic:
		d.bw.put(final|1<<1, 3)
		d.writeTokens(&fixedLitLen, &fixedLitCode, &fixedDistLen, &fixedDistCode)
	default:
		d.bw.put(final|2<<1, 3)
		d.writeDynamicHeader()
		d.writeTokens(&d.litLen, &d.litCode, &d.distLen, &d.distCode)
	}
}

// tokenize runs LZ77 over in into d.toks and counts the symbols.
func (d *deflater) tokenize(in []byte) {
	n := len(in)
	if d.base > 1<<30 {
		clear(d.head[:])
		d.base = 0
	}
	base := d.base
	d.base += int32(n) + 1
	if cap(d.prev) < n || cap(d.toks) < n {
		d.prev = make([]int32, n)
		d.toks = make([]uint32, 0, n)
	}
	prev := d.prev[:n]
	// The tokens, the literals in use and the fixed code's size are kept
	// in locals and stored at the end, and an empty hash chain is not
	// searched: BenchmarkDeflateOwn from 2.49 to 2.18 us against updating
	// d on every literal. The tokens, at most n, are written by index
	// into the room of d.toks: BenchmarkDeflateOwn about 4% faster than
	// with append (three alternating runs of four).
	toks := d.toks[:n]
	nt := 0
	freq := &d.litFreq
	clear(freq[:])
	clear(d.distFreq[:])
	var used [4]uint64
	freq[endOfBlock] = 1
	fixedBits := int(fixedLitLen[endOfBlock])
	d.extraBits, d.lenUsed, d.distUsed = 0, 0, 0

	// The lazy strategy: a match found at i-1 (pending) is kept unless
	// the one at i is longer, in which case in[i-1] goes as a literal. A
	// pending match of lazyEnough bytes is kept without looking further.
	pending, prevLen, prevDist := false, 0, 0
	for i := 0; i < n; {
		l, dist := 0, 0
		if i+minMatch <= n {
			h := hash4(in[i:])
			v := d.head[h]
			if v > base && (!pending || prevLen < lazyEnough) {
				l, dist = d.longest(in, i, v, base, prevLen)
			}
			prev[i] = v
			d.head[h] = base + int32(i) + 1
		}
		if pending && prevLen >= minMatch && l <= prevLen {
			t := d.addMatch(prevLen, prevDist)
			toks[nt] = t
			nt++
			fixedBits += d.fixedMatchBits(t)
			end := i - 1 + prevLen
			for j := i + 1; j < min(end, n-minMatch+1); j++ {
				h := hash4(in[j:])
				prev[j] = d.head[h]
				d.head[h] = base + int32(j) + 1
			}
			i, pending, prevLen = end, false, 0
			continue
		}
		if pending {
			c := in[i-1]
			toks[nt] = uint32(c)
			nt++
			freq[c]++
			used[c>>6] |= 1 << (c & 63)
			fixedBits += int(fixedLitLen[c])
		}
		pending, prevLen, prevDist = true, l, dist
		i++
	}
	if pending {
		c := in[n-1]
		toks[nt] = uint32(c)
		nt++
		freq[c]++
		used[c>>6] |= 1 << (c & 63)
		fixedBits += int(fixedLitLen[c])
	}
	d.toks, d.litUsed, d.fixedBits = toks[:nt], used, fixedBits
}

// hash4 hashes the first 4 bytes of b to hashBits bits.
func hash4(b []byte) uint32 {
	return binary.LittleEndian.Uint32(b) * 2654435761 >> (32 - hashBits)
}

// longest returns the longest match for in[i:] longer than atLeast along
// the chain starting at v, or 0 when there is none of minMatch bytes.
func (d *deflater) longest(in []byte, i int, v, base int32, atLeast int) (length, dist int) {
	limit := min(len(in)-i, maxMatch)
	best := max(atLeast, minMatch-1)
	if best >= limit {
		return 0, 0
	}
	for chain := maxChain; v > base && chain > 0; chain-- {
		p := int(v - base - 1)
		if in[p+best] == in[i+best] {
			if l := matchLen(in[p:], in[i:i+limit]); l > best {
				best, dist = l, i-p
				if l == limit {
					break
				}
			}
		}
		v = d.prev[p]
	}
	if dist == 0 {
		return 0, 0
	}
	return best, dist
}

// matchLen returns the length of the common prefix of a and b, len(b) <=
// len(a).
func matchLen(a, b []byte) int {
	n := 0
	for len(b)-n >= 8 {
		if x := binary.LittleEndian.Uint64(a[n:]) ^ binary.LittleEndian.Uint64(b[n:]); x != 0 {
			return n + bits.TrailingZeros64(x)>>3
		}
		n += 8
	}
	for n < len(b) && a[n] == b[n] {
		n++
	}
	return n
}

// addMatch counts a match and returns its token.
func (d *deflater) addMatch(length, dist int) uint32 {
	l, dd := uint32(length-3), uint32(dist-1)
	lc, dc := lenCodeOf[l], distCodeOf(dd)
	d.litFreq[257+int(lc)]++
	d.distFreq[dc]++
	d.extraBits += int(lengthExtra[lc]) + int(distExtra[dc])
	d.lenUsed |= 1 << lc
	d.distUsed |= 1 << dc
	return matchFlag | l<<16 | dd
}

// fixedMatchBits is the size of a match token in the fixed code.
func (d *deflater) fixedMatchBits(t uint32) int {
	lc, dc := lenCodeOf[t>>16&0xff], distCodeOf(t&0xffff)
	return int(fixedLitLen[257+int(lc)]) + 5 + int(lengthExtra[lc]) + int(distExtra[dc])
}

// costs returns the size in bits of the block coded with the fixed code
// and with a dynamic code, whose code lengths it leaves in d.
func (d *deflater) costs() (fixed, dynamic int) {
	syms := d.litSyms[:0]
	for w, word := range d.litUsed {
		for ; word != 0; word &= word - 1 {
			syms = append(syms, uint16(w*64+bits.TrailingZeros64(word)))
		}
	}
	syms = atLeastTwo(appendBits(append(syms, endOfBlock), d.lenUsed, endOfBlock+1))
	d.nLit = len(syms)
	dsyms := atLeastTwo(appendBits(d.distSyms[:0], d.distUsed, 0))
	d.nDist = len(dsyms)
	clear(d.litLen[:])
	clear(d.distLen[:])
	dynamic = 3 + d.extraBits + d.huff.lengths(d.litFreq[:], syms, d.litLen[:], maxLitBits) +
		d.huff.lengths(d.distFreq[:], dsyms, d.distLen[:], maxLitBits)
	return 3 + d.fixedBits, dynamic + d.dynamicHeaderBits()
}

// fixedIsShorter reports whether the fixed code, fixed bits, is no
// longer than an estimate of the dynamic block, so that the dynamic code
// need not be built: most tokens take the fixed code (four in five of
// TestDefaultTokenLength's), and building the dynamic one and its
// header is about half of the encoder's time. The estimate is the
// entropy of the symbols (a lower bound of any prefix code's cost), the
// extra bits, and for the header the extra bits of its runs of zeros
// exact, plus estBitsPerEntry per code length it sends (nonzero lengths
// counted one by one, zeros as the runs they form). The header's true
// cost per such entry was from 2.39 to 3.58 bits on those tokens
// (median 2.95), so that at 2.5 the fixed code was never taken over a
// shorter dynamic one there nor on any vector (TestFixedEstimate). It
// answers false, and the block is costed in full, for a segment of
// maxEstimated bytes or more.
func (d *deflater) fixedIsShorter(fixed, n int) bool {
	if n >= maxEstimated {
		return false
	}
	// In 1/estScale bits: the entropy N*log2(N) - sum f*log2(f) of the
	// literal/length symbols, then of the distances.
	est, total := 0, 0
	entries, extra := 0, 0
	last := -1
	// gap accounts for the run of zeros before symbol s and for its
	// own length.
	gap := func(s int) {
		g := s - last - 1
		last = s
		entries++
		switch {
		case g == 0:
		case g <= 2:
			entries += g
		case g <= 10:
			entries++
			extra += 3
		default:
			k := (g + 137) / 138
			entries += k
			extra += 7 * k
		}
	}
	freq := &d.litFreq
	for w, word := range d.litUsed {
		for ; word != 0; word &= word - 1 {
			s := w*64 + bits.TrailingZeros64(word)
			f := freq[s]
			total += int(f)
			est -= nLog2N[f]
			gap(s)
		}
	}
	total++ // the end of block
	gap(endOfBlock)
	for word := d.lenUsed; word != 0; word &= word - 1 {
		s := endOfBlock + 1 + bits.TrailingZeros32(word)
		f := freq[s]
		total += int(f)
		est -= nLog2N[f]
		gap(s)
	}
	est += nLog2N[total]
	total, last = 0, -1
	for word := d.distUsed; word != 0; word &= word - 1 {
		s := bits.TrailingZeros32(word)
		f := d.distFreq[s]
		total += int(f)
		est -= nLog2N[f]
		gap(s)
	}
	est += nLog2N[total]
	entries += max(2-bits.OnesCount32(d.distUsed), 0)
	// The block header, HLIT, HDIST, HCLEN and at least four code length
	// code lengths.
	header := 3 + 14 + 4*3 + extra + d.extraBits
	return fixed*estScale <= est+(header*estScale+entries*estBitsPerEntry)
}

// Constants of fixedIsShorter: nLog2N[i] is i*log2(i) in 1/estScale
// bits, for the symbol counts of a segment under maxEstimated bytes.
const (
	maxEstimated    = 1024
	estScale        = 1 << 10
	estBitsPerEntry = estScale * 5 / 2
)

var nLog2N = func() (t [maxEstimated + 1]int) {
	for i := 2; i <= maxEstimated; i++ {
		t[i] = int(math.Round(float64(i) * math.Log2(float64(i)) * estScale))
	}
	return t
}()

// appendBits appends to syms the symbols from+i for the bits i set in
// word, ascending.
func appendBits(syms []uint16, word uint32, from int) []uint16 {
	for ; word != 0; word &= word - 1 {
		syms = append(syms, uint16(from+bits.TrailingZeros32(word)))
	}
	return syms
}

// appendUsed appends to syms the symbols from+i for which freq[i] > 0.
func appendUsed(syms []uint16, freq []int32, from int) []uint16 {
	for i, f := range freq {
		if f > 0 {
			syms = append(syms, uint16(from+i))
		}
	}
	return syms
}

// atLeastTwo adds the symbol 0 or 1 to an ascending list of fewer than two
// symbols (0 and 1 to an empty one), so that the code is complete: some
// decoders refuse a code of a single symbol. Its slice has room for them.
func atLeastTwo(syms []uint16) []uint16 {
	switch {
	case len(syms) >= 2:
		return syms
	case len(syms) == 0:
		return append(syms, 0, 1)
	case syms[0] == 0:
		return append(syms, 1)
	}
	syms = append(syms, 0)
	syms[0], syms[1] = 0, syms[0]
	return syms
}

// dynamicHeaderBits run-length codes the code lengths into d.clSeq, builds
// the code length code, and returns the header's size in bits (after the
// three block header bits).
func (d *deflater) dynamicHeaderBits() int {
	clear(d.clFreq[:])
	// The lengths are sent for symbols 0..nlit-1, then for distances
	// 0..ndist-1, as one sequence; only the symbols in use have one. The
	// run being coded, n lengths of value val, is kept in locals.
	seq, freq := d.clSeq[:0], &d.clFreq
	val, n := uint8(0), 0
	lit, dist := d.litSyms[:d.nLit], d.distSyms[:d.nDist]
	last := -1
	for _, s := range lit {
		l := d.litLen[s]
		gap := int(s) - last - 1
		last = int(s)
		if gap == 0 && l == val {
			n++
			continue
		}
		// The run ends (every symbol in use has a length, so zeros
		// end it too): a run of one or two, the common case, is coded
		// here.
		if n <= 2 {
			for ; n > 0; n-- {
				seq = append(seq, uint16(val))
				freq[val]++
			}
		} else {
			seq = appendLongRun(seq, freq, val, n)
		}
		if gap > 0 {
			seq = appendRun(seq, freq, 0, gap)
		}
		val, n = l, 1
	}
	seq, val, n = appendLengths(seq, freq, val, n, 0, numLitLenSent(lit)-last-1)
	last = -1
	for _, s := range dist {
		seq, val, n = appendLengths(seq, freq, val, n, 0, int(s)-last-1)
		seq, val, n = appendLengths(seq, freq, val, n, d.distLen[s], 1)
		last = int(s)
	}
	seq = appendRun(seq, freq, val, n)
	d.nclSeq = len(seq)
	cl := atLeastTwo(appendUsed(d.clSyms[:0], d.clFreq[:], 0))
	d.nCL = len(cl)
	clear(d.clLen[:])
	bits := d.huff.lengths(d.clFreq[:], cl, d.clLen[:], maxCLBits)
	return bits + 5 + 5 + 4 + 3*d.codeLenCount() + 2*int(d.clFreq[16]) + 3*int(d.clFreq[17]) + 7*int(d.clFreq[18])
}

// numLitLenSent is the number of literal/length code lengths sent (HLIT):
// up to the last symbol in use, at least 257.
func numLitLenSent(syms []uint16) int {
	return max(int(syms[len(syms)-1])+1, 257)
}

// appendLengths adds k lengths of value v to the run of n lengths of
// value val, coding that run onto seq when v differs.
func appendLengths(seq []uint16, freq *[numCodeLen]int32, val uint8, n int, v uint8, k int) ([]uint16, uint8, int) {
	if k == 0 {
		return seq, val, n
	}
	if v != val {
		seq, val, n = appendRun(seq, freq, val, n), v, 0
	}
	return seq, val, n + k
}

// appendRun run-length codes n code lengths of value v (RFC 1951, section
// 3.2.7) onto seq (symbol | extra<<5), counting the symbols in freq.
// dynamicHeaderBits keeps the run being coded in locals and codes a run of
// one or two, the common case in a token, inline: BenchmarkDeflateOwn from
// 2.10 to 1.92 us (medians of six alternating runs) against a run coder
// reached through the deflater.
func appendRun(seq []uint16, freq *[numCodeLen]int32, v uint8, n int) []uint16 {
	if n > 2 {
		return appendLongRun(seq, freq, v, n)
	}
	for ; n > 0; n-- {
		seq = append(seq, uint16(v))
		freq[v]++
	}
	return seq
}

// appendLongRun is appendRun for any n: 16 repeats the previous length 3
// to 6 times, 17 and 18 give 3 to 10 and 11 to 138 zeros.
func appendLongRun(seq []uint16, freq *[numCodeLen]int32, v uint8, n int) []uint16 {
	emit := func(sym, extra uint16) {
		seq = append(seq, sym|extra<<5)
		freq[sym]++
	}
	l := uint16(v)
	if l == 0 {
		for ; n >= 11; n -= min(n, 138) {
			emit(18, uint16(min(n, 138)-11))
		}
		if n >= 3 {
			emit(17, uint16(n-3))
			n = 0
		}
	} else {
		emit(l, 0)
		n--
		for ; n >= 3; n -= min(n, 6) {
			emit(16, uint16(min(n, 6)-3))
		}
	}
	for ; n > 0; n-- {
		emit(l, 0)
	}
	return seq
}

// codeLenCount is the number of code length code lengths sent: the
// order's prefix up to the last one in use, at least 4.
func (d *deflater) codeLenCount() int {
	n := numCodeLen
	for n > 4 && d.clLen[codeLenOrder[n-1]] == 0 {
		n--
	}
	return n
}

// writeDynamicHeader writes the header of the dynamic code whose lengths
// costs left in d, and builds its codes.
func (d *deflater) writeDynamicHeader() {
	lit, dist := d.litSyms[:d.nLit], d.distSyms[:d.nDist]
	nlit, ndist := numLitLenSent(lit), int(dist[len(dist)-1])+1
	symbolCodes(lit, d.litLen[:], d.litCode[:])
	symbolCodes(dist, d.distLen[:], d.distCode[:])
	symbolCodes(d.clSyms[:d.nCL], d.clLen[:], d.clCode[:])
	ncl := d.codeLenCount()
	d.bw.put(uint64(nlit-257)|uint64(ndist-1)<<5|uint64(ncl-4)<<10, 14)
	for _, s := range codeLenOrder[:ncl] {
		d.bw.put(uint64(d.clLen[s]), 3)
	}
	for _, c := range d.clSeq[:d.nclSeq] {
		s := c & 31
		nb := uint(d.clLen[s])
		switch s {
		case 16:
			d.bw.put(uint64(d.clCode[s])|uint64(c>>5)<<nb, nb+2)
		case 17:
			d.bw.put(uint64(d.clCode[s])|uint64(c>>5)<<nb, nb+3)
		case 18:
			d.bw.put(uint64(d.clCode[s])|uint64(c>>5)<<nb, nb+7)
		default:
			d.bw.put(uint64(d.clCode[s]), nb)
		}
	}
}

// writeTokens writes d.toks and the end of block with the given codes.
func (d *deflater) writeTokens(litLen *[numLitLen]uint8, litCode *[numLitLen]uint16, distLen *[numDist]uint8, distCode *[numDist]uint16) {
	w := &d.bw
	for _, t := range d.toks {
		if t < matchFlag {
			w.put(uint64(litCode[t]), uint(litLen[t]))
			continue
		}
		l := t >> 16 & 0xff
		lc := lenCodeOf[l]
		s := 257 + int(lc)
		dd := t & 0xffff
		dc := distCodeOf(dd)
		// Code and extra bits: at most 15+5 for the length, 15+13 for
		// the distance.
		nb := uint(litLen[s])
		w.put(uint64(litCode[s])|uint64(l-uint32(lengthBase[lc]-3))<<nb, nb+uint(lengthExtra[lc]))
		nb = uint(distLen[dc])
		w.put(uint64(distCode[dc])|uint64(dd-uint32(distBase[dc]-1))<<nb, nb+uint(distExtra[dc]))
	}
	w.put(uint64(litCode[endOfBlock]), uint(litLen[endOfBlock]))
}

// canonicalCodes sets codes to the canonical Huffman codes of lens
// (RFC 1951, section 3.2.2), bit-reversed for an LSB-first writer.
func canonicalCodes(lens []uint8, codes []uint16) {
	var count, next [maxLitBits + 1]uint16
	for _, l := range lens {
		count[l]++
	}
	count[0] = 0
	code := uint16(0)
	for b := 1; b <= maxLitBits; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	for s, l := range lens {
		if l != 0 {
			codes[s] = bits.Reverse16(next[l]) >> (16 - l)
			next[l]++
		}
	}
}

// symbolCodes is canonicalCodes for the symbols syms (ascending), the
// others having no code.
func symbolCodes(syms []uint16, lens []uint8, codes []uint16) {
	var count, next [maxLitBits + 1]uint16
	for _, s := range syms {
		count[lens[s]]++
	}
	code := uint16(0)
	for b := 1; b <= maxLitBits; b++ {
		code = (code + count[b-1]) << 1
		next[b] = code
	}
	for _, s := range syms {
		l := lens[s]
		codes[s] = bits.Reverse16(next[l]) >> (16 - l)
		next[l]++
	}
}

// bitWriter writes bits LSB first to dst.
type bitWriter struct {
	dst  []byte
	bits uint64
	n    int // bits held, < 32 between calls
}

// put writes the nb (<= 32) low bits of v.
func (w *bitWriter) put(v uint64, nb uint) {
	w.bits |= v << w.n
	w.n += int(nb)
	if w.n >= 32 {
		w.dst = binary.LittleEndian.AppendUint32(w.dst, uint32(w.bits))
		w.bits >>= 32
		w.n -= 32
	}
}

// alignByte pads with zero bits to a byte boundary.
func (w *bitWriter) alignByte() {
	w.n = (w.n + 7) &^ 7
	if w.n >= 32 {
		w.dst = binary.LittleEndian.AppendUint32(w.dst, uint32(w.bits))
		w.bits >>= 32
		w.n -= 32
	}
}

// flush writes the bits held, padded to a byte boundary.
func (w *bitWriter) flush() {
	for ; w.n > 0; w.n -= 8 {
		w.dst = append(w.dst, byte(w.bits))
		w.bits >>= 8
	}
	w.n, w.bits = 0, 0
}
