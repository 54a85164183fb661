package core_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
)

// upper decodes itself; DecodeOptions must leave it to encoding/json.
type upper string

func (u *upper) UnmarshalJSON(b []byte) error {
	var s string
	err := json.Unmarshal(b, &s)
	*u = upper(strings.ToUpper(s))
	return err
}

type embeddedOptions struct {
	Level int8 `json:"level"`
}

type sampleOptions struct {
	embeddedOptions
	Name   string  `json:"name,omitempty"`
	On     bool    `json:"on"`
	TTL    *int64  `json:"ttl,omitempty"`
	Count  uint16  `json:"count"`
	Ratio  float64 `json:"ratio"`
	Tags   []int   `json:"tags"`
	Upper  upper   `json:"upper"`
	Quoted int     `json:"quoted,string"`
	Plain  string
}

// TestDecodeOptionsLikeUnmarshal: whichever way DecodeOptions sets the
// fields, a valid options object gives what json.Unmarshal gives, and a
// wrong value the error naming its field.
func TestDecodeOptionsLikeUnmarshal(t *testing.T) {
	valid := []string{
		`{}`, ` {"name":"a b","on":true,"ttl":60} `, `{"name":"\u00e9\"x","on":false}`, `{"ttl":-0,"count":65535}`,
		`{"level":-128,"Plain":"p"}`, `{"ttl":null,"name":null}`, `{"ratio":1.5,"tags":[1,2]}`, `{"upper":"abc","name":"x"}`,
		`{"quoted":"12"}`, `{"name":"ü日本"}`, `{"level":1,"name":"a","on":true,"ttl":2,"count":3,"Plain":"b","ratio":0,"tags":[],"upper":""}`,
	}
	for _, in := range valid {
		ttl := int64(7)
		got, want := sampleOptions{TTL: &ttl, Name: "old"}, sampleOptions{TTL: new(int64), Name: "old"}
		*want.TTL = 7
		errWant := json.Unmarshal([]byte(in), &want)
		if err := core.DecodeOptions(json.RawMessage(in), &got); err != nil || errWant != nil {
			t.Errorf("%s: %v (json: %v)", in, err, errWant)
			continue
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: got %+v, want %+v", in, got, want)
		}
	}
	wrong := map[string]string{
		`{"level":128}`: "options.embeddedOptions.level", `{"count":1e2}`: "options.count", `{"count":-1}`: "options.count", `{"count":65536}`: "options.count",
		`{"on":1}`: "options.on", `{"name":true}`: "options.name", `{"ttl":1.5}`: "options.ttl", `{"ttl":"1"}`: "options.ttl",
		`{"name":"a","level":"x"}`: "options.embeddedOptions.level", `{"Name":"a"}`: "options.Name", `{"on":true,"on":true}`: "options.on",
		`{"on":true} x`: "options",
	}
	for in, field := range wrong {
		var o sampleOptions
		err := core.DecodeOptions(json.RawMessage(in), &o)
		var e *core.Error
		if !errors.As(err, &e) || e.Code != core.CodeInvalidOption || e.Field != field {
			t.Errorf("%s: got %v, want field %s", in, err, field)
		}
	}
	// A scan error leaves dst as it was.
	o := sampleOptions{Name: "kept"}
	if err := core.DecodeOptions(json.RawMessage(`{"name":"x","zzz":1}`), &o); err == nil || o.Name != "kept" {
		t.Errorf("unknown option: %v, name %q", err, o.Name)
	}
	if err := core.DecodeOptions(json.RawMessage(`{"name":"x"}`), (*sampleOptions)(nil)); err == nil {
		t.Error("nil destination accepted")
	}
}

// BenchmarkDecodeOptions is the options of Agora's BenchmarkIssueRTCUID.
func BenchmarkDecodeOptions(b *testing.B) {
	raw := json.RawMessage(`{"id_type":"uid"}`)
	b.ReportAllocs()
	for b.Loop() {
		var o struct {
			IDType string `json:"id_type,omitempty"`
			AnyUID bool   `json:"any_uid,omitempty"`
			TTL    *int64 `json:"ttl,omitempty"`
		}
		if err := core.DecodeOptions(raw, &o); err != nil {
			b.Fatal(err)
		}
	}
}

// DecodeOptionsAs returns what DecodeOptions decodes, and allocates
// nothing for empty or null options.
func TestDecodeOptionsAs(t *testing.T) {
	type opts struct {
		Name string `json:"name"`
		N    int    `json:"n"`
	}
	for _, raw := range []string{"", " null ", `{"name":"a","n":2}`, `{"name":1}`, `{"other":true}`, `[1]`} {
		var want opts
		wantErr := core.DecodeOptions(json.RawMessage(raw), &want)
		got, err := core.DecodeOptionsAs[opts](json.RawMessage(raw))
		if fmt.Sprint(err) != fmt.Sprint(wantErr) || (err == nil && got != want) {
			t.Errorf("%q: got %+v, %v; want %+v, %v", raw, got, err, want, wantErr)
		}
	}
	for _, raw := range []string{"", "null", "\t null\n"} {
		b := json.RawMessage(raw)
		if n := testing.AllocsPerRun(100, func() { _, _ = core.DecodeOptionsAs[opts](b) }); n != 0 {
			t.Errorf("%q: %v allocations", raw, n)
		}
	}
}
