package testutil

import (
	"encoding/base64"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// Segment returns the base64url-decoded segment i of a compact JWS.
func Segment(t testing.TB, token string, i int) string {
	t.Helper()
	seg := strings.Split(token, ".")
	if len(seg) != 3 {
		t.Fatalf("%d segments", len(seg))
	}
	b, err := base64.RawURLEncoding.DecodeString(seg[i])
	if err != nil {
		t.Fatalf("segment %d: %v", i, err)
	}
	return string(b)
}

// SameJSONObject fails the test unless got and want are the same JSON
// object text, naming every member that differs before comparing the
// bytes.
func SameJSONObject(t testing.TB, what, got, want string) {
	t.Helper()
	var g, w map[string]any
	if json.Unmarshal([]byte(got), &g) != nil || json.Unmarshal([]byte(want), &w) != nil {
		t.Fatalf("%s: not JSON objects:\n%s\n%s", what, got, want)
	}
	for k, wv := range w {
		if gv, ok := g[k]; !ok || !reflect.DeepEqual(gv, wv) {
			t.Errorf("%s member %q: got %v, want %v", what, k, gv, wv)
		}
	}
	for k, gv := range g {
		if _, ok := w[k]; !ok {
			t.Errorf("%s member %q: got %v, want none", what, k, gv)
		}
	}
	if got != want {
		t.Errorf("%s bytes:\n got %s\nwant %s", what, got, want)
	}
}

// TamperJWS changes every character of a compact JWS to two others of the
// base64url alphabet (or '.'), and swaps its payload and signature with
// other's, and fails the test if verify accepts any result or its error
// does not wrap exactly one verification sentinel.
func TamperJWS(t testing.TB, token, other string, verify func(string) error) {
	t.Helper()
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_."
	for i := range len(token) {
		for _, c := range []byte{alphabet[i%len(alphabet)], alphabet[(i+7)%len(alphabet)]} {
			if c == token[i] {
				continue
			}
			bad := token[:i] + string(c) + token[i+1:]
			if err := verify(bad); err == nil || !OneVerifyError(err) {
				t.Fatalf("byte %d changed to %q: %v", i, c, err)
			}
		}
	}
	a, b := strings.Split(token, "."), strings.Split(other, ".")
	if len(a) != 3 || len(b) != 3 {
		t.Fatal("not compact JWS tokens")
	}
	for _, mixed := range []string{a[0] + "." + b[1] + "." + a[2], a[0] + "." + a[1] + "." + b[2], a[0] + "." + a[1] + ".", a[0] + "." + a[1], b[0] + "." + a[1] + "." + a[2]} {
		if mixed == token {
			continue
		}
		if err := verify(mixed); err == nil || !OneVerifyError(err) {
			t.Fatalf("%s: %v", mixed, err)
		}
	}
}

// SameJWS fails the test unless the compact JWS got, made without error,
// is want: its header and payload compared member by member with
// headerJSON and payloadJSON, then the bytes of the whole token.
func SameJWS(t testing.TB, got string, err error, headerJSON, payloadJSON, want string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	SameJSONObject(t, "header", Segment(t, got, 0), headerJSON)
	SameJSONObject(t, "payload", Segment(t, got, 1), payloadJSON)
	if got != want {
		t.Errorf("token:\n got %s\nwant %s", got, want)
	}
}
