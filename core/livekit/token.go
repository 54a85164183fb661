package livekit

import (
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/hs256"
)

// KindRoom is the one kind: an access token to join one room.
const KindRoom = "room"

// Leeway is the clock skew Verify allows on both ends of a token's
// validity, as LiveKit's verifier does: a token verifies from nbf - Leeway
// until before exp + Leeway.
const Leeway = time.Minute

// MaxTokenLen is the longest token Parse and Verify read (metadata and
// attributes can be large: livekit-server allows 512 KiB and 64 KiB).
const MaxTokenLen = 1 << 20

// Token is a decoded LiveKit access token.
type Token struct {
	// Kind is KindRoom.
	Kind string
	// APIKey is iss, the API key whose secret signed the token.
	APIKey string
	// Identity is sub, or jti when sub is empty, as LiveKit's verifier
	// reads it (never the identity claim).
	Identity string
	// Room is video.room ("" without a video grant).
	Room string
	// Role is the role the grants amount to: RoleAdmin with roomAdmin,
	// RolePublisher when publishing is allowed, RoleSubscriber otherwise.
	Role string
	// IssuedAt, NotBefore and ExpiresAt are iat, nbf and exp (zero when
	// absent).
	IssuedAt, NotBefore, ExpiresAt time.Time
	// Claims are the typed claims.
	Claims *Claims
	// Header is the JOSE header; Raw holds every claim as decoded, unknown
	// ones included (numbers are float64).
	Header, Raw map[string]any
}

// Parse decodes a LiveKit access token without a key, for inspection: no
// signature, rule or time check, so nothing in the Token is authenticated.
// Errors wrap core.ErrMalformed: not a compact JWS of at most MaxTokenLen
// bytes, bad base64url, a header whose alg is not HS256 ("none"
// included), a payload that is not a JSON object or a claim of the wrong
// JSON type (times must be integers).
func Parse(token string) (*Token, error) {
	t, _, err := parse(token)
	return t, err
}

func parse(token string) (*Token, *hs256.Parts, error) {
	c := new(Claims)
	d, err := hs256.Decode("livekit", token, MaxTokenLen, c)
	if err != nil {
		return nil, nil, err
	}
	t := &Token{
		Kind: KindRoom, APIKey: c.Issuer, Identity: c.Subject, Claims: c, Header: d.Header, Raw: d.Raw,
		IssuedAt: hs256.Unix(c.IssuedAt), NotBefore: hs256.Unix(c.NotBefore), ExpiresAt: hs256.Unix(c.ExpiresAt),
	}
	if t.Identity == "" {
		t.Identity = c.ID
	}
	t.Role = RoleSubscriber
	if v := c.Video; v != nil {
		t.Room = v.Room
		switch {
		case v.RoomAdmin:
			t.Role = RoleAdmin
		case v.Effective().CanPublish:
			t.Role = RolePublisher
		}
	}
	return t, d.Parts, nil
}

// Verify checks a LiveKit access token and decodes it. The steps and their
// errors, most severe first:
//
//   - core.ErrMalformed: what Parse refuses;
//   - core.ErrSignature: the HMAC-SHA256 matches neither keys.Primary nor
//     keys.Secondary (compared in constant time), or both are empty;
//   - core.ErrMismatch: no iss or no exp (LiveKit requires exp), or the
//     token is not of want.Kind, not signed for want.AppID (the API key in
//     iss), not for want.UserID (the identity) or want.Room (video.room);
//   - core.ErrExpired: want.At is not within [nbf - Leeway, exp + Leeway);
//     without nbf, iat takes its place (not checked when want.At is zero).
//
// The keys are the secrets of one API key: a Provider picks them by iss
// among its configured keys before calling Verify.
//
// Verify is stricter than LiveKit's verifier in two ways: a token without
// iss is refused even when its secret is known, and a token without nbf is
// not valid before its iat.
func Verify(token string, keys core.Keys, want core.Expect) (*Token, error) {
	t, parts, err := parse(token)
	if err != nil {
		return nil, err
	}
	return check(t, parts, keys, want)
}

// check is Verify's checks of a parsed token.
func check(t *Token, parts *hs256.Parts, keys core.Keys, want core.Expect) (*Token, error) {
	if err := parts.Check("livekit", keys); err != nil {
		return nil, err
	}
	c := t.Claims
	switch {
	case c.Issuer == "":
		return nil, mismatch("the token has no iss (API key)")
	case c.ExpiresAt == 0:
		return nil, mismatch("the token has no exp")
	case want.Kind != "" && want.Kind != KindRoom:
		return nil, mismatch("a %s token, not %s", KindRoom, strings.ToValidUTF8(want.Kind, "?"))
	case want.AppID != "" && c.Issuer != want.AppID:
		return nil, mismatch("the token was signed for another API key")
	case want.UserID != "" && t.Identity != want.UserID:
		return nil, mismatch("the token is for another identity")
	case want.Room != "" && t.Room != want.Room:
		return nil, mismatch("the token is for another room")
	}
	from := c.NotBefore
	if from == 0 {
		from = c.IssuedAt
	}
	if err := hs256.Window("livekit", from, c.ExpiresAt, want.At, Leeway); err != nil {
		return nil, err
	}
	return t, nil
}

// verified is the Token as a core.Verified of the named provider.
func (t *Token) verified(provider string) *core.Verified {
	return &core.Verified{
		Provider: provider, Kind: t.Kind, AppID: t.APIKey, UserID: t.Identity, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Raw,
	}
}

func mismatch(format string, args ...any) error { return hs256.Mismatch("livekit", format, args...) }

// Notes says, for a person reading t, what its fields do not: the grants
// beyond joining one room that it carries (Claims.Elevated). rtctoken
// inspect prints them.
func (t *Token) Notes() []string {
	if elevated := t.Claims.Elevated(); len(elevated) > 0 {
		return []string{"role " + t.Role + ", with elevated grants: " + strings.Join(elevated, ", ")}
	}
	return nil
}
