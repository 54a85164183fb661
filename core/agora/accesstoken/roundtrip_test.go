package accesstoken_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/agora/internal/agoratest"
)

// TestRoundTripLowLevel packs random AccessToken2 values with every service
// type and checks that Parse gives them back.
func TestRoundTripLowLevel(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	str := func() string { return agoratest.RandName(r, agoratest.NameAlphabet+"é漢", 0, 40) }
	for i := range 1000 {
		tok := accesstoken.AccessToken2{AppID: agoratest.App, IssueTs: r.Uint32(), Expire: r.Uint32(), Salt: r.Uint32()}
		for range r.IntN(5) {
			s := accesstoken.Service{Type: accesstoken.ServiceType(1 + r.IntN(10))}
			ids := r.Perm(5)[:r.IntN(5)]
			for _, id := range ids {
				s.AddPrivilege(uint16(id), r.Uint32())
			}
			switch s.Type {
			case accesstoken.ServiceRTC:
				s.Channel, s.UID = str(), str()
			case accesstoken.ServiceRTM, accesstoken.ServiceChat:
				s.UserID = str()
			case accesstoken.ServiceStreaming, accesstoken.ServiceFCDN:
				s.Channel, s.Account = str(), str()
			case accesstoken.ServiceAPaaS:
				s.Room, s.UserID, s.Role = str(), str(), int16(r.IntN(65536)-32768)
			case accesstoken.ServiceRTM2:
				s.UserID = str()
				for rt := range 5 {
					for pt := range 2 {
						if r.IntN(3) == 0 {
							p := accesstoken.RTM2Permission{ResourceType: uint16(rt), PermissionType: uint16(pt)}
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
		enc, err := tok.Build(agoratest.Cert)
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		d, err := accesstoken.Verify(enc, accesstoken.VerifyParams{AppID: agoratest.App, Certificates: []string{agoratest.Cert2, agoratest.Cert}})
		if err != nil {
			t.Fatalf("%d: %v", i, err)
		}
		if want := canonical(tok); !reflect.DeepEqual(canonical(d.AccessToken2), want) {
			t.Fatalf("%d: round trip\n got %+v\nwant %+v", i, d.AccessToken2, want)
		}
	}
}

// canonical sorts a token the way it is packed, for comparison.
func canonical(t accesstoken.AccessToken2) string {
	svcs := append([]accesstoken.Service(nil), t.Services...)
	for i := range svcs {
		s := &svcs[i]
		s.Privileges = append([]accesstoken.Privilege(nil), s.Privileges...)
		sortBy(s.Privileges, func(a, b accesstoken.Privilege) bool { return a.ID < b.ID })
		s.Permissions = append([]accesstoken.RTM2Permission(nil), s.Permissions...)
		sortBy(s.Permissions, func(a, b accesstoken.RTM2Permission) bool {
			return a.ResourceType < b.ResourceType || a.ResourceType == b.ResourceType && a.PermissionType < b.PermissionType
		})
		if len(s.Privileges) == 0 {
			s.Privileges = nil
		}
		if len(s.Permissions) == 0 {
			s.Permissions = nil
		}
	}
	sortBy(svcs, func(a, b accesstoken.Service) bool { return a.Type < b.Type })
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

// TestParseRejects covers structural errors the vectors do not.
func TestParseRejects(t *testing.T) {
	good, err := accesstoken.Builder{AppID: agoratest.App, Certificate: agoratest.Cert, Now: agoratest.Now, Rand: agoratest.RepeatSalt(1)}.RTCWithUID("c", 1, accesstoken.RolePublisher, 600, 600)
	if err != nil {
		t.Fatal(err)
	}
	content := agoratest.Inflate(t, good)
	var zeroSig bytes.Buffer
	zeroSig.Write([]byte{0, 0})
	zeroSig.Write(content[34:])
	var trailing []byte
	trailing = append(trailing, agoratest.Inflate(t, good)...)
	trailing = append(trailing, 0)
	raw, _ := base64.StdEncoding.DecodeString(good[3:])
	bad := map[string]string{
		"line break":         good[:20] + "\n" + good[20:],
		"no padding":         strings.TrimRight(good, "="),
		"trailing data":      "007" + base64.StdEncoding.EncodeToString(append(raw, 0)),
		"bad checksum":       "007" + base64.StdEncoding.EncodeToString(append(raw[:len(raw)-1:len(raw)-1], raw[len(raw)-1]^1)),
		"short signature":    agoratest.Reencode(zeroSig.Bytes()),
		"trailing content":   agoratest.Reencode(trailing),
		"too many services":  agoratest.Reencode(append(append([]byte{}, content[:34+2+32+12]...), 0xff, 0xff)),
		"too long":           "007" + strings.Repeat("A", accesstoken.MaxTokenLen),
		"empty":              "007",
		"bomb":               agoratest.Reencode(make([]byte, 200_000)),
		"url-safe alphabet":  strings.NewReplacer("+", "-", "/", "_").Replace(good),
		"version 006 prefix": "006" + good[3:],
	}
	if !strings.ContainsAny(good[3:], "+/") {
		delete(bad, "url-safe alphabet")
	}
	for name, tok := range bad {
		if _, err := accesstoken.Parse(tok); !errors.Is(err, core.ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	if _, err := accesstoken.Verify(good, accesstoken.VerifyParams{AppID: agoratest.App}); !errors.Is(err, core.ErrSignature) {
		t.Errorf("no certificate: %v", err)
	}
	ch, uid, other := "c", "1", "2"
	if _, err := accesstoken.Verify(good, accesstoken.VerifyParams{AppID: agoratest.App, Certificates: []string{agoratest.Cert}, Channel: &ch, UID: &uid}); err != nil {
		t.Errorf("channel and uid: %v", err)
	}
	if _, err := accesstoken.Verify(good, accesstoken.VerifyParams{AppID: agoratest.App, Certificates: []string{agoratest.Cert}, UID: &other}); !errors.Is(err, core.ErrMismatch) {
		t.Errorf("other uid: %v", err)
	}
}

func TestBuildErrors(t *testing.T) {
	b := accesstoken.Builder{AppID: agoratest.App, Certificate: agoratest.Cert, Now: agoratest.Now, Rand: agoratest.RepeatSalt(1)}
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
			_, err := b.Build(1, accesstoken.Service{Type: 99})
			return err
		},
		"duplicate privilege": func() error {
			_, err := b.Build(1, accesstoken.Service{Type: accesstoken.ServiceRTM, Privileges: []accesstoken.Privilege{{ID: 1}, {ID: 1}}})
			return err
		},
		"duplicate permission": func() error {
			_, err := b.Build(1, accesstoken.Service{Type: accesstoken.ServiceRTM2, Permissions: []accesstoken.RTM2Permission{{}, {}}})
			return err
		},
	}
	for name, f := range bad {
		if err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	// Salt draws reject the biased tail and stay in range.
	if s, err := accesstoken.NewSalt(bytes.NewReader([]byte{0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0})); err != nil || s != 1 {
		t.Errorf("salt %d %v", s, err)
	}
	if s, err := accesstoken.NewSalt(agoratest.RepeatSalt(accesstoken.MaxSalt)); err != nil || s != accesstoken.MaxSalt {
		t.Errorf("salt %d %v", s, err)
	}
	if _, err := accesstoken.NewSalt(agoratest.RepeatSalt(0)); err == nil {
		t.Error("salt source always in the biased tail: no error")
	}
}
