package twilio

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/hs256"
)

// Kinds, as offered by the Provider and reported by Parse and Verify.
const (
	KindVideo = "video" // grants.video: Twilio Video
	KindVoice = "voice" // grants.voice: the Voice SDKs
	KindChat  = "chat"  // grants.chat: Conversations
	KindSync  = "sync"  // grants.data_sync: Sync
)

// MaxLifetime is the longest lifetime Twilio accepts: exp at most 24 h
// after the token was issued, and after the time it is used.
const MaxLifetime = 24 * time.Hour

// MaxTokenLen is the longest token Parse and Verify read.
const MaxTokenLen = 64 << 10

// Token is a decoded Twilio Access Token.
type Token struct {
	// Kind is the product of the token's one grant among video, voice,
	// chat and data_sync; "" when it has several or none of them.
	Kind string
	// AccountSID is sub, APIKeySID iss.
	AccountSID, APIKeySID string
	// Identity is grants.identity.
	Identity string
	// Room is grants.video.room.
	Room string
	// Region is the twr header ("" when absent).
	Region string
	// IssuedAt is iat, or else the time in a jti of the form
	// <iss>-<seconds> (twilio-go writes no iat); NotBefore and ExpiresAt
	// are nbf and exp. Each is zero when absent.
	IssuedAt, NotBefore, ExpiresAt time.Time
	// Claims are the typed claims.
	Claims *Claims
	// Header is the JOSE header; Raw holds every claim as decoded, unknown
	// ones included (numbers are float64).
	Header, Raw map[string]any
}

// Parse decodes a Twilio Access Token without a key, for inspection: no
// signature, rule or time check, so nothing in the Token is authenticated.
// Errors wrap core.ErrMalformed: not a compact JWS of at most MaxTokenLen
// bytes, bad base64url, a header that is not {"alg":"HS256",
// "cty":"twilio-fpa;v=1"} (with optional typ "JWT" and string twr), a
// payload that is not a JSON object or a claim of the wrong JSON type
// (times must be integers).
func Parse(token string) (*Token, error) {
	t, _, err := parse(token)
	return t, err
}

func parse(token string) (*Token, *hs256.Parts, error) {
	c := new(Claims)
	d, err := hs256.Decode("twilio", token, MaxTokenLen, c)
	if err != nil {
		return nil, nil, err
	}
	h := d.Header
	region, ok := h["twr"].(string)
	switch typ, hasTyp := h["typ"]; {
	case h["cty"] != ContentType:
		return nil, nil, hs256.Malformed("twilio", "cty is not "+ContentType)
	case hasTyp && typ != "JWT":
		return nil, nil, hs256.Malformed("twilio", "typ is not JWT")
	case !ok && h["twr"] != nil:
		return nil, nil, hs256.Malformed("twilio", "twr is not a string")
	}
	g := &c.Grants
	t := &Token{
		AccountSID: c.Subject, APIKeySID: c.Issuer, Identity: g.Identity, Region: region, Claims: c, Header: h, Raw: d.Raw,
		IssuedAt: hs256.Unix(issuedAt(c)), NotBefore: hs256.Unix(c.NotBefore), ExpiresAt: hs256.Unix(c.ExpiresAt),
	}
	if g.Video != nil {
		t.Room = g.Video.Room
	}
	n := 0
	for _, k := range []struct {
		kind string
		set  bool
	}{{KindVideo, g.Video != nil}, {KindVoice, g.Voice != nil}, {KindChat, g.Chat != nil}, {KindSync, g.Sync != nil}} {
		if k.set {
			t.Kind = k.kind
			n++
		}
	}
	if n != 1 {
		t.Kind = ""
	}
	return t, d.Parts, nil
}

// issuedAt is iat, or the time in a jti of the form <iss>-<seconds>, or 0.
func issuedAt(c *Claims) int64 {
	if c.IssuedAt != 0 {
		return c.IssuedAt
	}
	rest, ok := strings.CutPrefix(c.ID, c.Issuer+"-")
	if !ok || c.Issuer == "" {
		return 0
	}
	n, err := strconv.ParseInt(rest, 10, 64)
	if err != nil || n <= 0 {
		return 0
	}
	return n
}

