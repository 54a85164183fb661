package usersig

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// Privilege bits of a PrivateMapKey privilege map (dwPrivilegeMap). The
// TRTC server enforces them on room entry when "permission key" is
// enabled for the application in the console.
const (
	PrivCreateRoom   uint32 = 1 << iota // create the room
	PrivEnterRoom                       // enter the room
	PrivSendAudio                       // send audio
	PrivRecvAudio                       // receive audio
	PrivSendVideo                       // send video
	PrivRecvVideo                       // receive video
	PrivSendSubVideo                    // send the sub stream (screen sharing)
	PrivRecvSubVideo                    // receive the sub stream (screen sharing)

	// PrivAll grants every privilege (255).
	PrivAll = PrivCreateRoom | PrivEnterRoom | PrivSendAudio | PrivRecvAudio |
		PrivSendVideo | PrivRecvVideo | PrivSendSubVideo | PrivRecvSubVideo
	// PrivSubscribe is entering the room and receiving audio, video and the
	// sub stream, without sending anything (170).
	PrivSubscribe = PrivEnterRoom | PrivRecvAudio | PrivRecvVideo | PrivRecvSubVideo
)

// Userbuf layout versions (cVer).
const (
	MapNumericRoom uint8 = 0 // numeric room id in RoomID
	MapStringRoom  uint8 = 1 // string room id in RoomStr
)

// PrivateMap is the userbuf of a TRTC PrivateMapKey. Every integer is
// big-endian on the wire:
//
//	cVer u8 | wAccountLen u16 | account | dwSdkAppid u32 | dwAuthID u32 |
//	dwExpTime u32 | dwPrivilegeMap u32 | dwAccountType u32 |
//	[wRoomStrLen u16 | roomStr]   (only when cVer = 1)
type PrivateMap struct {
	Version      uint8  // cVer: MapNumericRoom or MapStringRoom
	Account      string // the user id
	SDKAppID     uint32 // dwSdkAppid: the low 32 bits of the SDKAppID
	RoomID       uint32 // dwAuthID: the numeric room, 0 for a string room
	ExpTime      uint32 // dwExpTime: absolute unix expiry, modulo 2^32
	PrivilegeMap uint32 // dwPrivilegeMap: Priv... bits
	AccountType  uint32 // dwAccountType: always 0
	RoomStr      string // the string room, when Version is MapStringRoom
}

// NumericRoomMap returns the userbuf the official generators build for a
// numeric room: dwExpTime is now+expire truncated to 32 bits.
func NumericRoomMap(sdkAppID uint64, userID string, roomID uint32, now time.Time, expire int64, privilegeMap uint32) PrivateMap {
	return PrivateMap{
		Version: MapNumericRoom, Account: userID, SDKAppID: uint32(sdkAppID), RoomID: roomID,
		ExpTime: uint32(now.Unix() + expire), PrivilegeMap: privilegeMap,
	}
}

// StringRoomMap returns the userbuf the official Go, Python, Java and C++
// generators build for a string room. They use the string layout only for
// a non-empty roomStr; an empty one gives the numeric layout with room 0.
// (The Node generator writes the string layout with an empty tail; set
// Version to MapStringRoom to reproduce that.)
func StringRoomMap(sdkAppID uint64, userID, roomStr string, now time.Time, expire int64, privilegeMap uint32) PrivateMap {
	m := NumericRoomMap(sdkAppID, userID, 0, now, expire, privilegeMap)
	if roomStr != "" {
		m.Version, m.RoomStr = MapStringRoom, roomStr
	}
	return m
}

// ExpiresAt returns dwExpTime as a time. The field wraps in 2106.
func (m PrivateMap) ExpiresAt() time.Time { return time.Unix(int64(m.ExpTime), 0) }

