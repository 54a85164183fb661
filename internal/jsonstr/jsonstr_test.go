package jsonstr

import (
	"bytes"
	"encoding/json"
	"testing"
	"unicode/utf8"
)

var samples = []string{"", "plain", `q"b\s`, "\x00\x01\x1f\b\f\n\r\t", "<a>&b", "\u2028\u2029", "é😀", "bad\xff\xfe", "\x7f"}

func TestAppendGoMatchesEncodingJSON(t *testing.T) {
	for _, s := range samples {
		want, _ := json.Marshal(s)
		if got := AppendGo(nil, s); !bytes.Equal(got, want) {
			t.Errorf("AppendGo(%q) = %s, want %s", s, got, want)
		}
		if got := AppendGo(nil, []byte(s)); !bytes.Equal(got, want) {
			t.Errorf("AppendGo([]byte %q) = %s, want %s", s, got, want)
		}
	}
}

func TestAppendJS(t *testing.T) {
	cases := map[string]string{
		"<a>&b":        `"<a>&b"`,
		"\u2028":       "\"\u2028\"",
		"\x00\x1f\n":   `"\u0000\u001f\n"`,
		`q"b\s`:        `"q\"b\\s"`,
		"é😀":           `"é😀"`,
		"\b\f\r\t\x7f": "\"\\b\\f\\r\\t\x7f\"",
	}
	for in, want := range cases {
		if got := AppendJS(nil, in); string(got) != want {
			t.Errorf("AppendJS(%q) = %s, want %s", in, got, want)
		}
	}
}

func FuzzAppend(f *testing.F) {
	for _, s := range samples {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendGo(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("AppendGo(%q) = %s, want %s", s, got, want)
		}
		if !utf8.ValidString(s) {
			return
		}
		var back string
		if err := json.Unmarshal(AppendJS(nil, s), &back); err != nil || back != s {
			t.Fatalf("AppendJS(%q) does not round-trip: %v %q", s, err, back)
		}
	})
}
