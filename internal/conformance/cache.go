package conformance

import "testing"

// cacheCases are the table rows about the attach and login cache: whole
// identities, Forget, partial bundles.
func cacheCases(t testing.TB) []Case { return nil }

// cacheChecks runs the checks about the attach and login cache that need
// more than one request; each builds its own app with start.
func cacheChecks(t *testing.T, start Start) {}
