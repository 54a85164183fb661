package webhook

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"hash"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// base is what every scheme holds: its keys and its window.
type base struct {
	keys   keys
	window time.Duration
}

// newBase validates the secrets and the window of a scheme's config; def
// is the scheme's default window.
func newBase(provider, field string, primary, secondary core.Secret, w, def time.Duration) (base, error) {
	k, err := newKeys(provider, field, primary, secondary)
	if err != nil {
		return base{}, err
	}
	w, err = windowOf(provider, w, def)
	return base{keys: k, window: w}, err
}

// fresh checks a signed time (in units per second) against the window.
func (b *base) fresh(t int64, overflow bool, unit int64, now time.Time, field string) error {
	if overflow || !inWindow(t, unit, now, b.window) {
		return stale(field)
	}
	return nil
}

// appIDText validates a required application id and returns its decimal
// text, as callbacks carry it.
func appIDText(provider string, id uint64) (string, error) {
	if id == 0 {
		return "", &core.ConfigError{Provider: provider, Field: "SDKAppID", Message: "is required"}
	}
	return strconv.FormatUint(id, 10), nil
}

// keys holds the configured secrets, primary first.
type keys []*key

// key is one secret: its bytes (the HMAC key or the hashed text) and pools
// of keyed HMAC states, so that a verification does not set the key up
// again.
type key struct {
	raw  []byte
	macs [2]sync.Pool // by macAlg
}

// macAlg names an HMAC's hash.
type macAlg int

const (
	macSHA256 macAlg = iota
	macSHA1
)

// newKeys validates a primary and an optional secondary secret. The bytes
// used are the UTF-8 text of each secret, never a decoded form.
func newKeys(provider, field string, primary, secondary core.Secret) (keys, error) {
	if primary.IsZero() {
		return nil, &core.ConfigError{Provider: provider, Field: field, Message: "is required"}
	}
	k := keys{newKey(primary)}
	if !secondary.IsZero() {
		k = append(k, newKey(secondary))
	}
	return k, nil
}

func newKey(s core.Secret) *key {
	k := &key{raw: []byte(s.Reveal())}
	k.macs[macSHA256].New = func() any { return hmac.New(sha256.New, k.raw) }
	k.macs[macSHA1].New = func() any { return hmac.New(sha1.New, k.raw) }
	return k
}

// mac appends the HMAC of the parts under k to dst.
func (k *key) mac(alg macAlg, dst []byte, parts ...[]byte) []byte {
	m := k.macs[alg].Get().(hash.Hash)
	m.Reset()
	for _, p := range parts {
		m.Write(p)
	}
	dst = m.Sum(dst)
	k.macs[alg].Put(m)
	return dst
}

// find returns the index of the first key under which compute gives want,
// or -1. Every key is tried, whatever the outcome of the others, and each
// comparison is constant-time. compute appends its value to dst.
func (k keys) find(want []byte, compute func(k *key, dst []byte) []byte) int {
	found := -1
	var buf [64]byte
	for i := len(k) - 1; i >= 0; i-- {
		if subtle.ConstantTimeCompare(compute(k[i], buf[:0]), want) == 1 {
			found = i
		}
	}
	return found
}

// macIndex returns the index of the key whose HMAC of the message parts is
// want, or -1.
func (k keys) macIndex(alg macAlg, want []byte, parts ...[]byte) int {
	return k.find(want, func(k *key, dst []byte) []byte { return k.mac(alg, dst, parts...) })
}

// decodeHex decodes a hex digest of exactly n bytes, in either case.
func decodeHex(s string, n int, field string) ([]byte, error) {
	if len(s) != 2*n {
		return nil, malformed(field, "the signature has the wrong length")
	}
	b, err := hex.DecodeString(s)
	if err != nil {
		return nil, malformed(field, "the signature is not hexadecimal")
	}
	return b, nil
}

// parseDecimal parses a non-negative decimal integer written with digits
// only. overflow reports a digit string too large for int64: such a value
// is well-formed, and as a time it is outside any window.
func parseDecimal(s string) (v int64, overflow, ok bool) {
	if s == "" || len(s) > 64 {
		return 0, false, false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return 0, true, true
	}
	return v, false, true
}

// window checks that a signed time t (in units per second: 1 for seconds,
// 1000 for milliseconds) is within w of now, bounds included.
func inWindow(t int64, unit int64, now time.Time, w time.Duration) bool {
	var n int64
	if unit == 1000 {
		n = now.UnixMilli()
	} else {
		n = now.Unix()
	}
	d := int64(w / time.Second)
	if unit == 1000 {
		d = w.Milliseconds()
	}
	return t >= n-d && t <= n+d
}

// timeOf converts a signed time in seconds or milliseconds.
func timeOf(t, unit int64) time.Time {
	if unit == 1000 {
		return time.UnixMilli(t).UTC()
	}
	return time.Unix(t, 0).UTC()
}

// windowOf returns w, or def when w is 0; a negative w is a configuration
// error.
func windowOf(provider string, w, def time.Duration) (time.Duration, error) {
	switch {
	case w == 0:
		return def, nil
	case w < time.Second:
		return 0, &core.ConfigError{Provider: provider, Field: "Window", Message: "must be at least one second (0 means the default)"}
	}
	return w, nil
}

// jsonAck returns a 200 answer with a JSON body.
func jsonAck(body string) httpapi.Response {
	return httpapi.Response{Status: http.StatusOK, Header: httpapi.JSONHeader(), Body: []byte(body)}
}
