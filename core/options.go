package core

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"sync"

	"github.com/rtctoken/rtctoken/internal/jsonscan"
)

// DecodeOptions strictly decodes a kind's JSON options into dst, a pointer
// to a struct with json tags: unknown fields (names must match a tag
// exactly), duplicate keys, wrong types and trailing data are *Error values
// with code invalid_option naming the field as "options.<name>". Empty or
// null options leave dst untouched.
func DecodeOptions(raw json.RawMessage, dst any) error {
	raw = bytes.Trim(raw, " \t\r\n")
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	if raw[0] != '{' {
		return Errorf(CodeInvalidOption, "options", "options must be a JSON object")
	}
	known := optionNames(reflect.TypeOf(dst))
	s := jsonscan.New(raw, jsonscan.Options{})
	err := s.Object(func(key []byte) error {
		if _, ok := known[string(key)]; !ok {
			return &Error{Code: CodeInvalidOption, Field: "options." + printable(string(key)), Message: "unknown option"}
		}
		_, err := s.Skip()
		return err
	})
	if err == nil {
		err = s.End()
	}
	if err != nil {
		return scanError(err)
	}
	if err := json.Unmarshal(raw, dst); err != nil {
		return optionError(err)
	}
	return nil
}

// scanError turns an error of the options scanner into an invalid_option
// *Error naming the field when it can.
func scanError(err error) error {
	var e *Error
	var dup *jsonscan.DuplicateKeyError
	switch {
	case errors.As(err, &e):
		return e
	case errors.As(err, &dup):
		return &Error{Code: CodeInvalidOption, Field: "options." + printable(dup.Key), Message: "duplicate option"}
	}
	return &Error{Code: CodeInvalidOption, Field: "options", Message: "options are not valid JSON", Err: err}
}

// optionFields caches the json names of option struct types.
var optionFields sync.Map // reflect.Type -> map[string]struct{}

func optionNames(t reflect.Type) map[string]struct{} {
	if m, ok := optionFields.Load(t); ok {
		return m.(map[string]struct{})
	}
	m := map[string]struct{}{}
	st := t
	for st != nil && st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st != nil && st.Kind() == reflect.Struct {
		addFields(st, m)
	}
	optionFields.Store(t, m)
	return m
}

func addFields(st reflect.Type, m map[string]struct{}) {
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if name == "-" && !strings.Contains(tag, ",") {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addFields(ft, m)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = struct{}{}
	}
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
	return &Error{Code: CodeInvalidOption, Field: "options", Message: "options are not valid JSON", Err: err}
}
