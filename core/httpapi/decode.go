package httpapi

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/jsonscan"
)

// scanOptions read request bodies as encoding/json decodes them (an
// invalid surrogate escape is U+FFFD) but refuse duplicate keys at every
// level and nesting deeper than 8.
var scanOptions = jsonscan.Options{MaxDepth: 8, ReplaceLoneSurrogates: true}

// checkEntity applies the rules on how a POST body is sent, from its
// headers alone, so that they cost nothing and hold before the body is read
// or the caller looked for:
//
//   - Content-Encoding must be absent, empty or identity, on every line:
//     the contract reads the body as received and never inflates it, so a
//     small compressed request cannot grow into a large one.
//   - Content-Type must be one application/json (or application/*+json)
//     value, an empty body included. No HTML form and no cross-site
//     "simple" request can send that type, so a browser cannot be made to
//     post to the contract from another site without a CORS preflight.
//
// Either failure is 415 unsupported_media_type with the header's name as
// the field.
func checkEntity(r Request) error {
	for _, line := range r.HeaderValues("Content-Encoding") {
		for coding := range strings.SplitSeq(line, ",") {
			if c := strings.TrimSpace(coding); c != "" && !strings.EqualFold(c, "identity") {
				return core.Errorf(CodeUnsupportedMedia, "Content-Encoding", "request body must not be encoded: send it uncompressed (Content-Encoding identity)")
			}
		}
	}
	if ct := r.HeaderValues("Content-Type"); len(ct) != 1 || !isJSON(ct[0]) {
		return core.Errorf(CodeUnsupportedMedia, "Content-Type", "request must have Content-Type application/json, an empty body included")
	}
	return nil
}

// decodeIssue reads the body of POST {prefix}/{provider}/{kind}:
//
//	{"user_id":"...","room":"...","role":"...","ttl":3600,"options":{...}}
//
// every member optional; an empty body is {}. On an error the members read
// before it are returned too, for the refusal's log line.
func decodeIssue(raw []byte) (core.Request, error) {
	var req core.Request
	raw, err := checkBody(raw)
	if err != nil || raw == nil {
		return req, err
	}
	s := jsonscan.New(raw, scanOptions)
	err = s.Object(func(key []byte) error { return member(s, key, &req, false) })
	if err == nil {
		err = s.End()
	}
	if err != nil {
		return req, scanError(err)
	}
	return req, nil
}

// decodeBatch reads {"requests":[{"provider":"...","kind":"...",...},...]}.
func decodeBatch(raw []byte) ([]core.Request, error) {
	raw, err := checkBody(raw)
	if err != nil {
		return nil, err
	}
	var out []core.Request
	if raw != nil {
		s := jsonscan.New(raw, scanOptions)
		err = s.Object(func(key []byte) error {
			if string(key) != "requests" {
				return unknownField(key)
			}
			switch s.Peek() {
			case 'n':
				_, err := s.Skip()
				return err
			case '[':
			default:
				return core.Errorf(core.CodeInvalidRequest, "requests", "requests must be an array")
			}
			return s.Array(func(i int) error {
				if i >= core.MaxBatch {
					return core.Errorf(core.CodeInvalidRequest, "requests", "at most %d requests per batch", core.MaxBatch)
				}
				prefix := "requests[" + strconv.Itoa(i) + "]"
				if s.Peek() != '{' {
					return core.Errorf(core.CodeInvalidRequest, prefix, "each request must be a JSON object")
				}
				var r core.Request
				if err := s.Object(func(key []byte) error { return member(s, key, &r, true) }); err != nil {
					return core.WithFieldPrefix(scanError(err), prefix+".")
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
			err = s.End()
		}
	}
	if err != nil {
		return nil, scanError(err)
	}
	if len(out) == 0 {
		return nil, core.Errorf(core.CodeInvalidRequest, "requests", "at least one request is required")
	}
	return out, nil
}

// checkBody checks the body's encoding and that it is an object, and
// returns it without surrounding whitespace: nil for an empty body.
func checkBody(raw []byte) ([]byte, error) {
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
	return raw, nil
}

// scanError maps the scanner's errors to the API's; others pass unchanged.
func scanError(err error) error {
	var dup *jsonscan.DuplicateKeyError
	switch {
	case errors.Is(err, jsonscan.ErrSyntax):
		return core.Errorf(core.CodeInvalidRequest, "", "request body is not valid JSON")
	case errors.Is(err, jsonscan.ErrDepth):
		return core.Errorf(core.CodeInvalidRequest, "", "request body is nested too deeply")
	case errors.As(err, &dup):
		field := dup.Key
		if len(field) > 64 {
			field = ""
		}
		return core.Errorf(core.CodeInvalidRequest, field, "duplicate key in request body")
	}
	return err
}

func unknownField(key []byte) error {
	field := string(key)
	if len(field) > 64 {
		field = field[:64]
	}
	return core.Errorf(core.CodeInvalidRequest, field, "unknown field")
}

// member reads one member of an issue body (batch adds provider and kind).
func member(s *jsonscan.Scanner, key []byte, r *core.Request, batch bool) error {
	switch string(key) {
	case "user_id":
		return text(s, "user_id", core.CodeInvalidUser, &r.UserID)
	case "room":
		return text(s, "room", core.CodeInvalidRoom, &r.Room)
	case "role":
		return text(s, "role", core.CodeInvalidRole, &r.Role)
	case "ttl":
		raw, err := s.Skip()
		if err != nil {
			return err
		}
		r.TTL, err = parseTTL(raw)
		return err
	case "options":
		raw, err := s.Skip()
		if err != nil {
			return err
		}
		if string(raw) != "null" {
			r.Options = raw
		}
		return nil
	case "provider":
		if batch {
			return text(s, "provider", core.CodeInvalidRequest, &r.Provider)
		}
	case "kind":
		if batch {
			return text(s, "kind", core.CodeInvalidRequest, &r.Kind)
		}
	}
	return unknownField(key)
}

// text reads a string member; null leaves dst empty and any other type is
// an error with the field's code.
func text(s *jsonscan.Scanner, field string, code core.Code, dst *string) error {
	switch s.Peek() {
	case '"':
		b, err := s.String(nil)
		if err != nil {
			return err
		}
		*dst = string(b)
		return nil
	case 'n':
		_, err := s.Skip()
		return err
	}
	if _, err := s.Skip(); err != nil {
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
