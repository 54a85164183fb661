// Package sdkjwt is the byte-exact Zoom SDK JWT format below package zoom:
// the claims of Video SDK and Meeting SDK JWTs, Zoom's rules on them, the
// signer that reproduces the official auth endpoint samples byte for byte,
// and the JWS reader. Package zoom's Provider, Parse and Verify are built on
// it; use this package to sign claims the Provider does not offer (a numeric
// mn, say).
package sdkjwt

import (
	"fmt"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/rtctoken/rtctoken/core"
)

// Zoom's limits, as enforced by the official auth endpoint samples and
// stated in the Video SDK and Meeting SDK auth docs. Lengths are counted in
// UTF-16 code units (JavaScript's String.length: an emoji counts two).
const (
	// MinLifetime and MaxLifetime bound exp-iat: at least 1800 s, at most
	// 48 h. (A provider that back-dates iat issues a TTL, exp-now, that is
	// shorter than exp-iat.)
	MinLifetime = 1800 * time.Second
	MaxLifetime = 48 * time.Hour
	// MaxSDKKeyLen bounds the SDK key (app_key, appKey), in bytes. Zoom's
	// keys are about 20 to 30 characters.
	MaxSDKKeyLen = 256
	// MaxTopicLen bounds tpc, the Video SDK session name.
	MaxTopicLen = 200
	// MaxUserIdentityLen bounds user_identity.
	MaxUserIdentityLen = 35
	// MaxSessionKeyLen bounds session_key.
	MaxSessionKeyLen = 36
	// MaxTelemetryIDLen bounds telemetry_tracking_id. Zoom states no limit;
	// this package sets one so a token stays small.
	MaxTelemetryIDLen = 128
	// MaxMeetingNumberLen bounds a string mn in MeetingClaims. Zoom's sample
	// passes mn through unchecked; the Provider itself only issues 9 to 11
	// ASCII digits.
	MaxMeetingNumberLen = 64
)

// maxSafeInteger is JavaScript's Number.MAX_SAFE_INTEGER: a numeric mn above
// it would not survive JSON.parse on a client.
const maxSafeInteger = 1<<53 - 1

// Flag is an optional claim whose value is the number 0 or 1
// (cloud_recording_option, video_webrtc_mode, the Meeting SDK role...). Its
// zero value, Unset, leaves the claim out of the token.
type Flag uint8

// Flag values. Any other value is invalid and refused when signing.
const (
	Unset Flag = iota // the claim is omitted
	Off               // the claim is the number 0
	On                // the claim is the number 1
)

// Meeting SDK roles, for MeetingClaims.Role.
const (
	MeetingParticipant = Off // role 0
	MeetingHost        = On  // role 1
)

// invalidFlag is what FlagOf returns for a number other than 0 or 1.
const invalidFlag Flag = 0xff

// FlagOf returns Off for 0 and On for 1. Any other number gives an invalid
// Flag, which signing refuses.
func FlagOf(v int64) Flag {
	switch v {
	case 0:
		return Off
	case 1:
		return On
	}
	return invalidFlag
}

// Value returns the claim's number and whether the claim is present.
func (f Flag) Value() (v int, ok bool) {
	switch f {
	case Off:
		return 0, true
	case On:
		return 1, true
	}
	return 0, false
}

func (f Flag) valid() bool { return f <= On }

// MeetingNumber is the Meeting SDK mn claim. Zoom's sample passes on
// whatever JSON type its caller sent, so the type is kept: with Numeric the
// claim is a JSON number (Text must then be a decimal integer without
// leading zeros, at most 2^53-1), otherwise a JSON string. The zero value
// means no meeting number (a native SDK JWT).
type MeetingNumber struct {
	Text    string
	Numeric bool
}

// IsZero reports whether no meeting number is set.
func (m MeetingNumber) IsZero() bool { return m.Text == "" && !m.Numeric }

// VideoClaims are the claims of a Zoom Video SDK JWT, in the order the
// official sample emits them. Optional claims are omitted when empty or
// Unset. IssuedAt and ExpiresAt are Unix seconds: exp-iat must be within
// [MinLifetime, MaxLifetime].
type VideoClaims struct {
	AppKey    string // app_key: the Video SDK key
	RoleType  int    // role_type: 0 participant, 1 host (or co-host)
	Topic     string // tpc: the session name, 1..200 UTF-16 units
	Version   int    // version: signing always writes 1 (0 means 1); 0 when a decoded token has none
	IssuedAt  int64  // iat
	ExpiresAt int64  // exp
	// UserIdentity is user_identity, at most 35 UTF-16 units.
	UserIdentity string
	// SessionKey is session_key, at most 36 UTF-16 units.
	SessionKey string
	// GeoRegions is geo_regions, written comma-joined. Each entry is one of
	// AU BR CA CN DE HK IN JP MX NL SG US, at most once.
	GeoRegions             []string
	CloudRecordingOption   Flag   // cloud_recording_option
	CloudRecordingElection Flag   // cloud_recording_election
	TelemetryTrackingID    string // telemetry_tracking_id, at most 128 UTF-16 units
	VideoWebRTCMode        Flag   // video_webrtc_mode
	AudioWebRTCMode        Flag   // audio_webrtc_mode (formerly audio_compatible_mode)
}

