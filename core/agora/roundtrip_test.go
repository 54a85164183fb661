package agora_test

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
)

// randGrant returns a random valid grant and the privileges its token must
// hold (name -> expire seconds).
func randGrant(r *rand.Rand) (core.Grant, map[string]int64) {
	ttl := int64(60 + r.IntN(86400-60+1))
	g := core.Grant{Now: time.Unix(1_600_000_000+r.Int64N(500_000_000), 0), Rand: repeatSalt(1 + r.Uint32N(accesstoken.MaxSalt)), TTL: time.Duration(ttl) * time.Second}
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
