package jsonscan

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// decode builds the value at s as encoding/json's Decoder with UseNumber
// does into an any, the last of repeated keys winning.
func decode(s *Scanner) (any, error) {
	switch c := s.Peek(); {
	case c == '{':
		m := map[string]any{}
		err := s.Object(func(key []byte) error {
			v, err := decode(s)
			m[string(key)] = v
			return err
		})
		return m, err
	case c == '[':
		a := []any{}
		err := s.Array(func(int) error {
			v, err := decode(s)
			a = append(a, v)
			return err
		})
		return a, err
	case c == '"':
		v, err := s.String(nil)
		return string(v), err
	case c == '-' || '0' <= c && c <= '9':
		n, err := s.Number()
		return json.Number(n), err
	}
	raw, err := s.Skip()
	switch string(raw) {
	case "true":
		return true, err
	case "false":
		return false, err
	}
	return nil, err
}

func decodeAll(b []byte, opts Options) (any, error) {
	s := New(b, opts)
	v, err := decode(s)
	if err == nil {
		err = s.End()
	}
	return v, err
}

// repeated returns the keys that some object of the valid text b repeats.
func repeated(b []byte) map[string]bool {
	out := map[string]bool{}
	s := New(b, Options{MaxDepth: 1000, ReplaceLoneSurrogates: true, AllowDuplicateKeys: true})
	var walk func() error
	walk = func() error {
		switch s.Peek() {
		case '{':
			seen := map[string]bool{}
			return s.Object(func(key []byte) error {
				if seen[string(key)] {
					out[string(key)] = true
				}
				seen[string(key)] = true
				return walk()
			})
		case '[':
			return s.Array(func(int) error { return walk() })
		}
		_, err := s.Skip()
		return err
	}
	if walk() != nil {
		panic("repeated: invalid text")
	}
	return out
}

// surrogateEscape matches a \u escape of a surrogate.
var surrogateEscape = regexp.MustCompile(`\\u[dD][89a-fA-F]`)

// FuzzScan compares the scanner with encoding/json on valid UTF-8: the
// lenient options accept exactly what encoding/json accepts, with the same
// decoded strings, keys and numbers; the strict ones refuse only repeated
// keys and lone surrogates beyond that, and decode the same when they
// accept. Skip returns the value's text.
func FuzzScan(f *testing.F) {
	for _, s := range []string{`{}`, `{"room":"a","ttl":60}`, `{"requests":[{"provider":"a","kind":"b"}]}`, `{"options":{"b":[1,2,{"c":null}]}}`,
		`{"room":"a","room":"b"}`, `[`, ``, `{"room":"\ud83d\ude00\u00e9\n"}`, `{"room":"\ud800x"}`, `{"ttl":1e3}`, `{"role":null,"options":null}`,
		`{"TLS.ver":"2.0","x":[1,-2.5e+3,{"a":null,"b":[true,false]},"\ud83d\ude00"],"TLS.sdkappid":1,"TLS.time":2,"TLS.sig":""}`,
		`{"TLS.ver":"2\u002e0","TLS.identifier":"\"\\\/\b\f\n\r\t\u00e9","TLS.sdkappid":1,"TLS.time":2,"TLS.sig":"AA=="}`,
		`"\ud83d\ud83d\ude00\udc00\ud800\u0041"`, `[01]`, `-0.0e-0`, ` "é" `, `{"a":1,"\u0061":2}`, `[{"k":1},{"k":2,"k":3}]`, "\"\x7f\"",
		strings.Repeat("[", 40) + strings.Repeat("]", 40)} {
		f.Add([]byte(s))
	}
	lenient := Options{MaxDepth: 1000, ReplaceLoneSurrogates: true, AllowDuplicateKeys: true}
	strict := Options{MaxDepth: 1000}
	f.Fuzz(func(t *testing.T, b []byte) {
		if !utf8.Valid(b) {
			if _, err := skipAll(b, lenient); err == nil && bytes.ContainsRune(b, '"') {
				// Outside strings any non-ASCII byte is a syntax error, so
				// this only checks that strings are validated.
				t.Fatalf("accepted invalid UTF-8 %q", b)
			}
			return
		}
		got, err := decodeAll(b, lenient)
		if (err == nil) != json.Valid(b) {
			t.Fatalf("%q: accepted %v, encoding/json %v (%v)", b, err == nil, json.Valid(b), err)
		}
		if err != nil {
			if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrDepth) {
				t.Fatalf("%q: error %v", b, err)
			}
			return
		}
		var want any
		d := json.NewDecoder(bytes.NewReader(b))
		d.UseNumber()
		if err := d.Decode(&want); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: decoded %#v, encoding/json %#v", b, got, want)
		}
		if raw, err := skipAll(b, lenient); err != nil || !bytes.Equal(raw, bytes.Trim(b, " \t\r\n")) {
			t.Fatalf("%q: Skip %q, %v", b, raw, err)
		}
		if len(repeated(b)) == 0 && !surrogateEscape.Match(b) {
			if _, err := decodeAll(b, strict); err != nil {
				t.Fatalf("%q: strict: %v", b, err)
			}
		}
		sgot, err := decodeAll(b, strict)
		var dup *DuplicateKeyError
		switch {
		case err == nil:
			if !reflect.DeepEqual(sgot, got) {
				t.Fatalf("%q: strict decoded %#v, lenient %#v", b, sgot, got)
			}
		case errors.As(err, &dup):
			if !repeated(b)[dup.Key] {
				t.Fatalf("%q: duplicate %q is not repeated", b, dup.Key)
			}
		case errors.Is(err, ErrSyntax):
			if !surrogateEscape.Match(b) {
				t.Fatalf("%q: strict refused without a surrogate escape: %v", b, err)
			}
		default:
			t.Fatalf("%q: strict: %v", b, err)
		}
	})
}
