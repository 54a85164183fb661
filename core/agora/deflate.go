// The encoder in this file reproduces, for one small input, the exact bytes
// that Go's compress/zlib writer produces at the default level. Its
// matching and block-selection rules follow Go's compress/flate
// (Copyright 2009 The Go Authors; BSD-style license,
// https://go.dev/LICENSE), specialised to a single block and organised so
// that nothing needs clearing between tokens. TestDeflateMatchesZlib and
// FuzzDeflate compare it with compress/zlib on many inputs; inputs above
// maxFastDeflate go to compress/zlib itself.

package agora

import (
	"hash/adler32"
	"math"
	"math/bits"
	"slices"
)

// maxFastDeflate is the largest input the fast encoder handles: it fits in
// one deflate window and one block, so positions fit in 13 bits.
const maxFastDeflate = 4096

// Level 6 parameters of compress/flate.
const (
	minMatch   = 4
	maxMatch   = 258
	goodLength = 8
	lazyLength = 16
	niceLength = 128
	maxChain   = 128
	hashBits   = 17
	hashMul    = 0x1e35a7bd
	posBits    = 13 // positions + 1 <= maxFastDeflate + 1 < 1<<13
	posMask    = 1<<posBits - 1
	genLimit   = 1 << (32 - posBits)
)

const (
	numLitCodes   = 286
	numOffCodes   = 30
	numGenCodes   = 19
	endBlock      = 256
	lengthStart   = 257
	codegenEnd    = 255
	matchFlag     = 1 << 30
	lengthShift   = 22
	offsetBitMask = 1<<lengthShift - 1
)

// token is a literal byte, or matchFlag | (length-3)<<22 | (offset-1).
type token uint32

// deflater holds the encoder's reusable state. head maps a 17-bit hash to
// the last position with that hash, tagged with the generation of the
// input it belongs to, so that stale entries read as empty.
type deflater struct {
	head   [1 << hashBits]uint32
	prev   [maxFastDeflate]uint16
	gen    uint32
	tokens []token

	litFreq [numLitCodes]int32
	offFreq [numOffCodes]int32
	genFreq [numGenCodes]int32
	codegen [numLitCodes + numOffCodes + 1]uint8
	lit     huffman
	off     huffman
	cg      huffman

	bits  uint64
	nbits uint
	out   []byte
}

// zlibDefault appends to dst the zlib stream of in, as compress/zlib at
// the default level writes it. len(in) must be at most maxFastDeflate.
func (d *deflater) zlibDefault(dst, in []byte) []byte {
	d.out = append(dst, 0x78, 0x9c)
	d.bits, d.nbits = 0, 0
	if len(in) > 0 {
		d.match(in)
		d.writeBlock(in)
	}
	// Close: an empty final stored block, then the Adler-32.
	d.writeStoredHeader(0, true)
	d.flush()
	sum := adler32.Checksum(in)
	d.out = append(d.out, byte(sum>>24), byte(sum>>16), byte(sum>>8), byte(sum))
	out := d.out
	d.out = nil
	return out
}

func hash4(b []byte) uint32 {
	return ((uint32(b[3]) | uint32(b[2])<<8 | uint32(b[1])<<16 | uint32(b[0])<<24) * hashMul) >> (32 - hashBits)
}

// insert links position i into its hash chain and returns the previous
// head: the earlier position + 1, or 0 for none.
func (d *deflater) insert(win []byte, i int) int {
	hp := &d.head[hash4(win[i:])]
	head := 0
	if *hp>>posBits == d.gen {
		head = int(*hp & posMask)
	}
	d.prev[i] = uint16(head)
	*hp = d.gen<<posBits | uint32(i+1)
	return head
}

