package token04

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

var escapeSamples = []string{
	"", "plain", `q"uote`, `back\slash`, "<tag>&amp;", "\u2028\u2029", "\x00\x01\x08\x0c\x1f\x7f",
	"tab\tnl\ncr\r", "é李😀", "bad\xffutf8\xc3", "/slash", "'apos'", "\ud7ff\ue000\uffff",
}

func randomString(r *rand.Rand, n int) string {
	const pool = "aZ09-_.!~*'()<>&\"\\/ %#+=?\t\n\x00\x7f"
	var b strings.Builder
	for range n {
		switch r.IntN(5) {
		case 0:
			b.WriteRune(rune(r.IntN(0x110000)))
		case 1:
			b.WriteByte(byte(r.IntN(256)))
		default:
			b.WriteByte(pool[r.IntN(len(pool))])
		}
	}
	return b.String()
}

func TestAppendGoStringMatchesEncodingJSON(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	samples := append([]string(nil), escapeSamples...)
	for range 2000 {
		samples = append(samples, randomString(r, r.IntN(20)))
	}
	for _, s := range samples {
		want, _ := json.Marshal(s)
		if got := appendGoString(nil, s); !bytes.Equal(got, want) {
			t.Fatalf("appendGoString(%q) = %s, want %s", s, got, want)
		}
		if got := appendGoString(nil, []byte(s)); !bytes.Equal(got, want) {
			t.Fatalf("appendGoString([]byte %q) = %s, want %s", s, got, want)
		}
	}
}

func TestAppendJSString(t *testing.T) {
	for s, want := range map[string]string{
		`r"o\o<m>&1`:         `"r\"o\\o<m>&1"`,
		"\b\f\n\r\t\x01\x1f": `"\b\f\n\r\t\u0001\u001f"`,
		"\u2028é\x7f":        "\"\u2028é\x7f\"",
	} {
		got, ok := appendJSString(nil, s)
		if !ok || string(got) != want {
			t.Errorf("appendJSString(%q) = %s, want %s", s, got, want)
		}
	}
	if _, ok := appendJSString(nil, "a\xff"); ok {
		t.Error("invalid UTF-8 accepted")
	}
	r := rand.New(rand.NewPCG(3, 4))
	for range 2000 {
		s := strings.ToValidUTF8(randomString(r, r.IntN(20)), "?")
		got, _ := appendJSString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil || back != s {
			t.Fatalf("appendJSString(%q) = %s does not round-trip: %v", s, got, err)
		}
	}
}

func TestURIComponent(t *testing.T) {
	for in, want := range map[string]string{
		"Zoë 😀 李":                       "Zo%C3%AB%20%F0%9F%98%80%20%E6%9D%8E",
		"a b&c=d/e?f#g+h%i'j(k)l*m!n~o": "a%20b%26c%3Dd%2Fe%3Ff%23g%2Bh%25i'j(k)l*m!n~o",
		"AZaz09-_.":                     "AZaz09-_.",
		"":                              "",
	} {
		if got := string(appendURIComponent(nil, in)); got != want {
			t.Errorf("encodeURIComponent(%q) = %q, want %q", in, got, want)
		}
		if got, ok := decodeURIComponent(want); !ok || got != in {
			t.Errorf("decodeURIComponent(%q) = %q %v", want, got, ok)
		}
	}
	for _, bad := range []string{"%", "%4", "%zz", "%C3", "%C3%41", "%80", "%FF", "%ED%A0%80", "%C0%AF", "%F4%90%80%80", "%E6%9D"} {
		if got, ok := decodeURIComponent(bad); ok {
			t.Errorf("decodeURIComponent(%q) = %q, want URIError", bad, got)
		}
	}
	// Characters left unescaped are kept (the SDK does the same).
	if got, ok := decodeURIComponent("a+b é%41"); !ok || got != "a+b éA" {
		t.Errorf("decodeURIComponent mixed: %q %v", got, ok)
	}
	// Cross-check with net/url, which differs only in the unreserved set.
	r := rand.New(rand.NewPCG(5, 6))
	for range 2000 {
		s := strings.ToValidUTF8(randomString(r, r.IntN(20)), "?")
		enc := string(appendURIComponent(nil, s))
		if u, err := url.PathUnescape(enc); err != nil || u != s {
			t.Fatalf("net/url cannot undo encodeURIComponent(%q) = %q", s, enc)
		}
		if strings.ContainsAny(enc, " \"#$&+,/:;<=>?@[\\]^`{|}") {
			t.Fatalf("encodeURIComponent(%q) = %q leaves a reserved character", s, enc)
		}
	}
}

