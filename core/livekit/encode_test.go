package livekit

import (
	"encoding/json"
	"math"
	"testing"

	"github.com/rtctoken/rtctoken/internal/jsonstr/jsonstrtest"
)

func checkEncoding(t *testing.T, c *Claims) {
	t.Helper()
	jsonstrtest.SameAsMarshal(t, c, func(b []byte) ([]byte, error) { return appendClaims(b, c) })
}

func bp(b bool) *bool { return &b }

func TestAppendClaims(t *testing.T) {
	all := &Claims{
		Issuer: "APIkey", Subject: "sub", ExpiresAt: math.MaxInt64, NotBefore: math.MinInt64, IssuedAt: -1, ID: "jti",
		Identity: "id", Name: "Ada <&> Lovelace", Kind: "agent", KindDetails: []string{"a", "", "c\u2028"},
		Video: &VideoGrant{
			RoomCreate: true, RoomList: true, RoomRecord: true, RoomAdmin: true, RoomJoin: true, Room: "r",
			CanPublish: bp(true), CanSubscribe: bp(false), CanPublishData: bp(true), CanPublishSources: []string{SourceCamera, SourceMicrophone},
			CanUpdateOwnMetadata: bp(false), IngressAdmin: true, Hidden: true, Recorder: true, Agent: true,
			CanSubscribeMetrics: bp(true), CanManageAgentSession: bp(false), DestinationRoom: "d",
		},
		SIP:        &SIPGrant{Admin: true, Call: true},
		RoomPreset: "preset", SHA256: "abc=", Metadata: `{"role":"teacher"}`,
		Attributes: map[string]string{"z": "1", "a": "2", "<": ">", "é": "\xff", "": "", "m\u2029": "\x00\x1f"},
	}
	for name, c := range map[string]*Claims{
		"empty":       {},
		"empty video": {Video: &VideoGrant{}, SIP: &SIPGrant{}},
		"all":         all,
		"unicode":     {Subject: "é😀\u2028\u2029\ufffd", Name: "bad\xff\xfe\xc3", Metadata: "\u007f\u0080", Attributes: map[string]string{"\xff": "x", "\xfe": "y"}},
		"html":        {Name: "<script>&amp;</script>", Video: &VideoGrant{Room: "<>&", CanPublishSources: []string{"<"}}},
		"controls":    {Name: "\x00\b\f\n\r\t\"\\\x1f"},
		"ints":        {ExpiresAt: -9, NotBefore: 1 << 62, IssuedAt: 7},
		"nine attrs":  {Attributes: map[string]string{"1": "", "2": "", "3": "", "4": "", "5": "", "6": "", "7": "", "8": "", "9": ""}},
		"empty lists": {KindDetails: []string{}, Attributes: map[string]string{}, Video: &VideoGrant{CanPublishSources: []string{}}},
		"raw":         {Issuer: "k", RoomConfig: json.RawMessage(` { "name" : "<x>" } `), Agent: json.RawMessage(`null`)},
		"bad raw":     {Issuer: "k", Inference: json.RawMessage(`{`)},
	} {
		t.Run(name, func(t *testing.T) { checkEncoding(t, c) })
	}
}

// FuzzAppendClaims builds claims from fuzzed strings, integers and bits
// and checks that appendClaims writes what json.Marshal writes.
func FuzzAppendClaims(f *testing.F) {
	f.Add("APIkey", "user-123", "<Ada & \u2028>", "bad\xff", int64(1700000000), int64(-1), uint64(math.MaxUint64))
	f.Add("", "", "", "", int64(0), int64(0), uint64(0))
	f.Add("k", "{}", `{"a":1}`, "\x00", int64(math.MinInt64), int64(math.MaxInt64), uint64(0x5555555555555555))
	f.Fuzz(func(t *testing.T, s0, s1, s2, s3 string, i0, i1 int64, bits uint64) {
		p := &jsonstrtest.Picker{Strings: []string{s0, s1, s2, s3}, Ints: []int64{i0, i1, i0 ^ i1}, Bits: bits}
		str, num, flag, tri, list := p.String, p.Int, p.Bool, p.BoolPtr, p.StringList
		c := &Claims{
			Issuer: str(), Subject: str(), ExpiresAt: num(), NotBefore: num(), IssuedAt: num(), ID: str(),
			Identity: str(), Name: str(), Kind: str(), KindDetails: list(), RoomPreset: str(), SHA256: str(), Metadata: str(),
		}
		if flag() {
			c.Video = &VideoGrant{
				RoomCreate: flag(), RoomList: flag(), RoomRecord: flag(), RoomAdmin: flag(), RoomJoin: flag(), Room: str(),
				CanPublish: tri(), CanSubscribe: tri(), CanPublishData: tri(), CanPublishSources: list(), CanUpdateOwnMetadata: tri(),
				IngressAdmin: flag(), Hidden: flag(), Recorder: flag(), Agent: flag(), CanSubscribeMetrics: tri(),
				CanManageAgentSession: tri(), DestinationRoom: str(),
			}
		}
		if flag() {
			c.SIP = &SIPGrant{Admin: flag(), Call: flag()}
		}
		if flag() {
			c.Attributes = map[string]string{}
			for range p.Upto(3) + 1 {
				c.Attributes[str()] = str()
			}
		}
		if flag() {
			c.RoomConfig = json.RawMessage(str())
		}
		checkEncoding(t, c)
	})
}

// BenchmarkEncodeClaims is appendClaims of BenchmarkIssueRoom's claims;
// BenchmarkEncodeClaimsJSON is json.Marshal of the same.
func BenchmarkEncodeClaims(b *testing.B) {
	c := benchClaims()
	b.ReportAllocs()
	var buf []byte
	for b.Loop() {
		buf, _ = appendClaims(buf[:0], c)
	}
}

func BenchmarkEncodeClaimsJSON(b *testing.B) {
	c := benchClaims()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := json.Marshal(c); err != nil {
			b.Fatal(err)
		}
	}
}

func benchClaims() *Claims {
	return &Claims{
		Issuer: "APIrtctokenTest", Subject: "user-123", ExpiresAt: 1700003600, NotBefore: 1700000000, IssuedAt: 1700000000,
		Identity: "user-123", Name: "Ada",
		Video: &VideoGrant{RoomJoin: true, Room: "daily-standup", CanPublish: bp(true), CanSubscribe: bp(true), CanPublishData: bp(true)},
	}
}