// match runs flate's lazy LZ77 matcher over the whole input.
func (d *deflater) match(win []byte) {
	if d.gen++; d.gen >= genLimit {
		clear(d.head[:])
		d.gen = 1
	}
	d.tokens = d.tokens[:0]
	n := len(win)
	maxInsert := n - (minMatch - 1)
	index, length, offset := 0, minMatch-1, 0
	chainHead := 0 // position + 1 of the last chain head looked up
	byteAvailable := false
	for {
		lookahead := n - index
		if lookahead == 0 {
			if byteAvailable {
				d.tokens = append(d.tokens, token(win[index-1]))
			}
			return
		}
		if index < maxInsert {
			chainHead = d.insert(win, index)
		}
		prevLength, prevOffset := length, offset
		length, offset = minMatch-1, 0
		if chainHead > 0 && lookahead > prevLength && prevLength < lazyLength {
			if l, o, ok := d.findMatch(win, index, chainHead-1, lookahead); ok {
				length, offset = l, o
			}
		}
		if prevLength >= minMatch && length <= prevLength {
			d.tokens = append(d.tokens, token(matchFlag|uint32(prevLength-3)<<lengthShift|uint32(prevOffset-1)))
			end := index + prevLength - 1
			for index++; index < end; index++ {
				if index < maxInsert {
					d.insert(win, index)
				}
			}
			byteAvailable = false
			length = minMatch - 1
			continue
		}
		if byteAvailable {
			d.tokens = append(d.tokens, token(win[index-1]))
		}
		index++
		byteAvailable = true
	}
}

// findMatch looks for a match at pos longer than 3 along the hash chain
// starting at prevHead, trying at most maxChain candidates.
func (d *deflater) findMatch(win []byte, pos, prevHead, lookahead int) (length, offset int, ok bool) {
	look := min(maxMatch, lookahead)
	win = win[:pos+look]
	nice := min(len(win)-pos, niceLength)
	length = minMatch - 1
	tries := maxChain
	if length >= goodLength {
		tries >>= 2
	}
	wEnd := win[pos+length]
	wPos := win[pos:]
	for i := prevHead; tries > 0; tries-- {
		if wEnd == win[i+length] {
			n := matchLen(win[i:], wPos, look)
			if n > length && (n > minMatch || pos-i <= 4096) {
				length, offset, ok = n, pos-i, true
				if n >= nice {
					break
				}
				wEnd = win[pos+n]
			}
		}
		i = int(d.prev[i]) - 1
		if i < 0 {
			break
		}
	}
	return length, offset, ok
}

func matchLen(a, b []byte, max int) int {
	a, b = a[:max], b[:max]
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return max
}

var lengthCodes, offsetCodes [256]uint8

var lengthExtra = [29]uint8{0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0}
var lengthBase = [29]uint16{0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 20, 24, 28, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 255}
var offsetExtra = [30]uint8{0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13}
var offsetBase [30]uint32
var codegenOrder = [numGenCodes]uint8{16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15}

// fixedLit and fixedOff are the fixed Huffman codes of RFC 1951 3.2.6.
var fixedLit [numLitCodes]hcode
var fixedOff [numOffCodes]hcode

func init() {
	for c := range lengthBase {
		end := 256
		if c+1 < len(lengthBase) {
			end = int(lengthBase[c+1])
		}
		for l := int(lengthBase[c]); l < end; l++ {
			lengthCodes[l] = uint8(c)
		}
	}
	lengthCodes[255] = 28
	base := uint32(0)
	for c := range offsetExtra {
		offsetBase[c] = base
		base += 1 << offsetExtra[c]
	}
	for off := range 256 {
		for c := len(offsetBase) - 1; c >= 0; c-- {
			if uint32(off) >= offsetBase[c] {
				offsetCodes[off] = uint8(c)
				break
			}
		}
	}
	for ch := range numLitCodes {
		var code, size uint16
		switch {
		case ch < 144:
			code, size = uint16(ch)+48, 8
		case ch < 256:
			code, size = uint16(ch)+400-144, 9
		case ch < 280:
			code, size = uint16(ch)-256, 7
		default:
			code, size = uint16(ch)+192-280, 8
		}
		fixedLit[ch] = hcode{reverseBits(code, size), size}
	}
	for ch := range fixedOff {
		fixedOff[ch] = hcode{reverseBits(uint16(ch), 5), 5}
	}
}

