package webhook_test

import (
	"cmp"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// sender makes one vendor's signed callbacks, for round trips.
type sender struct {
	vendor string
	// scheme builds the scheme with these secrets and window.
	scheme func(primary, secondary string, window time.Duration) (webhook.Scheme, error)
	// sign returns a callback signed with secret at t, whose body carries
	// marker in a field the signature covers when the body is signed.
	sign func(secret string, t time.Time, marker string) (*fakeRequest, []byte)
	// bodySigned: the signature covers the body.
	bodySigned bool
	// unit of the signed time: time.Second or time.Millisecond.
	unit time.Duration
	// jwt: the time is a token's validity, not a window around one time.
	jwt bool
	// windowField is the name of the config's window field ("Window").
	windowField string
}

const testAppID = 1400123456

var senders = []sender{
	{
		vendor: "agora", bodySigned: true, unit: time.Millisecond,
		scheme: func(p, s string, w time.Duration) (webhook.Scheme, error) {
			return webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret(p), Secondary: core.NewSecret(s), Window: w})
		},
		sign: func(secret string, t time.Time, marker string) (*fakeRequest, []byte) {
			body := fmt.Appendf(nil, `{"noticeId":"n-%s","productId":1,"eventType":103,"notifyMs":%d,"payload":{"channelName":%q}}`, marker, t.UnixMilli(), marker)
			v1v2 := strings.Fields(signAgora(secret, body))
			return newRequest(map[string]string{"Agora-Signature": v1v2[0], "Agora-Signature-V2": v1v2[1]}, ""), body
		},
	},
	{
		vendor: "tencent_chat", unit: time.Second,
		scheme: func(p, s string, w time.Duration) (webhook.Scheme, error) {
			return webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret(p), Secondary: core.NewSecret(s), SDKAppID: testAppID, Window: w})
		},
		sign: func(secret string, t time.Time, marker string) (*fakeRequest, []byte) {
			rt := strconv.FormatInt(t.Unix(), 10)
			q := "SdkAppid=1400123456&CallbackCommand=C2C.CallbackAfterSendMsg&contenttype=json&Sign=" + signTencentChat(secret, rt) + "&RequestTime=" + rt
			return newRequest(nil, q), fmt.Appendf(nil, `{"CallbackCommand":"C2C.CallbackAfterSendMsg","MsgKey":%q}`, marker)
		},
	},
	{
		vendor: "trtc", bodySigned: true, unit: time.Millisecond,
		scheme: func(p, s string, w time.Duration) (webhook.Scheme, error) {
			return webhook.TRTC(webhook.TRTCConfig{Key: core.NewSecret(p), Secondary: core.NewSecret(s), SDKAppID: testAppID, Window: w})
		},
		sign: func(secret string, t time.Time, marker string) (*fakeRequest, []byte) {
			body := fmt.Appendf(nil, `{"EventGroupId":1,"EventType":103,"CallbackTs":%d,"EventInfo":{"RoomId":%q,"UserId":"u","EventMsTs":%d}}`, t.UnixMilli(), marker, t.UnixMilli())
			return newRequest(map[string]string{"Sign": signTRTC(secret, body), "SdkAppId": "1400123456"}, ""), body
		},
	},
	{
		vendor: "zoom", bodySigned: true, unit: time.Second,
		scheme: func(p, s string, w time.Duration) (webhook.Scheme, error) {
			return webhook.Zoom(webhook.ZoomConfig{Secret: core.NewSecret(p), Secondary: core.NewSecret(s), Window: w})
		},
		sign: func(secret string, t time.Time, marker string) (*fakeRequest, []byte) {
			ts := strconv.FormatInt(t.Unix(), 10)
			body := fmt.Appendf(nil, `{"event":"meeting.started","payload":{"object":{"topic":%q}},"event_ts":%d}`, marker, t.UnixMilli())
			return newRequest(map[string]string{"x-zm-signature": signZoom(secret, ts, body), "x-zm-request-timestamp": ts}, ""), body
		},
	},
	{
		vendor: "zego", unit: time.Second,
		scheme: func(p, s string, w time.Duration) (webhook.Scheme, error) {
			return webhook.Zego(webhook.ZegoConfig{Secret: core.NewSecret(p), Secondary: core.NewSecret(s), Window: w})
		},
		sign: func(secret string, t time.Time, marker string) (*fakeRequest, []byte) {
			ts := strconv.FormatInt(t.Unix(), 10)
			sig, _ := signZego(secret, ts, "n"+marker)
			body := fmt.Appendf(nil, `{"event":"room_create","room_id":%q,"timestamp":%s,"nonce":"n%s","signature":%q}`, marker, ts, marker, sig)
			return newRequest(map[string]string{"Content-Type": "application/json"}, ""), body
		},
	},
}

