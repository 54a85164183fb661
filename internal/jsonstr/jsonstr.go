// Package jsonstr writes JSON strings in the two escaping styles the
// vendors' generators use: Go's encoding/json and ECMAScript's
// JSON.stringify. Byte-identical tokens depend on getting these exactly
// right, so there is one implementation of each, shared by every package.
package jsonstr

import "unicode/utf8"

const lowerHex = "0123456789abcdef"

// AppendGo appends s as a JSON string exactly as Go's encoding/json writes
// it (HTML escaping on): '"', '\\' and control characters are escaped with
// the short forms \b \f \n \r \t or \u00XX; '<', '>' and '&' become \u003c,
// \u003e and \u0026; U+2028 and U+2029 are escaped; invalid UTF-8 becomes
// \ufffd.
func AppendGo[T string | []byte](dst []byte, s T) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			dst = appendASCIIEscape(dst, c, true)
			i++
			start = i
			continue
		}
		// Converting at most 4 bytes keeps the []byte case allocation-free.
		r, size := utf8.DecodeRuneInString(string(s[i:min(len(s), i+utf8.UTFMax)]))
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', lowerHex[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendJS appends s as ECMAScript JSON.stringify writes it: only '"', '\\'
// and control characters below U+0020 are escaped; '<', '>', '&', U+2028,
// U+2029 and all other text are written raw. s must be valid UTF-8 (a
// JavaScript string cannot hold anything else); callers check it.
func AppendJS(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' {
			continue
		}
		dst = append(dst, s[start:i]...)
		dst = appendASCIIEscape(dst, c, false)
		start = i + 1
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// appendASCIIEscape appends the escape of an ASCII byte that needs one:
// '"', '\\', control characters and, when html is set, '<', '>' and '&'.
// Both encoding/json and JSON.stringify use the short forms \b \f \n \r \t
// and lower-case \u00XX for the other control characters.
func appendASCIIEscape(dst []byte, c byte, html bool) []byte {
	switch c {
	case '"', '\\':
		return append(dst, '\\', c)
	case '\b':
		return append(dst, '\\', 'b')
	case '\f':
		return append(dst, '\\', 'f')
	case '\n':
		return append(dst, '\\', 'n')
	case '\r':
		return append(dst, '\\', 'r')
	case '\t':
		return append(dst, '\\', 't')
	}
	if c >= 0x20 && !html {
		return append(dst, c)
	}
	return append(dst, '\\', 'u', '0', '0', lowerHex[c>>4], lowerHex[c&0xF])
}
