package usersig

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// wrap turns a JSON text into a token (zlib level 0, Tencent base64).
func wrap(text string) string {
	return tokenEncoding.EncodeToString(appendStoredZlib(nil, []byte(text)))
}

const testKey = "test-key"

// verify decodes token and checks it as the tencent package does: the
// signature with each key in turn, then the SDKAppID, the user (when not
// empty) and the expiry at now.
func verify(token string, sdk uint64, user string, now time.Time, keys ...core.Secret) (*Claims, error) {
	c, err := Decode(token)
	if err != nil {
		return nil, err
	}
	err = fmt.Errorf("%w: no key", core.ErrSignature)
	for _, k := range keys {
		if err = c.VerifySignature(k); err == nil {
			break
		}
	}
	switch {
	case err != nil:
	case c.SDKAppID != sdk || user != "" && c.UserID != user:
		err = fmt.Errorf("%w: another app or user", core.ErrMismatch)
	case now.Unix() > c.Time+c.Expire:
		err = fmt.Errorf("%w: expired", core.ErrExpired)
	}
	if err != nil {
		return nil, err
	}
	return c, nil
}

// sigFor returns the base64 TLS.sig of the given fields under testKey.
func sigFor(id string, sdk uint64, now, expire int64, ub64 string, hasBuf bool) string {
	text := appendSigningText(nil, id, sdk, now, expire, []byte(ub64), hasBuf)
	return base64.StdEncoding.EncodeToString(hmacOf(testKey, string(text)))
}

func TestDecodeAcceptsLayouts(t *testing.T) {
	sig := sigFor("u", 5, 100, 60, "", false)
	for name, text := range map[string]string{
		"compact":        `{"TLS.ver":"2.0","TLS.identifier":"u","TLS.sdkappid":5,"TLS.expire":60,"TLS.time":100,"TLS.sig":"` + sig + `"}`,
		"spaced":         "{ \"TLS.ver\" : \"2.0\",\n \"TLS.identifier\": \"\\u0075\", \"TLS.sdkappid\": 5, \"TLS.expire\": 60, \"TLS.time\": 100, \"TLS.sig\": \"" + sig + "\" }\n",
		"php slashes":    `{"TLS.ver":"2.0","TLS.identifier":"u","TLS.sdkappid":5,"TLS.expire":60,"TLS.time":100,"TLS.sig":"` + strings.ReplaceAll(sig, "/", `\/`) + `"}`,
		"unknown key":    `{"TLS.ver":"2.0","extra":{"a":[1,2]},"TLS.identifier":"u","TLS.sdkappid":5,"TLS.expire":60,"TLS.time":100,"TLS.sig":"` + sig + `"}`,
		"reversed order": `{"TLS.sig":"` + sig + `","TLS.time":100,"TLS.expire":60,"TLS.sdkappid":5,"TLS.identifier":"u","TLS.ver":"2.0"}`,
	} {
		t.Run(name, func(t *testing.T) {
			c, err := verify(wrap(text), 5, "u", time.Unix(160, 0), core.NewSecret(testKey))
			if err != nil {
				t.Fatal(err)
			}
			if c.UserID != "u" || c.SDKAppID != 5 || c.Time != 100 || c.Expire != 60 || c.Userbuf != nil {
				t.Fatalf("claims %+v", c)
			}
		})
	}
	// Padding may be left out (the Node decoder re-pads).
	tok := wrap(`{"TLS.ver":"2.0","TLS.identifier":"u","TLS.sdkappid":5,"TLS.expire":60,"TLS.time":100,"TLS.sig":"` + sig + `"}`)
	if !strings.HasSuffix(tok, "_") {
		t.Skip("test token happens to need no padding")
	}
	if _, err := verify(strings.TrimRight(tok, "_"), 5, "u", time.Unix(100, 0), core.NewSecret(testKey)); err != nil {
		t.Fatalf("unpadded token: %v", err)
	}
}

