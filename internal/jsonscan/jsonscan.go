// Package jsonscan is a small, strict, allocation-light JSON reader
// (RFC 8259) shared by the HTTP request decoder and the UserSig verifier.
//
// A Scanner walks one JSON text in a single pass: the caller drives it
// value by value, validating the grammar as it goes, with nesting bounded
// and, unless allowed, duplicate object keys refused at every level
// (encoding/json would silently keep the last one). Strings must be valid
// UTF-8 and are returned without a copy when they hold no escape.
//
//	s := jsonscan.New(body, jsonscan.Options{MaxDepth: 8})
//	err := s.Object(func(key []byte) error {
//		if string(key) == "room" {
//			v, err := s.String(nil)
//			room = string(v)
//			return err
//		}
//		_, err := s.Skip()
//		return err
//	})
//	if err == nil {
//		err = s.End()
//	}
//
// Errors are ErrSyntax, ErrDepth or a *DuplicateKeyError, or whatever a
// callback returned, unchanged. After an error the Scanner must not be
// used again.
package jsonscan

import (
	"errors"
	"unicode/utf16"
	"unicode/utf8"
)

// DefaultMaxDepth is the nesting limit when Options.MaxDepth is zero.
const DefaultMaxDepth = 32

var (
	// ErrSyntax reports a text that is not valid JSON, or a value of
	// another type than the one asked for.
	ErrSyntax = errors.New("jsonscan: invalid JSON")
	// ErrDepth reports objects and arrays nested deeper than
	// Options.MaxDepth.
	ErrDepth = errors.New("jsonscan: nesting too deep")
)

// DuplicateKeyError reports an object that repeats a key.
type DuplicateKeyError struct {
	// Key is the repeated key, decoded.
	Key string
}

// Error describes the error without the key, which is the caller's data.
func (e *DuplicateKeyError) Error() string { return "jsonscan: duplicate object key" }

// Options tune a Scanner. The zero value is the strictest reader with
// DefaultMaxDepth.
type Options struct {
	// MaxDepth bounds the nesting of objects and arrays: the outermost one
	// is at depth 1. Zero means DefaultMaxDepth.
	MaxDepth int
	// ReplaceLoneSurrogates decodes a \u escape of a surrogate that is not
	// half of a valid pair to U+FFFD, as encoding/json does. By default
	// such a string is ErrSyntax.
	ReplaceLoneSurrogates bool
	// AllowDuplicateKeys lets an object repeat a key. By default a repeat
	// is a *DuplicateKeyError.
	AllowDuplicateKeys bool
}

// inlineKeys is how many keys of the open objects a Scanner tracks
// without allocating.
const inlineKeys = 16

// A Scanner reads one JSON text. Create it with New.
type Scanner struct {
	b       []byte
	i       int
	depth   int
	limit   int
	replace bool
	dups    bool

	// nkeys keys of the open objects, outermost first, for the duplicate
	// check: the first inlineKeys in inline, the rest in more.
	nkeys  int
	inline [inlineKeys]keySpan
	more   []keySpan
	// decoded holds the keys that had escapes; it only grows, so spans
	// into it stay valid.
	decoded []byte
}

// keySpan locates a key: b[start:end], or decoded[^start:end] when start
// is negative.
type keySpan struct{ start, end int }

// New returns a Scanner over b. The Scanner does not modify b; the slices
// it returns may alias it.
func New(b []byte, opts Options) *Scanner {
	limit := opts.MaxDepth
	if limit <= 0 {
		limit = DefaultMaxDepth
	}
	return &Scanner{b: b, limit: limit, replace: opts.ReplaceLoneSurrogates, dups: opts.AllowDuplicateKeys}
}

// Peek skips whitespace and returns the next byte, or 0 at the end of the
// text.
func (s *Scanner) Peek() byte {
	for s.i < len(s.b) {
		switch c := s.b[s.i]; c {
		case ' ', '\t', '\n', '\r':
			s.i++
		default:
			return c
		}
	}
	return 0
}

// End checks that only whitespace remains.
func (s *Scanner) End() error {
	if s.Peek() != 0 || s.i != len(s.b) {
		return ErrSyntax
	}
	return nil
}

