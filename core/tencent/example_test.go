package tencent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent"
)

// The vendor's demo application and key.
const (
	demoApp = 1400000000
	demoKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
)

// fixedNow pins the clock so the output is stable.
var fixedNow = time.Unix(1700000000, 0)

// showJoin prints a Join map with its token shortened.
func showJoin(join map[string]any, token string) {
	b, _ := json.Marshal(join)
	fmt.Println(strings.Replace(string(b), token, token[:8]+"…", 1))
}

func ExampleSigner_UserSig() {
	s, err := tencent.NewSigner(demoApp, core.NewSecret(demoKey), tencent.StyleGo14)
	if err != nil {
		panic(err)
	}
	tok, err := s.UserSig("xiaojun", 180*86400, fixedNow)
	if err != nil {
		panic(err)
	}
	fmt.Println(tok)
	// Output:
	// eAEArABT-3siVExTLnZlciI6IjIuMCIsIlRMUy5pZGVudGlmaWVyIjoieGlhb2p1biIsIlRMUy5zZGthcHBpZCI6MTQwMDAwMDAwMCwiVExTLmV4cGlyZSI6MTU1NTIwMDAsIlRMUy50aW1lIjoxNzAwMDAwMDAwLCJUTFMuc2lnIjoiTHZBN2QvSXc3Z1NzbnNrdlZ6QkRQT0NDRGJ1TkN3NEdId1RDMGJpcCtCND0ifQoBAAD--9-DMfw_
}

func ExampleVerify() {
	s, _ := tencent.NewSigner(demoApp, core.NewSecret(demoKey), tencent.StyleGo14)
	tok, _ := s.PrivateMapKey("xiaojun", 300, fixedNow, 10000, tencent.PrivAll)

	c, err := tencent.Verify(tok, demoApp, "xiaojun", fixedNow.Add(time.Minute), core.NewSecret(demoKey))
	if err != nil {
		panic(err)
	}
	m, err := c.PrivateMap()
	if err != nil {
		panic(err)
	}
	fmt.Println(c.UserID, c.ExpiresAt().UTC().Format(time.RFC3339), m.Room(), m.PrivilegeMap)

	_, err = tencent.Verify(tok, demoApp, "xiaojun", fixedNow.Add(time.Hour), core.NewSecret(demoKey))
	fmt.Println(err)
	// Output:
	// xiaojun 2023-11-14T22:18:20Z 10000 255
	// rtctoken: token expired: tencent: expired at 2023-11-14T22:18:20Z
}

func ExampleProvider_usersig() {
	p, err := tencent.New(tencent.Config{SDKAppID: demoApp, Key: core.NewSecret(demoKey)})
	if err != nil {
		panic(err)
	}
	svc, err := core.NewService([]core.Provider{p}, core.WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		panic(err)
	}
	cred, err := svc.Issue(context.Background(), core.Identity{UserID: "xiaojun"},
		core.Request{Provider: "tencent", Kind: "usersig"})
	if err != nil {
		panic(err)
	}
	fmt.Println(cred.ExpiresAt.Format(time.RFC3339))
	showJoin(cred.Join, cred.Token)
	// Output:
	// 2023-11-15T22:13:20Z
	// {"sdkAppID":1400000000,"userID":"xiaojun","userSig":"eAEAqQBW…"}
}

func ExampleProvider_privatemapkey() {
	p, err := tencent.New(tencent.Config{SDKAppID: demoApp, Key: core.NewSecret(demoKey)})
	if err != nil {
		panic(err)
	}
	svc, err := core.NewService([]core.Provider{p}, core.WithClock(func() time.Time { return fixedNow }))
	if err != nil {
		panic(err)
	}
	// An all-digit room must say whether it is a numeric roomId or a
	// strRoomId; the default role is "subscriber" (privilege map 170).
	cred, err := svc.Issue(context.Background(), core.Identity{UserID: "xiaojun"}, core.Request{
		Provider: "tencent", Kind: "privatemapkey", Room: "10000",
		Options: json.RawMessage(`{"room_type":"numeric"}`),
	})
	if err != nil {
		panic(err)
	}
	showJoin(cred.Join, cred.Token)

	v, err := p.Verify(context.Background(), "privatemapkey", cred.Token, fixedNow)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Room, v.Claims["userbuf"].(map[string]any)["dwPrivilegeMap"])
	// Output:
	// {"privateMapKey":"eAEA4QAe…","roomId":10000,"sdkAppID":1400000000,"userID":"xiaojun"}
	// 10000 170
}
