package tencent

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// BenchmarkProviderIssue is Provider.Issue per kind, including the
// credential, its Join map and (privatemapkey) the options.
func BenchmarkProviderIssue(b *testing.B) {
	p := newProvider(b, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	for _, g := range []core.Grant{
		{Kind: KindUserSig, UserID: "xiaojun", TTL: 24 * time.Hour, Now: provNow},
		{Kind: KindPrivateMapKey, UserID: "xiaojun", Room: "10000", TTL: time.Hour, Now: provNow, Options: json.RawMessage(`{"room_type":"numeric"}`)},
	} {
		b.Run(g.Kind, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := p.Issue(b.Context(), g); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkVerify(b *testing.B) {
	p := newProvider(b, Config{SDKAppID: provApp, Key: core.NewSecret(provKey)})
	c, err := p.Issue(b.Context(), core.Grant{Kind: KindUserSig, UserID: "xiaojun", TTL: time.Hour, Now: provNow})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Verify(b.Context(), KindUserSig, c.Token, provNow); err != nil {
			b.Fatal(err)
		}
	}
}
