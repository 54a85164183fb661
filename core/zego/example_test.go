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

	// Without the ServerSecret, Parse reads the clear framing and the
	// unverified kit part.
	tok, err := zego.Parse(cred.Token)
	if err != nil {
		panic(err)
	}
	fmt.Println(tok.Kind, tok.ExpiresAt.Unix(), tok.Kit.AppID, tok.Kit.UserName, tok.UserID == "")
	// Output:
	// room-1 alice Alice Zoë
	// true
	// kit 1700007200 1234567890 Alice Zoë true
}

// Verify checks a token with the ServerSecret, outside any Provider.
func ExampleVerify() {
	p, err := zego.New(zego.Config{
		AppID:        1234567890,
		ServerSecret: core.NewSecret("fa94dd0f974cf2e293728a526b028271"),
	})
	if err != nil {
		panic(err)
	}
	now := time.Unix(1700000000, 0)
	cred, err := p.Issue(context.Background(), core.Grant{
		Kind: zego.KindKit, UserID: "alice", Room: "room-1", Role: zego.RolePublisher, TTL: time.Hour,
		Identity: core.Identity{UserID: "alice", DisplayName: "Alice"}, Now: now, Rand: fixedRand(),
	})
	if err != nil {
		panic(err)
	}
	tok, err := zego.Verify(cred.Token, core.Keys{Primary: core.NewSecret("fa94dd0f974cf2e293728a526b028271")},
		core.Expect{AppID: "1234567890", UserID: "alice", Room: "room-1", At: now})
	if err != nil {
		panic(err)
	}
	fmt.Println(tok.Kind, tok.AppID, tok.UserID, tok.Room, tok.ExpiresAt.Sub(tok.IssuedAt))
	fmt.Println(tok.Kit.UserName, "(unverified)")
	// Output:
	// kit 1234567890 alice room-1 1h0m0s
	// Alice (unverified)
}
