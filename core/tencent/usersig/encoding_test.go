package usersig

import (
	"bytes"
	"compress/zlib"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// TestStoredZlibMatchesCompressZlib checks the hand-written level-0 zlib
// stream against compress/zlib itself, across the stored-block boundary.
func TestStoredZlibMatchesCompressZlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{0, 1, 200, 65534, 65535, 65536, 131070, 131071, 200000} {
		data := make([]byte, n)
		for i := range data {
			data[i] = byte(rng.Uint32())
		}
		var want bytes.Buffer
		w, err := zlib.NewWriterLevel(&want, zlib.NoCompression)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
		w.Close()
		if got := appendStoredZlib(nil, data); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("%d bytes: stream differs from compress/zlib level 0 (len %d vs %d)", n, len(got), want.Len())
		}
	}
}

// go14Doc mirrors the v1.4 generator's document: encoding/json with these
// tags is the reference for appendJSON14.
type go14Doc struct {
	Version    string `json:"TLS.ver,omitempty"`
	Identifier string `json:"TLS.identifier,omitempty"`
	SdkAppID   uint64 `json:"TLS.sdkappid,omitempty"`
	Expire     int64  `json:"TLS.expire,omitempty"`
	Time       int64  `json:"TLS.time,omitempty"`
	UserBuf    []byte `json:"TLS.userbuf,omitempty"`
	Sig        []byte `json:"TLS.sig,omitempty"`
}

