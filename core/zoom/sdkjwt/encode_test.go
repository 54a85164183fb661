package sdkjwt

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestAppendJSString(t *testing.T) {
	cases := map[string]string{
		"":                     `""`,
		"plain":                `"plain"`,
		`a"b\c/d`:              `"a\"b\\c/d"`,
		"<>&":                  `"<>&"`,
		"\u2028\u2029":         "\"\u2028\u2029\"",
		"\b\f\n\r\t":           `"\b\f\n\r\t"`,
		"\x00\x01\x1f\x7f":     "\"\\u0000\\u0001\\u001f\x7f\"",
		"会议室 😀 Ünïcode":        `"会议室 😀 Ünïcode"`,
		"end\\":                `"end\\"`,
		"\"":                   `"\""`,
		"x\x0by\u00a0z\u200bw": "\"x\\u000by\u00a0z\u200bw\"",
	}
	for in, want := range cases {
		if got := string(appendJSString(nil, in)); got != want {
			t.Errorf("appendJSString(%q) = %s, want %s", in, got, want)
		}
	}
}

// goJSString is an independent oracle: encoding/json without HTML escaping,
// applied between the U+2028/U+2029 characters, which JSON.stringify writes
// raw and encoding/json would escape.
func goJSString(s string) string {
	quote := func(p string) string {
		var b bytes.Buffer
		e := json.NewEncoder(&b)
		e.SetEscapeHTML(false)
		_ = e.Encode(p)
		return strings.TrimSuffix(b.String(), "\n")
	}
	var out strings.Builder
	out.WriteByte('"')
	start := 0
	for i, r := range s {
		if r == '\u2028' || r == '\u2029' {
			q := quote(s[start:i])
			out.WriteString(q[1 : len(q)-1])
			out.WriteRune(r)
			start = i + utf8.RuneLen(r)
		}
	}
	q := quote(s[start:])
	out.WriteString(q[1:])
	return out.String()
}

func FuzzAppendJSString(f *testing.F) {
	for _, s := range []string{"", "a<b>&c \"q\" \\ / \u2028 end", "\x00\x1f\x7f", "😀", "\\u2028", "会"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		out := appendJSString([]byte("prefix"), s)
		if !bytes.HasPrefix(out, []byte("prefix")) {
			t.Fatal("prefix lost")
		}
		out = out[len("prefix"):]
		if want := goJSString(s); string(out) != want {
			t.Fatalf("appendJSString(%q) = %s, want %s", s, out, want)
		}
		var back string
		if err := json.Unmarshal(out, &back); err != nil || back != s {
			t.Fatalf("round trip of %q: %q, %v", s, back, err)
		}
	})
}

func FuzzUTF16Len(f *testing.F) {
	for _, s := range []string{"", "abc", "😀", "会议室 😀 Ünïcode", "\U0010FFFF"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) {
			return
		}
		if got, want := utf16Len(s), len(utf16.Encode([]rune(s))); got != want {
			t.Fatalf("utf16Len(%q) = %d, want %d", s, got, want)
		}
	})
}
