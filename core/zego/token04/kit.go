package token04

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// KitSeparator separates the Token04 from the kit part of a Kit Token.
const KitSeparator = "#"

// maxKitPart bounds the base64 kit part a decoder looks at.
const maxKitPart = 1 << 16

// Kit is the kit part of a UIKit Kit Token: who joins which room under
// which name. The UIKit SDK (ZegoUIKitPrebuilt.create) reads it together
// with the Token04 in front of it. Nothing authenticates it: a decoded Kit
// says what the token's holder wrote, and only VerifyKit relates it
// to the Token04.
type Kit struct {
	AppID uint32
	// AppIDString writes the app id as a JSON string. The JavaScript
	// generator keeps the type it is given and the SDK accepts both (it
	// multiplies by 1); decoding sets it when the token had a string.
	AppIDString bool
	UserID      string
	RoomID      string
	// UserName is the display name as shown, not URI-encoded.
	UserName string
}

// KitToken returns token04 + "#" + the kit part for k, byte-identical to
// the UIKit's generateKitTokenForProduction(appID, token04, roomID, userID,
// userName): the JSON {"userID","roomID","userName","appID"} as
// JSON.stringify writes it, userName percent-encoded as encodeURIComponent,
// the text taken as Latin-1 bytes (window.btoa) and standard base64.
//
// Like btoa, it refuses a user or room id with a character above U+00FF
// (invalid_user, invalid_room); it also refuses invalid UTF-8 and a token04
// containing "#", which would make the Kit Token ambiguous.
func KitToken(token04 string, k Kit) (string, error) {
	if strings.Contains(token04, KitSeparator) {
		return "", core.Errorf(core.CodeInvalidRequest, "token04", "the Token04 must not contain %q", KitSeparator)
	}
	s := getScratch()
	defer putScratch(s)
	out := append(s.out[:0], token04...)
	out, err := appendKitPart(out, s, &k)
	if err != nil {
		return "", err
	}
	s.out = out
	return string(out), nil
}

// appendKitPart appends "#" + base64(latin1(kit JSON)) to dst.
func appendKitPart(dst []byte, s *scratch, k *Kit) ([]byte, error) {
	switch {
	case !isLatin1(k.UserID):
		return dst, core.Errorf(core.CodeInvalidUser, "userID", "a Kit Token user id must be Latin-1 text")
	case !isLatin1(k.RoomID):
		return dst, core.Errorf(core.CodeInvalidRoom, "roomID", "a Kit Token room must be Latin-1 text")
	case !utf8.ValidString(k.UserName):
		return dst, core.Errorf(core.CodeInvalidUser, "userName", "the user name is not valid UTF-8")
	}
	j := s.json[:0]
	j = append(j, `{"userID":`...)
	j, _ = appendJSString(j, k.UserID)
	j = append(j, `,"roomID":`...)
	j, _ = appendJSString(j, k.RoomID)
	j = append(j, `,"userName":"`...)
	j = appendURIComponent(j, k.UserName)
	j = append(j, `","appID":`...)
	if k.AppIDString {
		j = append(j, '"')
	}
	j = strconv.AppendUint(j, uint64(k.AppID), 10)
	if k.AppIDString {
		j = append(j, '"')
	}
	j = append(j, '}')
	j = toLatin1(j)
	s.json = j
	dst = append(dst, KitSeparator...)
	return base64.StdEncoding.AppendEncode(dst, j), nil
}