func TestLatin1(t *testing.T) {
	if !isLatin1("josé\u00ff") || isLatin1("房间") || isLatin1("a\xff") {
		t.Fatal("isLatin1")
	}
	b := toLatin1([]byte("josé\u00ff!"))
	if string(b) != "jos\xe9\xff!" || fromLatin1(b) != "josé\u00ff!" {
		t.Fatalf("latin1 round trip: %q", b)
	}
}

func TestRandomIVAndNonce(t *testing.T) {
	// Bytes below 252 map to alphabet[b%36]; 252..255 are skipped.
	src := []byte{0, 1, 252, 35, 36, 71, 253, 254, 255, 251, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27}
	iv, err := RandomIV(ModeCBC, bytes.NewReader(src))
	if err != nil {
		t.Fatal(err)
	}
	if string(iv) != "01z0zzabcdefghij" {
		t.Fatalf("iv %q", iv)
	}
	// A reader that keeps returning skipped bytes for a while still fills the IV.
	long := append(bytes.Repeat([]byte{255}, 40), bytes.Repeat([]byte{7}, 40)...)
	if iv, err := RandomIV(ModeCBC, bytes.NewReader(long)); err != nil || string(iv) != "7777777777777777" {
		t.Fatalf("iv %q %v", iv, err)
	}
	if _, err := RandomIV(ModeCBC, constReader(255)); err == nil {
		t.Fatal("a reader of only unusable bytes filled an IV")
	}
	gcm, err := RandomIV(ModeGCM, bytes.NewReader(src))
	if err != nil || !bytes.Equal(gcm, src[:12]) {
		t.Fatalf("gcm nonce %x %v", gcm, err)
	}
	if _, err := RandomIV(Mode(3), bytes.NewReader(src)); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("unknown mode: %v", err)
	}
	if _, err := RandomIV(ModeCBC, bytes.NewReader(src[:5])); err == nil {
		t.Fatal("short reader accepted")
	}
	n, err := RandomNonce(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff}))
	if err != nil || n != 0x7fffffff {
		t.Fatalf("nonce %d %v", n, err)
	}
	// Uniformity: every alphabet character appears about equally often.
	counts := map[byte]int{}
	r := seededRand(4)
	const draws = 2000
	for range draws {
		iv, _ := RandomIV(ModeCBC, r)
		for _, c := range iv {
			counts[c]++
		}
	}
	mean := draws * 16 / 36
	for _, c := range []byte(ivAlphabet) {
		if n := counts[c]; n < mean*4/5 || n > mean*6/5 {
			t.Fatalf("IV character %q drawn %d times, mean %d", c, n, mean)
		}
	}
}

func TestGenerateToken04Errors(t *testing.T) {
	secret := []byte(testSecret)
	ok := Params{AppID: 1, UserID: "u", CTime: 1, Effective: 1, IV: []byte("0123456789abcdef")}
	for _, tc := range []struct {
		name string
		mut  func(*Params)
		want error
	}{
		{"app id", func(p *Params) { p.AppID = 0 }, core.ErrConfig},
		{"user", func(p *Params) { p.UserID = "" }, core.ErrInvalidUser},
		{"effective", func(p *Params) { p.Effective = 0 }, core.ErrInvalidTTL},
		{"overflow", func(p *Params) { p.CTime = 1 << 62; p.Effective = 1 << 62 }, core.ErrInvalidTTL},
		{"cbc iv", func(p *Params) { p.IV = p.IV[:12] }, core.ErrInvalidOption},
		{"gcm iv", func(p *Params) { p.Mode = ModeGCM }, core.ErrInvalidOption},
		{"mode", func(p *Params) { p.Mode = 2 }, core.ErrConfig},
		{"too long", func(p *Params) { p.Payload = strings.Repeat("x", 70000) }, core.ErrInvalidOption},
	} {
		p := ok
		tc.mut(&p)
		_, err := Generate(secret, p)
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.want)
		}
		var ce *core.Error
		if errors.Is(tc.want, core.ErrInvalidTTL) && (!errors.As(err, &ce) || ce.Field != "expire") {
			t.Errorf("%s: %v, want an error naming the expire claim", tc.name, err)
		}
	}
	// The largest payload that fits: 65535 bytes of CBC ciphertext.
	p := ok
	p.Payload = strings.Repeat("x", 65535-16-len(`{"app_id":1,"user_id":"u","ctime":1,"expire":2,"nonce":0,"payload":""}`)-1)
	tok, err := Generate(secret, p)
	if err != nil {
		t.Fatalf("largest token: %v", err)
	}
	if c, err := Decode(tok, secret); err != nil || c.Payload != p.Payload {
		t.Fatalf("largest token decodes: %v", err)
	}
}

