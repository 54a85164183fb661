package zego_test

import (
	"bytes"
	"context"
	"fmt"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zego"
)

// fixedRand stands in for crypto/rand so that the examples' output is
// deterministic. Production code uses the service's default.
func fixedRand() *bytes.Reader { return bytes.NewReader(bytes.Repeat([]byte("0123456789abcdef"), 8)) }

// The "token04" kind through a core.Service: a Token04 for loginRoom.
func ExampleProvider_token04() {
	p, err := zego.New(zego.Config{
		AppID:        1234567890,
		ServerSecret: core.NewSecret("fa94dd0f974cf2e293728a526b028271"),
	})
	if err != nil {
		panic(err)
	}
	svc, err := core.NewService([]core.Provider{p},
		core.WithClock(func() time.Time { return time.Unix(1700000000, 0) }),
		core.WithRand(fixedRand()))
	if err != nil {
		panic(err)
	}
	cred, err := svc.Issue(context.Background(), core.Identity{UserID: "alice"},
		core.Request{Provider: "zego", Kind: zego.KindToken04, Room: "room-1", Role: zego.RolePublisher})
	if err != nil {
		panic(err)
	}
	fmt.Println(cred.Token)
	fmt.Println(cred.Join["appID"], cred.Join["userID"], cred.Join["roomID"])
	fmt.Println(cred.ExpiresAt.Sub(cred.IssuedAt))

	v, err := p.Verify(context.Background(), zego.KindToken04, cred.Token, time.Unix(1700000000, 0))
	if err != nil {
		panic(err)
	}
	fmt.Println(v.UserID, v.Room, v.Claims["payload"])
	// Output:
	// 04AAAAAGVT/xAAEGdoaWprbHBxcnN0dWNkZWYAwJkA8+/n1UvXOMquqaqzjXa7YPjQ34KJF2FdPgrHT6IvRUCHN167VDAWy4pygtHq5/HkQiIkPqCLQcvelNKiTLFx9KP5Dj5cJnrxTrYmYemunz6aIIyKCl3NeA0k1UOsUCe3rcCH9Eb8HYEs6PvvPwhoKrkRRFqdDbC3jDUvV7WMi58H/Xmd5jzGavephBkKUKce6Z5Mj9xrWhyW8eDiFTq0KNnxfwF6Fh29YCCAMtW9Owoj+uugOGcpGNI1jiaxJA==
	// 1234567890 alice room-1
	// 1h0m0s
	// alice room-1 {"room_id":"room-1","privilege":{"1":1,"2":1},"stream_id_list":null}
}

// The "kit" kind: a UIKit Kit Token for ZegoUIKitPrebuilt.create.
func ExampleProvider_kit() {
	p, err := zego.New(zego.Config{
		AppID:        1234567890,
		ServerSecret: core.NewSecret("fa94dd0f974cf2e293728a526b028271"),
	})
	if err != nil {
		panic(err)
	}
	cred, err := p.Issue(context.Background(), core.Grant{
		Kind: zego.KindKit, UserID: "alice", Room: "room-1", Role: zego.RoleSubscriber, TTL: 2 * time.Hour,
		Identity: core.Identity{UserID: "alice", DisplayName: "Alice Zoë"},
		Now:      time.Unix(1700000000, 0), Rand: fixedRand(),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(cred.Join["roomID"], cred.Join["userID"], cred.Join["userName"])
	fmt.Println(cred.Token == cred.Join["kitToken"])

	tok04, kit, err := zego.ParseKitToken(cred.Token)
	if err != nil {
		panic(err)
	}
	fmt.Println(tok04[:2], kit.AppID, kit.UserName)
	// Output:
	// room-1 alice Alice Zoë
	// true
	// 04 1234567890 Alice Zoë
}

// The low-level generator with every input explicit reproduces the
// official Go generator byte for byte.
func ExampleGenerateToken04() {
	tok, err := zego.GenerateToken04([]byte("fa94dd0f974cf2e293728a526b028271"), zego.Params{
		AppID: 1234567890, UserID: "user1", CTime: 1700000000, Effective: 3600,
		Nonce: 123456789, IV: []byte("0123456789abcdef"),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(tok)

	c, err := zego.VerifyToken04(tok, []byte("fa94dd0f974cf2e293728a526b028271"),
		zego.Expect{AppID: 1234567890, UserID: "user1", Now: time.Unix(1700000000, 0)})
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
	kt, err := zego.KitToken("04AAAA", zego.Kit{AppID: 1234567890, UserID: "user1", RoomID: "room1", UserName: "Alice"})
	if err != nil {
		panic(err)
	}
	fmt.Println(kt)
	// Output:
	// 04AAAA#eyJ1c2VySUQiOiJ1c2VyMSIsInJvb21JRCI6InJvb20xIiwidXNlck5hbWUiOiJBbGljZSIsImFwcElEIjoxMjM0NTY3ODkwfQ==
}

// A room privilege payload for the low-level generator.
func ExampleRoomPrivilege() {
	fmt.Println(zego.RoomPrivilege{RoomID: "room-42", Login: true, Publish: true, StreamIDs: []string{"cam"}}.Payload())
	// Output:
	// {"room_id":"room-42","privilege":{"1":1,"2":1},"stream_id_list":["cam"]}
}
