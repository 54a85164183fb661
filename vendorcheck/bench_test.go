package vendorcheck

import (
	"context"
	"crypto/rand"
	"testing"
	"time"

	"github.com/livekit/protocol/auth"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/core/twilio"
	twjwt "github.com/twilio/twilio-go/client/jwt"
)

// The benchmarks below set each provider beside the vendor's own Go
// generator making the same token, in one run:
//
//	cd vendorcheck && go test -run '^$' -bench . -benchmem

func BenchmarkLiveKitRoomOurs(b *testing.B) {
	p := lkProvider(b)
	g := core.Grant{Kind: livekit.KindRoom, UserID: "user-123", Room: "daily-standup", Role: livekit.RolePublisher,
		TTL: time.Hour, Now: time.Now(), Rand: rand.Reader, Identity: core.Identity{UserID: "user-123", DisplayName: "Ada"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLiveKitRoomVendor is livekit/protocol's auth.AccessToken with
// the grant our publisher token carries.
func BenchmarkLiveKitRoomVendor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		vg := &auth.VideoGrant{RoomJoin: true, Room: "daily-standup"}
		vg.SetCanPublish(true)
		vg.SetCanSubscribe(true)
		vg.SetCanPublishData(true)
		at := auth.NewAccessToken(lkKey, lkSecret).SetIdentity("user-123").SetName("Ada").SetVideoGrant(vg).SetValidFor(time.Hour)
		if _, err := at.ToJWT(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkTwilioVideoOurs(b *testing.B) {
	p := twProvider(b, "")
	g := core.Grant{Kind: twilio.KindVideo, UserID: "user-123", Room: "daily-standup", TTL: time.Hour, Now: time.Now(), Rand: rand.Reader}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Issue(context.Background(), g); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkTwilioVideoVendor is twilio-go's CreateAccessToken with the
// grant our video token carries.
func BenchmarkTwilioVideoVendor(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		tok := twjwt.CreateAccessToken(twjwt.AccessTokenParams{AccountSid: twAccount, SigningKeySid: twKey, Secret: twSecret, Identity: "user-123", Ttl: 3600})
		tok.AddGrant(&twjwt.VideoGrant{Room: "daily-standup"})
		if _, err := tok.ToJwt(); err != nil {
			b.Fatal(err)
		}
	}
}