// offsetCode maps offset-1 to its code (offsets up to 32 KiB).
func offsetCode(off uint32) uint32 {
	if off < 256 {
		return uint32(offsetCodes[off])
	}
	if off>>7 < 256 {
		return uint32(offsetCodes[off>>7]) + 14
	}
	return uint32(offsetCodes[off>>14]) + 28
}

func (t token) isMatch() bool      { return t >= matchFlag }
func (t token) length() uint32     { return uint32(t-matchFlag) >> lengthShift }
func (t token) offset() uint32     { return uint32(t) & offsetBitMask }
func (t token) lengthCode() uint32 { return uint32(lengthCodes[t.length()]) }

// writeBlock writes the tokens as one non-final block, choosing the
// smallest of fixed Huffman, dynamic Huffman and stored, as flate does.
func (d *deflater) writeBlock(input []byte) {
	tokens := append(d.tokens, endBlock)
	d.tokens = tokens
	clear(d.litFreq[:])
	clear(d.offFreq[:])
	for _, t := range tokens {
		if !t.isMatch() {
			d.litFreq[t]++
			continue
		}
		d.litFreq[lengthStart+t.lengthCode()]++
		d.offFreq[offsetCode(t.offset())]++
	}
	numLit := numLitCodes
	for d.litFreq[numLit-1] == 0 {
		numLit--
	}
	numOff := numOffCodes
	for numOff > 0 && d.offFreq[numOff-1] == 0 {
		numOff--
	}
	if numOff == 0 {
		d.offFreq[0] = 1
		numOff = 1
	}
	d.lit.generate(d.litFreq[:], 15)
	d.off.generate(d.offFreq[:], 15)

	extra := 0
	for c := lengthStart + 8; c < numLit; c++ {
		extra += int(d.litFreq[c]) * int(lengthExtra[c-lengthStart])
	}
	for c := 4; c < numOff; c++ {
		extra += int(d.offFreq[c]) * int(offsetExtra[c])
	}
	size := 3 + bitLength(fixedLit[:], d.litFreq[:]) + bitLength(fixedOff[:], d.offFreq[:]) + extra
	litCodes, offCodes := fixedLit[:], fixedOff[:]

	d.generateCodegen(numLit, numOff)
	d.cg.generate(d.genFreq[:], 7)
	numGen := numGenCodes
	for numGen > 4 && d.genFreq[codegenOrder[numGen-1]] == 0 {
		numGen--
	}
	dynamic := 3 + 5 + 5 + 4 + 3*numGen + bitLength(d.cg.codes[:], d.genFreq[:]) +
		int(d.genFreq[16])*2 + int(d.genFreq[17])*3 + int(d.genFreq[18])*7 +
		bitLength(d.lit.codes[:], d.litFreq[:]) + bitLength(d.off.codes[:], d.offFreq[:]) + extra
	dyn := dynamic < size
	if dyn {
		size = dynamic
		litCodes, offCodes = d.lit.codes[:], d.off.codes[:]
	}
	if (len(input)+5)*8 < size {
		d.writeStoredHeader(len(input), false)
		d.out = append(d.out, input...)
		return
	}
	if dyn {
		d.writeDynamicHeader(numLit, numOff, numGen)
	} else {
		d.writeBits(2, 3)
	}
	for _, t := range tokens {
		if !t.isMatch() {
			d.writeCode(litCodes[t])
			continue
		}
		length, lc := t.length(), t.lengthCode()
		d.writeCode(litCodes[lc+lengthStart])
		if eb := lengthExtra[lc]; eb > 0 {
			d.writeBits(uint64(length-uint32(lengthBase[lc])), uint(eb))
		}
		off := t.offset()
		oc := offsetCode(off)
		d.writeCode(offCodes[oc])
		if eb := offsetExtra[oc]; eb > 0 {
			d.writeBits(uint64(off-offsetBase[oc]), uint(eb))
		}
	}
}

