package usersig

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/jsonscan"
)

// The TLS.* keys a UserSig v2 carries. Their index is their bit in
// parseJSON's duplicate check.
var claimKeys = [...]string{"TLS.ver", "TLS.identifier", "TLS.sdkappid", "TLS.expire", "TLS.time", "TLS.userbuf", "TLS.sig"}

const (
	keyVer = 1 << iota
	keyIdentifier
	keySDKAppID
	keyExpire
	keyTime
	keyUserbuf
	keySig
)

// jsonOptions read a UserSig strictly: a lone surrogate escape is
// malformed, and nesting under unknown keys is bounded (32 levels of
// arrays and objects inside the top-level one). Duplicate unknown keys are
// ignored like their values; parseJSON refuses duplicate TLS.* keys.
var jsonOptions = jsonscan.Options{MaxDepth: 33, AllowDuplicateKeys: true}

var errNotObject = fmt.Errorf("%w: tencent: payload is not a JSON object", core.ErrMalformed)

func badValue(key string) error {
	return fmt.Errorf("%w: tencent: bad value for %s", core.ErrMalformed, key)
}

// parseJSON reads the flat JSON object of a UserSig (RFC 8259; any
// whitespace and escaping, as Go, Node, Python, PHP and Java write it).
// Duplicate TLS.* keys, invalid UTF-8, non-integer numbers for the integer
// keys and trailing data are malformed. Unknown keys are skipped, as every
// vendor verifier ignores them.
func parseJSON(text []byte) (*Claims, error) {
	s := jsonscan.New(text, jsonOptions)
	c := &Claims{Present: make([]string, 0, len(claimKeys))}
	seen := 0
	err := s.Object(func(key []byte) error {
		for i, k := range claimKeys {
			if string(key) == k {
				if seen&(1<<i) != 0 {
					return fmt.Errorf("%w: tencent: duplicate JSON key %s", core.ErrMalformed, k)
				}
				seen |= 1 << i
				c.Present = append(c.Present, k)
				return claim(s, c, i)
			}
		}
		switch string(key) {
		case "TLS.sdk_appid", "TLS.expire_after", "TLS.appid_at_3rd", "TLS.account_type", "TLS.version":
			return fmt.Errorf("%w: tencent: legacy tls-sig-api v1 (ECDSA) UserSig, not verifiable with an HMAC key", core.ErrMalformed)
		}
		_, err := s.Skip()
		return err
	})
	if err != nil {
		if !errors.Is(err, core.ErrMalformed) { // the scanner's own
			err = errNotObject
		}
		return nil, err
	}
	switch {
	case s.End() != nil:
		return nil, fmt.Errorf("%w: tencent: data after the JSON object", core.ErrMalformed)
	case seen&keyVer == 0 || c.Version != Version:
		return nil, fmt.Errorf("%w: tencent: TLS.ver is not %q", core.ErrMalformed, Version)
	case seen&(keySDKAppID|keyTime|keySig) != keySDKAppID|keyTime|keySig:
		return nil, fmt.Errorf("%w: tencent: TLS.sdkappid, TLS.time and TLS.sig are required", core.ErrMalformed)
	case c.Time < 0 || c.Expire > 0 && c.Time+c.Expire < c.Time: // a negative expire is merely expired
		return nil, fmt.Errorf("%w: tencent: TLS.time/TLS.expire out of range", core.ErrMalformed)
	}
	return c, nil
}

// claim reads the value of claimKeys[i] into c.
func claim(s *jsonscan.Scanner, c *Claims, i int) error {
	var err error
	switch bit := 1 << i; bit {
	case keyVer, keyIdentifier:
		var v []byte
		if v, err = s.String(nil); err == nil {
			if bit == keyVer {
				c.Version = string(v)
			} else {
				c.UserID = string(v)
			}
		}
	case keySDKAppID, keyTime, keyExpire:
		n, ok := integer(s)
		if !ok {
			return badValue(claimKeys[i])
		}
		switch bit {
		case keySDKAppID:
			c.SDKAppID, err = strconv.ParseUint(string(n), 10, 64)
		case keyTime:
			c.Time, err = strconv.ParseInt(string(n), 10, 64)
		default:
			c.Expire, err = strconv.ParseInt(string(n), 10, 64)
		}
	case keyUserbuf, keySig:
		var v, b []byte
		if v, err = s.String(nil); err == nil {
			// Canonical padded standard base64 only: the signature covers
			// the re-encoded text.
			var ok bool
			if b, ok = decodeBase64(v); !ok {
				return badValue(claimKeys[i])
			}
			if bit == keyUserbuf {
				c.Userbuf = b
			} else {
				c.Sig = b
			}
		}
	}
	if err != nil {
		return badValue(claimKeys[i])
	}
	return nil
}

// integer reads a JSON number that is a plain integer. A fraction, an
// exponent or a leading zero before more digits makes it a bad value
// rather than bad JSON.
func integer(s *jsonscan.Scanner) ([]byte, bool) {
	n, err := s.Number()
	if err != nil || bytes.ContainsAny(n, ".eE") {
		return nil, false
	}
	if c := s.Peek(); (string(n) == "0" || string(n) == "-0") && '0' <= c && c <= '9' {
		return nil, false
	}
	return n, true
}

func decodeBase64(s []byte) ([]byte, bool) {
	b := make([]byte, base64.StdEncoding.DecodedLen(len(s)))
	n, err := base64.StdEncoding.Strict().Decode(b, s)
	// The decoder skips '\r' and '\n'; the length check refuses them.
	if err != nil || base64.StdEncoding.EncodedLen(n) != len(s) {
		return nil, false
	}
	return b[:n], true
}
