package jsonscan

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"testing"
)

// skipAll reads one value and checks that nothing follows.
func skipAll(b []byte, opts Options) ([]byte, error) {
	s := New(b, opts)
	raw, err := s.Skip()
	if err == nil {
		err = s.End()
	}
	return raw, err
}

func TestSkipGrammar(t *testing.T) {
	for _, v := range []string{`0`, `-0`, `1.5`, `-1e10`, `2E-3`, `1.0e+2`, `123456789012345678901234567890`, `""`, `"\u00e9\ud83d\ude00"`,
		`true`, `false`, `null`, `[]`, `{}`, `[1,[2,[3,{"a":{"b":[null]}}]]]`, ` { "k" : [ 1 , 2 ] } `, "\t\r\n[ ]\n", `"é😀"`,
		`"\"\\\/\b\f\n\r\t"`, `{"a":1,"b":{"a":2}}`, `[{"a":1},{"a":1}]`, `"\uD83D\uDE00"`} {
		raw, err := skipAll([]byte(v), Options{})
		if err != nil {
			t.Errorf("%s: %v", v, err)
		} else if string(raw) != strings.Trim(v, " \t\r\n") {
			t.Errorf("%s: raw %s", v, raw)
		}
	}
	for _, v := range []string{``, ` `, `01`, `-`, `-01`, `1.`, `.5`, `1e`, `1e+`, `+1`, `0x1`, `1_0`, `"\ud83d"`, `"\ude00"`, `"\ud83d\u0041"`,
		`"\x"`, `"\u12"`, `"\u12G4"`, "\"\x01\"", "\"\xff\"", "\"\xed\xa0\x80\"", `"abc`, `"a\`, `tru`, `nul`, `True`, `[1,]`, `[,1]`,
		`{"a"}`, `{"a":1,}`, `{a:1}`, `{"a" 1}`, `{"a":1 "b":2}`, `[1 2]`, `[`, `{`, `]`, `1 2`, `{} {}`, `"a"x`, "\x00", `{"a":1,"a":2}`,
		`[{"k":0,"k":0}]`, `{"a":{"b":1,"b":1}}`, `{"a":1,"\u0061":2}`} {
		if _, err := skipAll([]byte(v), Options{}); err == nil {
			t.Errorf("%q accepted", v)
		}
	}
}

func TestDepth(t *testing.T) {
	for _, tc := range []struct {
		max  int
		text string
		err  error
	}{
		{2, `[[1]]`, nil},
		{2, `{"a":{"b":1}}`, nil},
		{2, `[[[]]]`, ErrDepth},
		{2, `[{"a":[1]}]`, ErrDepth},
		{1, `[1,2]`, nil},
		{1, `[[]]`, ErrDepth},
		{0, strings.Repeat("[", DefaultMaxDepth) + strings.Repeat("]", DefaultMaxDepth), nil},
		{0, strings.Repeat("[", DefaultMaxDepth+1) + strings.Repeat("]", DefaultMaxDepth+1), ErrDepth},
	} {
		if _, err := skipAll([]byte(tc.text), Options{MaxDepth: tc.max}); !errors.Is(err, tc.err) {
			t.Errorf("%d %s: %v, want %v", tc.max, tc.text, err, tc.err)
		}
	}
	// Depth is released when a container closes.
	if _, err := skipAll([]byte(`[[1],[2],[[]]]`), Options{MaxDepth: 3}); err != nil {
		t.Errorf("siblings: %v", err)
	}
}

func TestDuplicateKeys(t *testing.T) {
	var many strings.Builder
	many.WriteString("{")
	for i := range 40 {
		many.WriteString(`"k` + strconv.Itoa(i) + `":{"k1":1,"x":2},`)
	}
	for _, tc := range []struct{ text, key string }{
		{`{"a":1,"a":2}`, "a"},
		{`{"a":1,"b":{"a":1,"c":[{"d":1,"d":2}]}}`, "d"},
		{`{"\u00e9":1,"é":2}`, "é"},
		{`{"é":1,"\u00e9":2}`, "é"},
		{`{"\n":1,"\u000a":2}`, "\n"},
		{many.String() + `"k39":0}`, "k39"},
		{many.String() + `"k1":0}`, "k1"},
	} {
		_, err := skipAll([]byte(tc.text), Options{})
		var dup *DuplicateKeyError
		if !errors.As(err, &dup) || dup.Key != tc.key {
			t.Errorf("%.60s: %v, want duplicate %q", tc.text, err, tc.key)
			continue
		}
		if _, err := skipAll([]byte(tc.text), Options{AllowDuplicateKeys: true}); err != nil {
			t.Errorf("%.60s with AllowDuplicateKeys: %v", tc.text, err)
		}
	}
	// The same key in sibling and nested objects is not a repeat, however
	// many keys the scanner tracks.
	if _, err := skipAll([]byte(many.String()+`"z":[{"k1":1},{"k1":1,"\u006b2":{"k1":1}}]}`), Options{}); err != nil {
		t.Errorf("distinct objects: %v", err)
	}
}

func TestSurrogates(t *testing.T) {
	for _, tc := range []struct{ in, replaced string }{
		{`"\ud83d\ude00"`, "😀"},
		{`"\ud83d"`, "\ufffd"},
		{`"\ude00"`, "\ufffd"},
		{`"\ud83dx"`, "\ufffdx"},
		{`"\ud83d\u0041"`, "\ufffdA"},
		{`"\ud83d\ud83d\ude00"`, "\ufffd😀"},
		{`"\ude00\ud83d"`, "\ufffd\ufffd"},
	} {
		s := New([]byte(tc.in), Options{ReplaceLoneSurrogates: true})
		got, err := s.String(nil)
		if err != nil || string(got) != tc.replaced {
			t.Errorf("replace %s: %q, %v, want %q", tc.in, got, err, tc.replaced)
		}
		s = New([]byte(tc.in), Options{})
		got, err = s.String(nil)
		if valid := !strings.Contains(tc.replaced, "\ufffd"); (err == nil) != valid || valid && string(got) != tc.replaced {
			t.Errorf("strict %s: %q, %v", tc.in, got, err)
		}
	}
}

func TestString(t *testing.T) {
	in := []byte(` "plain" "a\tb\u00e9" 7`)
	s := New(in, Options{})
	got, err := s.String(nil)
	if err != nil || string(got) != "plain" || &got[0] != &in[2] {
		t.Fatalf("plain: %q %v, want an alias of the input", got, err)
	}
	got, err = s.String([]byte("x:"))
	if err != nil || string(got) != "x:a\tbé" {
		t.Fatalf("escaped into dst: %q %v", got, err)
	}
	if _, err := s.String(nil); !errors.Is(err, ErrSyntax) {
		t.Fatalf("number read as a string: %v", err)
	}
	n, err := s.Number()
	if err != nil || string(n) != "7" || s.End() != nil {
		t.Fatalf("number: %q %v", n, err)
	}
	// A decoded string is allocated once, at most as long as its text.
	s = New([]byte(`"`+strings.Repeat(`\n`, 100)+`"`), Options{})
	if allocs := testing.AllocsPerRun(10, func() {
		s.i = 0
		if _, err := s.String(nil); err != nil {
			t.Fatal(err)
		}
	}); allocs != 1 {
		t.Errorf("%v allocations, want 1", allocs)
	}
}

func TestNumber(t *testing.T) {
	for _, tc := range []struct{ in, num, rest string }{
		{`0`, `0`, ``},
		{` -12.5e+3,`, `-12.5e+3`, `,`},
		{`01`, `0`, `1`},
		{`1E9]`, `1E9`, `]`},
	} {
		s := New([]byte(tc.in), Options{})
		n, err := s.Number()
		if err != nil || string(n) != tc.num || string(s.b[s.i:]) != tc.rest {
			t.Errorf("%q: %q %v, rest %q", tc.in, n, err, s.b[s.i:])
		}
	}
	for _, in := range []string{``, `-`, `"1"`, `.1`, `1.e3`, `1e`, `-a`, `true`} {
		if _, err := New([]byte(in), Options{}).Number(); !errors.Is(err, ErrSyntax) {
			t.Errorf("%q: %v", in, err)
		}
	}
}

func TestCallbacks(t *testing.T) {
	in := []byte(`{"a":[10,20,30],"b":"x\"y","c":{"d":null}}`)
	s := New(in, Options{})
	var got []string
	err := s.Object(func(key []byte) error {
		got = append(got, string(key))
		switch string(key) {
		case "a":
			return s.Array(func(i int) error {
				n, err := s.Number()
				got = append(got, strconv.Itoa(i)+"="+string(n))
				return err
			})
		case "b":
			v, err := s.String(nil)
			got = append(got, string(v))
			return err
		}
		raw, err := s.Skip()
		got = append(got, string(raw))
		return err
	})
	if err != nil || s.End() != nil {
		t.Fatal(err)
	}
	if want := `a 0=10 1=20 2=30 b x"y c {"d":null}`; strings.Join(got, " ") != want {
		t.Fatalf("got %s, want %s", strings.Join(got, " "), want)
	}
	stop := errors.New("stop")
	s = New(in, Options{})
	if err := s.Object(func([]byte) error { return stop }); err != stop {
		t.Fatalf("member error %v not returned as is", err)
	}
	s = New([]byte(`[1,2]`), Options{})
	if err := s.Array(func(i int) error { return stop }); err != stop {
		t.Fatalf("elem error %v not returned as is", err)
	}
	for _, in := range []string{`[]`, `"x"`, ``} {
		if err := New([]byte(in), Options{}).Object(func([]byte) error { return nil }); !errors.Is(err, ErrSyntax) {
			t.Errorf("Object(%q): %v", in, err)
		}
	}
	if err := New([]byte(`{}`), Options{}).Array(func(int) error { return nil }); !errors.Is(err, ErrSyntax) {
		t.Errorf("Array({}): %v", err)
	}
}

