package token04

import (
	"strconv"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/internal/jsonstr"
)

// appendGoString appends s as a JSON string exactly as Go's encoding/json
// writes it, the escaping of the official Go Token04 generator.
func appendGoString[T string | []byte](dst []byte, s T) []byte { return jsonstr.AppendGo(dst, s) }

// appendJSString appends s as JSON.stringify writes it, the escaping of the
// UIKit's Kit Token. s must be valid UTF-8 (a JavaScript string cannot hold
// anything else); ok is false when it is not.
func appendJSString(dst []byte, s string) (_ []byte, ok bool) {
	if !utf8.ValidString(s) {
		return dst, false
	}
	return jsonstr.AppendJS(dst, s), true
}

// appendInt appends a decimal integer.
func appendInt(dst []byte, v int64) []byte { return strconv.AppendInt(dst, v, 10) }
