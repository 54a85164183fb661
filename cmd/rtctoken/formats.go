package main

import (
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zego/token04"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// formats are the token formats of the vendors, tried in order; Tencent,
// which has no prefix, comes last.
var formats = []tokenFormat{
	{agora.Name, func(t string) bool { return strings.HasPrefix(t, accesstoken.Version) }, parseWith(agora.Parse, agoraToken), verifyWith(agora.Verify)},
	{agora.Name, func(t string) bool { return strings.HasPrefix(t, accesstoken.LegacyVersion) }, parseWith(accesstoken.ParseLegacy006, agora006Token), verifyAgora006},
	{zego.Name, func(t string) bool { return strings.HasPrefix(t, token04.Version) }, parseWith(zego.Parse, zegoToken), verifyZego},
	// Twilio's header names its content type; a LiveKit token names its
	// API key in iss, which a Zoom JWT does not have.
	{twilio.Name, func(t string) bool { _, err := twilio.Parse(t); return err == nil }, parseWith(twilio.Parse, twilioToken), verifyKeyed(twilio.Verify, twilioToken)},
	{livekit.Name, func(t string) bool { l, err := livekit.Parse(t); return err == nil && l.APIKey != "" }, parseWith(livekit.Parse, livekitToken), verifyKeyed(livekit.Verify, livekitToken)},
	{zoom.Name, func(t string) bool { return strings.Count(t, ".") == 2 }, parseWith(zoom.Parse, zoomToken), verifyWith(zoom.Verify)},
	// A UserSig is a zlib stream in Tencent's base64.
	{tencent.Name, func(t string) bool { _, err := usersig.Inflate(t); return err == nil }, parseWith(tencent.Parse, tencentToken), verifyWith(tencent.Verify)},
}

func agoraToken(t *agora.Token) *decoded {
	return &decoded{Format: "Agora AccessToken2 (007)", Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room, IssuedAt: t.IssuedAt,
		ExpiresAt: t.Deadline(), Claims: t.Content.Claims(), Notes: t.Notes(), anyUser: t.Kind == agora.KindRTC && t.UserID == ""}
}

func agora006Token(t *accesstoken.Legacy006) *decoded {
	d := &decoded{Format: "Agora legacy AccessToken (006)", Kind: agora.KindRTC, AppID: t.AppID, userCRC: &t.CRCUID, roomCRC: &t.CRCChannel,
		Claims: t.Claims(), Notes: t.Notes()}
	var rtm bool
	if d.ExpiresAt, rtm = t.Deadline(); rtm {
		d.Kind = agora.KindRTM
	}
	return d
}

// verifyAgora006 needs the channel and uid: the signature covers them.
func verifyAgora006(tok string, key core.Secret, w want) (*decoded, error) {
	t, err := accesstoken.ParseLegacy006(tok)
	switch {
	case err != nil:
		return nil, err
	case w.room == "" || w.user == "":
		return nil, skipError{"a 006 token signs its channel and uid: give --room and --user"}
	case crc32.ChecksumIEEE([]byte(w.room)) != t.CRCChannel || crc32.ChecksumIEEE([]byte(agoraUID(w.user))) != t.CRCUID:
		return nil, skipError{"the token is for another channel or uid (see below)"}
	}
	return nil, t.VerifySignature(key.Reveal(), w.room, agoraUID(w.user))
}

// agoraUID is the uid string a token holds: uid 0 is "".
func agoraUID(user string) string {
	if user == "0" {
		return ""
	}
	return user
}

// verifyZego opens the Token04 (of a Kit Token, the part before "#"), so
// that an authentic token shows its content even when its kit part
// disagrees, then checks the kit part with zego.Verify.
func verifyZego(tok string, key core.Secret, _ want) (*decoded, error) {
	t, err := zego.Open(tok, core.Keys{Primary: key})
	if err != nil {
		return nil, err
	}
	// inspect checks the expiry itself.
	if _, err = zego.Verify(tok, core.Keys{Primary: key}, core.Expect{}); err != nil && !errors.Is(err, core.ErrExpired) {
		return zegoToken(t), fmt.Errorf("the kit part disagrees with its Token04: %w", err)
	}
	return zegoToken(t), nil
}

// zegoToken shows a token from zego.Parse (encrypted) or zego.Open.
func zegoToken(t *zego.Token) *decoded {
	d := &decoded{Format: "ZEGO Token04", Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room, IssuedAt: t.IssuedAt,
		ExpiresAt: t.ExpiresAt, Claims: t.Map(), Notes: t.Notes(), expiredAtExp: true, sealed: t.Claims == nil}
	if k := t.Kit; k != nil {
		// Sealed, only the kit part names a user and room.
		if d.Format, d.roomRequired = "ZEGO UIKit Kit Token", !d.sealed; d.sealed {
			d.AppID, d.UserID, d.Room = strconv.FormatUint(uint64(k.AppID), 10), k.UserID, k.RoomID
		}
	}
	return d
}

func zoomToken(t *zoom.Token) *decoded {
	d := &decoded{Format: "Zoom Video SDK JWT", Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room, IssuedAt: t.IssuedAt,
		ExpiresAt: t.ExpiresAt, Header: t.Header, Claims: t.Claims, Notes: t.Notes(), expiredAtExp: true, foldRoom: t.Kind == zoom.KindVideo}
	if !d.foldRoom {
		d.Format = "Zoom Meeting SDK JWT"
	}
	return d
}

func livekitToken(t *livekit.Token) *decoded {
	return &decoded{Format: "LiveKit access token", Kind: t.Kind, AppID: t.APIKey, keyID: t.APIKey, UserID: t.Identity, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Header: t.Header, Claims: t.Raw, Notes: t.Notes(), expiredAtExp: true}
}

func twilioToken(t *twilio.Token) *decoded {
	return &decoded{Format: "Twilio Access Token", Kind: t.Kind, AppID: t.AccountSID, keyID: t.APIKeySID, UserID: t.Identity, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Header: t.Header, Claims: t.Raw, Notes: t.Notes(), expiredAtExp: true, anyRoom: t.AllRooms()}
}

func tencentToken(t *tencent.Token) *decoded {
	d := &decoded{Format: "Tencent UserSig (TLSSigAPIv2)", Kind: t.Kind, AppID: t.AppID, UserID: t.UserID, Room: t.Room,
		IssuedAt: t.IssuedAt, ExpiresAt: t.ExpiresAt, Claims: t.Map(), Notes: t.Notes()}
	if t.PrivateMap != nil {
		d.Format = "Tencent TRTC PrivateMapKey"
	}
	return d
}