func bitLength(codes []hcode, freq []int32) int {
	total := 0
	for i, f := range freq {
		if f != 0 {
			total += int(f) * int(codes[i].len)
		}
	}
	return total
}

// generateCodegen run-length encodes the literal and offset code lengths
// (RFC 1951 3.2.7) into d.codegen, counting code uses in d.genFreq.
func (d *deflater) generateCodegen(numLit, numOff int) {
	clear(d.genFreq[:])
	cg := d.codegen[:]
	for i := range numLit {
		cg[i] = uint8(d.lit.codes[i].len)
	}
	for i := range numOff {
		cg[numLit+i] = uint8(d.off.codes[i].len)
	}
	cg[numLit+numOff] = codegenEnd
	size, count, out := cg[0], 1, 0
	for in := 1; size != codegenEnd; in++ {
		next := cg[in]
		if next == size {
			count++
			continue
		}
		if size != 0 {
			cg[out] = size
			out++
			d.genFreq[size]++
			count--
			for count >= 3 {
				n := min(6, count)
				cg[out], cg[out+1] = 16, uint8(n-3)
				out += 2
				d.genFreq[16]++
				count -= n
			}
		} else {
			for count >= 11 {
				n := min(138, count)
				cg[out], cg[out+1] = 18, uint8(n-11)
				out += 2
				d.genFreq[18]++
				count -= n
			}
			if count >= 3 {
				cg[out], cg[out+1] = 17, uint8(count-3)
				out += 2
				d.genFreq[17]++
				count = 0
			}
		}
		for count--; count >= 0; count-- {
			cg[out] = size
			out++
			d.genFreq[size]++
		}
		size, count = next, 1
	}
	cg[out] = codegenEnd
}

func (d *deflater) writeDynamicHeader(numLit, numOff, numGen int) {
	d.writeBits(4, 3)
	d.writeBits(uint64(numLit-257), 5)
	d.writeBits(uint64(numOff-1), 5)
	d.writeBits(uint64(numGen-4), 4)
	for i := range numGen {
		d.writeBits(uint64(d.cg.codes[codegenOrder[i]].len), 3)
	}
	for i := 0; ; {
		c := d.codegen[i]
		i++
		if c == codegenEnd {
			return
		}
		d.writeCode(d.cg.codes[c])
		switch c {
		case 16:
			d.writeBits(uint64(d.codegen[i]), 2)
			i++
		case 17:
			d.writeBits(uint64(d.codegen[i]), 3)
			i++
		case 18:
			d.writeBits(uint64(d.codegen[i]), 7)
			i++
		}
	}
}

func (d *deflater) writeStoredHeader(length int, final bool) {
	flag := uint64(0)
	if final {
		flag = 1
	}
	d.writeBits(flag, 3)
	d.flush()
	d.writeBits(uint64(length), 16)
	d.writeBits(uint64(^uint16(length)), 16)
}

func (d *deflater) writeCode(c hcode) { d.writeBits(uint64(c.code), uint(c.len)) }

func (d *deflater) writeBits(b uint64, nb uint) {
	d.bits |= b << d.nbits
	d.nbits += nb
	for d.nbits >= 8 {
		d.out = append(d.out, byte(d.bits))
		d.bits >>= 8
		d.nbits -= 8
	}
}

// flush pads the pending bits to a byte boundary.
func (d *deflater) flush() {
	if d.nbits > 0 {
		d.out = append(d.out, byte(d.bits))
	}
	d.bits, d.nbits = 0, 0
}

// hcode is a Huffman code: its bits (already reversed) and length.
type hcode struct{ code, len uint16 }

type litNode struct {
	literal uint16
	freq    int32
}

// huffman builds length-limited Huffman codes exactly as flate does.
type huffman struct {
	codes [numLitCodes]hcode
	list  [numLitCodes + 1]litNode
	keys  [numLitCodes]uint32
	count [17]int32
}