// MeetingClaims are the claims of a Zoom Meeting SDK JWT, in the order the
// official sample emits them: appKey, sdkKey, mn, role, iat, exp, tokenExp,
// video_webrtc_mode. SDKKey is written as both appKey and sdkKey, and
// ExpiresAt as both exp and tokenExp, as the sample does. MeetingNumber and
// Role are all-or-none: both make a web (Meeting SDK for Web) JWT, neither a
// native SDK JWT.
type MeetingClaims struct {
	SDKKey          string        // appKey and sdkKey: the Meeting SDK key (client id)
	MeetingNumber   MeetingNumber // mn
	Role            Flag          // role: MeetingParticipant (0) or MeetingHost (1)
	IssuedAt        int64         // iat, Unix seconds
	ExpiresAt       int64         // exp and tokenExp, Unix seconds
	VideoWebRTCMode Flag          // video_webrtc_mode
}

// Validate checks the claims against Zoom's rules. Errors are *core.Error
// values whose Field is the claim at fault (tpc, user_identity, role_type,
// exp for the exp-iat range, geo_regions, ...); the Provider maps claims to
// the request fields they come from. An empty or over-long SDK key is
// core.ErrConfig.
func (c *VideoClaims) Validate() error {
	if err := checkAppKey(c.AppKey); err != nil {
		return err
	}
	if c.RoleType != 0 && c.RoleType != 1 {
		return core.Errorf(core.CodeInvalidRole, "role_type", "role_type must be 0 (participant) or 1 (host)")
	}
	if err := checkText(c.Topic, core.CodeInvalidRoom, "tpc", "session name (tpc)", 1, MaxTopicLen); err != nil {
		return err
	}
	if c.Version != 0 && c.Version != 1 {
		return core.Errorf(core.CodeInvalidRequest, "version", "version must be 1")
	}
	if err := checkLifetime(c.IssuedAt, c.ExpiresAt); err != nil {
		return err
	}
	if err := checkText(c.UserIdentity, core.CodeInvalidUser, "user_identity", "user_identity", 0, MaxUserIdentityLen); err != nil {
		return err
	}
	if err := checkText(c.SessionKey, core.CodeInvalidOption, "session_key", "session_key", 0, MaxSessionKeyLen); err != nil {
		return err
	}
	var seen uint16
	for i, r := range c.GeoRegions {
		bit := regionBit(r)
		switch {
		case bit == 0:
			return core.Errorf(core.CodeInvalidOption, "geo_regions",
				"geo_regions[%d] is not one of AU, BR, CA, CN, DE, HK, IN, JP, MX, NL, SG, US", i)
		case seen&bit != 0:
			return core.Errorf(core.CodeInvalidOption, "geo_regions", "geo_regions[%d] repeats a region", i)
		}
		seen |= bit
	}
	if err := checkFlag(c.CloudRecordingOption, "cloud_recording_option"); err != nil {
		return err
	}
	if err := checkFlag(c.CloudRecordingElection, "cloud_recording_election"); err != nil {
		return err
	}
	if err := checkText(c.TelemetryTrackingID, core.CodeInvalidOption, "telemetry_tracking_id", "telemetry_tracking_id", 0, MaxTelemetryIDLen); err != nil {
		return err
	}
	if err := checkFlag(c.VideoWebRTCMode, "video_webrtc_mode"); err != nil {
		return err
	}
	return checkFlag(c.AudioWebRTCMode, "audio_webrtc_mode")
}

// Validate is VideoClaims.Validate for a Meeting SDK JWT.
func (c *MeetingClaims) Validate() error {
	if err := checkAppKey(c.SDKKey); err != nil {
		return err
	}
	hasMN, hasRole := !c.MeetingNumber.IsZero(), c.Role != Unset
	switch {
	case hasMN && !hasRole:
		return core.Errorf(core.CodeInvalidRole, "role", "a meeting number needs a role: mn and role are all-or-none")
	case hasRole && !hasMN:
		return core.Errorf(core.CodeInvalidRoom, "mn", "a role needs a meeting number: mn and role are all-or-none")
	case !c.Role.valid():
		return core.Errorf(core.CodeInvalidRole, "role", "role must be 0 (participant) or 1 (host)")
	}
	if hasMN {
		if err := checkMeetingNumber(c.MeetingNumber); err != nil {
			return err
		}
	}
	if err := checkLifetime(c.IssuedAt, c.ExpiresAt); err != nil {
		return err
	}
	return checkFlag(c.VideoWebRTCMode, "video_webrtc_mode")
}

func checkAppKey(k string) error {
	if k == "" || len(k) > MaxSDKKeyLen || !utf8.ValidString(k) {
		return fmt.Errorf("%w: zoom: the SDK key is empty, longer than %d bytes or not valid UTF-8", core.ErrConfig, MaxSDKKeyLen)
	}
	return nil
}

