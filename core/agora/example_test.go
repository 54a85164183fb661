package agora_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
)

// exampleService returns a service over an Agora provider with a pinned
// clock and salt, so that the examples print the same tokens every time.
// Production code leaves both options out.
func exampleService() (*core.Service, *agora.Provider) {
	p, err := agora.New(agora.Config{
		AppID:          "970CA35de60c44645bbae8a215061b33",
		AppCertificate: core.NewSecret("5CFd2fd1755d40ecb72977518be15d3b"),
	})
	if err != nil {
		panic(err)
	}
	s, err := core.NewService([]core.Provider{p},
		core.WithClock(func() time.Time { return time.Unix(1700000000, 0) }),
		core.WithRand(strings.NewReader(strings.Repeat("\x00", 64))))
	if err != nil {
		panic(err)
	}
	return s, p
}

func printJoin(c *core.Credential) {
	keys := make([]string, 0, len(c.Join))
	for k := range c.Join {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		if k != "token" {
			parts = append(parts, fmt.Sprintf("%s=%v", k, c.Join[k]))
		}
	}
	fmt.Println(strings.Join(parts, " "))
}

// An RTC token for a numeric uid: the id type must be stated.
func ExampleProvider_Issue_rtc() {
	s, _ := exampleService()
	c, err := s.Issue(context.Background(), core.Identity{UserID: "2882341273"}, core.Request{
		Provider: "agora", Kind: "rtc", Room: "lobby", Role: "publisher",
		Options: json.RawMessage(`{"id_type":"uid","publish_video_ttl":600}`),
	})
	if err != nil {
		panic(err)
	}
	printJoin(c)
	fmt.Println(c.Role, c.ExpiresAt.Format(time.RFC3339))
	fmt.Println(c.Token)
	// Output:
	// appId=970CA35de60c44645bbae8a215061b33 channel=lobby uid=2882341273
	// publisher 2023-11-14T23:13:20Z
	// 007eJxTYHgqecHiwdVdjezSnN/f625ZfuxkrXPC6Zef5l89c+QIR4eFAoOluYGzo7FpSqqZQbKJiZmJaVJSYqpFopGhqYGZYZKxMcPH4FQBPgYGRgYQZmRgYWBkAPGZwCQzQwQTAwMLmM3KkJOflFTJxWBkYWFkbGJoZG4MAE22Ia8=
}

// An RTM token: the user id is the RTM user id.
func ExampleProvider_Issue_rtm() {
	s, _ := exampleService()
	c, err := s.Issue(context.Background(), core.Identity{UserID: "alice"}, core.Request{Provider: "agora", Kind: "rtm", TTL: 30 * time.Minute})
	if err != nil {
		panic(err)
	}
	printJoin(c)
	fmt.Println(c.ExpiresAt.Format(time.RFC3339))
	// Output:
	// appId=970CA35de60c44645bbae8a215061b33 userId=alice
	// 2023-11-14T22:43:20Z
}

// A Chat user token: the host's user id is used as the Chat user id.
func ExampleProvider_Issue_chat() {
	s, _ := exampleService()
	c, err := s.Issue(context.Background(), core.Identity{UserID: "alice"}, core.Request{Provider: "agora", Kind: "chat"})
	if err != nil {
		panic(err)
	}
	printJoin(c)
	// Output:
	// appId=970CA35de60c44645bbae8a215061b33 userId=alice
}

// The Chat app token is for the host's own server: only IssueServer
// serves it.
func ExampleProvider_Issue_chatApp() {
	s, _ := exampleService()
	_, err := s.Issue(context.Background(), core.Identity{UserID: "alice"}, core.Request{Provider: "agora", Kind: "chat_app"})
	fmt.Println(core.CodeOf(err))
	c, err := s.IssueServer(context.Background(), core.Identity{UserID: "backend"}, core.Request{Provider: "agora", Kind: "chat_app"})
	if err != nil {
		panic(err)
	}
	printJoin(c)
	// Output:
	// unknown_kind
	// appId=970CA35de60c44645bbae8a215061b33
}

func ExampleProvider_Verify() {
	s, p := exampleService()
	c, err := s.Issue(context.Background(), core.Identity{UserID: "alice"}, core.Request{Provider: "agora", Kind: "rtc", Room: "lobby"})
	if err != nil {
		panic(err)
	}
	v, err := p.Verify(context.Background(), "rtc", c.Token, time.Unix(1700000100, 0))
	if err != nil {
		panic(err)
	}
	fmt.Println(v.UserID, v.Room, v.ExpiresAt.Unix())
	_, err = p.Verify(context.Background(), "rtm", c.Token, time.Unix(1700000100, 0))
	fmt.Println(err)
	// Output:
	// alice lobby 1700003600
	// rtctoken: token does not match: agora: the token holds no rtm service
}
