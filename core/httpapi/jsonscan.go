package httpapi

import (
	"strconv"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// scanner is a small, strict, allocation-light JSON reader for request
// bodies. In one pass it validates the grammar, bounds nesting, refuses
// duplicate object keys at every level (which encoding/json would silently
// resolve to the last one) and hands the caller each top-level member.
type scanner struct {
	b     []byte
	i     int
	depth int
	// keys holds the keys of the objects being read, one run per level.
	keys [][]byte
}

func errSyntax() error {
	return core.Errorf(core.CodeInvalidRequest, "", "request body is not valid JSON")
}

func (s *scanner) ws() {
	for s.i < len(s.b) {
		switch s.b[s.i] {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	s.ws()
	if s.i >= len(s.b) {
		return 0
	}
	return s.b[s.i]
}

// end checks that only whitespace follows.
func (s *scanner) end() error {
	if s.peek() != 0 || s.i != len(s.b) {
		return errSyntax()
	}
	return nil
}

// object reads an object, calling member for each key with the scanner
// positioned at the value; member must consume the value.
func (s *scanner) object(member func(key []byte) error) error {
	if s.peek() != '{' {
		return errSyntax()
	}
	s.i++
	s.depth++
	if s.depth > maxDepth {
		return core.Errorf(core.CodeInvalidRequest, "", "request body is nested too deeply")
	}
	mark := len(s.keys)
	defer func() { s.keys = s.keys[:mark]; s.depth-- }()
	if s.peek() == '}' {
		s.i++
		return nil
	}
	for {
		if s.peek() != '"' {
			return errSyntax()
		}
		key, err := s.str(nil)
		if err != nil {
			return err
		}
		for _, k := range s.keys[mark:] {
			if string(k) == string(key) {
				field := string(key)
				if len(field) > 64 {
					field = ""
				}
				return core.Errorf(core.CodeInvalidRequest, field, "duplicate key in request body")
			}
		}
		s.keys = append(s.keys, key)
		if s.peek() != ':' {
			return errSyntax()
		}
		s.i++
		if err := member(key); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case '}':
			s.i++
			return nil
		default:
			return errSyntax()
		}
	}
}

// array reads an array, calling elem for each element with the scanner
// positioned at it; elem must consume it.
func (s *scanner) array(elem func(i int) error) error {
	if s.peek() != '[' {
		return errSyntax()
	}
	s.i++
	s.depth++
	defer func() { s.depth-- }()
	if s.depth > maxDepth {
		return core.Errorf(core.CodeInvalidRequest, "", "request body is nested too deeply")
	}
	if s.peek() == ']' {
		s.i++
		return nil
	}
	for n := 0; ; n++ {
		if err := elem(n); err != nil {
			return err
		}
		switch s.peek() {
		case ',':
			s.i++
		case ']':
			s.i++
			return nil
		default:
			return errSyntax()
		}
	}
}

// skip validates and consumes any value, returning its raw bytes.
func (s *scanner) skip() ([]byte, error) {
	start := s.peekPos()
	var err error
	switch s.peek() {
	case '{':
		err = s.object(func([]byte) error { _, e := s.skip(); return e })
	case '[':
		err = s.array(func(int) error { _, e := s.skip(); return e })
	case '"':
		_, err = s.str(nil)
	case 't':
		err = s.lit("true")
	case 'f':
		err = s.lit("false")
	case 'n':
		err = s.lit("null")
	default:
		err = s.number()
	}
	if err != nil {
		return nil, err
	}
	return s.b[start:s.i], nil
}

func (s *scanner) peekPos() int { s.ws(); return s.i }

func (s *scanner) lit(l string) error {
	if len(s.b)-s.i < len(l) || string(s.b[s.i:s.i+len(l)]) != l {
		return errSyntax()
	}
	s.i += len(l)
	return nil
}

// number consumes a JSON number per RFC 8259.
func (s *scanner) number() error {
	b, i := s.b, s.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	default:
		return errSyntax()
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return errSyntax()
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return errSyntax()
		}
		for i < len(b) && b[i] >= '0' && b[i] <= '9' {
			i++
		}
	}
	s.i = i
	return nil
}

// str consumes a string and returns its decoded bytes appended to dst, or
// a sub-slice of the input when it has no escapes. Invalid surrogate escapes
// decode to U+FFFD, as encoding/json does. The body was checked for valid
// UTF-8 before scanning.
func (s *scanner) str(dst []byte) ([]byte, error) {
	b := s.b
	i := s.i + 1
	start := i
	for i < len(b) && b[i] != '"' && b[i] != '\\' && b[i] >= 0x20 {
		i++
	}
	if i < len(b) && b[i] == '"' {
		s.i = i + 1
		if dst == nil {
			return b[start:i], nil
		}
		return append(dst, b[start:i]...), nil
	}
	out := append(dst, b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			s.i = i + 1
			return out, nil
		case c < 0x20:
			return nil, errSyntax()
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return nil, errSyntax()
		}
		i++
		switch b[i] {
		case '"', '\\', '/':
			out = append(out, b[i])
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := hex4(b, i+1)
			if !ok {
				return nil, errSyntax()
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(-1), false
				if i+6 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
					r2, ok2 = hex4(b, i+3)
				}
				if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, errSyntax()
		}
		i++
	}
	return nil, errSyntax()
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	n, err := strconv.ParseUint(string(b[i:i+4]), 16, 32)
	if err != nil {
		return 0, false
	}
	return rune(n), true
}
