package testutil

import (
	"errors"

	"github.com/rtctoken/rtctoken/core"
)

// OneVerifyError reports whether err wraps exactly one of the verification
// sentinels (core.ErrMalformed, ErrSignature, ErrExpired, ErrMismatch), as
// every vendor's Verify and Parse errors must.
func OneVerifyError(err error) bool {
	n := 0
	for _, s := range []error{core.ErrMalformed, core.ErrSignature, core.ErrExpired, core.ErrMismatch} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n == 1
}
