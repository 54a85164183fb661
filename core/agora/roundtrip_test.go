package agora_test

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
)

const nameAlphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{|}~,"

func randName(r *rand.Rand, alphabet string, minLen, maxLen int) string {
	b := make([]byte, minLen+r.IntN(maxLen-minLen+1))
	for i := range b {
		b[i] = alphabet[r.IntN(len(alphabet))]
	}
	return string(b)
}

// randGrant returns a random valid grant and the privileges its token must
// hold (name -> expire seconds).
func randGrant(r *rand.Rand) (core.Grant, map[string]int64) {
	ttl := int64(60 + r.IntN(86400-60+1))
	g := core.Grant{Now: time.Unix(1_600_000_000+r.Int64N(500_000_000), 0), Rand: repeatSalt(1 + r.Uint32N(agora.MaxSalt)), TTL: time.Duration(ttl) * time.Second}
	privs := map[string]int64{}
	switch r.IntN(4) {
	case 0:
		g.Kind = "rtc"
		g.Room = strings.Trim(randName(r, nameAlphabet, 1, 63), " ")
		if g.Room == "" {
			g.Room = "r"
		}
		o := agora.RTCOptions{RTM: r.IntN(3) == 0}
		if r.IntN(2) == 0 {
			o.IDType = agora.IDTypeUID
			g.UserID = strconv.FormatUint(uint64(1+r.Uint32N(1<<32-1)), 10)
			o.AnyUID = r.IntN(4) == 0
		} else {
			g.UserID = "u" + strings.Trim(randName(r, nameAlphabet, 0, 62), " ")
		}
		publisher := r.IntN(2) == 0
		g.Role = "subscriber"
		if publisher {
			g.Role = "publisher"
		}
		pick := func(v **int64) int64 {
			if r.IntN(2) == 0 {
				return -1
			}
			n := 1 + r.Int64N(ttl)
			*v = &n
			return n
		}
		def := ttl
		if n := pick(&o.PrivilegeTTL); n > 0 {
			def = n
		}
		or := func(n int64) int64 {
			if n > 0 {
				return n
			}
			return def
		}
		privs["joinChannel"] = or(pick(&o.JoinTTL))
		if publisher {
			privs["publishAudioStream"] = or(pick(&o.PublishAudioTTL))
			privs["publishVideoStream"] = or(pick(&o.PublishVideoTTL))
			privs["publishDataStream"] = or(pick(&o.PublishDataTTL))
		}
		if o.RTM {
			privs["login"] = ttl
		}
		g.Options, _ = json.Marshal(o)
	case 1:
		g.Kind = "rtm"
		g.UserID = "u" + strings.TrimRight(randName(r, nameAlphabet, 0, 63), " ")
		if g.UserID == "null" {
			g.UserID = "nul"
		}
		privs["login"] = ttl
	case 2:
		g.Kind = "chat"
		g.UserID = randName(r, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.", 1, 64)
		privs["user"] = ttl
	default:
		g.Kind = "chat_app"
		g.UserID = "server"
		privs["app"] = ttl
	}
	return g, privs
}

func TestRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 11))
	p := newProvider(t, testCert2)
	ctx := context.Background()
	for i := range 2000 {
		g, want := randGrant(r)
		c, err := p.Issue(ctx, g)
		if err != nil {
			t.Fatalf("%d: issue %+v: %v", i, g, err)
		}
		key := map[string]string{"rtc": "joinChannel", "rtm": "login", "chat": "user", "chat_app": "app"}[g.Kind]
		last := g.Now.Add(time.Duration(want[key]) * time.Second) // the kind's privilege ends first
		v, err := p.Verify(ctx, g.Kind, c.Token, last)
		if err != nil {
			t.Fatalf("%d: verify %+v: %v", i, g, err)
		}
		if !v.IssuedAt.Equal(g.Now) || !v.ExpiresAt.Equal(g.Now.Add(g.TTL)) || !c.ExpiresAt.Equal(v.ExpiresAt) {
			t.Fatalf("%d: times %v %v", i, v.IssuedAt, v.ExpiresAt)
		}
		wantUser := c.UserID
		var o agora.RTCOptions
		_ = json.Unmarshal(g.Options, &o)
		if o.AnyUID {
			wantUser = ""
		}
		if v.UserID != wantUser || v.Room != g.Room {
			t.Fatalf("%d: user %q room %q, want %q %q", i, v.UserID, v.Room, wantUser, g.Room)
		}
		got := map[string]int64{}
		for _, s := range v.Claims["services"].([]any) {
			for _, pr := range s.(map[string]any)["privileges"].([]any) {
				pm := pr.(map[string]any)
				got[pm["name"].(string)] = pm["expire"].(int64)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%d: privileges %v, want %v (options %s)", i, got, want, g.Options)
		}
		if _, err := p.Verify(ctx, g.Kind, c.Token, last.Add(time.Second)); !errors.Is(err, core.ErrExpired) {
			t.Fatalf("%d: one second late: %v", i, err)
		}
	}
}