// Verify checks a Twilio Access Token and decodes it, by the rules
// Twilio documents rather than twilio-go's decoder (which accepts any HMAC
// algorithm, no exp, any iss, sub and lifetime, and skips every check
// given an empty key). The steps and their errors, most severe first:
//
//   - core.ErrMalformed: what Parse refuses (HS256 and cty are required);
//   - core.ErrSignature: the HMAC-SHA256 matches neither keys.Primary nor
//     keys.Secondary (compared in constant time), or both are empty;
//   - core.ErrMismatch: no iss, sub, exp or grants.identity; exp more than
//     MaxLifetime after the issuance time (IssuedAt, else nbf); a token
//     not of want.Kind (one grant of that product), not for want.AppID (the
//     Account SID in sub), want.UserID (the identity) or want.Room
//     (grants.video.room); or exp more than MaxLifetime after want.At;
//   - core.ErrExpired: want.At is not within [nbf, exp) (not checked when
//     want.At is zero). There is no leeway, as in twilio-go: how much skew
//     Twilio's service allows is not documented.
//
// The keys are the secrets of one API key: a Provider picks them by iss
// among its configured keys before calling Verify.
func Verify(token string, keys core.Keys, want core.Expect) (*Token, error) {
	t, parts, err := parse(token)
	if err != nil {
		return nil, err
	}
	return check(t, parts, keys, want)
}

// check is Verify's checks of a parsed token.
func check(t *Token, parts *hs256.Parts, keys core.Keys, want core.Expect) (*Token, error) {
	if err := parts.Check("twilio", keys); err != nil {
		return nil, err
	}
	c := t.Claims
	start := issuedAt(c)
	if start == 0 {
		start = c.NotBefore
	}
	maxLife := int64(MaxLifetime / time.Second)
	switch {
	case c.Issuer == "" || c.Subject == "":
		return nil, mismatch("the token has no iss (API key SID) or no sub (Account SID)")
	case c.ExpiresAt == 0:
		return nil, mismatch("the token has no exp")
	case c.Grants.Identity == "":
		return nil, mismatch("the token has no identity")
	case start != 0 && start < math.MaxInt64-maxLife && c.ExpiresAt > start+maxLife:
		return nil, mismatch("the token lives longer than %s", MaxLifetime)
	case want.Kind != "" && t.Kind != want.Kind:
		return nil, mismatch("the token is not a %s token", strings.ToValidUTF8(want.Kind, "?"))
	case want.AppID != "" && c.Subject != want.AppID:
		return nil, mismatch("the token is for another account")
	case want.UserID != "" && t.Identity != want.UserID:
		return nil, mismatch("the token is for another identity")
	case want.Room != "" && t.Room != want.Room:
		return nil, mismatch("the token is for another room")
	}
	if err := hs256.Window("twilio", c.NotBefore, c.ExpiresAt, want.At, 0); err != nil {
		return nil, err
	}
	if at := want.At.Unix(); !want.At.IsZero() && at < math.MaxInt64-maxLife && c.ExpiresAt > at+maxLife {
		return nil, mismatch("the token expires more than %s from now", MaxLifetime)
	}
	return t, nil
}

// verified is the Token as a core.Verified of the named provider.
func (t *Token) verified(provider string) *core.Verified {
	return &core.Verified{
		Provider: provider, Kind: t.Kind, AppID: t.AccountSID, UserID: t.Identity, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Raw,
	}
}

func mismatch(format string, args ...any) error { return hs256.Mismatch("twilio", format, args...) }

// Notes says, for a person reading t, what its fields do not: that it
// holds several product grants or none (Kind is then ""), or a video grant
// without a room, which opens every room of the account. rtctoken inspect
// prints them.
func (t *Token) Notes() []string {
	switch {
	case t.Kind == "":
		return []string{"holds several product grants or none"}
	case t.AllRooms():
		return []string{"the video grant names no room: it opens every room of the account"}
	}
	return nil
}

// AllRooms reports whether t is a video token that names no room: it opens
// every room of the account.
func (t *Token) AllRooms() bool {
	v := t.Claims.Grants.Video
	return t.Kind == KindVideo && v != nil && v.Room == ""
}