func TestDecodeRejectsMalformed(t *testing.T) {
	sig := sigFor("u", 5, 100, 60, "", false)
	head := `{"TLS.ver":"2.0","TLS.identifier":"u","TLS.sdkappid":5,"TLS.expire":60,"TLS.time":100`
	good := head + `,"TLS.sig":"` + sig + `"}`
	goodTok := wrap(good)
	var level9 bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&level9, zlib.BestCompression)
	zw.Write([]byte(`{"TLS.ver":"2.0"` + strings.Repeat(" ", maxInflatedLen) + `}`))
	zw.Close()

	tokens := map[string]string{
		"empty":              "",
		"too long":           strings.Repeat("A", MaxTokenLen+4),
		"std alphabet":       strings.NewReplacer("*", "+", "-", "/", "_", "=").Replace(goodTok) + "+/",
		"space":              goodTok[:10] + " " + goodTok[10:],
		"bad padding":        goodTok + "____",
		"not zlib":           tokenEncoding.EncodeToString([]byte("hello world!")),
		"truncated zlib":     tokenEncoding.EncodeToString(appendStoredZlib(nil, []byte(good))[:40]),
		"bad checksum":       tokenEncoding.EncodeToString(append(appendStoredZlib(nil, []byte(good))[:len(appendStoredZlib(nil, []byte(good)))-1], 0)),
		"bytes after zlib":   tokenEncoding.EncodeToString(append(appendStoredZlib(nil, []byte(good)), 0)),
		"zlib bomb":          tokenEncoding.EncodeToString(level9.Bytes()),
		"array":              wrap(`[1]`),
		"string":             wrap(`"TLS.ver"`),
		"open object":        wrap(head),
		"trailing object":    wrap(good + `{}`),
		"trailing garbage":   wrap(good + ` x`),
		"duplicate key":      wrap(head + `,"TLS.time":100,"TLS.sig":"` + sig + `"}`),
		"no ver":             wrap(`{"TLS.identifier":"u","TLS.sdkappid":5,"TLS.expire":60,"TLS.time":100,"TLS.sig":"` + sig + `"}`),
		"ver 3":              wrap(strings.Replace(good, `"2.0"`, `"3.0"`, 1)),
		"ver number":         wrap(strings.Replace(good, `"2.0"`, `2.0`, 1)),
		"nested ver":         wrap(strings.Replace(good, `"2.0"`, `{}`, 1)),
		"no sdkappid":        wrap(strings.Replace(good, `"TLS.sdkappid":5,`, ``, 1)),
		"no time":            wrap(strings.Replace(good, `,"TLS.time":100`, ``, 1)),
		"no sig":             wrap(head + `}`),
		"sdkappid string":    wrap(strings.Replace(good, `"TLS.sdkappid":5`, `"TLS.sdkappid":"5"`, 1)),
		"sdkappid float":     wrap(strings.Replace(good, `"TLS.sdkappid":5`, `"TLS.sdkappid":5.0`, 1)),
		"sdkappid exponent":  wrap(strings.Replace(good, `"TLS.sdkappid":5`, `"TLS.sdkappid":5e0`, 1)),
		"sdkappid negative":  wrap(strings.Replace(good, `"TLS.sdkappid":5`, `"TLS.sdkappid":-5`, 1)),
		"sdkappid too big":   wrap(strings.Replace(good, `"TLS.sdkappid":5`, `"TLS.sdkappid":18446744073709551616`, 1)),
		"identifier number":  wrap(strings.Replace(good, `"TLS.identifier":"u"`, `"TLS.identifier":1`, 1)),
		"time negative":      wrap(strings.Replace(good, `"TLS.time":100`, `"TLS.time":-100`, 1)),
		"expire overflow":    wrap(strings.Replace(good, `"TLS.expire":60`, `"TLS.expire":9223372036854775807`, 1)),
		"sig not base64":     wrap(head + `,"TLS.sig":"not base64!"}`),
		"sig unpadded":       wrap(head + `,"TLS.sig":"` + strings.TrimRight(sig, "=") + `"}`),
		"sig with newline":   wrap(head + `,"TLS.sig":"` + sig[:8] + `\n` + sig[8:] + `"}`),
		"sig null":           wrap(head + `,"TLS.sig":null}`),
		"userbuf not base64": wrap(head + `,"TLS.userbuf":"***","TLS.sig":"` + sig + `"}`),
		"legacy v1":          wrap(`{"TLS.account_type":"0","TLS.identifier":"u","TLS.appid_at_3rd":"0","TLS.sdk_appid":"5","TLS.expire_after":"60","TLS.version":"201610110000","TLS.time":"100","TLS.sig":"MEUCIQ=="}`),
	}
	for name, tok := range tokens {
		t.Run(name, func(t *testing.T) {
			_, err := Decode(tok)
			checkSentinel(t, "Decode", err, core.ErrMalformed)
			if tok != "" && len(tok) > 20 && strings.Contains(err.Error(), tok[:20]) {
				t.Errorf("error message contains the token: %v", err)
			}
		})
	}
	if _, err := Decode(goodTok); err != nil {
		t.Fatalf("the unmodified token: %v", err)
	}
}

// TestClaims covers a negative TLS.expire and the userbuf accessors.
func TestClaims(t *testing.T) {
	key := core.NewSecret(testKey)
	s, _ := NewSigner(5, key, StyleGo14)
	now := time.Unix(1000, 0)
	tok, err := s.UserSig("alice", 60, now)
	if err != nil {
		t.Fatal(err)
	}
	negative := `{"TLS.ver":"2.0","TLS.identifier":"u","TLS.sdkappid":5,"TLS.expire":-1,"TLS.time":100,"TLS.sig":"` + sigFor("u", 5, 100, -1, "", false) + `"}`
	if _, err := verify(wrap(negative), 5, "u", time.Unix(100, 0), key); !errors.Is(err, core.ErrExpired) {
		t.Errorf("negative expire: %v, want ErrExpired", err)
	}
	cl, _ := Decode(tok)
	if _, err := cl.PrivateMap(); !errors.Is(err, core.ErrMismatch) {
		t.Errorf("PrivateMap of a plain UserSig: %v", err)
	}
	opaque, _ := s.UserSigWithBuf("alice", 60, now, []byte("abc"))
	cl, _ = Decode(opaque)
	if _, err := cl.PrivateMap(); !errors.Is(err, core.ErrMalformed) {
		t.Errorf("PrivateMap of an opaque userbuf: %v", err)
	}
	if got := cl.Map()["TLS.userbuf"]; got != "YWJj" {
		t.Errorf("Map userbuf %v", got)
	}
}

func TestStyleString(t *testing.T) {
	for s, want := range map[Style]string{StyleGo14: "go-v1.4", StyleGo13: "go-v1.3", 9: "Style(9)"} {
		if s.String() != want {
			t.Errorf("%d: %s", s, s.String())
		}
	}
	sg, _ := NewSigner(3, core.NewSecret("k"), StyleGo13)
	if sg.SDKAppID() != 3 || sg.Style() != StyleGo13 {
		t.Error("accessors")
	}
}
