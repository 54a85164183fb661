package twilio_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
)

// A Video token for the signed-in user, issued through a Service with the
// clock pinned: the bytes twilio-go writes for the same claims (vector
// ttl_default). A grant for every room is elevated.
func ExampleProvider() {
	p, err := twilio.New(twilio.Config{
		AccountSID:   "AC0123456789abcdef0123456789abcdef",
		APIKeySID:    "SKfedcba9876543210fedcba9876543210",
		APIKeySecret: core.NewSecret("rtctokenTwilioVectorSecret012345"),
		Kinds:        []string{twilio.KindVideo},
	})
	if err != nil {
		panic(err)
	}
	now := time.Unix(1796184073, 0)
	svc, err := core.NewService([]core.Provider{p}, core.WithClock(func() time.Time { return now }))
	if err != nil {
		panic(err)
	}
	cred, err := svc.Issue(context.Background(), core.Identity{UserID: "alice"},
		core.Request{Provider: "twilio", Kind: twilio.KindVideo, Room: "DailyStandup"})
	if err != nil {
		panic(err)
	}
	fmt.Println(cred.Token)
	cred.Join["token"] = "<token>"
	join, _ := json.Marshal(cred.Join)
	fmt.Println(string(join))

	v, err := p.Verify(context.Background(), twilio.KindVideo, cred.Token, now)
	fmt.Println(v.UserID, v.Room, v.ExpiresAt.Sub(v.IssuedAt), err)

	_, err = svc.Issue(context.Background(), core.Identity{UserID: "alice"},
		core.Request{Provider: "twilio", Kind: twilio.KindVideo, Options: json.RawMessage(`{"any_room":true}`)})
	fmt.Println(errors.Is(err, core.ErrForbidden))
	// Output:
	// eyJhbGciOiJIUzI1NiIsImN0eSI6InR3aWxpby1mcGE7dj0xIiwidHlwIjoiSldUIn0.eyJleHAiOjE3OTYxODc2NzMsImdyYW50cyI6eyJpZGVudGl0eSI6ImFsaWNlIiwidmlkZW8iOnsicm9vbSI6IkRhaWx5U3RhbmR1cCJ9fSwiaXNzIjoiU0tmZWRjYmE5ODc2NTQzMjEwZmVkY2JhOTg3NjU0MzIxMCIsImp0aSI6IlNLZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTAtMTc5NjE4NDA3MyIsIm5iZiI6MTc5NjE4NDA3Mywic3ViIjoiQUMwMTIzNDU2Nzg5YWJjZGVmMDEyMzQ1Njc4OWFiY2RlZiJ9.0TOkwB-8x37ZexTXpHLHIhPxZx42uT9ik3sak4Ch13g
	// {"name":"DailyStandup","token":"\u003ctoken\u003e"}
	// alice DailyStandup 1h0m0s <nil>
	// true
}
