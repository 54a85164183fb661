package main

import (
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zego/token04"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// decoded is what inspect reads from a token, before or after checking it.
type decoded struct {
	Format   string
	Provider string
	Kind     string
	AppID    string
	UserID   string
	Room     string
	// IssuedAt and ExpiresAt are zero when the token does not say.
	IssuedAt, ExpiresAt time.Time
	Header              map[string]any
	Claims              map[string]any
	Notes               []string

	// expiredAtExp: the vendor counts the expiry instant itself as expired
	// (Zoom, ZEGO: now >= exp), not as the last valid second (Tencent,
	// Agora: now > exp).
	expiredAtExp bool
	// anyUser: an Agora uid 0 token, which any uid may join with.
	anyUser bool
	// noUser and noRoom: the token names no user or room.
	noUser, noRoom bool
	// foldRoom: rooms compare case-insensitively (Zoom session names).
	foldRoom bool
	// userCRC and roomCRC: the token holds only CRC32s (Agora 006).
	userCRC, roomCRC *uint32
	// sealed: the content is encrypted (ZEGO); only the secret reveals it.
	sealed bool
	// raw is the vendor package's decoded value, for verify.
	raw any
}

// want is what the user asked inspect to compare the token with.
type want struct{ user, room string }

// skipError says a check could not be made, and why.
type skipError struct{ reason string }

func (e skipError) Error() string { return e.reason }

// tokenFormat is one token format inspect recognises.
type tokenFormat struct {
	// match tells the format from the token's shape; the first format
	// that matches decodes the token.
	match  func(tok string) bool
	decode func(tok string) (*decoded, error)
	// verify tries the secrets in turn and returns the index of the one
	// that signed the token, or -1. With a match it may complete d with
	// what only the secret reveals, and its error (core.ErrMismatch or
	// core.ErrMalformed) is then a problem of the authentic token.
	verify func(tok string, d *decoded, secrets []core.Secret, w want) (int, error)
}

// formats are tried in order; Tencent, which has no prefix, comes last.
var formats = []tokenFormat{
	{match: prefixed(accesstoken.Version), decode: decodeAgora, verify: verifyAgora},
	{match: prefixed(accesstoken.LegacyVersion), decode: decodeAgora006, verify: verifyAgora006},
	{match: prefixed(token04.Version), decode: decodeZego, verify: verifyZego},
	{match: func(t string) bool { return strings.Count(t, ".") == 2 }, decode: decodeZoom, verify: verifyZoom},
	{match: func(string) bool { return true }, decode: decodeTencent, verify: verifyTencent},
}

// isZlib reports whether tok is a Tencent-base64 zlib stream, the outer
// layer of a UserSig.
func isZlib(tok string) bool {
	_, err := usersig.Inflate(tok)
	return err == nil
}

func prefixed(p string) func(string) bool {
	return func(t string) bool { return strings.HasPrefix(t, p) }
}

// maxTokenLen bounds what inspect reads: every format is far shorter.
const maxTokenLen = 64 << 10

// detect finds the token's format and decodes it without any secret.
// Errors wrap core.ErrMalformed.
func detect(tok string) (*tokenFormat, *decoded, error) {
	switch {
	case tok == "":
		return nil, nil, fmt.Errorf("%w: empty token", core.ErrMalformed)
	case len(tok) > maxTokenLen:
		return nil, nil, fmt.Errorf("%w: %d bytes is longer than any token", core.ErrMalformed, len(tok))
	}
	for i := range formats {
		f := &formats[i]
		if !f.match(tok) {
			continue
		}
		d, err := f.decode(tok)
		if err != nil {
			if i == len(formats)-1 && !isZlib(tok) {
				// Only the catch-all matched, and not even its outer layer
				// decodes: nothing recognises the token.
				return nil, nil, fmt.Errorf("%w: not a token of a known format (Tencent UserSig, Agora 007 or 006, Zoom SDK JWT, ZEGO Token04 or Kit Token)", core.ErrMalformed)
			}
			if !errors.Is(err, core.ErrMalformed) {
				err = fmt.Errorf("%w: %v", core.ErrMalformed, err)
			}
			return nil, nil, err
		}
		return f, d, nil
	}
	return nil, nil, fmt.Errorf("%w: unknown format", core.ErrMalformed)
}

// firstMatch runs try over the secrets and returns the index of the first
// that does not fail with core.ErrSignature, with its error; -1 when none
// does or the token is malformed.
func firstMatch(secrets []core.Secret, try func(s core.Secret) error) (int, error) {
	var err error
	for i, s := range secrets {
		switch err = try(s); {
		case errors.Is(err, core.ErrMalformed):
			return -1, err
		case !errors.Is(err, core.ErrSignature):
			return i, err
		}
	}
	return -1, err
}

func unix(sec int64) time.Time { return time.Unix(sec, 0).UTC() }

// ---- Agora ----

func decodeAgora(tok string) (*decoded, error) {
	t, err := agora.Parse(tok)
	if err != nil {
		return nil, err
	}
	d := &decoded{
		Format: "Agora AccessToken2 (007)", Provider: agora.Name, Kind: t.Kind, AppID: t.AppID,
		UserID: t.UserID, Room: t.Room, IssuedAt: t.IssuedAt, Claims: t.Content.Claims(),
	}
	switch t.Kind {
	case agora.KindRTC:
		d.anyUser = t.UserID == ""
		if _, ok := t.Content.Service(accesstoken.ServiceRTM); ok {
			d.Notes = append(d.Notes, "carries an RTM login for the same user")
		}
	case agora.KindRTM, agora.KindChat:
		d.noRoom = true
	case agora.KindChatApp:
		d.noUser, d.noRoom = true, true
	default:
		d.Notes = append(d.Notes, "holds no rtc, rtm or chat service; only the token's own expire is checked")
	}
	// The deadline is the earlier of the token's expire and that of the
	// kind's key privilege.
	for _, e := range []time.Time{t.ExpiresAt, t.PrivilegeExpiresAt} {
		if !e.IsZero() && (d.ExpiresAt.IsZero() || e.Before(d.ExpiresAt)) {
			d.ExpiresAt = e
		}
	}
	if d.ExpiresAt.IsZero() {
		d.Notes = append(d.Notes, "has no expiry of its own")
	}
	return d, nil
}

func verifyAgora(tok string, _ *decoded, secrets []core.Secret, _ want) (int, error) {
	return firstMatch(secrets, func(s core.Secret) error {
		_, err := agora.Verify(tok, core.Keys{Primary: s}, core.Expect{})
		return err
	})
}

// loginRTM is the 006 privilege id of an RTM login.
const loginRTM = 1000

func decodeAgora006(tok string) (*decoded, error) {
	t, err := accesstoken.ParseLegacy006(tok)
	if err != nil {
		return nil, err
	}
	d := &decoded{
		Format: "Agora legacy AccessToken (006)", Provider: agora.Name, Kind: agora.KindRTC, AppID: t.AppID,
		userCRC: &t.CRCUID, roomCRC: &t.CRCChannel, raw: t,
		Notes: []string{
			"holds the channel and uid only as CRC32 checksums: give --room and --user to check them and the signature",
			"a 006 token cannot bind its channel and uid: the checksums are unsigned and the signature covers channel+uid with no separator, so the same token also verifies for another split (e.g. a longer channel with uid 0)",
		},
	}
	privs := make([]any, 0, len(t.Privileges))
	deadline := int64(t.Ts)
	for _, p := range t.Privileges {
		privs = append(privs, map[string]any{"id": int64(p.ID), "expires_at": int64(p.Expire)})
		if p.ID == loginRTM {
			d.Kind = agora.KindRTM
		}
		if (p.ID == accesstoken.PrivilegeJoinChannel || p.ID == loginRTM) && p.Expire != 0 && (deadline == 0 || int64(p.Expire) < deadline) {
			deadline = int64(p.Expire)
		}
	}
	if deadline != 0 {
		d.ExpiresAt = unix(deadline)
	}
	d.Claims = map[string]any{
		"version": accesstoken.LegacyVersion, "app_id": t.AppID, "salt": int64(t.Salt), "ts": int64(t.Ts),
		"crc_channel_name": int64(t.CRCChannel), "crc_uid": int64(t.CRCUID), "privileges": privs,
	}
	return d, nil
}

func verifyAgora006(_ string, d *decoded, secrets []core.Secret, w want) (int, error) {
	t := d.raw.(*accesstoken.Legacy006)
	if w.room == "" || w.user == "" {
		return -1, skipError{"a 006 token signs its channel and uid: give --room and --user"}
	}
	uid := agoraUID(w.user)
	if crc32Of(w.room) != t.CRCChannel || crc32Of(uid) != t.CRCUID {
		return -1, skipError{"the token is for another channel or uid (see below)"}
	}
	return firstMatch(secrets, func(s core.Secret) error { return t.VerifySignature(s.Reveal(), w.room, uid) })
}

func crc32Of(s string) uint32 { return crc32.ChecksumIEEE([]byte(s)) }

// agoraUID is the uid string a token holds: uid 0 is "".
func agoraUID(user string) string {
	if user == "0" {
		return ""
	}
	return user
}

// ---- ZEGO ----

func decodeZego(tok string) (*decoded, error) {
	t, err := zego.Parse(tok)
	if err != nil {
		return nil, err
	}
	// The expiry is stored in the clear; everything else is encrypted.
	d := &decoded{
		Format: "ZEGO Token04", Provider: zego.Name, Kind: t.Kind, sealed: true, expiredAtExp: true,
		Claims:    map[string]any{"expire": t.ExpiresAt.Unix(), "mode": t.Mode.String()},
		ExpiresAt: t.ExpiresAt,
		Notes:     []string{"the content is encrypted: give the ServerSecret to read and check it"},
	}
	if kit := t.Kit; kit != nil {
		d.Format = "ZEGO UIKit Kit Token"
		d.AppID, d.UserID, d.Room = strconv.FormatUint(uint64(kit.AppID), 10), kit.UserID, kit.RoomID
		d.Notes = []string{"the user and room shown are the kit part's, which nothing authenticates; its Token04 is encrypted: give the ServerSecret to read the authentic user and room"}
		d.Claims[zego.ClaimKitUnverified] = map[string]any{"appID": int64(kit.AppID), "userID": kit.UserID, "roomID": kit.RoomID, "userName": kit.UserName}
	}
	return d, nil
}

// verifyZego decrypts the Token04 (of a Kit Token, the part before "#")
// and replaces what the framing and the kit part said with its content.
func verifyZego(tok string, d *decoded, secrets []core.Secret, _ want) (int, error) {
	tok04, _, isKit := strings.Cut(tok, token04.KitSeparator)
	var c *token04.Claims
	i, err := firstMatch(secrets, func(s core.Secret) error {
		var err error
		c, err = token04.Decode(tok04, []byte(s.Reveal()))
		return err
	})
	if i < 0 || err != nil {
		return i, err
	}
	d.sealed, d.Notes = false, nil
	d.AppID, d.UserID = strconv.FormatUint(uint64(c.AppID), 10), c.UserID
	d.IssuedAt, d.ExpiresAt = unix(c.CTime), unix(c.Expire)
	token04 := map[string]any{
		"app_id": int64(c.AppID), "user_id": c.UserID, "ctime": c.CTime, "expire": c.Expire,
		"nonce": int64(c.Nonce), "mode": c.Mode.String(), "payload": c.Payload,
	}
	d.Room, d.noRoom = "", true
	if p, ok := c.Privilege(); ok {
		d.Room, d.noRoom = p.RoomID, false
		token04["privilege"] = map[string]any{"room_id": p.RoomID, "login": p.Login, "publish": p.Publish, "stream_ids": p.StreamIDs}
	}
	if !isKit {
		d.Claims = token04
		return i, nil
	}
	d.Claims["token04"] = token04
	delete(d.Claims, "expire")
	d.Notes = []string{"the user and room are the Token04's; the kit part (" + zego.ClaimKitUnverified + "), the display name included, is not authenticated"}
	if d.noRoom {
		// Unlike a basic Token04, a Kit Token names a room; this one
		// names it only in the unauthenticated part, so it matches none.
		d.noRoom = false
		d.Notes = append(d.Notes, "the Token04 grants no room: this Kit Token is bound to no room, whatever its kit part names")
	}
	// The kit part must agree with the authentic Token04; the expiry is
	// checked by inspect itself.
	if _, err := zego.Verify(tok, core.Keys{Primary: secrets[i]}, core.Expect{Kind: zego.KindKit}); err != nil && !errors.Is(err, core.ErrExpired) {
		return i, fmt.Errorf("the kit part disagrees with its Token04: %w", err)
	}
	return i, nil
}

// ---- Zoom ----

func decodeZoom(tok string) (*decoded, error) {
	t, err := zoom.Parse(tok)
	if err != nil {
		return nil, err
	}
	d := &decoded{
		Format: "Zoom Video SDK JWT", Provider: zoom.Name, Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Header: t.Header, Claims: t.Claims, expiredAtExp: true,
	}
	if t.Kind == zoom.KindVideo {
		d.noUser, d.foldRoom = t.Claims["user_identity"] == nil, true
	} else {
		d.Format, d.noUser, d.noRoom = "Zoom Meeting SDK JWT", true, t.Room == ""
		if d.noRoom {
			d.Notes = append(d.Notes, "no meeting number: a JWT for the native Meeting SDKs")
		}
	}
	return d, nil
}

// verifyZoom checks the signature and Zoom's rules only: the SDK key, user,
// room and expiry are compared by inspect itself.
func verifyZoom(tok string, _ *decoded, secrets []core.Secret, _ want) (int, error) {
	return firstMatch(secrets, func(s core.Secret) error {
		_, err := zoom.Verify(tok, core.Keys{Primary: s}, core.Expect{})
		return err
	})
}

// ---- Tencent ----

func decodeTencent(tok string) (*decoded, error) {
	t, err := tencent.Parse(tok)
	if err != nil {
		return nil, err
	}
	d := &decoded{
		Format: "Tencent UserSig (TLSSigAPIv2)", Provider: tencent.Name, Kind: t.Kind,
		AppID: t.AppID, UserID: t.UserID, Room: t.Room, noRoom: t.PrivateMap == nil,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Claims.Map(),
	}
	switch {
	case t.PrivateMap != nil:
		d.Format = "Tencent TRTC PrivateMapKey"
		d.Claims["userbuf"] = t.PrivateMap.Fields()
	case t.Claims.HasUserbuf():
		d.Notes = append(d.Notes, "carries a userbuf that is not a PrivateMapKey's")
	}
	return d, nil
}

// verifyTencent checks the signature and, for a PrivateMapKey, that its
// userbuf names the token's user and SDKAppID.
func verifyTencent(tok string, d *decoded, secrets []core.Secret, _ want) (int, error) {
	return firstMatch(secrets, func(s core.Secret) error {
		_, err := tencent.Verify(tok, core.Keys{Primary: s}, core.Expect{Kind: d.Kind})
		return err
	})
}