func TestDecodeMalformed(t *testing.T) {
	secret := []byte(testSecret)
	valid, _ := Generate(secret, Params{AppID: 1, UserID: "u", CTime: 1, Effective: 9, IV: []byte("0123456789abcdef")})
	gcm, _ := Generate(secret, Params{AppID: 1, UserID: "u", CTime: 1, Effective: 9, Mode: ModeGCM, IV: make([]byte, 12)})
	bin := func(tok string) []byte {
		b, _ := base64.StdEncoding.DecodeString(tok[2:])
		return b
	}
	enc := func(b []byte) string { return Version + encodeB64(b) }
	cbcBin, gcmBin := bin(valid), bin(gcm)
	withTail := func(b []byte, tail ...byte) []byte { return append(append([]byte(nil), b...), tail...) }
	setExpire := func(b []byte, v byte) []byte { c := append([]byte(nil), b...); c[7] = v; return c }
	padded := valid
	if !strings.HasSuffix(padded, "=") {
		padded = enc(withTail(cbcBin, 0))
	}
	for name, tok := range map[string]string{
		"empty":            "",
		"prefix":           "03" + valid[2:],
		"not base64":       "04!!!!",
		"unpadded":         strings.TrimRight(padded, "="),
		"short":            enc(cbcBin[:9]),
		"iv truncated":     enc(cbcBin[:20]),
		"ct truncated":     enc(cbcBin[:len(cbcBin)-1]),
		"mode byte 2":      enc(withTail(cbcBin, 2)),
		"two extra bytes":  enc(withTail(cbcBin, 0, 0)),
		"gcm as cbc":       enc(withTail(gcmBin[:len(gcmBin)-1], 0)),
		"cbc as gcm":       enc(withTail(cbcBin, 1)),
		"clear expire":     enc(setExpire(cbcBin, 99)),
		"gcm clear expire": enc(setExpire(gcmBin, 99)),
		"huge":             Version + strings.Repeat("A", maxTokenLen),
	} {
		if _, err := Decode(tok, secret); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
		// The clear expiry check needs the key; every other framing fault
		// is visible without it.
		if _, err := ParseFrame(tok); !strings.Contains(name, "clear expire") && !errors.Is(err, core.ErrMalformed) {
			t.Errorf("ParseFrame %s: %v, want ErrMalformed", name, err)
		}
	}
	for tok, want := range map[string]Frame{
		valid: {Expire: 10, Mode: ModeCBC, IVLen: 16, CiphertextLen: len(cbcBin) - 28},
		gcm:   {Expire: 10, Mode: ModeGCM, IVLen: 12, CiphertextLen: len(gcmBin) - 25},
	} {
		if f, err := ParseFrame(tok); err != nil || f != want {
			t.Errorf("ParseFrame: %+v %v, want %+v", f, err, want)
		}
	}
	// Explicit mode byte 0 is CBC.
	if c, err := Decode(enc(withTail(cbcBin, 0)), secret); err != nil || c.Mode != ModeCBC {
		t.Errorf("explicit CBC mode byte: %v", err)
	}
	// Flipping a ciphertext bit: GCM fails its tag; CBC garbles a block.
	for name, b := range map[string][]byte{"cbc": cbcBin, "gcm": gcmBin} {
		c := append([]byte(nil), b...)
		c[40] ^= 1
		if _, err := Decode(enc(c), secret); !errors.Is(err, core.ErrSignature) {
			t.Errorf("%s tampered: %v, want ErrSignature", name, err)
		}
	}
	if _, err := Decode(valid, []byte("short")); !errors.Is(err, core.ErrSignature) {
		t.Errorf("bad key length: %v", err)
	}
	if _, err := VerifyKit(valid+"#e30=", []byte("short"), Expect{AppID: 1}); !errors.Is(err, core.ErrSignature) {
		t.Errorf("kit, bad key length: %v", err)
	}
}

