package httpapi

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// maxDepth bounds JSON nesting; deeper bodies are refused before decoding.
const maxDepth = 8

// issueBody is the JSON body of POST {prefix}/{provider}/{kind}.
type issueBody struct {
	UserID  string          `json:"user_id"`
	Room    string          `json:"room"`
	Role    string          `json:"role"`
	TTL     json.RawMessage `json:"ttl"`
	Options json.RawMessage `json:"options"`
}

// batchItem is one element of a batch: an issue body plus provider and kind.
type batchItem struct {
	Provider string          `json:"provider"`
	Kind     string          `json:"kind"`
	UserID   string          `json:"user_id"`
	Room     string          `json:"room"`
	Role     string          `json:"role"`
	TTL      json.RawMessage `json:"ttl"`
	Options  json.RawMessage `json:"options"`
}

type batchBody struct {
	Requests []json.RawMessage `json:"requests"`
}

func decodeIssue(raw []byte) (core.Request, error) {
	var b issueBody
	if err := decodeStrict(raw, &b); err != nil {
		return core.Request{}, err
	}
	ttl, err := parseTTL(b.TTL)
	if err != nil {
		return core.Request{}, err
	}
	return core.Request{UserID: b.UserID, Room: b.Room, Role: b.Role, TTL: ttl, Options: b.Options}, nil
}

func decodeBatch(raw []byte) ([]core.Request, error) {
	var b batchBody
	if err := decodeStrict(raw, &b); err != nil {
		return nil, err
	}
	if len(b.Requests) == 0 {
		return nil, core.Errorf(core.CodeInvalidRequest, "requests", "at least one request is required")
	}
	if len(b.Requests) > core.MaxBatch {
		return nil, core.Errorf(core.CodeInvalidRequest, "requests", "at most %d requests per batch", core.MaxBatch)
	}
	out := make([]core.Request, len(b.Requests))
	for i, item := range b.Requests {
		prefix := "requests[" + strconv.Itoa(i) + "]."
		var it batchItem
		err := decodeStrict(item, &it)
		var ttl time.Duration
		if err == nil {
			ttl, err = parseTTL(it.TTL)
		}
		if err == nil && it.Provider == "" {
			err = core.Errorf(core.CodeUnknownProvider, "provider", "provider is required")
		}
		if err == nil && it.Kind == "" {
			err = core.Errorf(core.CodeUnknownKind, "kind", "kind is required")
		}
		if err != nil {
			return nil, core.WithFieldPrefix(err, prefix)
		}
		out[i] = core.Request{Provider: it.Provider, Kind: it.Kind, UserID: it.UserID, Room: it.Room, Role: it.Role, TTL: ttl, Options: it.Options}
	}
	return out, nil
}

// parseTTL accepts a JSON integer number of seconds. Absent or null means
// the policy default.
func parseTTL(raw json.RawMessage) (time.Duration, error) {
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

// fieldCodes maps body fields to the code of a wrong-typed value.
var fieldCodes = map[string]core.Code{
	"user_id": core.CodeInvalidUser,
	"room":    core.CodeInvalidRoom,
	"role":    core.CodeInvalidRole,
	"ttl":     core.CodeInvalidTTL,
	"options": core.CodeInvalidOption,
}

// decodeStrict decodes one JSON object into dst: an empty body is {}; the
// body must be valid UTF-8, an object, without duplicate keys, nesting
// deeper than maxDepth, unknown fields or trailing data.
func decodeStrict(raw []byte, dst any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 {
		return nil
	}
	if !utf8.Valid(raw) {
		return core.Errorf(core.CodeInvalidRequest, "", "request body is not valid UTF-8")
	}
	if raw[0] != '{' {
		return core.Errorf(core.CodeInvalidRequest, "", "request body must be a JSON object")
	}
	if err := checkStructure(raw); err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonError(err)
	}
	return nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		code, ok := fieldCodes[field]
		if !ok {
			code = core.CodeInvalidRequest
		}
		return &core.Error{Code: code, Field: field, Message: field + " has the wrong type", Err: err}
	}
	if name, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return &core.Error{Code: core.CodeInvalidRequest, Field: strings.Trim(name, `"`), Message: "unknown field", Err: err}
	}
	return &core.Error{Code: core.CodeInvalidRequest, Message: "request body is not valid JSON", Err: err}
}

// checkStructure walks the tokens once: it refuses malformed JSON, trailing
// data, duplicate object keys (which encoding/json would silently resolve to
// the last one) and excessive nesting.
func checkStructure(raw []byte) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	type frame struct {
		obj  bool
		key  bool // next string token is a key
		keys map[string]struct{}
	}
	stack := make([]frame, 0, maxDepth)
	bad := func() error {
		return core.Errorf(core.CodeInvalidRequest, "", "request body is not valid JSON")
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			if len(stack) != 0 {
				return bad()
			}
			return nil
		}
		if err != nil {
			return bad()
		}
		top := len(stack) - 1
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if top >= 0 && stack[top].obj {
					stack[top].key = true
				}
				if len(stack) >= maxDepth {
					return core.Errorf(core.CodeInvalidRequest, "", "request body is nested too deeply")
				}
				stack = append(stack, frame{obj: t == '{', key: t == '{'})
			default:
				stack = stack[:top]
				if top == 0 && dec.More() {
					return bad()
				}
			}
			if len(stack) == 0 {
				if _, err := dec.Token(); err != io.EOF {
					return bad()
				}
				return nil
			}
		case string:
			if top >= 0 && stack[top].obj && stack[top].key {
				f := &stack[top]
				if f.keys == nil {
					f.keys = make(map[string]struct{}, 4)
				}
				if _, dup := f.keys[t]; dup {
					field := t
					if !utf8.ValidString(field) || len(field) > 64 {
						field = ""
					}
					return core.Errorf(core.CodeInvalidRequest, field, "duplicate key in request body")
				}
				f.keys[t] = struct{}{}
				f.key = false
				continue
			}
			if top >= 0 && stack[top].obj {
				stack[top].key = true
			}
		default:
			if top >= 0 && stack[top].obj {
				stack[top].key = true
			}
		}
	}
}
