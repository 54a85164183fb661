package livekit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
)

// A publisher token for the signed-in user, issued through a Service with
// the clock pinned, then verified by the same provider.
func ExampleProvider() {
	p, err := livekit.New(livekit.Config{
		APIKey:    "APIrtctokenVec1",
		APISecret: core.NewSecret("rtctoken-vector-secret-livekit-0123456789ABCDEF"),
		ServerURL: "wss://my-project.livekit.cloud",
	})
	if err != nil {
		panic(err)
	}
	now := time.Unix(1796184073, 0)
	svc, err := core.NewService([]core.Provider{p}, core.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	cred, err := svc.Issue(context.Background(), core.Identity{UserID: "alice", DisplayName: "Alice"},
		core.Request{Provider: "livekit", Kind: livekit.KindRoom, Room: "daily-standup", Role: livekit.RolePublisher})
	if err != nil {
		panic(err)
	}
	cred.Join["token"] = "<token>"
	join, _ := json.Marshal(cred.Join)
	fmt.Println(string(join))
	fmt.Println(cred.ExpiresAt.Sub(cred.IssuedAt))

	tok, err := livekit.Parse(cred.Token)
	if err != nil {
		panic(err)
	}
	claims, _ := json.Marshal(tok.Claims)
	fmt.Println(string(claims))

	v, err := p.Verify(context.Background(), livekit.KindRoom, cred.Token, now)
	fmt.Println(v.UserID, v.Room, err)

	// An admin token is elevated: refused unless an AllowElevated grant allows it.
	_, err = svc.Issue(context.Background(), core.Identity{UserID: "alice"},
		core.Request{Provider: "livekit", Kind: livekit.KindRoom, Room: "daily-standup", Role: livekit.RoleAdmin})
	fmt.Println(errors.Is(err, core.ErrForbidden))
	// Output:
	// {"identity":"alice","roomName":"daily-standup","serverUrl":"wss://my-project.livekit.cloud","token":"\u003ctoken\u003e"}
	// 1h0m0s
	// {"iss":"APIrtctokenVec1","sub":"alice","exp":1796187673,"nbf":1796184073,"iat":1796184073,"identity":"alice","name":"Alice","video":{"roomJoin":true,"room":"daily-standup","canPublish":true,"canSubscribe":true,"canPublishData":true}}
	// alice daily-standup <nil>
	// true
}
