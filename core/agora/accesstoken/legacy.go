package accesstoken

import (
	"crypto/hmac"
	"crypto/sha256"
	"fmt"
	"hash/crc32"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// LegacyVersion is the prefix of the legacy AccessToken.
const LegacyVersion = "006"

// Legacy006 is a decoded legacy "006" AccessToken. Privilege expires are
// absolute unix times (0: no limit).
//
// A 006 token cannot bind its channel and uid; this is a flaw of the
// vendor's format, not of this package. The token carries them only as
// CRC32 checksums, which are outside the signature: anyone can rewrite
// them, and CRC32 collisions are easy to make, so CRCChannel and CRCUID
// are hints and prove nothing. The signature, HMAC-SHA256(certificate,
// app id + channel + uid + message), does cover the channel and uid, but
// concatenated with no separator or length: a token signed for channel
// "room1" and uid "23" verifies just as well for channel "room12" and uid
// "3", or for channel "room123" and uid "" (uid 0, which any uid may use).
// A verified 006 token is therefore no proof of which channel or uid it was
// issued for; issue AccessToken2 ("007") tokens, whose services name the
// channel and uid in full, and accept 006 only where that is acceptable.
type Legacy006 struct {
	AppID string
	// Salt and Ts (the token's absolute expiry, unix seconds).
	Salt, Ts uint32
	// CRCChannel and CRCUID are the IEEE CRC32 of the channel and uid
	// strings.
	CRCChannel, CRCUID uint32
	Privileges         []Privilege
	Signature          []byte
	// Message is the signed privilege message (salt, ts, privileges).
	Message []byte
}

// ParseLegacy006 decodes a "006" token without checking it. Errors wrap
// core.ErrMalformed.
func ParseLegacy006(token string) (*Legacy006, error) {
	if len(token) > MaxTokenLen {
		return nil, errMalformed("token longer than %d bytes", MaxTokenLen)
	}
	body, ok := strings.CutPrefix(token, LegacyVersion)
	if !ok || len(body) < 32 {
		return nil, errMalformed("not a 006 token")
	}
	t := &Legacy006{AppID: body[:32]}
	body = body[32:]
	if strings.ContainsAny(body, "\r\n") {
		return nil, errMalformed("line break in the token")
	}
	raw, err := strictBase64.DecodeString(body)
	if err != nil {
		return nil, errMalformed("invalid base64")
	}
	r := reader{b: raw}
	t.Signature = r.bytes()
	t.CRCChannel = r.u32()
	t.CRCUID = r.u32()
	t.Message = r.bytes()
	if r.bad || len(r.b) != 0 {
		return nil, errMalformed("bad 006 content")
	}
	if len(t.Signature) != sha256.Size {
		return nil, errMalformed("signature is %d bytes, not 32", len(t.Signature))
	}
	m := reader{b: t.Message}
	t.Salt = m.u32()
	t.Ts = m.u32()
	n := m.count(6)
	if n > 0 {
		t.Privileges = make([]Privilege, n)
	}
	for i := range t.Privileges {
		t.Privileges[i] = Privilege{ID: m.u16(), Expire: m.u32()}
	}
	if m.bad || len(m.b) != 0 {
		return nil, errMalformed("bad 006 privilege message")
	}
	return t, nil
}

// VerifySignature checks the signature, HMAC-SHA256(cert, app id + channel
// + uid + message), for the given channel and uid string ("" for uid 0).
// A wrong channel or uid fails like a wrong certificate: core.ErrSignature.
// Success does not prove the channel and uid: any other split of the same
// concatenated text verifies too (see Legacy006).
func (t *Legacy006) VerifySignature(cert, channel, uid string) error {
	if crc32.ChecksumIEEE([]byte(channel)) != t.CRCChannel || crc32.ChecksumIEEE([]byte(uid)) != t.CRCUID {
		return fmt.Errorf("%w: agora: the 006 token is for another channel or uid", core.ErrSignature)
	}
	m := hmac.New(sha256.New, []byte(cert))
	m.Write([]byte(t.AppID))
	m.Write([]byte(channel))
	m.Write([]byte(uid))
	m.Write(t.Message)
	if !hmac.Equal(m.Sum(nil), t.Signature) {
		return fmt.Errorf("%w: agora: the signature does not match the certificate", core.ErrSignature)
	}
	return nil
}

// VerifyLegacy006 parses and checks a "006" token: p.Channel and p.UID are
// required (core.ErrMalformed without them: the token cannot be verified),
// then the signature with each certificate, the app id, and the expiry
// when p.Now is set (expired when ts != 0 and now > ts). Like
// VerifySignature, it cannot tell p.Channel and p.UID from another split of
// the same text, such as a longer channel with uid 0 (see Legacy006).
func VerifyLegacy006(token string, p VerifyParams) (*Legacy006, error) {
	t, err := ParseLegacy006(token)
	if err != nil {
		return nil, err
	}
	if p.Channel == nil || p.UID == nil {
		return nil, errMalformed("a 006 token can only be verified with its channel and uid")
	}
	if len(p.Certificates) == 0 {
		return nil, fmt.Errorf("%w: %w", core.ErrSignature, ErrNoCertificate)
	}
	for _, c := range p.Certificates {
		if err = t.VerifySignature(c, *p.Channel, *p.UID); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	if t.AppID != p.AppID {
		return nil, fmt.Errorf("%w: agora: the token is for another app id", core.ErrMismatch)
	}
	if !p.Now.IsZero() && t.Ts != 0 && p.Now.Unix() > int64(t.Ts) {
		return nil, fmt.Errorf("%w: agora: the token expired", core.ErrExpired)
	}
	return t, nil
}

// ExpiresAt returns the token's absolute expiry, false when Ts is 0.
func (t *Legacy006) ExpiresAt() (time.Time, bool) {
	if t.Ts == 0 {
		return time.Time{}, false
	}
	return time.Unix(int64(t.Ts), 0).UTC(), true
}

// PrivilegeLoginRTM is the 006 privilege id of an RTM login.
const PrivilegeLoginRTM uint16 = 1000

// Deadline returns the earliest of the token's expiry (Ts) and the expire
// of its join-channel or RTM-login privilege, zero when none is set; rtm
// reports an RTM login privilege.
func (t *Legacy006) Deadline() (deadline time.Time, rtm bool) {
	d := int64(t.Ts)
	for _, p := range t.Privileges {
		rtm = rtm || p.ID == PrivilegeLoginRTM
		if (p.ID == PrivilegeJoinChannel || p.ID == PrivilegeLoginRTM) && p.Expire != 0 && (d == 0 || int64(p.Expire) < d) {
			d = int64(p.Expire)
		}
	}
	if d == 0 {
		return time.Time{}, rtm
	}
	return time.Unix(d, 0).UTC(), rtm
}

// Claims returns the token as a map for display: version, app_id, salt,
// ts, crc_channel_name, crc_uid and privileges (id, expires_at, the
// absolute expire). Numbers are int64.
func (t *Legacy006) Claims() map[string]any {
	privs := make([]any, 0, len(t.Privileges))
	for _, p := range t.Privileges {
		privs = append(privs, map[string]any{"id": int64(p.ID), "expires_at": int64(p.Expire)})
	}
	return map[string]any{
		"version": LegacyVersion, "app_id": t.AppID, "salt": int64(t.Salt), "ts": int64(t.Ts),
		"crc_channel_name": int64(t.CRCChannel), "crc_uid": int64(t.CRCUID), "privileges": privs,
	}
}

// Notes says, for a person reading t, what its fields do not: that it
// names its channel and uid only as checksums, and that no 006 token binds
// them (see Legacy006). rtctoken inspect prints them.
func (t *Legacy006) Notes() []string {
	return []string{
		"holds the channel and uid only as CRC32 checksums: give --room and --user to check them and the signature",
		"a 006 token cannot bind its channel and uid: the checksums are unsigned and the signature covers channel+uid with no separator, so the same token also verifies for another split (e.g. a longer channel with uid 0)",
	}
}
