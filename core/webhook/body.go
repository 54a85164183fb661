package webhook

import (
	"bytes"
	"encoding/json"
	"unicode/utf8"
)

// decodeJSON decodes a JSON object body into v, numbers kept as text.
func decodeJSON(body []byte, v any) error {
	if !utf8.Valid(body) {
		return malformed("", "the body is not valid UTF-8")
	}
	b := bytes.TrimLeft(body, " \t\r\n")
	if len(b) == 0 || b[0] != '{' {
		return malformed("", "the body is not a JSON object")
	}
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	if err := d.Decode(v); err != nil {
		return malformed("", "the body is not valid JSON of the vendor's shape")
	}
	if d.More() {
		return malformed("", "the body has data after its JSON object")
	}
	return nil
}

// numberText is the text of a decoded JSON number, "" when absent.
func numberText(n *json.Number) string {
	if n == nil {
		return ""
	}
	return n.String()
}

// fields reads required fields, keeping the first error.
type fields struct{ err error }

// integer returns the digits of a required JSON integer field.
func (f *fields) integer(n *json.Number, name string) string {
	s := numberText(n)
	if _, overflow, ok := parseDecimal(s); (!ok || overflow) && f.err == nil {
		f.err = malformed(name, "a required field is missing or not a decimal integer")
	}
	return s
}

// time parses a required time field written in decimal; overflow reports
// a value too large for int64, outside any window.
func (f *fields) time(s, name string) (v int64, overflow bool) {
	v, overflow, ok := parseDecimal(s)
	if !ok && f.err == nil {
		f.err = malformed(name, "a required time is missing or not a decimal integer")
	}
	return v, overflow
}
