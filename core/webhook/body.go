package webhook

import (
	"errors"

	"github.com/rtctoken/rtctoken/internal/jsonscan"
)

// scanOptions read vendor bodies as vendors write them: nesting up to 64,
// lone surrogate escapes as U+FFFD (as encoding/json), repeated keys
// allowed below the members a scheme reads (a vendor's quirk deep in a
// payload must not refuse its callbacks for ever).
var scanOptions = jsonscan.Options{MaxDepth: 64, ReplaceLoneSurrogates: true, AllowDuplicateKeys: true}

// jsonValue is the raw text of one JSON value; nil when absent.
type jsonValue []byte

// members validates a JSON object body (a whole text, valid UTF-8) and
// returns the raw values of its members named in names, in that order.
// A member named twice is malformed: the scheme and the host's own parser
// could read different values.
func members(body []byte, names ...string) ([]jsonValue, error) {
	vals := make([]jsonValue, len(names))
	s := jsonscan.New(body, scanOptions)
	if s.Peek() != '{' {
		return nil, malformed("", "the body is not a JSON object")
	}
	err := s.Object(func(key []byte) error {
		raw, err := s.Skip()
		if err != nil {
			return err
		}
		for i, n := range names {
			if string(key) == n {
				if vals[i] != nil {
					return errRepeated
				}
				vals[i] = raw
			}
		}
		return nil
	})
	if err == nil {
		err = s.End()
	}
	switch {
	case errors.Is(err, errRepeated):
		return nil, malformed("", "the body repeats a member the signature check reads")
	case err != nil:
		return nil, malformed("", "the body is not valid JSON")
	}
	return vals, nil
}

var errRepeated = errors.New("repeated member")

// str returns the value of a JSON string, decoded.
func (v jsonValue) str() (string, bool) {
	if len(v) == 0 || v[0] != '"' {
		return "", false
	}
	b, err := jsonscan.New(v, scanOptions).String(nil)
	return string(b), err == nil
}

// integer returns the digits of a non-negative JSON integer.
func (v jsonValue) integer() (string, bool) {
	if _, _, ok := parseDecimal(string(v)); ok {
		return string(v), true
	}
	return "", false
}

// text returns a JSON string decoded, or the digits of a JSON integer.
func (v jsonValue) text() (string, bool) {
	if s, ok := v.str(); ok {
		return s, true
	}
	return v.integer()
}

// fields reads required fields, keeping the first error.
type fields struct{ err error }

// integer returns the digits of a required JSON integer field.
func (f *fields) integer(v jsonValue, name string) string {
	s, ok := v.integer()
	if _, overflow, _ := parseDecimal(s); (!ok || overflow) && f.err == nil {
		f.err = malformed(name, "a required field is missing or not a decimal integer")
	}
	return s
}

// str returns a required, non-empty JSON string field.
func (f *fields) str(v jsonValue, name string) string {
	s, ok := v.str()
	if (!ok || s == "") && f.err == nil {
		f.err = malformed(name, "a required field is missing or not a string")
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
