package zego

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego/token04"
)

// Token is a decoded Token04 or Kit Token.
//
// From Verify, every field is filled, and Kind, AppID, UserID, Room,
// IssuedAt and ExpiresAt are the Token04's authenticated content; Kit, the
// kit part of a Kit Token, is not authenticated (see Verify).
//
// From Parse, without the ServerSecret, only the clear framing and the kit
// part are known: Kind (from the shape), ExpiresAt (stored in the clear,
// not authenticated), Mode and Kit. AppID, UserID, Room, IssuedAt and
// Claims are encrypted, so they are zero, even when the kit part names an
// app, user and room.
type Token struct {
	// Kind is KindToken04 or KindKit.
	Kind string
	// AppID is the decimal app id of the Token04.
	AppID string
	// UserID is the user of the Token04.
	UserID string
	// Room is the room of the Token04's room privilege, "" when it has
	// none (a basic token): such a token, Kit Token included, is bound to
	// no room.
	Room string
	// IssuedAt and ExpiresAt are the Token04's ctime and expire.
	IssuedAt, ExpiresAt time.Time
	// Mode is the Token04's encryption mode, read from its clear framing.
	Mode Mode
	// Claims is the decrypted plaintext; nil from Parse.
	Claims *token04.Claims
	// Kit is the kit part of a Kit Token as written, nil for a Token04.
	// Nothing authenticates it: after Verify its AppID and UserID equal
	// the Token04's, and its RoomID equals Room when the Token04 has a
	// room privilege; its UserName is nobody's word but its writer's.
	Kit *token04.Kit
}

// ClaimKitUnverified is the key, in the Claims of a verified Kit Token, of
// the kit part as written: {"appID","userID","roomID","userName"}. Nothing
// authenticates these values; the verified user and room are the
// Verified's UserID and Room, read from the Token04.
const ClaimKitUnverified = "kit_unverified"

// kindOf returns want when it is set, else the kind the token's shape
// says: a Kit Token has a "#".
func kindOf(token, want string) string {
	switch {
	case want != "":
		return want
	case strings.Contains(token, token04.KitSeparator):
		return KindKit
	}
	return KindToken04
}

// Parse decodes a Token04 or Kit Token without the ServerSecret, for
// inspection: it checks the framing and reads the clear expiry and, of a
// Kit Token, the kit part. It verifies nothing; see Token for what it
// fills. Errors wrap core.ErrMalformed.
func Parse(token string) (*Token, error) {
	t := &Token{Kind: kindOf(token, "")}
	tok04 := token
	if t.Kind == KindKit {
		var kit token04.Kit
		var err error
		if tok04, kit, err = token04.ParseKitToken(token); err != nil {
			return nil, err
		}
		t.Kit = &kit
	}
	f, err := token04.ParseFrame(tok04)
	if err != nil {
		return nil, err
	}
	t.Mode, t.ExpiresAt = f.Mode, time.Unix(f.Expire, 0).UTC()
	return t, nil
}

// Verify decrypts a Token04 or Kit Token with keys.Primary, then
// keys.Secondary, and checks it against want: the kind (want.Kind, or the
// token's shape when empty), the app id, user and room, then the time
// window at want.At (now >= expire is expired; a token whose expire is not
// after its ctime is always expired; a zero At skips the window). Either
// encryption mode is accepted.
//
// For a Kit Token, the user and room are the Token04's alone: Room is the
// room of its room privilege, "" when it has none, so want.Room never
// matches a Kit Token around a roomless Token04, whatever its kit part
// says. The kit part must agree with the Token04 (app id, user, and room
// when the Token04 has one); it is returned in Token.Kit, unverified.
//
// Errors wrap core.ErrMalformed, core.ErrSignature (no key decrypts the
// token), core.ErrExpired or core.ErrMismatch.
func Verify(token string, keys core.Keys, want core.Expect) (*Token, error) {
	var ks []*token04.Key
	for _, s := range keys.List() {
		// A secret that is no AES key decrypts nothing: ErrSignature,
		// unless another key verifies the token.
		if k, err := token04.NewKey([]byte(s.Reveal())); err == nil {
			ks = append(ks, k)
		}
	}
	return verify(token, ks, want)
}