func init() {
	apiKeys := map[string]string{"primarySecret1": "APIkey1", "secondarySecret2": "APIkey2"}
	senders = append(senders, sender{
		vendor: "livekit", bodySigned: true, unit: time.Second, jwt: true, windowField: "Leeway",
		scheme: func(p, s string, w time.Duration) (webhook.Scheme, error) {
			c := webhook.LiveKitConfig{APIKey: "APIkey1", Secret: core.NewSecret(p), Leeway: w}
			if s != "" {
				c.SecondaryAPIKey, c.Secondary = "APIkey2", core.NewSecret(s)
			}
			return webhook.LiveKit(c)
		},
		sign: func(secret string, t time.Time, marker string) (*fakeRequest, []byte) {
			key := apiKeys[secret]
			if key == "" {
				key = "APIkey1"
			}
			body := fmt.Appendf(nil, `{"event":"room_started","room":{"name":%q},"id":"EV_%s","createdAt":"%d"}`, marker, marker, t.Unix())
			return newRequest(map[string]string{"Authorization": signLiveKit(key, secret, t, body)}, ""), body
		},
	})
}

var t0 = time.Unix(1796169600, 0)

// must builds the sender's scheme.
func (sd sender) must(t testing.TB, primary, secondary string, window time.Duration) webhook.Scheme {
	t.Helper()
	s, err := sd.scheme(primary, secondary, window)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// refused checks that a callback signed with secret is refused as badly
// signed.
func (sd sender) refused(t *testing.T, s webhook.Scheme, secret, why string) {
	t.Helper()
	r, body := sd.sign(secret, t0, "m")
	if _, err := s.Verify(r, body, t0); !errors.Is(err, webhook.ErrSignature) {
		t.Errorf("%s: %v, want ErrSignature", why, err)
	}
}

func TestRoundTrip(t *testing.T) {
	for _, sd := range senders {
		t.Run(sd.vendor, func(t *testing.T) {
			s := sd.must(t, "primarySecret1", "", 0)
			r, body := sd.sign("primarySecret1", t0, "m1")
			v, err := s.Verify(r, body, t0)
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if v.Event.Vendor != sd.vendor || v.Event.Type == "" || !v.Event.Time.Equal(t0) || string(v.Event.Payload) != string(body) {
				t.Errorf("event %+v", v.Event)
			}
			if v.DedupeKey == "" {
				t.Error("no dedupe key")
			}
			// Another callback has another dedupe key.
			r2, body2 := sd.sign("primarySecret1", t0, "m2")
			v2, err := s.Verify(r2, body2, t0)
			if err != nil || v2.DedupeKey == v.DedupeKey {
				t.Errorf("second callback: key %q (first %q), %v", v2.DedupeKey, v.DedupeKey, err)
			}
			if _, err := s.Verify(r, body, t0); err != nil {
				t.Errorf("Verify is not repeatable: %v", err)
			}
		})
	}
}

func TestRotation(t *testing.T) {
	for _, sd := range senders {
		t.Run(sd.vendor, func(t *testing.T) {
			s := sd.must(t, "primarySecret1", "secondarySecret2", 0)
			for _, secret := range []string{"primarySecret1", "secondarySecret2"} {
				r, body := sd.sign(secret, t0, "m")
				if _, err := s.Verify(r, body, t0); err != nil {
					t.Errorf("signed with %s: %v", secret, err)
				}
			}
			sd.refused(t, s, "retiredSecret3", "signed with another secret")
			sd.refused(t, sd.must(t, "primarySecret1", "", 0), "secondarySecret2", "secondary not configured")
		})
	}
}

// TestTamper changes the marker in the body after signing: schemes that
// sign the body refuse it; Tencent Chat and ZEGO, which do not, accept it,
// as documented.
func TestTamper(t *testing.T) {
	for _, sd := range senders {
		t.Run(sd.vendor, func(t *testing.T) {
			s := sd.must(t, "primarySecret1", "", 0)
			r, body := sd.sign("primarySecret1", t0, "m1")
			forged := []byte(strings.Replace(string(body), `"m1"`, `"m9"`, 1))
			if string(forged) == string(body) {
				t.Fatal("the marker is not in the body")
			}
			_, err := s.Verify(r, forged, t0)
			if sd.bodySigned && !errors.Is(err, webhook.ErrSignature) {
				t.Errorf("tampered body: %v, want ErrSignature", err)
			}
			if !sd.bodySigned && err != nil {
				t.Errorf("tampered unsigned body: %v, want it accepted (the scheme does not sign the body)", err)
			}
			// Any single flipped byte of a signed body is refused, as a bad
			// signature or as malformed JSON, never accepted.
			if sd.bodySigned {
				for i := range body {
					b := []byte(string(body))
					b[i] ^= 0x01
					if _, err := s.Verify(r, b, t0); err == nil {
						t.Fatalf("byte %d flipped: accepted", i)
					}
				}
			}
		})
	}
}

// TestWindow checks the window's bounds, both ways: exactly the window
// passes, one unit more is stale.
func TestWindow(t *testing.T) {
	defaults := map[string]time.Duration{
		"agora": webhook.DefaultAgoraWindow, "tencent_chat": webhook.DefaultTencentChatWindow,
		"trtc": webhook.DefaultTRTCWindow, "zoom": webhook.DefaultZoomWindow, "zego": webhook.DefaultZegoWindow,
	}
	for _, sd := range senders {
		if sd.jwt {
			continue // TestLiveKitLeeway
		}
		for _, w := range []time.Duration{0, 30 * time.Second} {
			t.Run(fmt.Sprint(sd.vendor, "/", w), func(t *testing.T) {
				s := sd.must(t, "primarySecret1", "", w)
				if w == 0 {
					w = defaults[sd.vendor]
				}
				r, body := sd.sign("primarySecret1", t0, "m")
				for _, c := range []struct {
					now   time.Time
					valid bool
				}{
					{t0.Add(w), true}, {t0.Add(-w), true},
					{t0.Add(w + sd.unit), false}, {t0.Add(-w - sd.unit), false},
					{t0.Add(time.Duration(1<<62) / 2), false},
				} {
					_, err := s.Verify(r, body, c.now)
					if c.valid && err != nil || !c.valid && !errors.Is(err, webhook.ErrStale) {
						t.Errorf("now = t%+v: %v, want valid %v", c.now.Sub(t0), err, c.valid)
					}
				}
			})
		}
	}
}

func TestConfigErrors(t *testing.T) {
	for _, sd := range senders {
		t.Run(sd.vendor, func(t *testing.T) {
			for _, c := range []struct {
				primary string
				window  time.Duration
				field   string
			}{
				{"", 0, ""},
				{"k", -time.Second, cmp.Or(sd.windowField, "Window")},
				{"k", time.Millisecond, cmp.Or(sd.windowField, "Window")},
			} {
				_, err := sd.scheme(c.primary, "", c.window)
				if !errors.Is(err, core.ErrConfig) {
					t.Errorf("%+v: %v, want ErrConfig", c, err)
				}
				if f := core.ConfigField(err); c.field != "" && f != c.field {
					t.Errorf("%+v: field %q, want %q", c, f, c.field)
				}
				if err != nil && strings.Contains(err.Error(), "k\"") {
					t.Errorf("the error quotes the secret: %v", err)
				}
			}
		})
	}
	bad := []error{}
	_, err := webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret("t")})
	bad = append(bad, err)
	_, err = webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret("t"), SDKAppID: 1, Window: 61 * time.Second})
	bad = append(bad, err)
	_, err = webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret(strings.Repeat("t", 129)), SDKAppID: 1})
	bad = append(bad, err)
	_, err = webhook.TRTC(webhook.TRTCConfig{Key: core.NewSecret("k")})
	bad = append(bad, err)
	_, err = webhook.TRTC(webhook.TRTCConfig{Key: core.NewSecret("not-alnum"), SDKAppID: 1})
	bad = append(bad, err)
	_, err = webhook.TRTC(webhook.TRTCConfig{Key: core.NewSecret(strings.Repeat("k", 33)), SDKAppID: 1})
	bad = append(bad, err)
	for i, err := range bad {
		if !errors.Is(err, core.ErrConfig) || core.ConfigField(err) == "" {
			t.Errorf("case %d: %v, want a ConfigError naming its field", i, err)
		}
	}
}

