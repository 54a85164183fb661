package httpapi

import (
	"bytes"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// maxDepth bounds JSON nesting; deeper bodies are refused.
const maxDepth = 8

// decodeIssue reads the body of POST {prefix}/{provider}/{kind}:
//
//	{"user_id":"...","room":"...","role":"...","ttl":3600,"options":{...}}
//
// every member optional; an empty body is {}.
func decodeIssue(raw []byte) (core.Request, error) {
	var req core.Request
	var keys [16][]byte
	s, err := newScanner(raw, keys[:0])
	if err != nil || s == nil {
		return req, err
	}
	if err := s.object(func(key []byte) error { return s.member(key, &req, false) }); err != nil {
		return core.Request{}, err
	}
	if err := s.end(); err != nil {
		return core.Request{}, err
	}
	return req, nil
}

// decodeBatch reads {"requests":[{"provider":"...","kind":"...",...},...]}.
func decodeBatch(raw []byte) ([]core.Request, error) {
	s, err := newScanner(raw, nil)
	if err != nil {
		return nil, err
	}
	var out []core.Request
	if s != nil {
		err = s.object(func(key []byte) error {
			if string(key) != "requests" {
				return unknownField(key)
			}
			switch s.peek() {
			case 'n':
				return s.lit("null")
			case '[':
			default:
				return core.Errorf(core.CodeInvalidRequest, "requests", "requests must be an array")
			}
			return s.array(func(i int) error {
				if i >= core.MaxBatch {
					return core.Errorf(core.CodeInvalidRequest, "requests", "at most %d requests per batch", core.MaxBatch)
				}
				prefix := "requests[" + strconv.Itoa(i) + "]"
				if s.peek() != '{' {
					return core.Errorf(core.CodeInvalidRequest, prefix, "each request must be a JSON object")
				}
				var r core.Request
				if err := s.object(func(key []byte) error { return s.member(key, &r, true) }); err != nil {
					return core.WithFieldPrefix(err, prefix+".")
				}
				switch {
				case r.Provider == "":
					return core.Errorf(core.CodeUnknownProvider, prefix+".provider", "provider is required")
				case r.Kind == "":
					return core.Errorf(core.CodeUnknownKind, prefix+".kind", "kind is required")
				}
				out = append(out, r)
				return nil
			})
		})
		if err == nil {
			err = s.end()
		}
	}
	if err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, core.Errorf(core.CodeInvalidRequest, "requests", "at least one request is required")
	}
	return out, nil
}

// newScanner checks the body's encoding and that it is an object; it
// returns nil for an empty body.
func newScanner(raw []byte, keys [][]byte) (*scanner, error) {
	raw = bytes.Trim(raw, " \t\r\n") // JSON whitespace only
	if len(raw) == 0 {
		return nil, nil
	}
	if !utf8.Valid(raw) {
		return nil, core.Errorf(core.CodeInvalidRequest, "", "request body is not valid UTF-8")
	}
	if raw[0] != '{' {
		return nil, core.Errorf(core.CodeInvalidRequest, "", "request body must be a JSON object")
	}
	return &scanner{b: raw, keys: keys}, nil
}

func unknownField(key []byte) error {
	field := string(key)
	if len(field) > 64 {
		field = field[:64]
	}
	return core.Errorf(core.CodeInvalidRequest, field, "unknown field")
}

// member reads one member of an issue body (batch adds provider and kind).
func (s *scanner) member(key []byte, r *core.Request, batch bool) error {
	switch string(key) {
	case "user_id":
		return s.text("user_id", core.CodeInvalidUser, &r.UserID)
	case "room":
		return s.text("room", core.CodeInvalidRoom, &r.Room)
	case "role":
		return s.text("role", core.CodeInvalidRole, &r.Role)
	case "ttl":
		raw, err := s.skip()
		if err != nil {
			return err
		}
		r.TTL, err = parseTTL(raw)
		return err
	case "options":
		raw, err := s.skip()
		if err != nil {
			return err
		}
		if string(raw) != "null" {
			r.Options = raw
		}
		return nil
	case "provider":
		if batch {
			return s.text("provider", core.CodeInvalidRequest, &r.Provider)
		}
	case "kind":
		if batch {
			return s.text("kind", core.CodeInvalidRequest, &r.Kind)
		}
	}
	return unknownField(key)
}

// text reads a string member; null leaves dst empty and any other type is
// an error with the field's code.
func (s *scanner) text(field string, code core.Code, dst *string) error {
	switch s.peek() {
	case '"':
		b, err := s.str(nil)
		if err != nil {
			return err
		}
		*dst = string(b)
		return nil
	case 'n':
		return s.lit("null")
	}
	if _, err := s.skip(); err != nil {
		return err
	}
	return core.Errorf(code, field, "%s must be a string", field)
}

// parseTTL accepts a JSON integer number of seconds. Absent or null means
// the policy default.
func parseTTL(raw []byte) (time.Duration, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return 0, nil
	}
	n, err := strconv.ParseInt(string(raw), 10, 64)
	if err != nil {
		return 0, core.Errorf(core.CodeInvalidTTL, "ttl", "ttl must be an integer number of seconds")
	}
	if n <= 0 {
		return 0, core.Errorf(core.CodeInvalidTTL, "ttl", "ttl must be positive")
	}
	if n > int64(1<<62)/int64(time.Second) {
		return 0, core.Errorf(core.CodeInvalidTTL, "ttl", "ttl is too large")
	}
	return time.Duration(n) * time.Second, nil
}