// TestJSONMatchesEncodingJSON compares both layouts with encoding/json for
// identifiers that need escaping (HTML characters, quotes, control
// characters, U+2028, non-ASCII).
func TestJSONMatchesEncodingJSON(t *testing.T) {
	ids := []string{"", "a", "xiaojun", `<script>&"\`, "tab\there", "nl\n\r\b\f\x01\x1f\x7f", "é中文🙂", "line\u2028sep\u2029", strings.Repeat("z", 300)}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 200 {
		ids = append(ids, randomText(rng, rng.IntN(40)))
	}
	for _, id := range ids {
		for _, ub := range [][]byte{nil, {1, 2, 3, 0xfb, 0xff}} {
			sig := make([]byte, 32)
			for i := range sig {
				sig[i] = byte(rng.Uint32())
			}
			sdk, now, exp := uint64(rng.Uint32()), rng.Int64N(1<<40), rng.Int64N(3)*rng.Int64N(1<<30)
			var ub64 []byte
			if ub != nil {
				ub64 = []byte(base64.StdEncoding.EncodeToString(ub))
			}

			var want bytes.Buffer
			json.NewEncoder(&want).Encode(go14Doc{Version, id, sdk, exp, now, ub, sig})
			if got := appendJSON14(nil, id, sdk, now, exp, ub64, sig); !bytes.Equal(got, want.Bytes()) {
				t.Fatalf("v1.4 JSON for %q\n got %s\nwant %s", id, got, want.Bytes())
			}

			m := map[string]any{
				"TLS.ver": Version, "TLS.identifier": id, "TLS.sdkappid": sdk, "TLS.expire": exp,
				"TLS.time": now, "TLS.sig": base64.StdEncoding.EncodeToString(sig),
			}
			if ub != nil {
				m["TLS.userbuf"] = string(ub64)
			}
			want13, _ := json.Marshal(m)
			if got := appendJSON13(nil, id, sdk, now, exp, ub64, ub != nil, sig); !bytes.Equal(got, want13) {
				t.Fatalf("v1.3 JSON for %q\n got %s\nwant %s", id, got, want13)
			}
		}
	}
}

// randomText returns n runes drawn from ASCII, control characters and
// a few multi-byte ranges.
func randomText(rng *rand.Rand, n int) string {
	var b strings.Builder
	for range n {
		switch rng.IntN(4) {
		case 0:
			b.WriteRune(rune(rng.IntN(0x80)))
		case 1:
			b.WriteRune(rune(0x20 + rng.IntN(0x5f)))
		case 2:
			b.WriteRune(rune(0xa0 + rng.IntN(0x3000)))
		default:
			b.WriteRune([]rune{'\u2028', '\u2029', '🙂', '<', '&', '"', '\\'}[rng.IntN(7)])
		}
	}
	return b.String()
}

// TestSignerRoundTrip issues random tokens with the low-level API in both
// styles and checks that Decode and Verify return exactly the inputs.
func TestSignerRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range 500 {
		style := Style(rng.IntN(2))
		sdk := 1 + rng.Uint64N(math.MaxUint32)
		if i%7 == 0 {
			sdk = 1 + rng.Uint64N(math.MaxUint64-1) // the low-level API takes any SDKAppID
		}
		key := core.NewSecret(randomText(rng, 1+rng.IntN(64)))
		s, err := NewSigner(sdk, key, style)
		if err != nil {
			t.Fatal(err)
		}
		user := randomText(rng, rng.IntN(33))
		now := time.Unix(1+rng.Int64N(1<<33), 0)
		expire := rng.Int64N(200 * 86400)
		if i%11 == 0 {
			expire = 0
		}
		var tok string
		var wantBuf []byte
		var wantMap *PrivateMap
		switch rng.IntN(4) {
		case 0:
			tok, err = s.UserSig(user, expire, now)
		case 1:
			wantBuf = make([]byte, rng.IntN(300))
			for j := range wantBuf {
				wantBuf[j] = byte(rng.Uint32())
			}
			tok, err = s.UserSigWithBuf(user, expire, now, wantBuf)
			if len(wantBuf) == 0 {
				wantBuf = nil // an empty userbuf is none
			}
		case 2:
			m := NumericRoomMap(sdk, user, rng.Uint32(), now, expire, rng.Uint32())
			wantMap = &m
			tok, err = s.PrivateMapKey(user, expire, now, m.RoomID, m.PrivilegeMap)
		default:
			room := randomText(rng, rng.IntN(65))
			m := StringRoomMap(sdk, user, room, now, expire, rng.Uint32N(256))
			wantMap = &m
			tok, err = s.PrivateMapKeyWithStringRoomID(user, expire, now, room, m.PrivilegeMap)
		}
		if err != nil {
			t.Fatalf("case %d: issue: %v", i, err)
		}
		c, err := verify(tok, sdk, user, now.Add(time.Duration(expire)*time.Second), key)
		if err != nil {
			t.Fatalf("case %d: verify: %v", i, err)
		}
		if c.UserID != user || c.SDKAppID != sdk || c.Time != now.Unix() || c.Expire != expire || c.Version != Version {
			t.Fatalf("case %d: claims %+v", i, c)
		}
		if wantMap != nil {
			m, err := c.PrivateMap()
			if err != nil || m != *wantMap {
				t.Fatalf("case %d: userbuf %+v (%v), want %+v", i, m, err, *wantMap)
			}
		} else if !bytes.Equal(c.Userbuf, wantBuf) || (c.Userbuf == nil) != (wantBuf == nil) {
			t.Fatalf("case %d: userbuf %x, want %x", i, c.Userbuf, wantBuf)
		}
		wantHdr := "eAE" // 78 01
		if style == StyleGo13 {
			wantHdr = "eJ" // 78 9c
		}
		if !strings.HasPrefix(tok, wantHdr) {
			t.Fatalf("case %d: style %s token starts %.4s", i, style, tok)
		}
		if _, err := verify(tok, sdk, user, now, core.NewSecret(key.Reveal()+"x")); !errors.Is(err, core.ErrSignature) {
			t.Fatalf("case %d: wrong key: %v", i, err)
		}
	}
}

func TestSignerRefusals(t *testing.T) {
	key := core.NewSecret("k")
	if _, err := NewSigner(0, key, StyleGo14); !errors.Is(err, core.ErrConfig) {
		t.Errorf("SDKAppID 0: %v", err)
	}
	if _, err := NewSigner(1, core.Secret{}, StyleGo14); !errors.Is(err, core.ErrConfig) {
		t.Errorf("empty key: %v", err)
	}
	if _, err := NewSigner(1, key, Style(7)); !errors.Is(err, core.ErrConfig) {
		t.Errorf("unknown style: %v", err)
	}
	s, _ := NewSigner(1400000000, key, StyleGo14)
	now := time.Unix(1700000000, 0)
	// Each error names the claim at fault.
	for name, c := range map[string]struct {
		err   error
		claim string
		call  func() (string, error)
	}{
		"invalid utf-8":   {core.ErrInvalidUser, "TLS.identifier", func() (string, error) { return s.UserSig("a\xffb", 60, now) }},
		"negative expire": {core.ErrInvalidTTL, "TLS.expire", func() (string, error) { return s.UserSig("a", -1, now) }},
		"overflow":        {core.ErrInvalidTTL, "TLS.expire", func() (string, error) { return s.UserSig("a", math.MaxInt64, now) }},
		"epoch":           {core.ErrInvalidRequest, "TLS.time", func() (string, error) { return s.UserSig("a", 60, time.Unix(0, 0)) }},
		"long account": {core.ErrInvalidUser, "account", func() (string, error) {
			return s.PrivateMapKey(strings.Repeat("a", 70000), 60, now, 1, 255)
		}},
		"long room": {core.ErrInvalidRoom, "roomStr", func() (string, error) {
			return s.PrivateMapKeyWithStringRoomID("a", 60, now, strings.Repeat("r", 70000), 255)
		}},
	} {
		tok, err := c.call()
		var ce *core.Error
		if !errors.Is(err, c.err) || tok != "" || !errors.As(err, &ce) || ce.Field != c.claim {
			t.Errorf("%s: %q, %v; want %v naming %s", name, tok, err, c.err, c.claim)
		}
	}
}

func TestPrivateMapEncoding(t *testing.T) {
	m := PrivateMap{Version: MapStringRoom, Account: "u", SDKAppID: 7, RoomID: 0, ExpTime: 9, PrivilegeMap: 42, RoomStr: "r1"}
	b, err := m.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	const fixed = "0001" + "75" + "00000007" + "00000000" + "00000009" + "0000002a" + "00000000"
	const want = "01" + fixed + "0002" + "7231"
	if got := hex.EncodeToString(b); got != want {
		t.Fatalf("wire %s, want %s", got, want)
	}
	back, err := ParsePrivateMap(b)
	if err != nil || back != m {
		t.Fatalf("parse: %+v, %v", back, err)
	}
	if back.Room() != "r1" || (PrivateMap{RoomID: 12}).Room() != "12" {
		t.Errorf("Room() wrong")
	}
	if _, err := (PrivateMap{Version: 2}).MarshalBinary(); err == nil {
		t.Error("version 2 encoded")
	}
	if _, err := (PrivateMap{RoomStr: "x"}).MarshalBinary(); !errors.Is(err, core.ErrInvalidRoom) {
		t.Errorf("string room with version 0: %v", err)
	}
	for _, bad := range []string{
		"", "00", "000001", // too short
		"00" + fixed[:len(fixed)-2], // numeric layout one byte short
		"00" + fixed + "00",         // numeric layout with a trailing byte
		"02" + fixed,                // unknown version
		"01" + fixed,                // string layout without the room length
		"01" + fixed + "00",         // half a room length
		want[:len(want)-2],          // room string truncated
		want + "00",                 // trailing byte
	} {
		if _, err := ParsePrivateMap(mustHex(t, bad)); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("parse %s: %v, want ErrMalformed", bad, err)
		}
	}
	if got := (PrivateMap{ExpTime: 304}).ExpiresAt(); got.Unix() != 304 {
		t.Errorf("ExpiresAt %v", got)
	}
}

// TestSignerConcurrent issues and verifies from many goroutines at once
// (run with -race): the pooled buffers must not leak between calls.
func TestSignerConcurrent(t *testing.T) {
	for _, style := range []Style{StyleGo14, StyleGo13} {
		key := core.NewSecret(benchKey)
		s, _ := NewSigner(benchApp, key, style)
		want := map[string]string{}
		for i := range 8 {
			user := "user_" + strings.Repeat("x", i*3)
			want[user], _ = s.PrivateMapKeyWithStringRoomID(user, 60, benchNow, strings.Repeat("r", 1+i*7), PrivAll)
		}
		errs := make(chan error, 64)
		for g := range 16 {
			go func() {
				var err error
				for i := range 200 {
					user := "user_" + strings.Repeat("x", (g+i)%8*3)
					tok, _ := s.PrivateMapKeyWithStringRoomID(user, 60, benchNow, strings.Repeat("r", 1+(g+i)%8*7), PrivAll)
					if tok != want[user] {
						err = errors.New("token differs under concurrency")
						break
					}
					if _, err = verify(tok, benchApp, user, benchNow, key); err != nil {
						break
					}
				}
				errs <- err
			}()
		}
		for range 16 {
			if err := <-errs; err != nil {
				t.Fatal(err)
			}
		}
	}
}