// Object reads an object, calling member for each key (decoded; it may
// alias the input) with the Scanner at the value, which member must
// consume. An error from member is returned as is.
func (s *Scanner) Object(member func(key []byte) error) error {
	if s.Peek() != '{' {
		return ErrSyntax
	}
	s.i++
	if s.depth++; s.depth > s.limit {
		return ErrDepth
	}
	mark := s.nkeys
	err := s.members(member, mark)
	s.nkeys = mark
	s.depth--
	return err
}

func (s *Scanner) members(member func(key []byte) error, mark int) error {
	if s.Peek() == '}' {
		s.i++
		return nil
	}
	for {
		if s.Peek() != '"' {
			return ErrSyntax
		}
		key, alias, err := s.str(nil)
		if err != nil {
			return err
		}
		if !s.dups {
			if err := s.addKey(key, alias, mark); err != nil {
				return err
			}
		}
		if s.Peek() != ':' {
			return ErrSyntax
		}
		s.i++
		if err := member(key); err != nil {
			return err
		}
		if more, err := s.next('}'); !more {
			return err
		}
	}
}

// next consumes the ',' or the end byte after a member or an element and
// reports whether another one follows.
func (s *Scanner) next(end byte) (bool, error) {
	switch s.Peek() {
	case ',':
		s.i++
		return true, nil
	case end:
		s.i++
		return false, nil
	}
	return false, ErrSyntax
}

// addKey records the key just read, refusing one the keys from mark on
// already hold.
func (s *Scanner) addKey(key []byte, alias bool, mark int) error {
	for n := mark; n < s.nkeys; n++ {
		if string(s.key(n)) == string(key) {
			return &DuplicateKeyError{Key: string(key)}
		}
	}
	k := keySpan{start: s.i - 1 - len(key), end: s.i - 1}
	if !alias {
		k.start = ^len(s.decoded)
		s.decoded = append(s.decoded, key...)
		k.end = len(s.decoded)
	}
	if s.nkeys < inlineKeys {
		s.inline[s.nkeys] = k
	} else {
		s.more = append(s.more[:s.nkeys-inlineKeys], k)
	}
	s.nkeys++
	return nil
}

func (s *Scanner) key(n int) []byte {
	var k keySpan
	if n < inlineKeys {
		k = s.inline[n]
	} else {
		k = s.more[n-inlineKeys]
	}
	if k.start < 0 {
		return s.decoded[^k.start:k.end]
	}
	return s.b[k.start:k.end]
}

// Array reads an array, calling elem for each element (i counts from 0)
// with the Scanner at it, which elem must consume. An error from elem is
// returned as is.
func (s *Scanner) Array(elem func(i int) error) error {
	if s.Peek() != '[' {
		return ErrSyntax
	}
	s.i++
	if s.depth++; s.depth > s.limit {
		return ErrDepth
	}
	err := s.elems(elem)
	s.depth--
	return err
}

func (s *Scanner) elems(elem func(i int) error) error {
	if s.Peek() == ']' {
		s.i++
		return nil
	}
	for n := 0; ; n++ {
		if err := elem(n); err != nil {
			return err
		}
		if more, err := s.next(']'); !more {
			return err
		}
	}
}

// Skip validates and consumes any value, returning its raw bytes.
func (s *Scanner) Skip() ([]byte, error) {
	var err error
	c := s.Peek()
	start := s.i
	switch c {
	case '{':
		err = s.Object(func([]byte) error { _, err := s.Skip(); return err })
	case '[':
		err = s.Array(func(int) error { _, err := s.Skip(); return err })
	case '"':
		_, _, err = s.str(nil)
	case 't':
		err = s.lit("true")
	case 'f':
		err = s.lit("false")
	case 'n':
		err = s.lit("null")
	default:
		_, err = s.Number()
	}
	if err != nil {
		return nil, err
	}
	return s.b[start:s.i], nil
}

func (s *Scanner) lit(l string) error {
	if len(s.b)-s.i < len(l) || string(s.b[s.i:s.i+len(l)]) != l {
		return ErrSyntax
	}
	s.i += len(l)
	return nil
}

