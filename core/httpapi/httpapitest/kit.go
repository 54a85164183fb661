package httpapitest

import (
	"testing"

	"github.com/rtctoken/rtctoken/core"
)

// kitCases are the table rows about ZEGO Kit Tokens: the room comes from
// the signed part only. Each issued Kit Token is verified by the provider
// (VerifyCredential), which reads the user and room from the encrypted
// Token04 and not from the kit part, so a row with WantRoom passes only
// when the Token04 itself grants that room.
func kitCases(testing.TB) []Case {
	return []Case{
		{Name: "zego kit room from its Token04", Method: "POST", Path: "/rtc/zego/kit", Body: `{"room":"room-7","role":"publisher"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "room-7", WantRole: "publisher"},
		{Name: "zego kit subscriber room from its Token04", Method: "POST", Path: "/rtc/zego/kit", Body: `{"room":"r.o-o_m~8"}`, Headers: alice(), Status: 200, WantUser: "alice", WantRoom: "r.o-o_m~8", WantRole: "subscriber"},
		{Name: "zego kit needs a room", Method: "POST", Path: "/rtc/zego/kit", Body: `{}`, Headers: alice(), Status: 400, Code: core.CodeInvalidRoom, Field: "room"},
		{Name: "zego kit takes no stream ids", Method: "POST", Path: "/rtc/zego/kit", Body: `{"room":"room-7","options":{"stream_ids":["s"]}}`, Headers: alice(), Status: 400, Code: core.CodeInvalidOption, Field: "options.stream_ids"},
	}
}
