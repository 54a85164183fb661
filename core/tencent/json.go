package tencent

import (
	"encoding/base64"
	"fmt"
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// The TLS.* keys a UserSig v2 carries. Their index is their bit in
// parseJSON's duplicate check.
var claimKeys = [...]string{"TLS.ver", "TLS.identifier", "TLS.sdkappid", "TLS.expire", "TLS.time", "TLS.userbuf", "TLS.sig"}

const (
	keyVer = 1 << iota
	keyIdentifier
	keySDKAppID
	keyExpire
	keyTime
	keyUserbuf
	keySig
)

// maxJSONDepth bounds the nesting of values under unknown keys.
const maxJSONDepth = 32

var errNotObject = fmt.Errorf("%w: tencent: payload is not a JSON object", core.ErrMalformed)

func badValue(key string) error {
	return fmt.Errorf("%w: tencent: bad value for %s", core.ErrMalformed, key)
}

// parseJSON reads the flat JSON object of a UserSig (RFC 8259; any
// whitespace and escaping, as Go, Node, Python, PHP and Java write it).
// Duplicate TLS.* keys, invalid UTF-8, non-integer numbers for the integer
// keys and trailing data are malformed. Unknown keys are skipped, as every
// vendor verifier ignores them.
func parseJSON(text []byte) (*Claims, error) {
	r := jsonReader{b: text}
	c := &Claims{Present: make([]string, 0, len(claimKeys))}
	seen := 0
	r.ws()
	if !r.eat('{') {
		return nil, errNotObject
	}
	r.ws()
	for more := !r.eat('}'); more; {
		key, ok := r.str()
		if !ok {
			return nil, errNotObject
		}
		r.ws()
		if !r.eat(':') {
			return nil, errNotObject
		}
		r.ws()
		bit := 0
		for i, k := range claimKeys {
			if string(key) == k {
				bit = 1 << i
				if seen&bit != 0 {
					return nil, fmt.Errorf("%w: tencent: duplicate JSON key %s", core.ErrMalformed, k)
				}
				seen |= bit
				c.Present = append(c.Present, k)
				break
			}
		}
		if err := r.claim(c, bit, string(key)); err != nil {
			return nil, err
		}
		r.ws()
		switch {
		case r.eat(','):
			r.ws()
		case r.eat('}'):
			more = false
		default:
			return nil, errNotObject
		}
	}
	r.ws()
	if r.i != len(r.b) {
		return nil, fmt.Errorf("%w: tencent: data after the JSON object", core.ErrMalformed)
	}
	switch {
	case seen&keyVer == 0 || c.Version != Version:
		return nil, fmt.Errorf("%w: tencent: TLS.ver is not %q", core.ErrMalformed, Version)
	case seen&(keySDKAppID|keyTime|keySig) != keySDKAppID|keyTime|keySig:
		return nil, fmt.Errorf("%w: tencent: TLS.sdkappid, TLS.time and TLS.sig are required", core.ErrMalformed)
	case c.Time < 0 || c.Expire > 0 && c.Time+c.Expire < c.Time: // a negative expire is merely expired
		return nil, fmt.Errorf("%w: tencent: TLS.time/TLS.expire out of range", core.ErrMalformed)
	}
	return c, nil
}

// claim reads the value of the key with the given bit (0: unknown key)
// into c.
func (r *jsonReader) claim(c *Claims, bit int, key string) error {
	var ok bool
	switch bit {
	case keyVer, keyIdentifier:
		var s []byte
		if s, ok = r.str(); ok {
			if bit == keyVer {
				c.Version = string(s)
			} else {
				c.UserID = string(s)
			}
		}
	case keySDKAppID, keyTime, keyExpire:
		var n []byte
		if n, ok = r.integer(); !ok {
			break
		}
		var err error
		switch bit {
		case keySDKAppID:
			c.SDKAppID, err = strconv.ParseUint(string(n), 10, 64)
		case keyTime:
			c.Time, err = strconv.ParseInt(string(n), 10, 64)
		default:
			c.Expire, err = strconv.ParseInt(string(n), 10, 64)
		}
		ok = err == nil
	case keyUserbuf, keySig:
		var s, b []byte
		if s, ok = r.str(); ok {
			// Canonical padded standard base64 only: the signature covers
			// the re-encoded text.
			b, ok = decodeBase64(s)
			if bit == keyUserbuf {
				c.Userbuf = b
			} else {
				c.Sig = b
			}
		}
	default:
		switch key {
		case "TLS.sdk_appid", "TLS.expire_after", "TLS.appid_at_3rd", "TLS.account_type", "TLS.version":
			return fmt.Errorf("%w: tencent: legacy tls-sig-api v1 (ECDSA) UserSig, not verifiable with an HMAC key", core.ErrMalformed)
		}
		ok = r.skip(0)
	}
	if !ok {
		if bit == 0 {
			return errNotObject
		}
		return badValue(key)
	}
	return nil
}

func decodeBase64(s []byte) ([]byte, bool) {
	b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Strict().Decode(b, s)
	// The decoder skips '\r' and '\n'; the length check refuses them.
	if err != nil || base64.StdEncoding.EncodedLen(n) != len(s) {
		return nil, false
	}
	return b[:n], true
}

// jsonReader is a cursor over a JSON text.
type jsonReader struct {
	b []byte
	i int
}

func (r *jsonReader) ws() {
	for r.i < len(r.b) {
		switch r.b[r.i] {
		case ' ', '\t', '\n', '\r':
			r.i++
		default:
			return
		}
	}
}

func (r *jsonReader) eat(c byte) bool {
	if r.i < len(r.b) && r.b[r.i] == c {
		r.i++
		return true
	}
	return false
}

// str reads a string. Without escapes the result aliases the text;
// otherwise it is a decoded copy. Invalid UTF-8, raw control characters
// and lone surrogates are refused.
func (r *jsonReader) str() ([]byte, bool) {
	if !r.eat('"') {
		return nil, false
	}
	start := r.i
	for r.i < len(r.b) {
		switch c := r.b[r.i]; {
		case c == '"':
			s := r.b[start:r.i]
			r.i++
			return s, utf8.Valid(s)
		case c == '\\':
			return r.strEscaped(start)
		case c < 0x20:
			return nil, false
		default:
			r.i++
		}
	}
	return nil, false
}

// strEscaped finishes a string that has an escape at r.i.
func (r *jsonReader) strEscaped(start int) ([]byte, bool) {
	out := append(make([]byte, 0, r.i-start+16), r.b[start:r.i]...)
	for r.i < len(r.b) {
		c := r.b[r.i]
		switch {
		case c == '"':
			r.i++
			return out, utf8.Valid(out)
		case c < 0x20:
			return nil, false
		case c != '\\':
			out = append(out, c)
			r.i++
			continue
		}
		if r.i+1 >= len(r.b) {
			return nil, false
		}
		e := r.b[r.i+1]
		r.i += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			c1, ok := r.hex4()
			if !ok {
				return nil, false
			}
			ch := rune(c1)
			if utf16.IsSurrogate(ch) {
				if !r.eat('\\') || !r.eat('u') {
					return nil, false
				}
				c2, ok := r.hex4()
				if !ok {
					return nil, false
				}
				if ch = utf16.DecodeRune(ch, rune(c2)); ch == utf8.RuneError {
					return nil, false
				}
			}
			out = utf8.AppendRune(out, ch)
		default:
			return nil, false
		}
	}
	return nil, false
}

