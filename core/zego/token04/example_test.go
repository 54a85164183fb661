package token04_test

import (
	"fmt"
	"time"

	"github.com/rtctoken/rtctoken/core/zego/token04"
)

// The low-level generator with every input explicit reproduces the
// official Go generator byte for byte.
func ExampleGenerate() {
	tok, err := token04.Generate([]byte("fa94dd0f974cf2e293728a526b028271"), token04.Params{
		AppID: 1234567890, UserID: "user1", CTime: 1700000000, Effective: 3600,
		Nonce: 123456789, IV: []byte("0123456789abcdef"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tok)

	c, err := token04.Verify(tok, []byte("fa94dd0f974cf2e293728a526b028271"),
		token04.Expect{AppID: 1234567890, UserID: "user1", Now: time.Unix(1700000000, 0)})
	if err != nil {
		panic(err)
	}
	fmt.Println(c.UserID, c.Expire, c.Mode)
	// Output:
	// 04AAAAAGVT/xAAEDAxMjM0NTY3ODlhYmNkZWYAcK/oyydKytM1aQ+0EzyZaCrKfJWJQIVBzfCfER5aaXlYUCkROhXBIPhXHT5sCwUiq/3hxOhpvi9ijLei2AQrFvAcPR7BLe9eSNM78NcAZ/TK1q/50tkqsbRTEiJWL1DDLtuTYr990ZfRywzoseShyGY=
	// user1 1700003600 cbc
}

// KitToken wraps any Token04 as generateKitTokenForProduction does.
func ExampleKitToken() {
	kt, err := token04.KitToken("04AAAA", token04.Kit{AppID: 1234567890, UserID: "user1", RoomID: "room1", UserName: "Alice"})
	if err != nil {
		panic(err)
	}
	fmt.Println(kt)
	// Output:
	// 04AAAA#eyJ1c2VySUQiOiJ1c2VyMSIsInJvb21JRCI6InJvb20xIiwidXNlck5hbWUiOiJBbGljZSIsImFwcElEIjoxMjM0NTY3ODkwfQ==
}

// A room privilege payload for the low-level generator.
func ExampleRoomPrivilege() {
	fmt.Println(token04.RoomPrivilege{RoomID: "room-42", Login: true, Publish: true, StreamIDs: []string{"cam"}}.Payload())
	// Output:
	// {"room_id":"room-42","privilege":{"1":1,"2":1},"stream_id_list":["cam"]}
}
