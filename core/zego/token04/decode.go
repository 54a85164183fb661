package token04

import (
	"bytes"
	"crypto/aes"
	"crypto/subtle"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// Claims is the decrypted content of a Token04.
type Claims struct {
	AppID  uint32
	UserID string
	// CTime is the issue time and Expire the expiry time, in Unix seconds.
	CTime, Expire int64
	Nonce         int32
	// Payload is "" for a basic token and the privilege JSON text for a
	// room token. HasPayload is false when the plaintext had no payload
	// key at all (the UIKit test generator writes none).
	Payload    string
	HasPayload bool
	// Mode is the encryption mode the token used.
	Mode Mode

	// priv is the payload decoded as a room privilege, set once by the
	// decoder so that the checks and the claims map share one parse.
	priv *RoomPrivilege
}

// Privilege decodes the payload as a room privilege. ok is false for a
// basic token or any payload that is not a room privilege.
func (c *Claims) Privilege() (p RoomPrivilege, ok bool) {
	if c.priv != nil {
		p = *c.priv
		p.StreamIDs = slices.Clone(p.StreamIDs)
		return p, true
	}
	if c.Payload == "" {
		return p, false
	}
	p, err := ParseRoomPrivilege(c.Payload)
	return p, err == nil
}

// Map returns the plaintext fields (app_id, user_id, ctime, expire, nonce,
// payload), the mode ("cbc" or "gcm"), and the payload decoded under
// payload_decoded when it is JSON: a room privilege as
// {"room_id","privilege":{"1","2"},"stream_id_list"}.
func (c *Claims) Map() map[string]any {
	m := map[string]any{
		"app_id": c.AppID, "user_id": c.UserID, "ctime": c.CTime, "expire": c.Expire,
		"nonce": c.Nonce, "payload": c.Payload, "mode": c.Mode.String(),
	}
	if c.Payload == "" {
		return m
	}
	if priv, ok := c.Privilege(); ok {
		var ids any
		if priv.StreamIDs != nil {
			ids = priv.StreamIDs
		}
		m["payload_decoded"] = map[string]any{
			"room_id":        priv.RoomID,
			"privilege":      map[string]any{"1": bitInt(priv.Login), "2": bitInt(priv.Publish)},
			"stream_id_list": ids,
		}
		return m
	}
	var dec any
	if json.Unmarshal([]byte(c.Payload), &dec) == nil {
		m["payload_decoded"] = dec
	}
	return m
}

func bitInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Expect is what Verify and VerifyKit require of a token.
type Expect struct {
	// AppID, when not 0, is the application the token must be for
	// (ErrMismatch).
	AppID uint32
	// UserID, when not empty, is the user the token must be for (ErrMismatch).
	UserID string
	// Room, when not empty, is the room the token must grant (ErrMismatch):
	// the room_id of the Token04's room privilege. For a Kit Token too only
	// the Token04 counts, never the kit part's roomID.
	Room string
	// Now is the time of the expiry check: a token is expired when
	// Now >= expire (ErrExpired). The zero time skips the check.
	Now time.Time
}

// Decode decrypts and parses a Token04 without checking its claims.
// It accepts both modes (read from the trailing byte: none or 0 is CBC, 1
// is GCM) and the plaintext of any official generator (any key order; the
// payload may be absent). The secret may be 16, 24 or 32 bytes.
//
// Errors wrap core.ErrMalformed (bad framing, a plaintext without the
// required fields) or core.ErrSignature (wrong secret or tampering: a GCM
// tag failure, or a CBC padding or JSON failure after decryption).
func Decode(token string, secret []byte) (*Claims, error) {
	k, err := newKey(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", core.ErrSignature, err)
	}
	return k.decode(token)
}

// Verify decodes a Token04 and checks it against want: app id, user
// and room (core.ErrMismatch), then expiry (core.ErrExpired; a token whose
// expire is not after its ctime is always expired).
func Verify(token string, secret []byte, want Expect) (*Claims, error) {
	k, err := newKey(secret)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", core.ErrSignature, err)
	}
	return k.Verify(token, want)
}

// Verify is the package's Verify with the secret of k.
func (k *Key) Verify(token string, want Expect) (*Claims, error) {
	c, err := k.decode(token)
	if err != nil {
		return nil, err
	}
	if err := c.check(want); err != nil {
		return nil, err
	}
	return c, nil
}