// isLatin1 reports whether s is valid UTF-8 with no rune above U+00FF.
func isLatin1(s string) bool {
	for i := 0; i < len(s); {
		if s[i] < utf8.RuneSelf {
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r > 0xFF || (r == utf8.RuneError && size == 1) {
			return false
		}
		i += size
	}
	return true
}

// toLatin1 rewrites UTF-8 text of runes up to U+00FF as one byte per rune,
// in place (the text only shrinks).
func toLatin1(b []byte) []byte {
	w := 0
	for i := 0; i < len(b); {
		if b[i] < utf8.RuneSelf {
			b[w] = b[i]
			w++
			i++
			continue
		}
		r, size := utf8.DecodeRune(b[i:])
		b[w] = byte(r)
		w++
		i += size
	}
	return b[:w]
}

// fromLatin1 maps each byte to the code point of the same value.
func fromLatin1(b []byte) string {
	out := make([]byte, 0, len(b)+len(b)/4)
	for _, c := range b {
		out = utf8.AppendRune(out, rune(c))
	}
	return string(out)
}

// uriUnreserved marks the ASCII bytes encodeURIComponent leaves alone:
// A-Z a-z 0-9 - _ . ! ~ * ' ( ).
var uriUnreserved = func() (t [128]bool) {
	for _, c := range "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.!~*'()" {
		t[c] = true
	}
	return t
}()

const upperHex = "0123456789ABCDEF"

// appendURIComponent appends JavaScript's encodeURIComponent(s): every
// byte of the UTF-8 form of a reserved character as %XX (upper-case hex).
// s must be valid UTF-8.
func appendURIComponent(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < utf8.RuneSelf && uriUnreserved[c] {
			dst = append(dst, c)
			continue
		}
		dst = append(dst, '%', upperHex[c>>4], upperHex[c&0xF])
	}
	return dst
}

// decodeURIComponent is JavaScript's decodeURIComponent: every %XX escape
// is decoded; a malformed escape or escapes that are not one complete,
// valid UTF-8 sequence per character fail (URIError in JavaScript).
func decodeURIComponent(s string) (string, bool) {
	if !strings.Contains(s, "%") {
		return s, true
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		if s[i] != '%' {
			out = append(out, s[i])
			i++
			continue
		}
		b, ok := unhexByte(s, i)
		if !ok {
			return "", false
		}
		i += 3
		if b < utf8.RuneSelf {
			out = append(out, b)
			continue
		}
		n := 0
		switch {
		case b&0xE0 == 0xC0:
			n = 2
		case b&0xF0 == 0xE0:
			n = 3
		case b&0xF8 == 0xF0:
			n = 4
		default:
			return "", false
		}
		var seq [utf8.UTFMax]byte
		seq[0] = b
		for j := 1; j < n; j++ {
			c, ok := unhexByte(s, i)
			if !ok || c&0xC0 != 0x80 {
				return "", false
			}
			seq[j] = c
			i += 3
		}
		if r, size := utf8.DecodeRune(seq[:n]); r == utf8.RuneError || size != n {
			return "", false
		}
		out = append(out, seq[:n]...)
	}
	return string(out), true
}

// unhexByte decodes the escape "%XX" at s[i:].
func unhexByte(s string, i int) (byte, bool) {
	if i+2 >= len(s) || s[i] != '%' {
		return 0, false
	}
	hi, ok1 := unhex(s[i+1])
	lo, ok2 := unhex(s[i+2])
	return hi<<4 | lo, ok1 && ok2
}

func unhex(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}

