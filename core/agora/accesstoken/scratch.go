package accesstoken

import (
	"bytes"
	"compress/zlib"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"hash"
	"sync"
)

// scratch holds the reusable state of one Build: buffers, the zlib writer
// and the HMAC state.
type scratch struct {
	content []byte
	z       []byte
	out     []byte
	order   [8]int
	privs   [8]Privilege
	mac     mac
	salt    [4]byte
	// df is the default encoder (CompressFast).
	df deflater
	// zw is compress/zlib's writer at the default level (CompressZlib),
	// made on first use and reused through Reset: a new one per token
	// costs about 800 KB of allocation and four times the time
	// (BenchmarkBaselineNewWriterPerToken: 0.14 ms and 816 KB per token,
	// against 33 us and 240 B for the pooled writer; best runs on the
	// 2-core CI machine).
	zw  *zlib.Writer
	zwb bytes.Buffer
}

var scratchPool = sync.Pool{New: func() any {
	s := &scratch{content: make([]byte, 0, 512), out: make([]byte, 0, 512), z: make([]byte, 0, 512)}
	s.mac.h = sha256.New()
	return s
}}

func getScratch() *scratch { return scratchPool.Get().(*scratch) }

// maxPooled bounds the buffers kept in the pool, so that one huge token
// does not pin memory.
const maxPooled = 64 << 10

func putScratch(s *scratch) {
	if cap(s.content) > maxPooled || cap(s.out) > maxPooled || cap(s.z) > maxPooled || s.zwb.Cap() > maxPooled ||
		cap(s.df.prev) > maxPooled/4 {
		s.zw = nil
		return
	}
	scratchPool.Put(s)
}

// encode compresses s.content with c and returns "007" + base64.
func (s *scratch) encode(c Compression) string {
	if c == CompressZlib {
		s.z = s.zlib(s.z[:0], s.content)
	} else {
		s.z = s.df.appendZlib(s.z[:0], s.content)
	}
	s.out = append(s.out[:0], Version...)
	s.out = base64.StdEncoding.AppendEncode(s.out, s.z)
	return string(s.out)
}

// zlib appends the zlib stream of in to dst, compressed at the default
// level as the vendor's Go builder does. Writing to a bytes.Buffer cannot
// fail.
func (s *scratch) zlib(dst, in []byte) []byte {
	s.zwb.Reset()
	if s.zw == nil {
		s.zw = zlib.NewWriter(&s.zwb)
	} else {
		s.zw.Reset(&s.zwb)
	}
	_, _ = s.zw.Write(in)
	_ = s.zw.Close()
	return append(dst, s.zwb.Bytes()...)
}

// serviceOrder returns the indexes of svcs stably sorted by type.
func (s *scratch) serviceOrder(svcs []Service) []int {
	var order []int
	if len(svcs) <= len(s.order) {
		order = s.order[:len(svcs)]
	} else {
		order = make([]int, len(svcs))
	}
	for i := range order {
		order[i] = i
	}
	insertionSort(order, func(a, b int) bool { return svcs[a].Type < svcs[b].Type })
	return order
}

// insertionSort sorts s stably; the lists here are a handful of items.
func insertionSort[E any](s []E, less func(a, b E) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// sortedPrivileges returns a copy of ps sorted by id.
func (s *scratch) sortedPrivileges(ps []Privilege) []Privilege {
	var out []Privilege
	if len(ps) <= len(s.privs) {
		out = s.privs[:len(ps)]
	} else {
		out = make([]Privilege, len(ps))
	}
	copy(out, ps)
	insertionSort(out, func(a, b Privilege) bool { return a.ID < b.ID })
	return out
}

// mac computes HMAC-SHA256 with one reusable SHA-256 state, which saves the
// allocations of crypto/hmac.New on every key of the signing chain. All
// buffers live in the struct so that nothing escapes per call. With the
// first HMAC kept (below) it is about three times as fast as crypto/hmac
// on the chain: BenchmarkSignReusedState 0.65 us and 0 allocs against
// BenchmarkSignCryptoHMAC 1.98 us, 20 allocs and 1.6 KB (medians of five
// runs on the 2-core AMD EPYC, BenchmarkHMACSHA256 0.69 us in the same
// run).
type mac struct {
	h     hash.Hash
	pad   [sha256.BlockSize]byte
	key   [sha256.BlockSize]byte
	inner [sha256.Size]byte
	k1    [sha256.Size]byte
	sk    [sha256.Size]byte
	sig   [sha256.Size]byte
	ts    [4]byte
	msg   []byte
	// k1 is kept for the certificate and issue time it was computed
	// for: the tokens of one second share it, and the signature then
	// takes two HMACs, not three (BenchmarkSignReusedState, one issue
	// time: from 1.00 to 0.71 us, medians of three runs).
	k1Set  bool
	k1Ts   uint32
	k1Cert string
}

// compute returns HMAC-SHA256(key, msg) in out, which must be one of m's
// arrays or otherwise not alias m.key or m.pad.
func (m *mac) compute(out *[sha256.Size]byte, key []byte, msg []byte) {
	clear(m.key[:])
	if len(key) > sha256.BlockSize {
		m.h.Reset()
		m.h.Write(key)
		m.h.Sum(m.key[:0])
	} else {
		copy(m.key[:], key)
	}
	xorPad(&m.pad, &m.key, 0x3636363636363636)
	m.h.Reset()
	m.h.Write(m.pad[:])
	m.h.Write(msg)
	m.h.Sum(m.inner[:0])
	xorPad(&m.pad, &m.key, 0x5c5c5c5c5c5c5c5c)
	m.h.Reset()
	m.h.Write(m.pad[:])
	m.h.Write(m.inner[:])
	m.h.Sum(out[:0])
}

// xorPad sets pad to key XOR the byte repeated in x, eight bytes at a
// time.
func xorPad(pad, key *[sha256.BlockSize]byte, x uint64) {
	for i := 0; i < sha256.BlockSize; i += 8 {
		binary.LittleEndian.PutUint64(pad[i:], binary.LittleEndian.Uint64(key[i:])^x)
	}
}

// sign computes the AccessToken2 signature of info into m.sig:
// HMAC(HMAC(u32le(salt), HMAC(u32le(issueTs), cert)), info).
func (m *mac) sign(cert string, issueTs, salt uint32, info []byte) []byte {
	if !m.k1Set || m.k1Ts != issueTs || m.k1Cert != cert {
		m.msg = append(m.msg[:0], cert...)
		binary.LittleEndian.PutUint32(m.ts[:], issueTs)
		m.compute(&m.k1, m.ts[:], m.msg)
		m.k1Set, m.k1Ts, m.k1Cert = true, issueTs, cert
	}
	binary.LittleEndian.PutUint32(m.ts[:], salt)
	m.compute(&m.sk, m.ts[:], m.k1[:])
	m.compute(&m.sig, m.sk[:], info)
	return m.sig[:]
}
