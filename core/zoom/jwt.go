package zoom

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"hash"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/internal/jsonstr"

	"github.com/rtctoken/rtctoken/core"
)

// headerB64 is base64url({"alg":"HS256","typ":"JWT"}), the first segment of
// every token the Zoom samples emit and this package issues.
const headerB64 = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"

// MaxTokenLen bounds the tokens Verify reads. Every token this package
// issues is shorter: with every claim at its limit and every character
// escaped, a Video SDK JWT stays under 6 KiB; a usual one is 300 to 500 bytes.
const MaxTokenLen = 8 << 10

// b64 is unpadded base64url. Strict decoding rejects non-zero trailing bits,
// so one signature has exactly one encoding.
var b64 = base64.RawURLEncoding.Strict()

// macKey is one HMAC-SHA256 key (the secret's UTF-8 bytes), held as a
// core.Secret so that no fmt verb prints it through the Provider. A pooled key
// (a Provider's) keeps ready hashes, so issuing does not rebuild the HMAC
// state every time; a one-off key (SignVideo's) does not pay for a pool.
type macKey struct {
	secret core.Secret
	pooled bool
	pool   sync.Pool
}

func newMACKey(secret string, pooled bool) *macKey {
	return &macKey{secret: core.NewSecret(secret), pooled: pooled}
}

func (k *macKey) get() hash.Hash {
	if k.pooled {
		if h, ok := k.pool.Get().(hash.Hash); ok {
			return h
		}
	}
	return hmac.New(sha256.New, []byte(k.secret.Reveal()))
}

func (k *macKey) put(h hash.Hash) {
	if k.pooled {
		h.Reset()
		k.pool.Put(h)
	}
}

// scratch is a pooled work area: the payload JSON and the token are built in
// buf, the MAC is summed into sum.
type scratch struct {
	buf []byte
	sum [sha256.Size]byte
}

var scratchPool = sync.Pool{New: func() any { return &scratch{buf: make([]byte, 0, 1024)} }}

// finish builds the payload JSON with appendJSON in a pooled buffer and
// returns the compact JWS of it signed with k.
func finish(k *macKey, appendJSON func([]byte) []byte) string {
	s := scratchPool.Get().(*scratch)
	b := appendJSON(s.buf[:0])
	n := len(b) // b[:n] is the payload JSON; the token is built after it
	b = append(b, headerB64...)
	b = append(b, '.')
	b = b64.AppendEncode(b, b[:n])
	mac := k.get()
	mac.Write(b[n:])
	mac.Sum(s.sum[:0])
	k.put(mac)
	b = append(b, '.')
	b = b64.AppendEncode(b, s.sum[:])
	tok := string(b[n:])
	if cap(b) <= 64<<10 {
		s.buf = b
		scratchPool.Put(s)
	}
	return tok
}

func signVideo(k *macKey, c *VideoClaims) (string, error) {
	if err := checkSigning(k, c.validate()); err != nil {
		return "", err
	}
	return finish(k, c.appendJSON), nil
}

func signMeeting(k *macKey, c *MeetingClaims) (string, error) {
	if err := checkSigning(k, c.validate()); err != nil {
		return "", err
	}
	return finish(k, c.appendJSON), nil
}

// checkSigning returns the configuration error of an empty secret, else
// the claims' validation error.
func checkSigning(k *macKey, claimsErr error) error {
	if k == nil || k.secret.IsZero() {
		return fmt.Errorf("%w: zoom: empty SDK secret", core.ErrConfig)
	}
	return claimsErr
}

// appendJSString appends s as a JSON string escaped the way ECMAScript
// JSON.stringify does, as Zoom's samples write their payloads. s must be
// valid UTF-8.
func appendJSString(b []byte, s string) []byte { return jsonstr.AppendJS(b, s) }

// utf16Len is the length of s in UTF-16 code units, JavaScript's
// String.prototype.length, which is what Zoom's length limits count.
func utf16Len(s string) int {
	n := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			n++
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r >= 0x10000 {
			n += 2
		} else {
			n++
		}
		i += size
	}
	return n
}

// authenticate splits a compact JWS, checks its header (alg HS256 only),
// checks the HMAC-SHA256 signature against each key in turn in constant time
// and returns the payload bytes. It does not look inside the payload: the
// payload JSON is parsed only once the token is known to be authentic.
func authenticate(token string, keys []*macKey) ([]byte, error) {
	if len(token) > MaxTokenLen {
		return nil, malformed("token is longer than %d bytes", MaxTokenLen)
	}
	i := indexByte(token, '.', 0)
	j := indexByte(token, '.', i+1)
	if i < 0 || j < 0 || indexByte(token, '.', j+1) >= 0 {
		return nil, malformed("a JWT has three dot-separated segments")
	}
	hdr, body, sig := token[:i], token[i+1:j], token[j+1:]
	if hdr != headerB64 {
		if err := checkHeader(hdr); err != nil {
			return nil, err
		}
	}
	var got [sha256.Size + 3]byte
	if len(sig) != 43 {
		return nil, malformed("the signature is not a base64url HMAC-SHA256")
	}
	if n, err := b64.Decode(got[:], []byte(sig)); err != nil || n != sha256.Size {
		return nil, malformed("the signature is not a base64url HMAC-SHA256")
	}
	payload, err := b64.DecodeString(body)
	if err != nil {
		return nil, malformed("the payload is not base64url")
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: zoom: no secret to verify with", core.ErrSignature)
	}
	var sum [sha256.Size]byte
	signing := []byte(token[:j])
	for _, k := range keys {
		if k == nil || k.secret.IsZero() {
			continue
		}
		mac := k.get()
		mac.Write(signing)
		mac.Sum(sum[:0])
		k.put(mac)
		if hmac.Equal(sum[:], got[:sha256.Size]) {
			return payload, nil
		}
	}
	return nil, fmt.Errorf("%w: zoom: HS256 signature does not match", core.ErrSignature)
}

// checkHeader accepts a header other than the canonical one if it is a JSON
// object with "alg": "HS256", "typ" (when present) "JWT" and no "crit";
// member names are matched exactly. Every other algorithm, "none" included,
// is ErrMalformed: such a token is not a Zoom SDK JWT and its signature is
// never looked at.
func checkHeader(seg string) error {
	raw, err := b64.DecodeString(seg)
	if err != nil {
		return malformed("the header is not base64url")
	}
	var h map[string]json.RawMessage
	if err := json.Unmarshal(raw, &h); err != nil || h == nil {
		return malformed("the header is not a JSON object")
	}
	var alg, typ string
	if json.Unmarshal(h["alg"], &alg) != nil || alg != "HS256" {
		return malformed("unsupported algorithm: only HS256 is accepted")
	}
	if t, ok := h["typ"]; ok && (json.Unmarshal(t, &typ) != nil || !strings.EqualFold(typ, "JWT")) {
		return malformed("header typ is not JWT")
	}
	if _, ok := h["crit"]; ok {
		return malformed("critical header parameters are not supported")
	}
	return nil
}

func indexByte(s string, c byte, from int) int {
	if from < 0 || from > len(s) {
		return -1
	}
	if k := strings.IndexByte(s[from:], c); k >= 0 {
		return from + k
	}
	return -1
}

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: zoom: "+format, append([]any{core.ErrMalformed}, args...)...)
}

func mismatch(format string, args ...any) error {
	return fmt.Errorf("%w: zoom: "+format, append([]any{core.ErrMismatch}, args...)...)
}