// AppendBinary appends the wire form of m to b. It fails for an unknown
// version, a string room with the numeric layout, or an account or room
// string longer than 65535 bytes.
func (m PrivateMap) AppendBinary(b []byte) ([]byte, error) {
	if len(m.Account) > 0xffff {
		return b, core.Errorf(core.CodeInvalidUser, "account", "user id is longer than 65535 bytes")
	}
	switch m.Version {
	case MapNumericRoom:
		if m.RoomStr != "" {
			return b, core.Errorf(core.CodeInvalidRoom, "roomStr", "a string room needs userbuf version %d", MapStringRoom)
		}
	case MapStringRoom:
		if len(m.RoomStr) > 0xffff {
			return b, core.Errorf(core.CodeInvalidRoom, "roomStr", "room is longer than 65535 bytes")
		}
	default:
		return b, fmt.Errorf("tencent: unknown userbuf version %d", m.Version)
	}
	b = append(b, m.Version)
	b = binary.BigEndian.AppendUint16(b, uint16(len(m.Account)))
	b = append(b, m.Account...)
	b = binary.BigEndian.AppendUint32(b, m.SDKAppID)
	b = binary.BigEndian.AppendUint32(b, m.RoomID)
	b = binary.BigEndian.AppendUint32(b, m.ExpTime)
	b = binary.BigEndian.AppendUint32(b, m.PrivilegeMap)
	b = binary.BigEndian.AppendUint32(b, m.AccountType)
	if m.Version == MapStringRoom {
		b = binary.BigEndian.AppendUint16(b, uint16(len(m.RoomStr)))
		b = append(b, m.RoomStr...)
	}
	return b, nil
}

// MarshalBinary returns the wire form of m.
func (m PrivateMap) MarshalBinary() ([]byte, error) { return m.AppendBinary(nil) }

// ParsePrivateMap decodes a PrivateMapKey userbuf. Anything but an exact
// version 0 or version 1 layout is an error wrapping core.ErrMalformed.
func ParsePrivateMap(b []byte) (PrivateMap, error) {
	var m PrivateMap
	if len(b) < 3 {
		return m, fmt.Errorf("%w: tencent: userbuf too short", core.ErrMalformed)
	}
	m.Version = b[0]
	if m.Version != MapNumericRoom && m.Version != MapStringRoom {
		return m, fmt.Errorf("%w: tencent: unknown userbuf version %d", core.ErrMalformed, m.Version)
	}
	n := int(binary.BigEndian.Uint16(b[1:]))
	rest := b[3:]
	if len(rest) < n+20 {
		return m, fmt.Errorf("%w: tencent: userbuf too short", core.ErrMalformed)
	}
	m.Account = string(rest[:n])
	rest = rest[n:]
	m.SDKAppID = binary.BigEndian.Uint32(rest)
	m.RoomID = binary.BigEndian.Uint32(rest[4:])
	m.ExpTime = binary.BigEndian.Uint32(rest[8:])
	m.PrivilegeMap = binary.BigEndian.Uint32(rest[12:])
	m.AccountType = binary.BigEndian.Uint32(rest[16:])
	rest = rest[20:]
	if m.Version == MapStringRoom {
		if len(rest) < 2 {
			return m, fmt.Errorf("%w: tencent: userbuf room string missing", core.ErrMalformed)
		}
		n = int(binary.BigEndian.Uint16(rest))
		rest = rest[2:]
		if len(rest) < n {
			return m, fmt.Errorf("%w: tencent: userbuf room string truncated", core.ErrMalformed)
		}
		m.RoomStr = string(rest[:n])
		rest = rest[n:]
	}
	if len(rest) != 0 {
		return m, fmt.Errorf("%w: tencent: %d trailing bytes after the userbuf", core.ErrMalformed, len(rest))
	}
	return m, nil
}

// Room returns the room the userbuf grants: the decimal RoomID for the
// numeric layout, RoomStr for the string layout.
func (m PrivateMap) Room() string {
	if m.Version == MapStringRoom {
		return m.RoomStr
	}
	return strconv.FormatUint(uint64(m.RoomID), 10)
}

// Fields returns m under the vendor's field names (cVer, account,
// dwSdkAppid, dwAuthID, dwExpTime, dwPrivilegeMap, dwAccountType and, for
// a string room, roomStr).
func (m PrivateMap) Fields() map[string]any {
	f := map[string]any{
		"cVer": m.Version, "account": m.Account, "dwSdkAppid": m.SDKAppID, "dwAuthID": m.RoomID,
		"dwExpTime": m.ExpTime, "dwPrivilegeMap": m.PrivilegeMap, "dwAccountType": m.AccountType,
	}
	if m.Version == MapStringRoom {
		f["roomStr"] = m.RoomStr
	}
	return f
}