// ParseKitToken splits a Kit Token and decodes its kit part, without any
// cryptography: the Token04 part is returned as is. The kit part is read
// as the UIKit SDK does (Latin-1 text, appID a number or a numeric string,
// userName URI-decoded), but strictly: exactly one "#", padded standard
// base64, all four keys with the right types. Errors wrap core.ErrMalformed.
// The result is not verified: use VerifyKit for the user and room.
func ParseKitToken(kitToken string) (token04 string, k Kit, err error) {
	if len(kitToken) > maxTokenLen+len(KitSeparator)+maxKitPart {
		return "", k, fmt.Errorf("%w: the Kit Token is too long", core.ErrMalformed)
	}
	token04, part, ok := strings.Cut(kitToken, KitSeparator)
	if !ok || strings.Contains(part, KitSeparator) {
		return "", k, fmt.Errorf("%w: a Kit Token has exactly one %q", core.ErrMalformed, KitSeparator)
	}
	raw, err := base64.StdEncoding.Strict().DecodeString(part)
	if err != nil {
		return "", k, fmt.Errorf("%w: the kit part is not standard base64", core.ErrMalformed)
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal([]byte(fromLatin1(raw)), &m); err != nil || m == nil {
		return "", k, fmt.Errorf("%w: the kit part is not a JSON object", core.ErrMalformed)
	}
	var enc string
	for _, f := range []struct {
		name string
		dst  *string
	}{{"userID", &k.UserID}, {"roomID", &k.RoomID}, {"userName", &enc}} {
		v, ok := m[f.name]
		if !ok || v[0] != '"' || json.Unmarshal(v, f.dst) != nil {
			return "", k, fmt.Errorf("%w: the kit part has no string %s", core.ErrMalformed, f.name)
		}
	}
	if k.UserName, ok = decodeURIComponent(enc); !ok {
		return "", k, fmt.Errorf("%w: the kit userName is not URI-encoded UTF-8", core.ErrMalformed)
	}
	if k.AppID, k.AppIDString, ok = parseKitAppID(m["appID"]); !ok {
		return "", k, fmt.Errorf("%w: the kit appID is not a uint32 number or numeric string", core.ErrMalformed)
	}
	return token04, k, nil
}

// parseKitAppID reads a JSON number or a string of decimal digits.
func parseKitAppID(raw json.RawMessage) (id uint32, isString, ok bool) {
	if len(raw) == 0 {
		return 0, false, false
	}
	text := string(raw)
	if raw[0] == '"' {
		if json.Unmarshal(raw, &text) != nil {
			return 0, false, false
		}
		isString = true
	}
	v, err := strconv.ParseUint(text, 10, 32)
	if err != nil || (len(text) > 1 && text[0] == '0') {
		return 0, false, false
	}
	return uint32(v), isString, true
}

// VerifiedKit is a Kit Token whose Token04 decrypted with the ServerSecret
// and passed the checks of VerifyKit. Only the Token04 is
// authenticated: the kit part after "#" is plain base64 that anyone can
// rewrite, so it is kept apart, in Unverified.
type VerifiedKit struct {
	// Claims are the Token04's claims.
	Claims *Claims
	// Room is the room_id of the Token04's room privilege, and the only
	// room the Kit Token is proof of. It is "" when the Token04 carries no
	// room privilege (a basic token, as generateKitTokenForTest and any
	// roomless Token04 wrapped by generateKitTokenForProduction make): such
	// a Kit Token is bound to no room, whatever its kit part says.
	Room string
	// HasRoom reports whether the Token04 carries a room privilege.
	HasRoom bool
	// Unverified is the kit part as written. Its AppID and UserID were
	// checked equal to the Token04's, and its RoomID equal to Room when
	// HasRoom; its UserName, and its RoomID beside a roomless Token04, are
	// nobody's word but the kit part's.
	Unverified Kit
}

// VerifyKit decodes a Kit Token, verifies its Token04 with secret and
// checks that the kit part agrees with it: the same app id and user id,
// and the same room when the Token04 carries a room privilege
// (core.ErrMismatch). Then the Token04 is checked against want as by
// Verify: want.Room is compared with the Token04's room privilege
// only, so a Kit Token whose Token04 grants no room never matches a wanted
// room, whatever room its kit part names.
func VerifyKit(kitToken string, secret []byte, want Expect) (*VerifiedKit, error) {
	k, err := newKey(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", core.ErrSignature, err)
	}
	return k.VerifyKit(kitToken, want)
}

// VerifyKit is the package's VerifyKit with the secret of k.
func (k *Key) VerifyKit(kitToken string, want Expect) (*VerifiedKit, error) {
	token04, kit, err := ParseKitToken(kitToken)
	if err != nil {
		return nil, err
	}
	c, err := k.decode(token04)
	if err != nil {
		return nil, err
	}
	switch {
	case kit.AppID != c.AppID:
		return nil, fmt.Errorf("%w: the kit app id differs from the token's", core.ErrMismatch)
	case kit.UserID != c.UserID:
		return nil, fmt.Errorf("%w: the kit user differs from the token's", core.ErrMismatch)
	}
	v := &VerifiedKit{Claims: c, Unverified: kit}
	if p, ok := c.Privilege(); ok {
		if p.RoomID != kit.RoomID {
			return nil, fmt.Errorf("%w: the kit room differs from the token's", core.ErrMismatch)
		}
		v.Room, v.HasRoom = p.RoomID, true
	}
	if err := c.check(want); err != nil {
		return nil, err
	}
	return v, nil
}
