package tencent_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
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

func ExampleVerify() {
	s, _ := usersig.NewSigner(demoApp, core.NewSecret(demoKey), usersig.StyleGo14)
	tok, _ := s.PrivateMapKey("xiaojun", 300, fixedNow, 10000, usersig.PrivAll)
	keys := core.Keys{Primary: core.NewSecret(demoKey)}
	want := core.Expect{Kind: tencent.KindPrivateMapKey, AppID: "1400000000", UserID: "xiaojun", Room: "10000"}

	want.At = fixedNow.Add(time.Minute)
	t, err := tencent.Verify(tok, keys, want)
	if err != nil {
		panic(err)
	}
	fmt.Println(t.UserID, t.Room, t.ExpiresAt.Format(time.RFC3339), t.PrivateMap.PrivilegeMap)

	want.At = fixedNow.Add(time.Hour)
	_, err = tencent.Verify(tok, keys, want)
	fmt.Println(err)
	// Output:
	// xiaojun 10000 2023-11-14T22:18:20Z 255
	// rtctoken: token expired: tencent: expired at 2023-11-14T22:18:20Z
}

// Parse reads a UserSig without the key: it is compressed JSON, signed
// but not encrypted.
func ExampleParse() {
	s, _ := usersig.NewSigner(demoApp, core.NewSecret(demoKey), usersig.StyleGo14)
	tok, _ := s.PrivateMapKeyWithStringRoomID("xiaojun", 300, fixedNow, "lobby", usersig.PrivSubscribe)

	t, err := tencent.Parse(tok)
	if err != nil {
		panic(err)
	}
	fmt.Println(t.Kind, t.AppID, t.UserID, t.Room)
	// Output:
	// privatemapkey 1400000000 xiaojun lobby
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