func TestPeekEnd(t *testing.T) {
	s := New([]byte(" \t\r\n{} \n"), Options{})
	if c := s.Peek(); c != '{' {
		t.Fatalf("Peek = %q", c)
	}
	if _, err := s.Skip(); err != nil || s.Peek() != 0 || s.End() != nil {
		t.Fatalf("Skip %v, End %v", err, s.End())
	}
	if err := New([]byte("{}\x00"), Options{}).End(); err == nil {
		t.Fatal("End accepted a NUL byte")
	}
}

func TestSkipRawAliasesInput(t *testing.T) {
	in := []byte(`{"k": [1, "\u00e9"] }`)
	s := New(in, Options{})
	var raw []byte
	if err := s.Object(func([]byte) error {
		var err error
		raw, err = s.Skip()
		return err
	}); err != nil {
		t.Fatal(err)
	}
	if want := []byte(`[1, "\u00e9"]`); !bytes.Equal(raw, want) || &raw[0] != &in[6] {
		t.Fatalf("raw %s", raw)
	}
}

// TestNoAllocations checks that reading a body without escapes, keys
// tracked for the duplicate check included, does not allocate.
func TestNoAllocations(t *testing.T) {
	body := []byte(`{"user_id":"alice","room":"r1","role":"publisher","ttl":3600,"options":{"a":[1,{"b":true,"c":"d"}],"e":null}}`)
	allocs := testing.AllocsPerRun(100, func() {
		s := New(body, Options{MaxDepth: 8})
		err := s.Object(func(key []byte) error {
			if string(key) == "room" {
				_, err := s.String(nil)
				return err
			}
			_, err := s.Skip()
			return err
		})
		if err != nil || s.End() != nil {
			t.Fatal(err)
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations, want 0", allocs)
	}
}
