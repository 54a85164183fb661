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

// decimalField returns the digits of a JSON integer field.
func decimalField(n *json.Number) (string, bool) {
	s := numberText(n)
	_, overflow, ok := parseDecimal(s)
	return s, ok && !overflow
}