// check compares the claims with want; the room is the payload's room_id.
func (c *Claims) check(want Expect) error {
	if want.AppID != 0 && c.AppID != want.AppID {
		return fmt.Errorf("%w: the token is for app id %d, not %d", core.ErrMismatch, c.AppID, want.AppID)
	}
	if want.UserID != "" && subtle.ConstantTimeCompare([]byte(c.UserID), []byte(want.UserID)) != 1 {
		return fmt.Errorf("%w: the token is for another user", core.ErrMismatch)
	}
	if want.Room != "" {
		if p, ok := c.Privilege(); !ok || p.RoomID != want.Room {
			return fmt.Errorf("%w: the token is for another room", core.ErrMismatch)
		}
	}
	if c.Expire <= c.CTime {
		return fmt.Errorf("%w: the token expired when it was issued", core.ErrExpired)
	}
	if !want.Now.IsZero() && want.Now.Unix() >= c.Expire {
		return fmt.Errorf("%w: the token expired at %d", core.ErrExpired, c.Expire)
	}
	return nil
}

// Frame is what a Token04 shows without its secret: the expiry (stored in
// the clear), the encryption mode and the sizes of the IV and ciphertext.
type Frame struct {
	Expire        int64
	Mode          Mode
	IVLen         int
	CiphertextLen int
}

// ParseFrame checks a Token04's framing without decrypting it. Errors wrap
// core.ErrMalformed. The expiry it reports is not authenticated.
func ParseFrame(token string) (Frame, error) {
	f, err := parseFraming(token)
	if err != nil {
		return Frame{}, err
	}
	return Frame{Expire: f.expire, Mode: f.mode, IVLen: len(f.iv), CiphertextLen: len(f.ct)}, nil
}

// framing is the unencrypted part of a Token04.
type framing struct {
	expire int64
	mode   Mode
	iv, ct []byte
}

// parseFraming decodes "04" + base64 and splits the binary, checking every
// length before slicing.
func parseFraming(token string) (*framing, error) {
	if len(token) > maxTokenLen {
		return nil, fmt.Errorf("%w: the token is longer than any Token04 (%d bytes)", core.ErrMalformed, len(token))
	}
	body, ok := strings.CutPrefix(token, Version)
	if !ok {
		return nil, fmt.Errorf("%w: not a Token04 (no %q prefix)", core.ErrMalformed, Version)
	}
	b, err := base64.StdEncoding.Strict().DecodeString(body)
	if err != nil {
		return nil, fmt.Errorf("%w: the token is not standard base64", core.ErrMalformed)
	}
	if len(b) < 8+2 {
		return nil, fmt.Errorf("%w: the token is truncated", core.ErrMalformed)
	}
	f := &framing{expire: int64(binary.BigEndian.Uint64(b))}
	ivLen := int(binary.BigEndian.Uint16(b[8:]))
	rest := b[10:]
	if len(rest) < ivLen+2 {
		return nil, fmt.Errorf("%w: the token is truncated in its IV", core.ErrMalformed)
	}
	f.iv, rest = rest[:ivLen], rest[ivLen:]
	ctLen := int(binary.BigEndian.Uint16(rest))
	rest = rest[2:]
	if len(rest) < ctLen {
		return nil, fmt.Errorf("%w: the token is truncated in its ciphertext", core.ErrMalformed)
	}
	f.ct, rest = rest[:ctLen], rest[ctLen:]
	switch {
	case len(rest) == 0:
		f.mode = ModeCBC
	case len(rest) == 1 && (rest[0] == byte(ModeCBC) || rest[0] == byte(ModeGCM)):
		f.mode = Mode(rest[0])
	case len(rest) == 1:
		return nil, fmt.Errorf("%w: unknown mode byte %d", core.ErrMalformed, rest[0])
	default:
		return nil, fmt.Errorf("%w: %d unexpected bytes after the ciphertext", core.ErrMalformed, len(rest))
	}
	if len(f.iv) != f.mode.IVSize() {
		return nil, fmt.Errorf("%w: a %s token needs a %d-byte IV, not %d", core.ErrMalformed, f.mode, f.mode.IVSize(), len(f.iv))
	}
	switch {
	case f.mode == ModeCBC && (len(f.ct) == 0 || len(f.ct)%aes.BlockSize != 0):
		return nil, fmt.Errorf("%w: the CBC ciphertext is not a whole number of blocks", core.ErrMalformed)
	case f.mode == ModeGCM && len(f.ct) < gcmTagSize:
		return nil, fmt.Errorf("%w: the GCM ciphertext is shorter than its tag", core.ErrMalformed)
	}
	return f, nil
}