// checkText checks a string claim: valid UTF-8 and min..max UTF-16 units.
func checkText(s string, code core.Code, field, what string, min, max int) error {
	if !utf8.ValidString(s) {
		return core.Errorf(code, field, "%s is not valid UTF-8", what)
	}
	n := len(s) // an upper bound of the UTF-16 length
	if n > max {
		n = utf16Len(s)
	}
	switch {
	case n < min:
		return core.Errorf(code, field, "%s is required", what)
	case n > max:
		return core.Errorf(code, field, "%s is %d UTF-16 units long, at most %d allowed", what, n, max)
	}
	return nil
}

func checkLifetime(iat, exp int64) error {
	d := exp - iat
	if exp <= iat || d < int64(MinLifetime/time.Second) || d > int64(MaxLifetime/time.Second) {
		return core.Errorf(core.CodeInvalidTTL, "exp", "exp-iat must be between %d and %d seconds",
			int64(MinLifetime/time.Second), int64(MaxLifetime/time.Second))
	}
	return nil
}

func checkFlag(f Flag, claim string) error {
	if !f.valid() {
		return core.Errorf(core.CodeInvalidOption, claim, "%s must be 0 or 1", claim)
	}
	return nil
}

func checkMeetingNumber(m MeetingNumber) error {
	if !m.Numeric {
		return checkText(m.Text, core.CodeInvalidRoom, "mn", "meeting number (mn)", 1, MaxMeetingNumberLen)
	}
	v, err := strconv.ParseUint(m.Text, 10, 64)
	if err != nil || m.Text[0] == '+' || (len(m.Text) > 1 && m.Text[0] == '0') || v > maxSafeInteger {
		return core.Errorf(core.CodeInvalidRoom, "mn", "a numeric meeting number must be a decimal integer up to 2^53-1 without leading zeros")
	}
	return nil
}

// regionBit returns the bit of a geo_regions region, 0 for an unknown one.
func regionBit(r string) uint16 {
	for i, k := range [...]string{"AU", "BR", "CA", "CN", "DE", "HK", "IN", "JP", "MX", "NL", "SG", "US"} {
		if r == k {
			return 1 << i
		}
	}
	return 0
}

func (c *VideoClaims) appendJSON(b []byte) []byte {
	b = append(b, `{"app_key":`...)
	b = appendJSString(b, c.AppKey)
	b = append(b, `,"role_type":`...)
	b = strconv.AppendInt(b, int64(c.RoleType), 10)
	b = append(b, `,"tpc":`...)
	b = appendJSString(b, c.Topic)
	b = append(b, `,"version":1,"iat":`...)
	b = strconv.AppendInt(b, c.IssuedAt, 10)
	b = append(b, `,"exp":`...)
	b = strconv.AppendInt(b, c.ExpiresAt, 10)
	b = appendOptString(b, `,"user_identity":`, c.UserIdentity)
	b = appendOptString(b, `,"session_key":`, c.SessionKey)
	if len(c.GeoRegions) > 0 {
		b = append(b, `,"geo_regions":"`...)
		for i, r := range c.GeoRegions { // known regions: nothing to escape
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, r...)
		}
		b = append(b, '"')
	}
	b = appendFlag(b, `,"cloud_recording_option":`, c.CloudRecordingOption)
	b = appendFlag(b, `,"cloud_recording_election":`, c.CloudRecordingElection)
	b = appendOptString(b, `,"telemetry_tracking_id":`, c.TelemetryTrackingID)
	b = appendFlag(b, `,"video_webrtc_mode":`, c.VideoWebRTCMode)
	b = appendFlag(b, `,"audio_webrtc_mode":`, c.AudioWebRTCMode)
	return append(b, '}')
}

func (c *MeetingClaims) appendJSON(b []byte) []byte {
	b = append(b, `{"appKey":`...)
	b = appendJSString(b, c.SDKKey)
	b = append(b, `,"sdkKey":`...)
	b = appendJSString(b, c.SDKKey)
	if !c.MeetingNumber.IsZero() {
		b = append(b, `,"mn":`...)
		if c.MeetingNumber.Numeric {
			b = append(b, c.MeetingNumber.Text...)
		} else {
			b = appendJSString(b, c.MeetingNumber.Text)
		}
	}
	b = appendFlag(b, `,"role":`, c.Role)
	b = append(b, `,"iat":`...)
	b = strconv.AppendInt(b, c.IssuedAt, 10)
	b = append(b, `,"exp":`...)
	b = strconv.AppendInt(b, c.ExpiresAt, 10)
	b = append(b, `,"tokenExp":`...)
	b = strconv.AppendInt(b, c.ExpiresAt, 10)
	b = appendFlag(b, `,"video_webrtc_mode":`, c.VideoWebRTCMode)
	return append(b, '}')
}

func appendOptString(b []byte, key, v string) []byte {
	if v == "" {
		return b
	}
	return appendJSString(append(b, key...), v)
}

func appendFlag(b []byte, key string, f Flag) []byte {
	if v, ok := f.Value(); ok {
		b = append(b, key...)
		b = append(b, byte('0'+v))
	}
	return b
}
