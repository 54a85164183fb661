package core

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"reflect"
	"strconv"
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
	return decodeOptions(raw, dst)
}

// DecodeOptionsAs is DecodeOptions into a T it returns. Empty or null
// options give the zero T without the heap allocation that a destination
// of DecodeOptions always costs: most grants have no options.
func DecodeOptionsAs[T any](raw json.RawMessage) (T, error) {
	var zero T
	if noOptions(raw) {
		return zero, nil
	}
	dst := new(T)
	err := decodeOptions(raw, dst)
	return *dst, err
}

// noOptions reports whether raw is empty or null, blanks aside.
func noOptions(raw json.RawMessage) bool {
	raw = bytes.Trim(raw, " \t\r\n")
	return len(raw) == 0 || string(raw) == "null"
}

func decodeOptions(raw json.RawMessage, dst any) error {
	if noOptions(raw) {
		return nil
	}
	raw = bytes.Trim(raw, " \t\r\n")
	if raw[0] != '{' {
		return Errorf(CodeInvalidOption, "options", "options must be a JSON object")
	}
	ot := optionTypeOf(reflect.TypeOf(dst))
	// The values of simple fields are kept to be set without
	// encoding/json once the whole text has been read; anything else
	// (another type, null, an escape, a number that is not a plain
	// integer) leaves it to json.Unmarshal.
	var sets [8]optionSet
	nset, simple := 0, ot.simple
	s := jsonscan.New(raw, jsonscan.Options{})
	err := s.Object(func(key []byte) error {
		f, ok := ot.fields[string(key)]
		if !ok {
			return &Error{Code: CodeInvalidOption, Field: "options." + printable(string(key)), Message: "unknown option"}
		}
		v, err := s.Skip()
		if simple {
			if f < 0 || nset == len(sets) {
				simple = false
			} else {
				sets[nset] = optionSet{f, v}
				nset++
			}
		}
		return err
	})
	if err == nil {
		err = s.End()
	}
	if err != nil {
		return scanError(err)
	}
	if rv := reflect.ValueOf(dst); simple && !rv.IsNil() && ot.setAll(rv.Elem(), sets[:nset]) {
		return nil
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

// optionTypes caches what DecodeOptions knows of an option struct type.
var optionTypes sync.Map // reflect.Type -> *optionType

// optionType describes the options of a type: the json names of its
// fields and, when encoding/json's rules for it are the simple ones (a
// pointer to a struct whose names are unique and plain), the fields it may
// set itself.
//
// Setting those fields without encoding/json takes BenchmarkDecodeOptions
// ({"id_type":"uid"}) from 715 to 167 ns, 256 to 35 B and 6 to 2 allocs
// (medians of four runs on the loaded 2-core machine): a tenth of Agora's
// BenchmarkIssueRTCUID.
type optionType struct {
	fields map[string]int // json name -> index in simple, or -1
	simple bool
	index  [][]int        // reflect field indexes of the simple fields
	types  []reflect.Type // and their types
}

// optionSet is a field's raw JSON value, to be set.
type optionSet struct {
	field int
	raw   []byte
}

func optionTypeOf(t reflect.Type) *optionType {
	if ot, ok := optionTypes.Load(t); ok {
		return ot.(*optionType)
	}
	ot := &optionType{fields: map[string]int{}}
	st := t
	for st != nil && st.Kind() == reflect.Pointer {
		st = st.Elem()
	}
	if st != nil && st.Kind() == reflect.Struct {
		ot.simple = t.Kind() == reflect.Pointer && t.Elem() == st
		ot.addFields(st, nil)
	}
	optionTypes.Store(t, ot)
	return ot
}

func (ot *optionType) addFields(st reflect.Type, path []int) {
	for i := 0; i < st.NumField(); i++ {
		f := st.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		if name == "-" && !strings.Contains(tag, ",") {
			continue
		}
		index := append(path[:len(path):len(path)], i)
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
				ot.simple = false // encoding/json allocates it
			}
			if ft.Kind() == reflect.Struct {
				ot.addFields(ft, index)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, dup := ot.fields[name]; dup || !plainName(name) {
			ot.simple = false // encoding/json's rules for these are its own
		}
		ot.fields[name] = -1
		if opts == "" || opts == "omitempty" {
			if simpleKind(f.Type) {
				ot.fields[name] = len(ot.index)
				ot.index = append(ot.index, index)
				ot.types = append(ot.types, f.Type)
			}
		}
	}
}

// plainName reports whether a json name is made of ASCII letters, digits
// and '_' only, which encoding/json takes as it is.
func plainName(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i] | 0x20; (c < 'a' || c > 'z') && (s[i] < '0' || s[i] > '9') && s[i] != '_' {
			return false
		}
	}
	return s != ""
}

// simpleKind reports whether DecodeOptions sets a field of type t itself:
// a string, a bool or an integer, or a pointer to one, that does not
// decode itself.
func simpleKind(t reflect.Type) bool {
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if pt := reflect.PointerTo(t); pt.Implements(jsonUnmarshaler) || pt.Implements(textUnmarshaler) {
		return false
	}
	switch t.Kind() {
	case reflect.String, reflect.Bool, reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return true
	}
	return false
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// setAll sets the fields of v as encoding/json would, or reports false,
// having changed nothing, when a value is not one it sets itself.
func (ot *optionType) setAll(v reflect.Value, sets []optionSet) bool {
	for _, st := range sets {
		if !setOption(reflect.Value{}, ot.types[st.field], st.raw) {
			return false
		}
	}
	for _, st := range sets {
		setOption(v.FieldByIndex(ot.index[st.field]), ot.types[st.field], st.raw)
	}
	return true
}

// setOption checks raw, a valid JSON value, for a field of type t and,
// when f (that field) is valid, stores it there.
func setOption(f reflect.Value, t reflect.Type, raw []byte) bool {
	ptr := t.Kind() == reflect.Pointer
	if ptr {
		t = t.Elem()
	}
	if f.IsValid() {
		if ptr {
			if f.IsNil() {
				f.Set(reflect.New(t))
			}
			f = f.Elem()
		}
	}
	switch k := t.Kind(); {
	case k == reflect.String:
		if raw[0] != '"' || bytes.IndexByte(raw, '\\') >= 0 {
			return false
		}
		if f.IsValid() {
			f.SetString(string(raw[1 : len(raw)-1]))
		}
	case k == reflect.Bool:
		b := string(raw) == "true"
		if !b && string(raw) != "false" {
			return false
		}
		if f.IsValid() {
			f.SetBool(b)
		}
	case k >= reflect.Int && k <= reflect.Int64:
		n, err := strconv.ParseInt(string(raw), 10, t.Bits())
		if err != nil {
			return false
		}
		if f.IsValid() {
			f.SetInt(n)
		}
	default:
		n, err := strconv.ParseUint(string(raw), 10, t.Bits())
		if err != nil {
			return false
		}
		if f.IsValid() {
			f.SetUint(n)
		}
	}
	return true
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
