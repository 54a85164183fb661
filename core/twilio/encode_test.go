package twilio

import (
	"bytes"
	"encoding/json"
	"math"
	"testing"

	"github.com/rtctoken/rtctoken/internal/jsonstr/jsonstrtest"
)

// encoder is appendClaims of c.
func encoder(c *Claims) func([]byte) ([]byte, error) {
	return func(b []byte) ([]byte, error) { return appendClaims(b, c) }
}

// checkHeader compares appendHeader with json.Marshal of the header as
// twilio-go builds it, a map.
func checkHeader(t *testing.T, region string) {
	t.Helper()
	h := map[string]string{"alg": "HS256", "cty": ContentType, "typ": "JWT"}
	if region != "" {
		h["twr"] = region
	}
	want, _ := json.Marshal(h)
	if got := appendHeader([]byte("prefix"), region); !bytes.Equal(got, append([]byte("prefix"), want...)) {
		t.Fatalf("appendHeader(%q):\n got %s\nwant prefix%s", region, got, want)
	}
}

func TestAppendHeader(t *testing.T) {
	for _, r := range []string{"", "us1", "ie1", "<&>", "\u2028\xff\""} {
		checkHeader(t, r)
	}
	if got := appendHeader(nil, ""); !bytes.Equal(got, plainHeader) {
		t.Errorf("appendHeader without a region = %s, want plainHeader %s", got, plainHeader)
	}
}

func TestAppendClaims(t *testing.T) {
	chat := &ChatGrant{DeploymentRoleSID: "RL1", EndpointID: "e", PushCredentialSID: "CR1", ServiceSID: "IS1"}
	all := &Claims{
		ExpiresAt: math.MaxInt64, IssuedAt: math.MinInt64, Issuer: "SK1", ID: "SK1-1", NotBefore: -1, Subject: "AC1",
		Grants: Grants{
			Chat: chat, Sync: &SyncGrant{EndpointID: "e", ServiceSID: "IS2"}, Identity: "Ada <&>", IPMessaging: chat,
			RTC: &RTCGrant{ConfigurationProfileSID: "c"}, Video: &VideoGrant{Room: "r"},
			Voice: &VoiceGrant{
				EndpointID: "e", Incoming: &VoiceIncoming{Allow: true},
				Outgoing:          &VoiceOutgoing{ApplicationSID: "AP1", Params: map[string]any{"b": "2", "a": "<1>", "\xff": "\u2029", "": ""}},
				PushCredentialSID: "CR1",
			},
		},
	}
	for name, c := range map[string]*Claims{
		"empty":          {},
		"empty grants":   {Grants: Grants{Chat: &ChatGrant{}, Sync: &SyncGrant{}, IPMessaging: &ChatGrant{}, RTC: &RTCGrant{}, Video: &VideoGrant{}, Voice: &VoiceGrant{}}},
		"all":            all,
		"voice denied":   {Grants: Grants{Voice: &VoiceGrant{Incoming: &VoiceIncoming{}, Outgoing: &VoiceOutgoing{}}}},
		"unicode":        {Subject: "é😀\u2028\u2029\ufffd", Grants: Grants{Identity: "bad\xff\xfe\xc3", Video: &VideoGrant{Room: "\u007f\u0080"}}},
		"html":           {Issuer: "<script>&amp;</script>", Grants: Grants{Identity: "<>&"}},
		"controls":       {ID: "\x00\b\f\n\r\t\"\\\x1f"},
		"ints":           {ExpiresAt: -9, NotBefore: 1 << 62, IssuedAt: 7},
		"nine params":    {Grants: Grants{Voice: &VoiceGrant{Outgoing: &VoiceOutgoing{Params: map[string]any{"1": "", "2": "", "3": "", "4": "", "5": "", "6": "", "7": "", "8": "", "9": ""}}}}},
		"empty params":   {Grants: Grants{Voice: &VoiceGrant{Outgoing: &VoiceOutgoing{ApplicationSID: "AP", Params: map[string]any{}}}}},
		"other params":   {Issuer: "k", Grants: Grants{Voice: &VoiceGrant{Outgoing: &VoiceOutgoing{Params: map[string]any{"a": "x", "n": 1.5, "z": []any{true, nil}, "m": map[string]any{"<": 1}}}}}},
		"nil param":      {Grants: Grants{Voice: &VoiceGrant{Outgoing: &VoiceOutgoing{Params: map[string]any{"a": nil}}}}},
		"unmarshallable": {Grants: Grants{Voice: &VoiceGrant{Outgoing: &VoiceOutgoing{Params: map[string]any{"a": func() {}}}}}},
	} {
		t.Run(name, func(t *testing.T) { jsonstrtest.SameAsMarshal(t, c, encoder(c)) })
	}
}