func (r *jsonReader) hex4() (uint16, bool) {
	if r.i+4 > len(r.b) {
		return 0, false
	}
	var v uint16
	for _, c := range r.b[r.i : r.i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint16(c)
	}
	r.i += 4
	return v, true
}

// intPart reads -?(0|[1-9][0-9]*).
func (r *jsonReader) intPart() bool {
	r.eat('-')
	start := r.i
	if !r.digits() {
		return false
	}
	return r.i-start == 1 || r.b[start] != '0'
}

// integer reads a JSON number that is a plain integer; a fraction or
// exponent is refused.
func (r *jsonReader) integer() ([]byte, bool) {
	start := r.i
	if !r.intPart() {
		return nil, false
	}
	if r.i < len(r.b) && (r.b[r.i] == '.' || r.b[r.i] == 'e' || r.b[r.i] == 'E') {
		return nil, false
	}
	return r.b[start:r.i], true
}

// number reads any JSON number.
func (r *jsonReader) number() bool {
	if !r.intPart() {
		return false
	}
	if r.eat('.') && !r.digits() {
		return false
	}
	if r.eat('e') || r.eat('E') {
		if !r.eat('+') {
			r.eat('-')
		}
		return r.digits()
	}
	return true
}

// skip reads and discards any JSON value.
func (r *jsonReader) skip(depth int) bool {
	if depth > maxJSONDepth || r.i >= len(r.b) {
		return false
	}
	switch c := r.b[r.i]; {
	case c == '"':
		_, ok := r.str()
		return ok
	case c == '{' || c == '[':
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		r.i++
		r.ws()
		if r.eat(end) {
			return true
		}
		for {
			if c == '{' {
				if _, ok := r.str(); !ok {
					return false
				}
				r.ws()
				if !r.eat(':') {
					return false
				}
				r.ws()
			}
			if !r.skip(depth + 1) {
				return false
			}
			r.ws()
			if r.eat(end) {
				return true
			}
			if !r.eat(',') {
				return false
			}
			r.ws()
		}
	case c == '-' || '0' <= c && c <= '9':
		return r.number()
	}
	for _, lit := range [...]string{"true", "false", "null"} {
		if len(r.b)-r.i >= len(lit) && string(r.b[r.i:r.i+len(lit)]) == lit {
			r.i += len(lit)
			return true
		}
	}
	return false
}

func (r *jsonReader) digits() bool {
	start := r.i
	for r.i < len(r.b) && '0' <= r.b[r.i] && r.b[r.i] <= '9' {
		r.i++
	}
	return r.i > start
}