func (h *huffman) generate(freq []int32, maxBits int32) {
	list := h.list[:0]
	for i, f := range freq {
		if f != 0 {
			list = append(list, litNode{uint16(i), f})
		} else {
			h.codes[i].len = 0
		}
	}
	if len(list) <= 2 {
		for i, n := range list {
			h.codes[n.literal] = hcode{uint16(i), 1}
		}
		return
	}
	sortFreq(list, &h.keys)
	h.assign(h.bitCounts(list, maxBits), list)
}

// sortFreq sorts list by frequency, then literal. Frequencies are below
// 1<<13 (inputs are at most maxFastDeflate bytes) and literals below 1<<9,
// so one integer key orders both.
func sortFreq(list []litNode, keys *[numLitCodes]uint32) {
	k := keys[:len(list)]
	for i, n := range list {
		k[i] = uint32(n.freq)<<9 | uint32(n.literal)
	}
	slices.Sort(k)
	for i, v := range k {
		list[i] = litNode{literal: uint16(v & 511), freq: int32(v >> 9)}
	}
}

type levelInfo struct {
	level, lastFreq, nextCharFreq, nextPairFreq, needed int32
}

// bitCounts returns how many literals get each code length (package-merge,
// as in flate). list is sorted by frequency and has room for a sentinel.
func (h *huffman) bitCounts(list []litNode, maxBits int32) []int32 {
	n := int32(len(list))
	list = list[:n+1]
	list[n] = litNode{math.MaxUint16, math.MaxInt32}
	maxBits = min(maxBits, n-1)
	var levels [16]levelInfo
	var leafCounts [16][16]int32
	for level := int32(1); level <= maxBits; level++ {
		levels[level] = levelInfo{level: level, lastFreq: list[1].freq, nextCharFreq: list[2].freq, nextPairFreq: list[0].freq + list[1].freq}
		leafCounts[level][level] = 2
		if level == 1 {
			levels[level].nextPairFreq = math.MaxInt32
		}
	}
	levels[maxBits].needed = 2*n - 4
	level := maxBits
	for {
		l := &levels[level]
		if l.nextPairFreq == math.MaxInt32 && l.nextCharFreq == math.MaxInt32 {
			l.needed = 0
			levels[level+1].nextPairFreq = math.MaxInt32
			level++
			continue
		}
		prevFreq := l.lastFreq
		if l.nextCharFreq < l.nextPairFreq {
			c := leafCounts[level][level] + 1
			l.lastFreq = l.nextCharFreq
			leafCounts[level][level] = c
			l.nextCharFreq = list[c].freq
		} else {
			l.lastFreq = l.nextPairFreq
			// Take the lower level's counts below this level. Entries
			// above the diagonal are never read, so copy the whole row.
			diag := leafCounts[level][level]
			leafCounts[level] = leafCounts[level-1]
			leafCounts[level][level] = diag
			levels[l.level-1].needed = 2
		}
		if l.needed--; l.needed == 0 {
			if l.level == maxBits {
				break
			}
			levels[l.level+1].nextPairFreq = prevFreq + l.lastFreq
			level++
		} else {
			for levels[level-1].needed > 0 {
				level--
			}
		}
	}
	counts := h.count[:maxBits+1]
	b := 1
	for level := maxBits; level > 0; level-- {
		counts[b] = leafCounts[maxBits][level] - leafCounts[maxBits][level-1]
		b++
	}
	return counts
}

// assign gives each length's literals consecutive codes in literal order
// (RFC 1951 3.2.2), the most frequent literals getting the shortest codes.
func (h *huffman) assign(counts []int32, list []litNode) {
	code := uint16(0)
	for n, c := range counts {
		code <<= 1
		if n == 0 || c == 0 {
			continue
		}
		chunk := list[len(list)-int(c):]
		slices.SortFunc(chunk, func(a, b litNode) int { return int(a.literal) - int(b.literal) })
		for _, node := range chunk {
			h.codes[node.literal] = hcode{reverseBits(code, uint16(n)), uint16(n)}
			code++
		}
		list = list[:len(list)-int(c)]
	}
}

func reverseBits(v, n uint16) uint16 { return bits.Reverse16(v << (16 - n)) }
