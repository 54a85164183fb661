package core

import (
	"crypto/subtle"
	"fmt"
	"log/slog"
	"strconv"
)

const redacted = "[REDACTED]"

// Secret holds a key or certificate. It prints, formats, logs and marshals as
// "[REDACTED]", so it cannot leak through fmt (every verb, flag and width),
// log/slog (text and JSON, also as a field of a struct), encoding/json,
// encoding/xml or any other encoding.TextMarshaler user by accident. Use
// Reveal only where the bytes are needed for cryptography.
//
// The value is held behind a pointer, so that code printing a struct
// through reflection, without calling Secret's methods (fmt on an
// unexported field, for instance), sees an address and not the text.
// encoding/gob refuses the type (it has no exported fields).
type Secret struct{ v *string }

// NewSecret wraps s.
func NewSecret(s string) Secret {
	if s == "" {
		return Secret{}
	}
	return Secret{v: &s}
}

// Reveal returns the secret's value.
func (s Secret) Reveal() string {
	if s.v == nil {
		return ""
	}
	return *s.v
}

// IsZero reports whether the secret is empty.
func (s Secret) IsZero() bool { return s.Reveal() == "" }

// Len returns the length of the secret in bytes.
func (s Secret) Len() int { return len(s.Reveal()) }

// Equal compares two secrets in constant time.
func (s Secret) Equal(o Secret) bool {
	return subtle.ConstantTimeCompare([]byte(s.Reveal()), []byte(o.Reveal())) == 1
}

// String implements fmt.Stringer.
func (s Secret) String() string { return redacted }

// GoString implements fmt.GoStringer.
func (s Secret) GoString() string { return "core.Secret(" + redacted + ")" }

// Format implements fmt.Formatter: every verb writes "[REDACTED]", %q
// quoted and %#v as GoString does; a width pads it (on the right with the
// '-' flag). Numeric verbs such as %d, %x or %f would otherwise print the
// value, because fmt only consults String for the string verbs.
func (s Secret) Format(f fmt.State, verb rune) {
	text := redacted
	switch {
	case verb == 'v' && f.Flag('#'):
		text = s.GoString()
	case verb == 'q':
		text = strconv.Quote(redacted)
	}
	pad := 0
	if w, ok := f.Width(); ok && w > len(text) {
		pad = w - len(text)
	}
	b := make([]byte, 0, len(text)+pad)
	if !f.Flag('-') {
		b = appendSpaces(b, pad)
	}
	b = append(b, text...)
	if f.Flag('-') {
		b = appendSpaces(b, pad)
	}
	_, _ = f.Write(b)
}

func appendSpaces(b []byte, n int) []byte {
	for ; n > 0; n-- {
		b = append(b, ' ')
	}
	return b
}

// LogValue implements slog.LogValuer.
func (s Secret) LogValue() slog.Value { return slog.StringValue(redacted) }

// MarshalJSON implements json.Marshaler.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(`"` + redacted + `"`), nil }

// MarshalText implements encoding.TextMarshaler.
func (s Secret) MarshalText() ([]byte, error) { return []byte(redacted), nil }