// decode decrypts and parses a token with this key.
func (k *Key) decode(token string) (*Claims, error) {
	f, err := parseFraming(token)
	if err != nil {
		return nil, err
	}
	var pt []byte
	switch f.mode {
	case ModeGCM:
		pt, err = k.aead().Open(f.ct[:0], f.iv, f.ct, nil)
		if err != nil {
			return nil, fmt.Errorf("%w: the token does not decrypt with this secret", core.ErrSignature)
		}
	default:
		pt = cbcDecrypt(k.block, f.iv, f.ct)
		if pt == nil {
			return nil, fmt.Errorf("%w: the token does not decrypt with this secret", core.ErrSignature)
		}
		// Without authentication, garbage from a wrong key shows as bad
		// UTF-8 or bad JSON.
		if !utf8.Valid(pt) || !json.Valid(pt) {
			return nil, fmt.Errorf("%w: the token does not decrypt with this secret", core.ErrSignature)
		}
	}
	c, err := parsePlaintext(pt)
	if err != nil {
		return nil, err
	}
	if c.Expire != f.expire {
		return nil, fmt.Errorf("%w: the clear expire %d differs from the encrypted one", core.ErrMalformed, f.expire)
	}
	c.Mode = f.mode
	if c.Payload != "" {
		if p, err := ParseRoomPrivilege(c.Payload); err == nil {
			c.priv = &p
		}
	}
	return c, nil
}

// cbcDecrypt decrypts ct in place and strips PKCS#7 padding; nil means the
// padding is wrong.
func cbcDecrypt(block interface{ Decrypt(dst, src []byte) }, iv, ct []byte) []byte {
	var prev, cur [aes.BlockSize]byte
	copy(prev[:], iv)
	for i := 0; i+aes.BlockSize <= len(ct); i += aes.BlockSize {
		blk := ct[i : i+aes.BlockSize]
		copy(cur[:], blk)
		block.Decrypt(blk, blk)
		subtle.XORBytes(blk, blk, prev[:])
		prev = cur
	}
	n := len(ct)
	if n == 0 {
		return nil
	}
	pad := int(ct[n-1])
	if pad == 0 || pad > aes.BlockSize || pad > n {
		return nil
	}
	// The padding is checked in full; its length is not secret here (the
	// token carries no MAC), but there is no reason to be sloppy.
	bad := 0
	for _, b := range ct[n-pad:] {
		bad |= int(b) ^ pad
	}
	if bad != 0 {
		return nil
	}
	return ct[:n-pad]
}

// parsePlaintext reads the Token04 JSON. The integers must be written as
// integers in range (app_id uint32, nonce int32, ctime and expire int64);
// payload may be absent or null (the UIKit test generator writes none).
// Keys match as encoding/json matches them (case-insensitively), as a Go
// server reading the official struct would.
func parsePlaintext(pt []byte) (*Claims, error) {
	var raw struct {
		AppID   *uint32 `json:"app_id"`
		UserID  *string `json:"user_id"`
		CTime   *int64  `json:"ctime"`
		Expire  *int64  `json:"expire"`
		Nonce   *int32  `json:"nonce"`
		Payload *string `json:"payload"`
	}
	if t := bytes.TrimSpace(pt); len(t) == 0 || t[0] != '{' {
		return nil, fmt.Errorf("%w: the plaintext is not a JSON object", core.ErrMalformed)
	}
	if err := json.Unmarshal(pt, &raw); err != nil {
		return nil, fmt.Errorf("%w: the plaintext fields have the wrong types", core.ErrMalformed)
	}
	if raw.AppID == nil || raw.UserID == nil || raw.CTime == nil || raw.Expire == nil || raw.Nonce == nil {
		return nil, fmt.Errorf("%w: the plaintext lacks app_id, user_id, ctime, expire or nonce", core.ErrMalformed)
	}
	c := &Claims{AppID: *raw.AppID, UserID: *raw.UserID, CTime: *raw.CTime, Expire: *raw.Expire, Nonce: *raw.Nonce}
	if raw.Payload != nil {
		c.Payload, c.HasPayload = *raw.Payload, true
	}
	return c, nil
}
