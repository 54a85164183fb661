package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
)

// DecodeOptions strictly decodes a kind's JSON options into dst: unknown
// fields, wrong types and trailing data are *Error values with code
// invalid_option naming the field as "options.<name>". Empty or null
// options leave dst untouched.
func DecodeOptions(raw json.RawMessage, dst any) error {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] != '{' {
		return Errorf(CodeInvalidOption, "options", "options must be a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return optionError(err)
	}
	if dec.More() {
		return Errorf(CodeInvalidOption, "options", "options must be a single JSON object")
	}
	return nil
}

func optionError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := "options"
		if te.Field != "" {
			field += "." + te.Field
		}
		return &Error{Code: CodeInvalidOption, Field: field, Message: "wrong type: expected " + te.Type.String(), Err: err}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		return &Error{Code: CodeInvalidOption, Field: "options." + name, Message: "unknown option", Err: err}
	}
	return &Error{Code: CodeInvalidOption, Field: "options", Message: "options are not valid JSON", Err: err}
}
