// Package vendorconfig holds the checks the LiveKit and Twilio providers'
// constructors share. Every error is a *core.ConfigError that names the
// Config field and never contains the value.
package vendorconfig

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// Error returns a *core.ConfigError of vendor's Config field.
func Error(vendor, field, msg string) error {
	return &core.ConfigError{Provider: vendor, Field: field, Message: msg}
}

// Name returns the provider name: name, or vendor when name is empty. A
// name is 1 to 64 lower-case letters, digits, '-' and '_'.
func Name(vendor, name string) (string, error) {
	if name == "" {
		return vendor, nil
	}
	if len(name) > 64 || strings.TrimLeft(name, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
		return "", Error(vendor, "Name", "want 1 to 64 lower-case letters, digits, '-' and '_'")
	}
	return name, nil
}

// Text refuses a value that is empty, shorter than min or longer than max
// bytes, not UTF-8, or holds whitespace or a control character (a pasted
// newline, say).
func Text(vendor, field, v string, min, max int) error {
	switch {
	case v == "":
		return Error(vendor, field, "is empty")
	case len(v) < min:
		return Error(vendor, field, fmt.Sprintf("is shorter than %d bytes", min))
	case len(v) > max:
		return Error(vendor, field, fmt.Sprintf("is longer than %d bytes", max))
	case !utf8.ValidString(v) || strings.IndexFunc(v, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return Error(vendor, field, "is not UTF-8 text without whitespace and control characters")
	}
	return nil
}
