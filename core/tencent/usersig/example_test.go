package usersig_test

import (
	"fmt"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/usersig"
)

// The vendor's demo application and key.
const (
	demoApp = 1400000000
	demoKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
)

// fixedNow pins the clock so the output is stable.
var fixedNow = time.Unix(1700000000, 0)

func ExampleSigner_UserSig() {
	s, err := usersig.NewSigner(demoApp, core.NewSecret(demoKey), usersig.StyleGo14)
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

// A PrivateMapKey carries its room in the userbuf, which Decode returns
// without the key.
func ExampleDecode() {
	s, _ := usersig.NewSigner(demoApp, core.NewSecret(demoKey), usersig.StyleGo14)
	tok, _ := s.PrivateMapKey("xiaojun", 300, fixedNow, 10000, usersig.PrivAll)

	c, err := usersig.Decode(tok)
	if err != nil {
		panic(err)
	}
	m, err := c.PrivateMap()
	if err != nil {
		panic(err)
	}
	fmt.Println(c.UserID, c.ExpiresAt().UTC().Format(time.RFC3339), m.Room(), m.PrivilegeMap)
	fmt.Println(c.VerifySignature(core.NewSecret(demoKey)) == nil, c.VerifySignature(core.NewSecret("other")) != nil)
	// Output:
	// xiaojun 2023-11-14T22:18:20Z 10000 255
	// true true
}