// TestRoundTripLowLevel packs random AccessToken2 values with every service
// type and checks that Parse gives them back.
func TestRoundTripLowLevel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	str := func() string { return randName(r, nameAlphabet+"é漢", 0, 40) }
	for i := range 1000 {
		tok := agora.AccessToken2{AppID: testApp, IssueTs: r.Uint32(), Expire: r.Uint32(), Salt: r.Uint32()}
		for range r.IntN(5) {
			s := agora.Service{Type: agora.ServiceType(1 + r.IntN(10))}
			ids := r.Perm(5)[:r.IntN(5)]
			for _, id := range ids {
				s.AddPrivilege(uint16(id), r.Uint32())
			}
			switch s.Type {
			case agora.ServiceRTC:
				s.Channel, s.UID = str(), str()
			case agora.ServiceRTM, agora.ServiceChat:
				s.UserID = str()
			case agora.ServiceStreaming, agora.ServiceFCDN:
				s.Channel, s.Account = str(), str()
			case agora.ServiceAPaaS:
				s.Room, s.UserID, s.Role = str(), str(), int16(r.IntN(65536)-32768)
			case agora.ServiceRTM2:
				s.UserID = str()
				for rt := range 5 {
					for pt := range 2 {
						if r.IntN(3) == 0 {
							p := agora.RTM2Permission{ResourceType: uint16(rt), PermissionType: uint16(pt)}
							for range 1 + r.IntN(3) {
								p.Resources = append(p.Resources, str())
							}
							s.Permissions = append(s.Permissions, p)
						}
					}
				}
				r.Shuffle(len(s.Permissions), func(i, j int) { s.Permissions[i], s.Permissions[j] = s.Permissions[j], s.Permissions[i] })
			}
			tok.Services = append(tok.Services, s)
		}
		enc, err := tok.Build(testCert)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		d, err := agora.Verify(enc, agora.VerifyParams{AppID: testApp, Certificates: []string{testCert2, testCert}})
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if want := canonical(tok); !reflect.DeepEqual(canonical(d.AccessToken2), want) {
			t.Fatalf("%d: round trip\n got %+v\nwant %+v", i, d.AccessToken2, want)
		}
	}
}

// canonical sorts a token the way it is packed, for comparison.
func canonical(t agora.AccessToken2) string {
	svcs := append([]agora.Service(nil), t.Services...)
	for i := range svcs {
		s := &svcs[i]
		s.Privileges = append([]agora.Privilege(nil), s.Privileges...)
		sortBy(s.Privileges, func(a, b agora.Privilege) bool { return a.ID < b.ID })
		s.Permissions = append([]agora.RTM2Permission(nil), s.Permissions...)
		sortBy(s.Permissions, func(a, b agora.RTM2Permission) bool {
			return a.ResourceType < b.ResourceType || a.ResourceType == b.ResourceType && a.PermissionType < b.PermissionType
		})
		if len(s.Privileges) == 0 {
			s.Privileges = nil
		}
		if len(s.Permissions) == 0 {
			s.Permissions = nil
		}
	}
	sortBy(svcs, func(a, b agora.Service) bool { return a.Type < b.Type })
	t.Services = svcs
	if len(svcs) == 0 {
		t.Services = nil
	}
	return fmt.Sprintf("%+v", t)
}

