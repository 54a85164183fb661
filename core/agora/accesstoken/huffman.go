package accesstoken

// huffman builds length-limited Huffman codes for the deflater. Its
// arrays are scratch space, sized for the largest alphabet.
type huffman struct {
	sorted [numLitLen]uint16 // syms by ascending frequency
	w      [numLitLen]int32  // their weights, then tree links, then depths
	start  [smallFreq]uint16
}

// smallFreq bounds the frequencies sorted by counting; the few symbols
// more frequent than that are sorted by insertion.
const smallFreq = 64

// lengths sets lens[s], for each symbol s of syms (at least two), to the
// length of its code in a prefix code for freq that is optimal among those
// whose codes are at most maxBits long, and returns sum(freq[s]*lens[s]).
// Symbols of frequency 0 may be in syms: they get the longest codes.
func (h *huffman) lengths(freq []int32, syms []uint16, lens []uint8, maxBits int) (cost int) {
	n := len(syms)
	order, a := h.sort(freq, syms)
	// The number of codes of each length, deeper ones clamped to maxBits.
	var count [maxLitBits + 1]int32
	if depthCounts(a, &count, maxBits) {
		limitLengths(count[:maxBits+1], maxBits)
	}
	// The least frequent symbols, first in order, get the longest codes.
	i := 0
	for l := maxBits; l >= 1 && i < n; l-- {
		for c := count[l]; c > 0; c-- {
			s := order[i]
			lens[s] = uint8(l)
			cost += int(freq[s]) * l
			i++
		}
	}
	return cost
}

// sort returns syms ordered by ascending frequency, ties in their order,
// and their frequencies in that order: a counting sort of the frequencies
// below smallFreq, followed by an insertion sort of the others. The symbols
// of frequency 1, the most common in a token, are counted and placed in a
// register rather than through start, whose increments would otherwise
// wait on one another: that takes BenchmarkDeflateOwn from 2.06 to 1.97 us.
func (h *huffman) sort(freq []int32, syms []uint16) ([]uint16, []int32) {
	start := &h.start
	clear(start[:])
	big, top, ones := 0, int32(0), uint16(0)
	for _, s := range syms {
		if f := freq[s]; f == 1 {
			ones++
		} else if f < smallFreq {
			start[f]++
			top = max(top, f)
		} else {
			big++
		}
	}
	if ones > 0 {
		start[1], top = ones, max(top, 1)
	}
	// Counts to starting positions, the running sum in a register.
	sum := uint16(0)
	for b := range start[:top+1] {
		c := start[b]
		start[b] = sum
		sum += c
	}
	order, w := h.sorted[:len(syms)], h.w[:len(syms)]
	nsmall, tail := len(syms)-big, len(syms)-big
	one := start[1]
	for _, s := range syms {
		f := freq[s]
		if f == 1 {
			order[one], w[one] = s, 1
			one++
			continue
		}
		if f < smallFreq {
			order[start[f]], w[start[f]] = s, f
			start[f]++
			continue
		}
		j := tail
		for ; j > nsmall && w[j-1] > f; j-- {
			order[j], w[j] = order[j-1], w[j-1]
		}
		order[j], w[j] = s, f
		tail++
	}
	return order, w
}

// depthCounts counts in count, from the weights in a (at least two, sorted
// ascending), the leaves at each depth of a Huffman tree, those deeper than
// maxBits at maxBits, and reports whether there were any such. It uses the
// in-place method of Moffat and Katajainen: the weights become the links
// of the tree's internal nodes, then the depths of those nodes, from which
// the number of leaves at each depth follows without writing the leaves'
// depths (with a run coder kept in locals, BenchmarkDeflateOwn from 2.18 to
// 2.06 us).
func depthCounts(a []int32, count *[maxLitBits + 1]int32, maxBits int) (over bool) {
	n := len(a)
	leaf, node := 0, 0
	// pick returns the smaller of the next leaf and the next unused
	// internal node, turning that node's slot into a link to next.
	pick := func(next int) int32 {
		if leaf >= n || (node < next && a[node] < a[leaf]) {
			w := a[node]
			a[node] = int32(next)
			node++
			return w
		}
		leaf++
		return a[leaf-1]
	}
	for next := 0; next < n-1; next++ {
		w := pick(next)
		a[next] = w + pick(next)
	}
	a[n-2] = 0
	for next := n - 3; next >= 0; next-- {
		a[next] = a[a[next]] + 1
	}
	avail, used, depth := int32(1), int32(0), int32(0)
	node = n - 2
	for avail > 0 {
		for node >= 0 && a[node] == depth {
			used++
			node--
		}
		if leaves := avail - used; leaves > 0 {
			if depth > int32(maxBits) {
				count[maxBits] += leaves
				over = true
			} else {
				count[depth] += leaves
			}
		}
		avail, used, depth = 2*used, 0, depth+1
	}
	return over
}

// limitLengths adjusts count, the number of codes of each length in which
// longer codes have been clamped to maxBits, back to a complete prefix
// code: while the Kraft sum is over, a code of maxBits goes and a shorter
// code is split into two one bit longer, which keeps the number of codes.
func limitLengths(count []int32, maxBits int) {
	total := 0
	for l := 1; l <= maxBits; l++ {
		total += int(count[l]) << (maxBits - l)
	}
	for ; total > 1<<maxBits; total-- {
		count[maxBits]--
		for l := maxBits - 1; l > 0; l-- {
			if count[l] > 0 {
				count[l]--
				count[l+1] += 2
				break
			}
		}
	}
}
