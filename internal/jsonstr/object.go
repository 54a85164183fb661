package jsonstr

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// The functions below append the members of a JSON object as
// encoding/json writes the fields of a struct, one call a field in the
// struct's order: values with Go's string escaping (AppendGo), the Omit
// functions leaving out a zero value as ",omitempty" does. The caller
// writes the braces. Keys are written as given: they must be plain ASCII
// that needs no escaping, as JSON tags are.
//
// A member is preceded by a comma unless it is the first of its object,
// which is told by the byte before it: '{' only where an object has just
// been opened, since no JSON value ends with '{'.

// Key appends the name of the next member of the object being written and
// its colon; the caller then appends the value.
func Key(dst []byte, k string) []byte {
	dst = comma(dst)
	dst = append(dst, '"')
	dst = append(dst, k...)
	return append(dst, '"', ':')
}

// comma appends the comma before a member that is not its object's first.
func comma(dst []byte) []byte {
	if n := len(dst); n > 0 && dst[n-1] != '{' {
		dst = append(dst, ',')
	}
	return dst
}

// OmitString appends the member k: v, a string; nothing for "".
func OmitString(dst []byte, k, v string) []byte {
	if v == "" {
		return dst
	}
	return AppendGo(Key(dst, k), v)
}

// OmitInt appends the member k: v; nothing for 0.
func OmitInt(dst []byte, k string, v int64) []byte {
	if v == 0 {
		return dst
	}
	return strconv.AppendInt(Key(dst, k), v, 10)
}

// Bool appends the member k: true or false.
func Bool(dst []byte, k string, v bool) []byte {
	return strconv.AppendBool(Key(dst, k), v)
}

// OmitBool is Bool, but nothing for false.
func OmitBool(dst []byte, k string, v bool) []byte {
	if !v {
		return dst
	}
	return Bool(dst, k, v)
}

// OmitBoolPtr is Bool of *v; nothing for nil.
func OmitBoolPtr(dst []byte, k string, v *bool) []byte {
	if v == nil {
		return dst
	}
	return Bool(dst, k, *v)
}

// OmitStrings appends the member k: v, an array of strings; nothing for
// an empty v.
func OmitStrings(dst []byte, k string, v []string) []byte {
	if len(v) == 0 {
		return dst
	}
	dst = append(Key(dst, k), '[')
	for i, s := range v {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = AppendGo(dst, s)
	}
	return append(dst, ']')
}

// OmitMap appends the member k: m, an object whose members are sorted by
// their keys' bytes, as encoding/json writes a map with string keys;
// nothing for an empty m. str returns a value as a string; when its ok is
// false OmitMap stops and returns false, with what it appended undefined.
func OmitMap[V any](dst []byte, k string, m map[string]V, str func(V) (string, bool)) ([]byte, bool) {
	if len(m) == 0 {
		return dst, true
	}
	var arr [8]string
	keys := arr[:0]
	for key := range m {
		keys = append(keys, key)
	}
	slices.Sort(keys)
	dst = append(Key(dst, k), '{')
	for _, key := range keys {
		v, ok := str(m[key])
		if !ok {
			return dst, false
		}
		dst = append(AppendGo(comma(dst), key), ':')
		dst = AppendGo(dst, v)
	}
	return append(dst, '}'), true
}

// AppendMarshal appends json.Marshal(v), the fallback of an encoder for
// what it does not write itself. An error is Marshal's, wrapped after
// what.
func AppendMarshal(dst []byte, v any, what string) ([]byte, error) {
	j, err := json.Marshal(v)
	if err != nil {
		return dst, fmt.Errorf("%s: %w", what, err)
	}
	return append(dst, j...), nil
}
