package token04

import (
	"encoding/json"
	"fmt"

	"github.com/rtctoken/rtctoken/core"
)

// Privilege keys of the room payload, as in the official generators.
const (
	// PrivilegeLogin ("1") allows logging in to the room.
	PrivilegeLogin = 1
	// PrivilegePublish ("2") allows publishing streams.
	PrivilegePublish = 2
)

// RoomPrivilege is the "RTC room" payload of a Token04:
//
//	{"room_id":"...","privilege":{"1":0|1,"2":0|1},"stream_id_list":[...]|null}
//
// It travels as a JSON string inside the plaintext. ZEGO enforces the room
// and stream ids only when the app's strong checks are enabled by ZEGO
// support; the login and publish privileges always apply.
type RoomPrivilege struct {
	RoomID  string
	Login   bool
	Publish bool
	// StreamIDs restricts the streams the user may publish; nil writes
	// null (no restriction).
	StreamIDs []string
}

// Payload returns the payload text, byte-identical to the official Go
// sample's json.Marshal of the same values.
func (p RoomPrivilege) Payload() string { return string(p.appendJSON(nil)) }

func (p RoomPrivilege) appendJSON(dst []byte) []byte {
	dst = append(dst, `{"room_id":`...)
	dst = appendGoString(dst, p.RoomID)
	dst = append(dst, `,"privilege":{"1":`...)
	dst = append(dst, bit(p.Login))
	dst = append(dst, `,"2":`...)
	dst = append(dst, bit(p.Publish))
	dst = append(dst, `},"stream_id_list":`...)
	if p.StreamIDs == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i, id := range p.StreamIDs {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendGoString(dst, id)
		}
		dst = append(dst, ']')
	}
	return append(dst, '}')
}

func bit(b bool) byte { return byte('0' + bitInt(b)) }

// ParseRoomPrivilege decodes a room privilege payload. A privilege value
// must be 0 or 1; a missing privilege key means 0. Errors wrap
// core.ErrMalformed.
func ParseRoomPrivilege(payload string) (RoomPrivilege, error) {
	var raw struct {
		RoomID    *string          `json:"room_id"`
		Privilege map[string]int64 `json:"privilege"`
		StreamIDs []string         `json:"stream_id_list"`
	}
	var p RoomPrivilege
	if err := json.Unmarshal([]byte(payload), &raw); err != nil || raw.RoomID == nil {
		return p, fmt.Errorf("%w: the payload is not a room privilege", core.ErrMalformed)
	}
	for k, v := range raw.Privilege {
		if v != 0 && v != 1 {
			return p, fmt.Errorf("%w: privilege %q is %d, not 0 or 1", core.ErrMalformed, k, v)
		}
		switch k {
		case "1":
			p.Login = v == 1
		case "2":
			p.Publish = v == 1
		}
	}
	p.RoomID, p.StreamIDs = *raw.RoomID, raw.StreamIDs
	return p, nil
}