// TestLiveKitLeeway checks the token's validity at its bounds: from nbf -
// leeway, until before exp + leeway, as LiveKit's verifier.
func TestLiveKitLeeway(t *testing.T) {
	sd := senders[len(senders)-1]
	for _, leeway := range []time.Duration{0, 10 * time.Second} {
		s := sd.must(t, "primarySecret1", "", leeway)
		if leeway == 0 {
			leeway = webhook.DefaultLiveKitLeeway
		}
		r, body := sd.sign("primarySecret1", t0, "m") // nbf t0, exp t0+300
		exp := t0.Add(300 * time.Second)
		for _, c := range []struct {
			now   time.Time
			valid bool
		}{
			{t0, true}, {t0.Add(-leeway), true}, {t0.Add(-leeway - time.Nanosecond), false},
			{exp.Add(leeway - time.Nanosecond), true}, {exp.Add(leeway), false},
			{t0.Add(-time.Hour), false}, {exp.Add(time.Hour), false},
		} {
			v, err := s.Verify(r, body, c.now)
			if c.valid && err != nil || !c.valid && !errors.Is(err, webhook.ErrStale) {
				t.Errorf("leeway %v, now = t0%+v: %v, want valid %v", leeway, c.now.Sub(t0), err, c.valid)
			}
			if err == nil && (!v.Event.Time.Equal(t0) || v.DedupeKey != "EV_m" || v.Event.ID != "EV_m" || v.Event.Type != "room_started") {
				t.Errorf("event %+v, key %q", v.Event, v.DedupeKey)
			}
		}
	}
}

