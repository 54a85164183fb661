package jsonstr

import (
	"testing"

	"github.com/rtctoken/rtctoken/internal/jsonstr/jsonstrtest"
)

type inner struct {
	On bool `json:"on"`
}

type sample struct {
	S    string            `json:"s,omitempty"`
	N    int64             `json:"n,omitempty"`
	B    bool              `json:"b,omitempty"`
	P    *bool             `json:"p,omitempty"`
	L    []string          `json:"l,omitempty"`
	In   inner             `json:"in"`
	M    map[string]string `json:"m,omitempty"`
	Last string            `json:"last"`
}

func (v *sample) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	b = OmitString(b, "s", v.S)
	b = OmitInt(b, "n", v.N)
	b = OmitBool(b, "b", v.B)
	b = OmitBoolPtr(b, "p", v.P)
	b = OmitStrings(b, "l", v.L)
	b = append(Bool(append(Key(b, "in"), '{'), "on", v.In.On), '}')
	b, _ = OmitMap(b, "m", v.M, func(s string) (string, bool) { return s, true })
	b = AppendGo(Key(b, "last"), v.Last)
	return append(b, '}'), nil
}

func TestMembersMatchEncodingJSON(t *testing.T) {
	yes, no := true, false
	for _, v := range []*sample{
		{},
		{S: "<&>", N: -1, B: true, P: &no, L: []string{"", "\u2028"}, In: inner{On: true}, M: map[string]string{"b": "1", "a": "\xff", "": ""}, Last: "x"},
		{N: 1 << 62, P: &yes, L: []string{}, M: map[string]string{}},
		{M: map[string]string{"1": "", "2": "", "3": "", "4": "", "5": "", "6": "", "7": "", "8": "", "9": "", "10": ""}},
	} {
		jsonstrtest.SameAsMarshal(t, v, v.appendJSON)
	}
}

func TestOmitMapStops(t *testing.T) {
	m := map[string]any{"a": "x", "b": 1}
	if _, ok := OmitMap([]byte("{"), "m", m, func(v any) (string, bool) { s, ok := v.(string); return s, ok }); ok {
		t.Error("OmitMap went on past a value str refuses")
	}
}

func TestAppendMarshal(t *testing.T) {
	if b, err := AppendMarshal([]byte("x"), map[string]int{"<": 1}, "test"); err != nil || string(b) != `x{"\u003c":1}` {
		t.Errorf("AppendMarshal = %s, %v", b, err)
	}
	if b, err := AppendMarshal([]byte("x"), func() {}, "test"); err == nil || string(b) != "x" {
		t.Errorf("AppendMarshal of a func = %s, %v; want x and an error", b, err)
	}
}