// TestDecodePlaintextShapes encrypts hand-written plaintexts and checks
// what the decoder makes of them.
func TestDecodePlaintextShapes(t *testing.T) {
	secret := []byte(testSecret)
	k, _ := NewKey(secret)
	for _, tc := range []struct {
		pt   string
		mode Mode
		want error
	}{
		{`{"app_id":1,"user_id":"u","nonce":-5,"ctime":1,"expire":9}`, ModeCBC, nil},
		{`{"app_id":1,"user_id":"u","nonce":1,"ctime":1,"expire":9,"payload":null}`, ModeGCM, nil},
		{`{"app_id":1,"user_id":"u","nonce":1,"ctime":1,"expire":9,"payload":5}`, ModeCBC, core.ErrMalformed},
		{`{"app_id":1,"user_id":7,"nonce":1,"ctime":1,"expire":9}`, ModeCBC, core.ErrMalformed},
		{`{"app_id":1,"nonce":1,"ctime":1,"expire":9}`, ModeCBC, core.ErrMalformed},
		{`{"app_id":1.5,"user_id":"u","nonce":1,"ctime":1,"expire":9}`, ModeCBC, core.ErrMalformed},
		{`{"app_id":4294967296,"user_id":"u","nonce":1,"ctime":1,"expire":9}`, ModeCBC, core.ErrMalformed},
		{`{"app_id":1,"user_id":"u","nonce":2147483648,"ctime":1,"expire":9}`, ModeGCM, core.ErrMalformed},
		{`{"app_id":1,"user_id":"u","nonce":1,"ctime":1e3,"expire":9}`, ModeGCM, core.ErrMalformed},
		{`[1,2]`, ModeCBC, core.ErrMalformed},
		{`null`, ModeGCM, core.ErrMalformed},
		{``, ModeGCM, core.ErrMalformed},
		{` `, ModeGCM, core.ErrMalformed},
		{``, ModeCBC, core.ErrSignature},
		{`{"APP_ID":1,"user_id":"u","nonce":1,"ctime":1,"expire":9}`, ModeGCM, nil},
		{`not json`, ModeCBC, core.ErrSignature},
		{`not json`, ModeGCM, core.ErrMalformed},
		{"{\"app_id\":1,\"user_id\":\"\xff\"}", ModeCBC, core.ErrSignature},
	} {
		tok := sealRaw(t, k, tc.mode, []byte(tc.pt), 9)
		_, err := Decode(tok, secret)
		if (tc.want == nil && err != nil) || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s %s: %v, want %v", tc.mode, tc.pt, err, tc.want)
		}
	}
	// expire <= ctime: never valid.
	tok := sealRaw(t, k, ModeCBC, []byte(`{"app_id":1,"user_id":"u","nonce":1,"ctime":9,"expire":9}`), 9)
	if _, err := Verify(tok, secret, Expect{AppID: 1}); !errors.Is(err, core.ErrExpired) {
		t.Errorf("expire == ctime: %v", err)
	}
}

// sealRaw builds a token around an arbitrary plaintext.
func sealRaw(t *testing.T, k *Key, mode Mode, pt []byte, expire int64) string {
	t.Helper()
	iv := bytes.Repeat([]byte{'a'}, mode.IVSize())
	var ct []byte
	if mode == ModeGCM {
		ct = k.aead().Seal(nil, iv, pt, nil)
	} else {
		pad := 16 - len(pt)%16
		ct = append(append([]byte(nil), pt...), bytes.Repeat([]byte{byte(pad)}, pad)...)
		cbcEncrypt(k.block, iv, ct)
	}
	b := []byte{0, 0, 0, 0, 0, 0, 0, byte(expire), 0, byte(len(iv))}
	b = append(b, iv...)
	b = append(b, byte(len(ct)>>8), byte(len(ct)))
	b = append(b, ct...)
	if mode == ModeGCM {
		b = append(b, 1)
	}
	return Version + encodeB64(b)
}

func TestRoomPrivilege(t *testing.T) {
	p := RoomPrivilege{RoomID: "r<1>", Login: true, Publish: false, StreamIDs: []string{"a", "b"}}
	want := `{"room_id":"r\u003c1\u003e","privilege":{"1":1,"2":0},"stream_id_list":["a","b"]}`
	if p.Payload() != want {
		t.Fatalf("Payload = %s", p.Payload())
	}
	if got, err := ParseRoomPrivilege(want); err != nil || got.Payload() != want {
		t.Fatalf("ParseRoomPrivilege: %+v %v", got, err)
	}
	if got, err := ParseRoomPrivilege(`{"room_id":"r","privilege":{"2":1}}`); err != nil || got.Login || !got.Publish || got.StreamIDs != nil {
		t.Fatalf("missing key: %+v %v", got, err)
	}
	for _, bad := range []string{"", "null", `{"privilege":{"1":1}}`, `{"room_id":"r","privilege":{"1":2}}`, `{"room_id":1}`, `{"room_id":"r"} x`} {
		if _, err := ParseRoomPrivilege(bad); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("ParseRoomPrivilege(%q): %v", bad, err)
		}
	}
}