// TestLiveKitTokens checks tokens a signer could send that are not
// LiveKit webhooks.
func TestLiveKitTokens(t *testing.T) {
	sd := senders[len(senders)-1]
	s := sd.must(t, "primarySecret1", "", 0)
	body := []byte(`{"event":"room_started","id":"EV_1"}`)
	sum := sha256.Sum256(body)
	hash := base64.StdEncoding.EncodeToString(sum[:])
	hs := []byte(`{"alg":"HS256","typ":"JWT"}`)
	for _, c := range []struct {
		name, header, payload string
		class                 error
	}{
		{"access token without sha256", string(hs), fmt.Sprintf(`{"iss":"APIkey1","exp":%d,"sub":"alice","video":{"roomJoin":true}}`, t0.Unix()+60), webhook.ErrSignature},
		{"no exp", string(hs), fmt.Sprintf(`{"iss":"APIkey1","sha256":%q}`, hash), webhook.ErrMalformed},
		{"float exp", string(hs), fmt.Sprintf(`{"iss":"APIkey1","exp":%d.5,"sha256":%q}`, t0.Unix()+60, hash), webhook.ErrMalformed},
		{"no iss", string(hs), fmt.Sprintf(`{"exp":%d,"sha256":%q}`, t0.Unix()+60, hash), webhook.ErrSignature},
		{"HS384", `{"alg":"HS384"}`, fmt.Sprintf(`{"iss":"APIkey1","exp":%d,"sha256":%q}`, t0.Unix()+60, hash), webhook.ErrMalformed},
		{"huge exp", string(hs), fmt.Sprintf(`{"iss":"APIkey1","exp":99999999999999999999999,"sha256":%q}`, hash), nil},
		{"huge nbf", string(hs), fmt.Sprintf(`{"iss":"APIkey1","exp":%d,"nbf":99999999999999999999999,"sha256":%q}`, t0.Unix()+60, hash), webhook.ErrStale},
		{"repeated sha256", string(hs), fmt.Sprintf(`{"iss":"APIkey1","exp":%d,"sha256":%q,"sha256":%q}`, t0.Unix()+60, hash, hash), webhook.ErrMalformed},
	} {
		r := newRequest(map[string]string{"Authorization": signJWT([]byte(c.header), []byte(c.payload), "primarySecret1")}, "")
		_, err := s.Verify(r, body, t0)
		if c.class == nil && err != nil || c.class != nil && !errors.Is(err, c.class) {
			t.Errorf("%s: %v, want %v", c.name, err, c.class)
		}
	}
	// An empty body verifies, with no type and no dedupe key.
	r := newRequest(map[string]string{"Authorization": signLiveKit("APIkey1", "primarySecret1", t0, nil)}, "")
	if v, err := s.Verify(r, nil, t0); err != nil || v.Event.Type != "" || v.DedupeKey != "" {
		t.Errorf("empty body: %+v %v", v, err)
	}
}

// TestTencentLiveSpelling: TRTC Live (TUILiveKit) webhooks use the Chat
// scheme with SdkAppId and WebhookCommand.
func TestTencentLiveSpelling(t *testing.T) {
	s, err := webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret("t0k3n"), SDKAppID: testAppID})
	if err != nil {
		t.Fatal(err)
	}
	rt := strconv.FormatInt(t0.Unix(), 10)
	q := "WebhookCommand=Live.CallbackAfterCreateRoom&Sign=" + signTencentChat("t0k3n", rt) + "&RequestTime=" + rt
	v, err := s.Verify(newRequest(nil, "SdkAppId=1400123456&"+q), []byte(`{"RoomId":"r1"}`), t0)
	if err != nil || v.Event.Type != "Live.CallbackAfterCreateRoom" {
		t.Errorf("TUILiveKit spelling: %+v %v", v.Event, err)
	}
	if _, err := s.Verify(newRequest(nil, "SdkAppId=1400000001&"+q), nil, t0); !errors.Is(err, webhook.ErrSignature) {
		t.Errorf("another SdkAppId: %v, want ErrSignature", err)
	}
	if _, err := s.Verify(newRequest(nil, q), nil, t0); !errors.Is(err, webhook.ErrMalformed) {
		t.Errorf("no app id: %v, want ErrMalformed", err)
	}
}
