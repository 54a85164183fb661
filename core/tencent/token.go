package tencent

import (
	"fmt"
	"math"
	"strconv"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
)

// Token is a decoded UserSig or PrivateMapKey. A UserSig is signed but not
// encrypted, so [Parse] fills every field without the key.
type Token struct {
	// Kind is KindUserSig for a token without a userbuf, KindPrivateMapKey
	// for one whose userbuf is a PrivateMapKey userbuf, and "" for a
	// UserSig carrying any other (opaque) userbuf.
	Kind string
	// AppID is the decimal TLS.sdkappid.
	AppID string
	// UserID is TLS.identifier.
	UserID string
	// Room is the PrivateMapKey's room: the decimal numeric roomId or the
	// strRoomId. It is "" for a UserSig.
	Room string
	// IssuedAt is TLS.time and ExpiresAt TLS.time + TLS.expire, in UTC.
	// The token is still valid at ExpiresAt and expired one second later.
	IssuedAt, ExpiresAt time.Time
	// Claims are the TLS.* values as the token carries them.
	Claims *usersig.Claims
	// PrivateMap is the decoded userbuf of a PrivateMapKey (the privilege
	// map, the 32-bit dwExpTime and the room layout); nil otherwise.
	PrivateMap *usersig.PrivateMap

	mapErr error // why a userbuf is not a PrivateMapKey userbuf
}

// Parse decodes a UserSig or PrivateMapKey without checking its signature
// or expiry, for inspection. It accepts the output of every official
// generator. Errors wrap core.ErrMalformed; a legacy v1 (ECDSA) UserSig is
// reported as such.
func Parse(token string) (*Token, error) {
	c, err := usersig.Decode(token)
	if err != nil {
		return nil, err
	}
	t := &Token{
		Kind: KindUserSig, AppID: strconv.FormatUint(c.SDKAppID, 10), UserID: c.UserID,
		IssuedAt: c.IssuedAt().UTC(), ExpiresAt: c.ExpiresAt().UTC(), Claims: c,
	}
	if c.HasUserbuf() {
		m, err := c.PrivateMap()
		if err != nil {
			t.Kind, t.mapErr = "", err
			return t, nil
		}
		t.Kind, t.Room, t.PrivateMap = KindPrivateMapKey, m.Room(), &m
	}
	return t, nil
}

// Verify decodes token and checks its signature with keys.Primary, then
// keys.Secondary, then what want sets: the kind (a UserSig has no
// userbuf; a PrivateMapKey has a PrivateMapKey userbuf), the decimal
// SDKAppID, the user, the room of a PrivateMapKey and, unless want.At is
// zero, the expiry (want.At > TLS.time + TLS.expire). A PrivateMapKey's
// userbuf must name the token's user and SDKAppID. Errors wrap
// core.ErrMalformed, core.ErrSignature, core.ErrMismatch or
// core.ErrExpired, checked in that order; a want.Kind that is neither
// kind is a mismatch before the token is read.
func Verify(token string, keys core.Keys, want core.Expect) (*Token, error) {
	if want.Kind != "" && want.Kind != KindUserSig && want.Kind != KindPrivateMapKey {
		return nil, fmt.Errorf("%w: tencent: unknown kind %s", core.ErrMismatch, strconv.QuoteToASCII(want.Kind))
	}
	t, err := Parse(token)
	if err != nil {
		return nil, err
	}
	err = errNoKey
	for _, k := range keys.List() {
		if err = t.Claims.VerifySignature(k); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if err := t.check(want); err != nil {
		return nil, err
	}
	return t, nil
}

// errNoKey is the error of Verify without a key.
var errNoKey = fmt.Errorf("%w: tencent: no key to verify with", core.ErrSignature)

// check compares an authentic token with want.
func (t *Token) check(want core.Expect) error {
	c := t.Claims
	switch {
	case want.Kind == KindUserSig && c.HasUserbuf():
		return fmt.Errorf("%w: tencent: the token carries a userbuf: not a %s", core.ErrMismatch, KindUserSig)
	case want.Kind == KindPrivateMapKey && !c.HasUserbuf():
		return fmt.Errorf("%w: tencent: token has no userbuf", core.ErrMismatch)
	case want.Kind == KindPrivateMapKey && t.mapErr != nil:
		return t.mapErr
	case t.PrivateMap != nil && (t.PrivateMap.Account != c.UserID || uint64(t.PrivateMap.SDKAppID) != c.SDKAppID&math.MaxUint32):
		return fmt.Errorf("%w: tencent: userbuf account or SDKAppID differs from the token's", core.ErrMismatch)
	case want.AppID != "" && t.AppID != want.AppID:
		return fmt.Errorf("%w: tencent: token is for SDKAppID %s, not %s", core.ErrMismatch, t.AppID, strconv.QuoteToASCII(want.AppID))
	case want.UserID != "" && t.UserID != want.UserID:
		return fmt.Errorf("%w: tencent: token is for another user", core.ErrMismatch)
	case want.Room != "" && t.Room != want.Room:
		return fmt.Errorf("%w: tencent: token is for another room", core.ErrMismatch)
	case !want.At.IsZero() && want.At.Unix() > c.Time+c.Expire:
		return fmt.Errorf("%w: tencent: expired at %s", core.ErrExpired, t.ExpiresAt.Format(time.RFC3339))
	}
	return nil
}

// verified returns t as the provider reports it.
func (t *Token) verified(provider string) *core.Verified {
	return &core.Verified{
		Provider: provider, Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Map(),
	}
}

// Map returns t for display: its claims (usersig.Claims.Map) and, of a
// PrivateMapKey, its fields in place of the userbuf.
func (t *Token) Map() map[string]any {
	m := t.Claims.Map()
	if t.PrivateMap != nil {
		m["userbuf"] = t.PrivateMap.Fields()
	}
	return m
}

// Notes says, for a person reading t, what its fields do not: that a
// UserSig carries a userbuf that is no PrivateMapKey's. rtctoken inspect
// prints them.
func (t *Token) Notes() []string {
	if t.PrivateMap == nil && t.Claims.HasUserbuf() {
		return []string{"carries a userbuf that is not a PrivateMapKey's"}
	}
	return nil
}