// Number reads a number and returns its raw bytes. The grammar is
// RFC 8259's; a leading zero ends the integer part, so "01" reads as 0
// followed by a stray digit.
func (s *Scanner) Number() ([]byte, error) {
	s.Peek()
	b, i := s.b, s.i
	start := i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && b[i] >= '1' && b[i] <= '9':
		i = digits(b, i)
	default:
		return nil, ErrSyntax
	}
	if i < len(b) && b[i] == '.' {
		j := digits(b, i+1)
		if j == i+1 {
			return nil, ErrSyntax
		}
		i = j
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		j := digits(b, i)
		if j == i {
			return nil, ErrSyntax
		}
		i = j
	}
	s.i = i
	return b[start:i], nil
}

// digits returns the index after the run of digits at b[i:].
func digits(b []byte, i int) int {
	for i < len(b) && b[i] >= '0' && b[i] <= '9' {
		i++
	}
	return i
}

// String reads a string and returns it decoded, appended to dst. When dst
// is nil and the string has no escape, the result is a sub-slice of the
// input.
func (s *Scanner) String(dst []byte) ([]byte, error) {
	if s.Peek() != '"' {
		return nil, ErrSyntax
	}
	out, _, err := s.str(dst)
	return out, err
}

// str reads the string at s.i. alias reports that out is a sub-slice of
// the input.
func (s *Scanner) str(dst []byte) (out []byte, alias bool, err error) {
	b := s.b
	i := s.i + 1
	start := i
	for i < len(b) {
		c := b[i]
		if c == '"' {
			s.i = i + 1
			if dst == nil {
				return b[start:i], true, nil
			}
			return append(dst, b[start:i]...), false, nil
		}
		if c == '\\' || c < 0x20 {
			break
		}
		n := 1
		if c >= utf8.RuneSelf {
			if n = runeLen(b[i:]); n == 0 {
				return nil, false, ErrSyntax
			}
		}
		i += n
	}
	if i >= len(b) {
		return nil, false, ErrSyntax
	}
	if dst == nil {
		// A decoded string is never longer than its escaped form.
		dst = make([]byte, 0, rawEnd(b, i)-start)
	}
	out = append(dst, b[start:i]...)
	for i < len(b) {
		c := b[i]
		switch {
		case c == '"':
			s.i = i + 1
			return out, false, nil
		case c < 0x20:
			return nil, false, ErrSyntax
		case c >= utf8.RuneSelf:
			n := runeLen(b[i:])
			if n == 0 {
				return nil, false, ErrSyntax
			}
			out = append(out, b[i:i+n]...)
			i += n
			continue
		case c != '\\':
			out = append(out, c)
			i++
			continue
		}
		if i+1 >= len(b) {
			return nil, false, ErrSyntax
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
				return nil, false, ErrSyntax
			}
			i += 4
			if utf16.IsSurrogate(r) {
				r2, ok2 := rune(-1), false
				if i+6 < len(b) && b[i+1] == '\\' && b[i+2] == 'u' {
					r2, ok2 = hex4(b, i+3)
				}
				switch dec := utf16.DecodeRune(r, r2); {
				case ok2 && dec != utf8.RuneError:
					r = dec
					i += 6
				case s.replace:
					r = utf8.RuneError
				default:
					return nil, false, ErrSyntax
				}
			}
			out = utf8.AppendRune(out, r)
		default:
			return nil, false, ErrSyntax
		}
		i++
	}
	return nil, false, ErrSyntax
}

// runeLen returns the length of the valid UTF-8 sequence at the start of
// b, or 0.
func runeLen(b []byte) int {
	if r, n := utf8.DecodeRune(b); r != utf8.RuneError || n > 1 {
		return n
	}
	return 0
}

// rawEnd returns the index of the quote that closes the string whose body
// continues at b[i:], or len(b).
func rawEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case '"':
			return i
		case '\\':
			i += 2
		default:
			i++
		}
	}
	return len(b)
}

func hex4(b []byte, i int) (rune, bool) {
	if i+4 > len(b) {
		return 0, false
	}
	var r rune
	for _, c := range b[i : i+4] {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