// verify is Verify with the keys made: a Provider makes its keys once.
func verify(token string, keys []*token04.Key, want core.Expect) (*Token, error) {
	kind := kindOf(token, want.Kind)
	if kind != KindToken04 && kind != KindKit {
		return nil, fmt.Errorf("%w: zego has no kind %q", core.ErrMismatch, kind)
	}
	exp := token04.Expect{UserID: want.UserID, Room: want.Room, Now: want.At}
	if want.AppID != "" {
		id, err := strconv.ParseUint(want.AppID, 10, 32)
		if err != nil || id == 0 {
			return nil, fmt.Errorf("%w: no ZEGO token is for app id %q", core.ErrMismatch, want.AppID)
		}
		exp.AppID = uint32(id)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("%w: no ServerSecret that is an AES key to verify with", core.ErrSignature)
	}
	var (
		c   *token04.Claims
		kv  *token04.VerifiedKit
		err error
	)
	for _, k := range keys {
		if kind == KindKit {
			if kv, err = k.VerifyKit(token, exp); err == nil {
				c = kv.Claims
			}
		} else {
			c, err = k.Verify(token, exp)
		}
		if !errors.Is(err, core.ErrSignature) {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	t := &Token{Kind: kind}
	t.fill(c)
	if kv != nil {
		t.Room, t.Kit = kv.Room, &kv.Unverified
	}
	return t, nil
}

// fill sets t's content from the decrypted c: app id, user, the room of
// its room privilege, times and mode.
func (t *Token) fill(c *token04.Claims) {
	t.AppID, t.UserID, t.Claims, t.Mode = strconv.FormatUint(uint64(c.AppID), 10), c.UserID, c, c.Mode
	t.IssuedAt, t.ExpiresAt = time.Unix(c.CTime, 0).UTC(), time.Unix(c.Expire, 0).UTC()
	if p, ok := c.Privilege(); ok {
		t.Room = p.RoomID
	}
}

// Open decrypts a Token04 or Kit Token with keys.Primary, then
// keys.Secondary, and returns its content as Verify would, checking
// nothing else: neither the time window nor whether a Kit Token's kit
// part agrees with its Token04. It is for looking into a token that fails
// Verify; a token it opens is authentic, but only Verify says it is valid.
// Errors wrap core.ErrMalformed or core.ErrSignature (no key decrypts it).
func Open(token string, keys core.Keys) (*Token, error) {
	t, err := Parse(token)
	if err != nil {
		return nil, err
	}
	tok04, _, _ := strings.Cut(token, token04.KitSeparator)
	err = fmt.Errorf("%w: no ServerSecret to open the token with", core.ErrSignature)
	for _, s := range keys.List() {
		c, derr := token04.Decode(tok04, []byte(s.Reveal()))
		if derr == nil {
			t.fill(c)
			return t, nil
		}
		if err = derr; !errors.Is(err, core.ErrSignature) {
			break
		}
	}
	return nil, err
}

// Map returns t for display: the Token04's fields (token04.Claims.Map),
// only expire and mode when the content is still encrypted (from Parse),
// and, of a Kit Token, the kit part under ClaimKitUnverified.
func (t *Token) Map() map[string]any {
	m := map[string]any{"expire": t.ExpiresAt.Unix(), "mode": t.Mode.String()}
	if t.Claims != nil {
		m = t.Claims.Map()
	}
	if k := t.Kit; k != nil {
		m[ClaimKitUnverified] = map[string]any{"appID": k.AppID, "userID": k.UserID, "roomID": k.RoomID, "userName": k.UserName}
	}
	return m
}

// verified returns t as the core.Verified of provider name: the Token04's
// fields as Claims (token04.Claims.Map) and, of a Kit Token, the kit part
// under ClaimKitUnverified.
func (t *Token) verified(name string) *core.Verified {
	return &core.Verified{
		Provider: name, Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Map(),
	}
}

// Notes says, for a person reading t, what its fields do not: that its
// content is still encrypted (from Parse), that a Kit Token's kit part is
// not authenticated, and that a Kit Token around a roomless Token04 is
// bound to no room. rtctoken inspect prints them.
func (t *Token) Notes() []string {
	switch sealed := t.Claims == nil; {
	case t.Kit == nil && sealed:
		return []string{"the content is encrypted: give the ServerSecret to read and check it"}
	case sealed:
		return []string{"the user and room of a Kit Token whose Token04 is still encrypted are its kit part's, which nothing authenticates: give the ServerSecret to read the authentic user and room"}
	case t.Kit == nil:
		return nil
	}
	notes := []string{"the user and room are the Token04's; the kit part (" + ClaimKitUnverified + "), the display name included, is not authenticated"}
	if t.Room == "" {
		// Unlike a basic Token04, a Kit Token names a room; this one names
		// it only in the unauthenticated part, so it matches none.
		notes = append(notes, "the Token04 grants no room: this Kit Token is bound to no room, whatever its kit part names")
	}
	return notes
}
