package usersig

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/internal/vectors"
)

// addVectorTokens seeds f with every token of the vector file.
func addVectorTokens(f *testing.F) {
	for _, tok := range vectors.Tokens(f) {
		f.Add(tok)
	}
	f.Add("")
	f.Add("eJ")
	f.Add(wrap(`{"TLS.ver":"2.0"}`))
}

// oneSentinel reports whether err wraps exactly one verification sentinel.
func oneSentinel(err error) bool {
	n := 0
	for _, s := range []error{core.ErrMalformed, core.ErrSignature, core.ErrMismatch, core.ErrExpired} {
		if errors.Is(err, s) {
			n++
		}
	}
	return n == 1
}

// FuzzDecode: Decode never panics, fails only with ErrMalformed, and what
// it accepts survives a re-issue with the same fields.
func FuzzDecode(f *testing.F) {
	addVectorTokens(f)
	f.Fuzz(func(t *testing.T, token string) {
		c, err := Decode(token)
		if err != nil {
			if !errors.Is(err, core.ErrMalformed) || !oneSentinel(err) {
				t.Fatalf("error %v does not wrap only ErrMalformed", err)
			}
			return
		}
		if c.Version != Version || c.Time < 0 {
			t.Fatalf("accepted claims %+v", c)
		}
		_ = c.Map()
		_, _ = c.PrivateMap()
		if err := c.VerifySignature(core.NewSecret("k")); err != nil && !errors.Is(err, core.ErrSignature) {
			t.Fatalf("VerifySignature: %v", err)
		}
	})
}

// FuzzParsePrivateMap: parsing never panics and whatever parses encodes
// back to the same bytes.
func FuzzParsePrivateMap(f *testing.F) {
	for _, c := range vectors.Load(f).Cases {
		if c.UserbufHex != "" {
			f.Add(mustHex(f, c.UserbufHex))
		}
	}
	f.Add([]byte{})
	f.Add([]byte{1, 0, 0})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, err := ParsePrivateMap(b)
		if err != nil {
			if !errors.Is(err, core.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		out, err := m.MarshalBinary()
		if err != nil || !bytes.Equal(out, b) {
			t.Fatalf("round trip: %x (%v), want %x", out, err, b)
		}
	})
}

// FuzzParseJSON compares the UserSig JSON reader with encoding/json: it
// accepts nothing encoding/json rejects, and the values it reads for the
// TLS.* keys are encoding/json's.
func FuzzParseJSON(f *testing.F) {
	for _, c := range vectors.Load(f).Cases {
		for _, e := range c.Expected {
			f.Add([]byte(e.JSON))
		}
	}
	f.Add([]byte(`{"TLS.ver":"2.0","x":[1,-2.5e+3,{"a":null,"b":[true,false]},"\ud83d\ude00"],"TLS.sdkappid":1,"TLS.time":2,"TLS.sig":""}`))
	f.Add([]byte(`{"TLS.ver":"2\u002e0","TLS.identifier":"\"\\\/\b\f\n\r\t\u00e9","TLS.sdkappid":1,"TLS.time":2,"TLS.sig":"AA=="}`))
	f.Fuzz(func(t *testing.T, text []byte) {
		c, err := parseJSON(text)
		if err != nil {
			if !errors.Is(err, core.ErrMalformed) {
				t.Fatalf("error %v does not wrap ErrMalformed", err)
			}
			return
		}
		if !json.Valid(text) {
			t.Fatalf("accepted invalid JSON %q", text)
		}
		var ref map[string]json.RawMessage
		if err := json.Unmarshal(text, &ref); err != nil {
			t.Fatalf("encoding/json: %v", err)
		}
		var ver, id, sig string
		json.Unmarshal(ref["TLS.ver"], &ver)
		json.Unmarshal(ref["TLS.identifier"], &id)
		json.Unmarshal(ref["TLS.sig"], &sig)
		var app uint64
		var tm, exp int64
		json.Unmarshal(ref["TLS.sdkappid"], &app)
		json.Unmarshal(ref["TLS.time"], &tm)
		json.Unmarshal(ref["TLS.expire"], &exp)
		if c.Version != ver || c.UserID != id || c.SDKAppID != app || c.Time != tm || c.Expire != exp ||
			base64.StdEncoding.EncodeToString(c.Sig) != sig {
			t.Fatalf("claims %+v differ from encoding/json's %q %q %d %d %d %q", c, ver, id, app, tm, exp, sig)
		}
		if ub, ok := ref["TLS.userbuf"]; ok != (c.Userbuf != nil) {
			t.Fatalf("userbuf presence differs: %s vs %x", ub, c.Userbuf)
		}
	})
}

// TestParseJSONSkipsAnyValue checks that values under unknown keys, however
// nested, are skipped.
func TestParseJSONSkipsAnyValue(t *testing.T) {
	const tail = `"TLS.ver":"2.0","TLS.sdkappid":1,"TLS.time":2,"TLS.sig":"AA=="}`
	for _, v := range []string{`0`, `-0`, `1.5`, `-1e10`, `2E-3`, `1.0e+2`, `""`, `"\u00e9\ud83d\ude00"`, `true`, `false`, `null`, `[]`, `{}`,
		`[1,[2,[3,{"a":{"b":[null]}}]]]`, ` { "k" : [ 1 , 2 ] } `} {
		if _, err := parseJSON([]byte(`{"x":` + v + `,` + tail)); err != nil {
			t.Errorf("%s: %v", v, err)
		}
	}
	for _, v := range []string{`01`, `-`, `1.`, `.5`, `1e`, `+1`, `"\ud83d"`, `"\x"`, "\"\x01\"", "\"\xff\"", `tru`, `nul`, `[1,]`, `{"a"}`, `{"a":1,}`, `[`,
		strings.Repeat("[", 40) + strings.Repeat("]", 40)} {
		if _, err := parseJSON([]byte(`{"x":` + v + `,` + tail)); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", v, err)
		}
	}
}