// FuzzAppendClaims builds claims and a region from fuzzed strings,
// integers and bits and checks that appendClaims and appendHeader write
// what json.Marshal writes.
func FuzzAppendClaims(f *testing.F) {
	f.Add("SK1", "user_123", "<Ada & \u2028>", "bad\xff", int64(1700000000), int64(-1), uint64(math.MaxUint64))
	f.Add("", "", "", "", int64(0), int64(0), uint64(0))
	f.Add("k", "{}", `"`, "\x00", int64(math.MinInt64), int64(math.MaxInt64), uint64(0x5555555555555555))
	f.Fuzz(func(t *testing.T, s0, s1, s2, s3 string, i0, i1 int64, bits uint64) {
		p := &jsonstrtest.Picker{Strings: []string{s0, s1, s2, s3}, Ints: []int64{i0, i1, i0 ^ i1}, Bits: bits}
		str, num, flag := p.String, p.Int, p.Bool
		chat := func() *ChatGrant {
			if !flag() {
				return nil
			}
			return &ChatGrant{DeploymentRoleSID: str(), EndpointID: str(), PushCredentialSID: str(), ServiceSID: str()}
		}
		c := &Claims{
			ExpiresAt: num(), IssuedAt: num(), Issuer: str(), ID: str(), NotBefore: num(), Subject: str(),
			Grants: Grants{Chat: chat(), Identity: str(), IPMessaging: chat()},
		}
		g := &c.Grants
		if flag() {
			g.Sync = &SyncGrant{EndpointID: str(), ServiceSID: str()}
		}
		if flag() {
			g.RTC = &RTCGrant{ConfigurationProfileSID: str()}
		}
		if flag() {
			g.Video = &VideoGrant{Room: str()}
		}
		if flag() {
			g.Voice = &VoiceGrant{EndpointID: str(), PushCredentialSID: str()}
			if flag() {
				g.Voice.Incoming = &VoiceIncoming{Allow: flag()}
			}
			if flag() {
				g.Voice.Outgoing = &VoiceOutgoing{ApplicationSID: str()}
			}
			if out := g.Voice.Outgoing; out != nil && flag() {
				out.Params = map[string]any{}
				for range p.Upto(3) + 1 {
					var v any = str()
					if p.Upto(3) == 0 {
						v = num()
					}
					out.Params[str()] = v
				}
			}
		}
		jsonstrtest.SameAsMarshal(t, c, encoder(c))
		checkHeader(t, str())
	})
}

func benchClaims(kind string) *Claims {
	c := &Claims{
		ExpiresAt: 1700003600, Issuer: "SK00000000000000000000000000000001", ID: "SK00000000000000000000000000000001-1700000000",
		NotBefore: 1700000000, Subject: "AC00000000000000000000000000000001", Grants: Grants{Identity: "user_123"},
	}
	switch kind {
	case KindVideo:
		c.Grants.Video = &VideoGrant{Room: "DailyStandup"}
	case KindVoice:
		c.Grants.Voice = &VoiceGrant{
			Incoming: &VoiceIncoming{Allow: true}, PushCredentialSID: "CR00000000000000000000000000000001",
			Outgoing: &VoiceOutgoing{ApplicationSID: "AP00000000000000000000000000000001", Params: map[string]any{"campaign": "<spring>"}},
		}
	case KindChat:
		c.Grants.Chat = &ChatGrant{ServiceSID: "IS00000000000000000000000000000001", DeploymentRoleSID: "RL00000000000000000000000000000001"}
	case KindSync:
		c.Grants.Sync = &SyncGrant{ServiceSID: "IS00000000000000000000000000000002"}
	}
	return c
}

// BenchmarkEncodeClaims is appendClaims of the claims of each kind as the
// Issue benchmarks issue them; BenchmarkEncodeClaimsJSON is json.Marshal
// of the same.
func BenchmarkEncodeClaims(b *testing.B) {
	for _, kind := range []string{KindVideo, KindVoice, KindChat, KindSync} {
		b.Run(kind, func(b *testing.B) {
			c := benchClaims(kind)
			b.ReportAllocs()
			var buf []byte
			for b.Loop() {
				buf, _ = appendClaims(buf[:0], c)
			}
		})
	}
}

func BenchmarkEncodeClaimsJSON(b *testing.B) {
	for _, kind := range []string{KindVideo, KindVoice, KindChat, KindSync} {
		b.Run(kind, func(b *testing.B) {
			c := benchClaims(kind)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := json.Marshal(c); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