func sortBy[T any](s []T, less func(a, b T) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// reencode compresses content into a 007 token with compress/zlib.
func reencode(content []byte) string {
	var b bytes.Buffer
	w := zlib.NewWriter(&b)
	_, _ = w.Write(content)
	_ = w.Close()
	return "007" + base64.StdEncoding.EncodeToString(b.Bytes())
}

// TestParseRejects covers structural errors the vectors do not.
func TestParseRejects(t *testing.T) {
	good, err := agora.Builder{AppID: testApp, Certificate: testCert, Now: testNow, Rand: repeatSalt(1)}.RTCWithUID("c", 1, agora.RolePublisher, 600, 600)
	if err != nil {
		t.Fatal(err)
	}
	content := inflate(t, good)
	var zeroSig bytes.Buffer
	zeroSig.Write([]byte{0, 0})
	zeroSig.Write(content[34:])
	var trailing []byte
	trailing = append(trailing, inflate(t, good)...)
	trailing = append(trailing, 0)
	raw, _ := base64.StdEncoding.DecodeString(good[3:])
	bad := map[string]string{
		"line break":         good[:20] + "\n" + good[20:],
		"no padding":         strings.TrimRight(good, "="),
		"trailing data":      "007" + base64.StdEncoding.EncodeToString(append(raw, 0)),
		"bad checksum":       "007" + base64.StdEncoding.EncodeToString(append(raw[:len(raw)-1:len(raw)-1], raw[len(raw)-1]^1)),
		"short signature":    reencode(zeroSig.Bytes()),
		"trailing content":   reencode(trailing),
		"too many services":  reencode(append(append([]byte{}, content[:34+2+32+12]...), 0xff, 0xff)),
		"too long":           "007" + strings.Repeat("A", agora.MaxTokenLen),
		"empty":              "007",
		"bomb":               reencode(make([]byte, 200_000)),
		"url-safe alphabet":  strings.NewReplacer("+", "-", "/", "_").Replace(good),
		"version 006 prefix": "006" + good[3:],
	}
	if !strings.ContainsAny(good[3:], "+/") {
		delete(bad, "url-safe alphabet")
	}
	for name, tok := range bad {
		if _, err := agora.Parse(tok); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := agora.Verify(good, agora.VerifyParams{AppID: testApp}); !errors.Is(err, core.ErrSignature) {
		t.Errorf("no certificate: %v", err)
	}
	ch, uid, other := "c", "1", "2"
	if _, err := agora.Verify(good, agora.VerifyParams{AppID: testApp, Certificates: []string{testCert}, Channel: &ch, UID: &uid}); err != nil {
		t.Errorf("channel and uid: %v", err)
	}
	if _, err := agora.Verify(good, agora.VerifyParams{AppID: testApp, Certificates: []string{testCert}, UID: &other}); !errors.Is(err, core.ErrMismatch) {
		t.Errorf("other uid: %v", err)
	}
}

func TestBuildErrors(t *testing.T) {
	b := agora.Builder{AppID: testApp, Certificate: testCert, Now: testNow, Rand: repeatSalt(1)}
	bad := map[string]func() error{
		"app id": func() error { c := b; c.AppID = "x"; _, err := c.RTM("u", 1); return err },
		"cert":   func() error { c := b; c.Certificate = "x"; _, err := c.RTM("u", 1); return err },
		"time":   func() error { c := b; c.Now = time.Time{}; _, err := c.RTM("u", 1); return err },
		"rand":   func() error { c := b; c.Rand = nil; _, err := c.RTM("u", 1); return err },
		"empty rand": func() error {
			c := b
			c.Rand = bytes.NewReader(nil)
			_, err := c.RTM("u", 1)
			return err
		},
		"long string": func() error { _, err := b.RTM(strings.Repeat("a", 1<<16), 1); return err },
		"unknown type": func() error {
			_, err := b.Build(1, agora.Service{Type: 99})
			return err
		},
		"duplicate privilege": func() error {
			_, err := b.Build(1, agora.Service{Type: agora.ServiceRTM, Privileges: []agora.Privilege{{ID: 1}, {ID: 1}}})
			return err
		},
		"duplicate permission": func() error {
			_, err := b.Build(1, agora.Service{Type: agora.ServiceRTM2, Permissions: []agora.RTM2Permission{{}, {}}})
			return err
		},
	}
	for name, f := range bad {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Salt draws reject the biased tail and stay in range.
	if s, err := agora.NewSalt(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})); err != nil || s != 1 {
		t.Errorf("salt %d %v", s, err)
	}
	if s, err := agora.NewSalt(repeatSalt(agora.MaxSalt)); err != nil || s != agora.MaxSalt {
		t.Errorf("salt %d %v", s, err)
	}
	if _, err := agora.NewSalt(repeatSalt(0)); err == nil {
		t.Error("salt source always in the biased tail: no error")
	}
}