// TestClaimsPrivilegeIsACopy: the privilege decoded once with the claims
// is handed out as a copy, so a caller's change does not reach the claims.
func TestClaimsPrivilegeIsACopy(t *testing.T) {
	priv := RoomPrivilege{RoomID: "r", Login: true, Publish: true, StreamIDs: []string{"a"}}
	tok, err := Generate([]byte(testSecret), Params{AppID: testAppID, UserID: "u", Payload: priv.Payload(), CTime: 1, Effective: 60, IV: make([]byte, 16)})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Decode(tok, []byte(testSecret))
	if err != nil {
		t.Fatal(err)
	}
	p, ok := c.Privilege()
	if !ok || p.RoomID != "r" || len(p.StreamIDs) != 1 {
		t.Fatalf("Privilege = %+v %v", p, ok)
	}
	p.StreamIDs[0] = "changed"
	if again, _ := c.Privilege(); again.StreamIDs[0] != "a" || c.Map()["payload_decoded"].(map[string]any)["stream_id_list"].([]string)[0] != "a" {
		t.Fatalf("the claims' privilege was changed through a copy: %+v", again)
	}
}

func TestKitTokenErrors(t *testing.T) {
	for _, tc := range []struct {
		tok  string
		k    Kit
		want error
	}{
		{"04a#b", Kit{AppID: 1, UserID: "u"}, core.ErrInvalidRequest},
		{"04a", Kit{AppID: 1, UserID: "用户"}, core.ErrInvalidUser},
		{"04a", Kit{AppID: 1, UserID: "u", RoomID: "房间"}, core.ErrInvalidRoom},
		{"04a", Kit{AppID: 1, UserID: "u", UserName: "\xff"}, core.ErrInvalidUser},
	} {
		if _, err := KitToken(tc.tok, tc.k); !errors.Is(err, tc.want) {
			t.Errorf("KitToken(%+v): %v, want %v", tc.k, err, tc.want)
		}
	}
	// The errors name the kit part's claims, which the provider renames.
	for claim, k := range map[string]Kit{"userID": {AppID: 1, UserID: "用户"}, "roomID": {AppID: 1, UserID: "u", RoomID: "房间"}, "userName": {AppID: 1, UserID: "u", UserName: "\xff"}} {
		var ce *core.Error
		if _, err := KitToken("04a", k); !errors.As(err, &ce) || ce.Field != claim {
			t.Errorf("KitToken(%+v): %v, want an error naming %s", k, err, claim)
		}
	}
	kitPart := func(js string) string { return "04AAAA#" + encodeB64(toLatin1([]byte(js))) }
	for _, bad := range []string{
		kitPart(`{"userID":"u","roomID":"r","userName":"n"}`),
		kitPart(`{"userID":"u","roomID":"r","userName":"n","appID":-1}`),
		kitPart(`{"userID":"u","roomID":"r","userName":"n","appID":"01"}`),
		kitPart(`{"userID":"u","roomID":"r","userName":"n","appID":1.5}`),
		kitPart(`{"userID":"u","roomID":"r","userName":"n","appID":true}`),
		kitPart(`{"userID":1,"roomID":"r","userName":"n","appID":1}`),
		kitPart(`{"userID":"u","roomID":"r","userName":"%E6","appID":1}`),
		kitPart(`[]`),
		"04AAAA#not base64!",
		"04AAAA",
		"04AAAA#e30=#e30=",
	} {
		if _, _, err := ParseKitToken(bad); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("ParseKitToken(%q): %v", bad, err)
		}
	}
	if _, k, err := ParseKitToken(kitPart(`{"userID":"jos\u00e9","roomID":"","userName":"","appID":"7"}`)); err != nil || k.UserID != "josé" || k.AppID != 7 || !k.AppIDString {
		t.Errorf("ParseKitToken: %+v %v", k, err)
	}
	if utf8.ValidString(string(toLatin1([]byte("é")))) {
		t.Error("kit part must not be UTF-8")
	}
}

func encodeB64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// constReader returns the same byte forever.
type constReader byte

func (c constReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(c)
	}
	return len(p), nil
}
