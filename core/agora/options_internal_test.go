package agora

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora/internal/agoratest"
)

// TestCommonRTCOptions: every text looked up in commonRTCOptions decodes
// with core.DecodeOptions to the same options, and the rtc kind issues
// the same credential from it whether it is looked up or decoded (the
// decoder's path is taken for the same text with a space added).
func TestCommonRTCOptions(t *testing.T) {
	if len(commonRTCOptions) < 2 {
		t.Fatal("no common options")
	}
	for text, want := range commonRTCOptions {
		var got RTCOptions
		if err := core.DecodeOptions(json.RawMessage(text), &got); err != nil {
			t.Errorf("%q: %v", text, err)
			continue
		}
		if !equalOptions(got, want) {
			t.Errorf("%q: DecodeOptions gives %+v, the table %+v", text, got, want)
		}
		if _, ok := commonRTCOptions[" "+text]; ok {
			t.Fatalf("%q is in the table with a space", text)
		}
	}
	p, err := New(Config{AppID: agoratest.App, AppCertificate: core.NewSecret(agoratest.Cert)})
	if err != nil {
		t.Fatal(err)
	}
	issue := func(user, text string) (*core.Credential, error) {
		return p.Issue(context.Background(), core.Grant{Kind: KindRTC, UserID: user, Room: "room", Role: RolePublisher,
			TTL: time.Hour, Now: agoratest.Now, Rand: agoratest.RepeatSalt(agoratest.Salt), Options: json.RawMessage(text)})
	}
	issued := 0
	for text := range commonRTCOptions {
		for _, user := range []string{"42", "alice"} {
			looked, err1 := issue(user, text)
			decoded, err2 := issue(user, " "+text)
			if !reflect.DeepEqual(looked, decoded) || !reflect.DeepEqual(err1, err2) {
				t.Errorf("user %s, options %q: looked up %+v, %v; decoded %+v, %v", user, text, looked, err1, decoded, err2)
			}
			if err1 == nil {
				issued++
			}
		}
	}
	if issued < len(commonRTCOptions) {
		t.Errorf("only %d credentials issued", issued)
	}
}

func equalOptions(a, b RTCOptions) bool {
	ptrEq := func(x, y *int64) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.IDType == b.IDType && a.AnyUID == b.AnyUID && a.RTM == b.RTM && ptrEq(a.PrivilegeTTL, b.PrivilegeTTL) &&
		ptrEq(a.JoinTTL, b.JoinTTL) && ptrEq(a.PublishAudioTTL, b.PublishAudioTTL) &&
		ptrEq(a.PublishVideoTTL, b.PublishVideoTTL) && ptrEq(a.PublishDataTTL, b.PublishDataTTL)
}
