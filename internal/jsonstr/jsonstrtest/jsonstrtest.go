// Package jsonstrtest checks hand-written JSON encoders against
// encoding/json, in tests and fuzz tests.
package jsonstrtest

import (
	"bytes"
	"encoding/json"
	"testing"
)

// SameAsMarshal fails t unless appendJSON, given a buffer that already
// holds a prefix, appends exactly what json.Marshal(v) writes, or fails
// where Marshal fails.
func SameAsMarshal(t testing.TB, v any, appendJSON func([]byte) ([]byte, error)) {
	t.Helper()
	want, werr := json.Marshal(v)
	got, gerr := appendJSON([]byte("prefix"))
	switch {
	case (werr != nil) != (gerr != nil):
		t.Fatalf("the encoder's error %v, json.Marshal's %v", gerr, werr)
	case werr == nil && !bytes.Equal(got, append([]byte("prefix"), want...)):
		t.Fatalf("the encoder wrote\n%s\njson.Marshal\nprefix%s", got, want)
	}
}

// Picker draws the values of a fuzzed struct from a few fuzzed strings and
// integers, choosing by the bits of Bits (used round and round).
type Picker struct {
	Strings []string
	Ints    []int64
	Bits    uint64
}

// next takes n bits.
func (p *Picker) next(n uint) uint64 {
	v := p.Bits & (1<<n - 1)
	p.Bits = p.Bits>>n | p.Bits<<(64-n)
	return v
}

// Bool is a drawn bool.
func (p *Picker) Bool() bool { return p.next(1) == 1 }

// Upto is a drawn number in [0, 2^n).
func (p *Picker) Upto(n uint) int { return int(p.next(n)) }

// String is "" or one of Strings.
func (p *Picker) String() string {
	if len(p.Strings) == 0 || !p.Bool() {
		return ""
	}
	return p.Strings[int(p.next(4))%len(p.Strings)]
}

// Int is 0 or one of Ints.
func (p *Picker) Int() int64 {
	if len(p.Ints) == 0 || !p.Bool() {
		return 0
	}
	return p.Ints[int(p.next(4))%len(p.Ints)]
}

// StringList is nil or up to three drawn strings.
func (p *Picker) StringList() []string {
	n := p.Upto(2)
	if n == 0 {
		return nil
	}
	out := make([]string, n)
	for i := range out {
		out[i] = p.String()
	}
	return out
}

// BoolPtr is nil (half the time), or a pointer to a drawn bool.
func (p *Picker) BoolPtr() *bool {
	if !p.Bool() {
		return nil
	}
	b := p.Bool()
	return &b
}
