package zoom_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
)

const (
	testKey    = "TEST_SDK_KEY_1"
	testSecret = "Zs3cretKeyForTests0123456789abXY"
	oldSecret  = "OldSecretForRotationTestsQRSTuvw"
)

var testNow = time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC)

func newProvider(t testing.TB, cfg zoom.Config) *zoom.Provider {
	t.Helper()
	if cfg.SDKKey == "" {
		cfg.SDKKey = testKey
	}
	if cfg.SDKSecret.IsZero() {
		cfg.SDKSecret = core.NewSecret(testSecret)
	}
	p, err := zoom.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func newService(t testing.TB, p core.Provider, opts ...core.Option) *core.Service {
	t.Helper()
	opts = append([]core.Option{
		core.WithClock(func() time.Time { return testNow }),
		core.WithRand(bytes.NewReader(make([]byte, 1024))),
	}, opts...)
	s, err := core.NewService([]core.Provider{p}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// signRaw signs any header and payload text, for tokens the package would
// never issue.
func signRaw(header, payload, secret string) string {
	enc := base64.RawURLEncoding
	in := enc.EncodeToString([]byte(header)) + "." + enc.EncodeToString([]byte(payload))
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(in))
	return in + "." + enc.EncodeToString(mac.Sum(nil))
}

const stdHeader = `{"alg":"HS256","typ":"JWT"}`

func TestKinds(t *testing.T) {
	roles := []core.Role{{Name: "participant"}, {Name: "host", Elevated: true}}
	want := []core.KindSpec{
		{Kind: "video", MinTTL: 1800 * time.Second, MaxTTL: 48 * time.Hour, DefaultTTL: 2 * time.Hour, Roles: roles, DefaultRole: "participant", NeedsRoom: true, RoomAllowed: true},
		{Kind: "meeting", MinTTL: 1800 * time.Second, MaxTTL: 48 * time.Hour, DefaultTTL: 2 * time.Hour, Roles: roles, DefaultRole: "participant", RoomAllowed: true},
	}
	p := newProvider(t, zoom.Config{})
	if got := p.Kinds(); !reflect.DeepEqual(got, want) {
		t.Errorf("Kinds\n got %+v\nwant %+v", got, want)
	}
	if p.Name() != "zoom" || p.AppID() != testKey {
		t.Errorf("Name %q AppID %q", p.Name(), p.AppID())
	}
	// Kinds returns a copy: changing it changes nothing.
	p.Kinds()[0].Roles[1].Elevated = false
	if !p.Kinds()[0].Roles[1].Elevated {
		t.Error("Kinds shares its roles")
	}

	only := newProvider(t, zoom.Config{Kinds: []string{"meeting"}, IATSkew: 30 * time.Second, Name: "zoom-meeting"})
	ks := only.Kinds()
	if len(ks) != 1 || ks[0].Kind != "meeting" || ks[0].MaxTTL != 48*time.Hour-30*time.Second || only.Name() != "zoom-meeting" {
		t.Errorf("meeting-only provider: %s %+v", only.Name(), ks)
	}
	_, err := only.Issue(context.Background(), core.Grant{Kind: "video", UserID: "u", Room: "r", TTL: time.Hour, Now: testNow})
	if core.CodeOf(err) != core.CodeUnknownKind {
		t.Errorf("video on a meeting-only provider: %v", err)
	}
	_, err = only.Verify(context.Background(), "video", "x.y.z", testNow)
	if core.CodeOf(err) != core.CodeUnknownKind || !errors.Is(err, core.ErrMismatch) {
		t.Errorf("Verify of an unoffered kind: %v", err)
	}
}

func TestNewConfigErrors(t *testing.T) {
	sec := func(s string) core.Secret { return core.NewSecret(s) }
	ok := zoom.Config{SDKKey: testKey, SDKSecret: sec(testSecret)}
	with := func(mod func(*zoom.Config)) zoom.Config { c := ok; mod(&c); return c }
	cases := []struct {
		name, field string
		cfg         zoom.Config
	}{
		{"empty key", "SDKKey", zoom.Config{SDKSecret: sec(testSecret)}},
		{"key with newline", "SDKKey", with(func(c *zoom.Config) { c.SDKKey = "KEY\n" })},
		{"key too long", "SDKKey", with(func(c *zoom.Config) { c.SDKKey = strings.Repeat("k", 257) })},
		{"empty secret", "SDKSecret", zoom.Config{SDKKey: testKey}},
		{"secret with space", "SDKSecret", with(func(c *zoom.Config) { c.SDKSecret = sec("hidden secret value") })},
		{"secret not utf8", "SDKSecret", with(func(c *zoom.Config) { c.SDKSecret = sec("hidden\xff") })},
		{"secondary with newline", "SecondarySecret", with(func(c *zoom.Config) { c.SecondarySecret = sec("hiddenold\n") })},
		{"unknown kind", "Kinds", with(func(c *zoom.Config) { c.Kinds = []string{"webinar"} })},
		{"kind twice", "Kinds", with(func(c *zoom.Config) { c.Kinds = []string{"video", "video"} })},
		{"negative skew", "IATSkew", with(func(c *zoom.Config) { c.IATSkew = -time.Second })},
		{"skew too large", "IATSkew", with(func(c *zoom.Config) { c.IATSkew = 11 * time.Minute })},
		{"fractional skew", "IATSkew", with(func(c *zoom.Config) { c.IATSkew = 1500 * time.Millisecond })},
		{"bad name", "Name", with(func(c *zoom.Config) { c.Name = "Zoom Video" })},
		{"long name", "Name", with(func(c *zoom.Config) { c.Name = strings.Repeat("z", 65) })},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := zoom.New(c.cfg)
			var ce *core.ConfigError
			if !errors.Is(err, core.ErrConfig) || !errors.As(err, &ce) || ce.Field != c.field || ce.Provider != "zoom" || p != nil {
				t.Fatalf("got %v, %v; want a core.ConfigError for %s", p, err, c.field)
			}
			if strings.Contains(err.Error(), "hidden") || strings.Contains(err.Error(), testSecret) {
				t.Errorf("error leaks the secret: %v", err)
			}
		})
	}
	if _, err := zoom.New(with(func(c *zoom.Config) { c.IATSkew, c.Name = 10*time.Minute, "zoom-2_b" })); err != nil {
		t.Errorf("maximal skew and a custom name: %v", err)
	}
}

func TestServiceIssueVideo(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	s := newService(t, p)
	id := core.Identity{UserID: "u-42", DisplayName: "Ada <Lovelace>"}
	cred, err := s.Issue(context.Background(), id, core.Request{
		Provider: "zoom", Kind: "video", Room: "Cool Cars",
		Options: json.RawMessage(`{"session_key":"sk-1","geo_regions":["US","DE"],"cloud_recording_option":1,"cloud_recording_election":0,"telemetry_tracking_id":"trk","video_webrtc_mode":1,"audio_webrtc_mode":0}`),
	})
	if err != nil {
		t.Fatal(err)
	}
	iat := testNow.Unix()
	payload := `{"app_key":"TEST_SDK_KEY_1","role_type":0,"tpc":"Cool Cars","version":1,"iat":` + itoa(iat) + `,"exp":` + itoa(iat+7200) +
		`,"user_identity":"u-42","session_key":"sk-1","geo_regions":"US,DE","cloud_recording_option":1,"cloud_recording_election":0,"telemetry_tracking_id":"trk","video_webrtc_mode":1,"audio_webrtc_mode":0}`
	if cred.Token != signRaw(stdHeader, payload, testSecret) {
		t.Errorf("token payload %s\nwant %s", payloadOf(t, cred.Token), payload)
	}
	want := core.Credential{
		Provider: "zoom", Kind: "video", Token: cred.Token, AppID: testKey, UserID: "u-42", Room: "Cool Cars", Role: "participant",
		IssuedAt: testNow, ExpiresAt: testNow.Add(2 * time.Hour), RenewAfter: testNow.Add(2*time.Hour - 5*time.Minute),
		Join: map[string]any{"sessionName": "Cool Cars", "signature": cred.Token, "userName": "Ada <Lovelace>", "sessionKey": "sk-1"},
	}
	if !reflect.DeepEqual(*cred, want) {
		t.Errorf("credential\n got %+v\nwant %+v", *cred, want)
	}
	v, err := p.Verify(context.Background(), "video", cred.Token, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if v.Provider != "zoom" || v.Kind != "video" || v.AppID != testKey || v.UserID != "u-42" || v.Room != "Cool Cars" ||
		!v.IssuedAt.Equal(testNow) || !v.ExpiresAt.Equal(testNow.Add(2*time.Hour)) || v.Claims["geo_regions"] != "US,DE" || v.Claims["role_type"] != int64(0) {
		t.Errorf("verified %+v", v)
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestServiceIssueMeeting(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	s := newService(t, p, core.WithTTL("zoom", "meeting", time.Hour, 0))
	id := core.Identity{UserID: "u-7"}
	iat := itoa(testNow.Unix())
	exp := itoa(testNow.Unix() + 3600)

	web, err := s.Issue(context.Background(), id, core.Request{Provider: "zoom", Kind: "meeting", Room: "85746065432", Options: json.RawMessage(`{"video_webrtc_mode":0}`)})
	if err != nil {
		t.Fatal(err)
	}
	payload := `{"appKey":"TEST_SDK_KEY_1","sdkKey":"TEST_SDK_KEY_1","mn":"85746065432","role":0,"iat":` + iat + `,"exp":` + exp + `,"tokenExp":` + exp + `,"video_webrtc_mode":0}`
	if web.Token != signRaw(stdHeader, payload, testSecret) {
		t.Errorf("web payload %s\nwant %s", payloadOf(t, web.Token), payload)
	}
	wantJoin := map[string]any{"meetingNumber": "85746065432", "signature": web.Token, "sdkKey": testKey, "userName": "u-7"}
	if !reflect.DeepEqual(web.Join, wantJoin) || web.Role != "participant" || web.Room != "85746065432" || web.UserID != "u-7" {
		t.Errorf("web credential %+v", web)
	}

	native, err := s.Issue(context.Background(), id, core.Request{Provider: "zoom", Kind: "meeting"})
	if err != nil {
		t.Fatal(err)
	}
	payload = `{"appKey":"TEST_SDK_KEY_1","sdkKey":"TEST_SDK_KEY_1","iat":` + iat + `,"exp":` + exp + `,"tokenExp":` + exp + `}`
	if native.Token != signRaw(stdHeader, payload, testSecret) {
		t.Errorf("native payload %s\nwant %s", payloadOf(t, native.Token), payload)
	}
	if native.Role != "" || native.Room != "" || !reflect.DeepEqual(native.Join, map[string]any{"signature": native.Token, "sdkKey": testKey, "userName": "u-7"}) {
		t.Errorf("native credential %+v", native)
	}
	for tok, room := range map[string]string{web.Token: "85746065432", native.Token: ""} {
		v, err := p.Verify(context.Background(), "meeting", tok, testNow.Add(59*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		if v.Room != room || v.UserID != "" || v.AppID != testKey || !v.ExpiresAt.Equal(testNow.Add(time.Hour)) {
			t.Errorf("verified %+v", v)
		}
	}
}

func TestServiceHostRole(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	id := core.Identity{UserID: "u1"}
	for _, kind := range []string{"video", "meeting"} {
		req := core.Request{Provider: "zoom", Kind: kind, Room: "123456789", Role: "host"}
		_, err := newService(t, p).Issue(context.Background(), id, req)
		if core.CodeOf(err) != core.CodeForbidden {
			t.Errorf("%s host without a grant: %v", kind, err)
		}
		allow := core.AllowElevated(func(_ context.Context, _ core.Identity, e core.Elevation) bool {
			return e == core.Elevation{Provider: "zoom", Kind: kind, Role: "host"}
		})
		cred, err := newService(t, p, allow).Issue(context.Background(), id, req)
		if err != nil {
			t.Fatal(err)
		}
		v, err := p.Verify(context.Background(), kind, cred.Token, testNow)
		if err != nil {
			t.Fatal(err)
		}
		claim := map[string]string{"video": "role_type", "meeting": "role"}[kind]
		if v.Claims[claim] != int64(1) || cred.Role != "host" {
			t.Errorf("%s host: %s=%v role %q", kind, claim, v.Claims[claim], cred.Role)
		}
	}
}

func TestVerifyRotation(t *testing.T) {
	old := newProvider(t, zoom.Config{SDKSecret: core.NewSecret(oldSecret)})
	cur := newProvider(t, zoom.Config{SecondarySecret: core.NewSecret(oldSecret)})
	g := core.Grant{Kind: "video", UserID: "u1", Room: "r", TTL: time.Hour, Now: testNow}
	oldCred, err := old.Issue(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	newCred, err := cur.Issue(context.Background(), g)
	if err != nil {
		t.Fatal(err)
	}
	if newCred.Token == oldCred.Token || newCred.Token != mustSign(t, testSecret, newCred.Token) {
		t.Fatal("the current provider does not sign with its primary secret")
	}
	for _, tok := range []string{oldCred.Token, newCred.Token} {
		if _, err := cur.Verify(context.Background(), "video", tok, testNow); err != nil {
			t.Errorf("rotating provider: %v", err)
		}
	}
	if _, err := old.Verify(context.Background(), "video", newCred.Token, testNow); !errors.Is(err, core.ErrSignature) {
		t.Errorf("old provider on a new token: %v", err)
	}
	if _, err := zoom.Verify(oldCred.Token, core.Keys{}, core.Expect{AppID: testKey, At: testNow}); !errors.Is(err, core.ErrSignature) {
		t.Errorf("no secrets: %v", err)
	}
}

// mustSign re-signs a token's header and payload with secret.
func mustSign(t *testing.T, secret, tok string) string {
	t.Helper()
	return signRaw(stdHeader, payloadOf(t, tok), secret)
}

func TestVerifyErrors(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	iat := testNow.Unix()
	video := func(extra string) string {
		return `{"app_key":"TEST_SDK_KEY_1","role_type":0,"tpc":"t","version":1,"iat":` + itoa(iat) + `,"exp":` + itoa(iat+3600) + extra + `}`
	}
	meeting := func(rest string) string {
		return `{"appKey":"TEST_SDK_KEY_1","sdkKey":"TEST_SDK_KEY_1"` + rest + `,"iat":` + itoa(iat) + `,"exp":` + itoa(iat+3600) + `,"tokenExp":` + itoa(iat+3600) + `}`
	}
	good := signRaw(stdHeader, video(""), testSecret)
	segs := strings.Split(good, ".")
	enc := base64.RawURLEncoding.EncodeToString
	cases := []struct {
		name, kind, token string
		now               time.Time
		want              error
	}{
		{"valid", "video", good, testNow, nil},
		{"valid until the second before exp", "video", good, testNow.Add(time.Hour - time.Nanosecond), nil},
		{"expired at exp", "video", good, testNow.Add(time.Hour), core.ErrExpired},
		{"empty", "video", "", testNow, core.ErrMalformed},
		{"two segments", "video", segs[0] + "." + segs[1], testNow, core.ErrMalformed},
		{"four segments", "video", good + ".x", testNow, core.ErrMalformed},
		{"bad base64 payload", "video", segs[0] + ".*" + segs[1] + "." + segs[2], testNow, core.ErrMalformed},
		{"padded signature", "video", good + "=", testNow, core.ErrMalformed},
		{"short signature", "video", segs[0] + "." + segs[1] + "." + segs[2][:40], testNow, core.ErrMalformed},
		{"non-canonical signature bits", "video", flipPadBit(good), testNow, core.ErrMalformed},
		{"too long", "video", strings.Repeat("a", sdkjwt.MaxTokenLen+1), testNow, core.ErrMalformed},
		{"alg none", "video", enc([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + segs[1] + ".", testNow, core.ErrMalformed},
		{"alg none signed", "video", signRaw(`{"alg":"none"}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"alg HS512", "video", signRaw(`{"alg":"HS512","typ":"JWT"}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"alg missing", "video", signRaw(`{"typ":"JWT"}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"typ other", "video", signRaw(`{"alg":"HS256","typ":"JOSE+JSON"}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"alg in upper case", "video", signRaw(`{"ALG":"HS256"}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"alg null", "video", signRaw(`{"alg":null}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"typ number", "video", signRaw(`{"alg":"HS256","typ":1}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"typ lower case is fine", "video", signRaw(`{"alg":"HS256","typ":"jwt"}`, video(""), testSecret), testNow, nil},
		{"crit header", "video", signRaw(`{"alg":"HS256","crit":["exp"]}`, video(""), testSecret), testNow, core.ErrMalformed},
		{"header not an object", "video", signRaw(`"HS256"`, video(""), testSecret), testNow, core.ErrMalformed},
		{"other header form is fine", "video", signRaw(`{"typ":"JWT","alg":"HS256","kid":"k"}`, video(""), testSecret), testNow, nil},
		{"payload not json", "video", signRaw(stdHeader, `not json`, testSecret), testNow, core.ErrMalformed},
		{"payload array", "video", signRaw(stdHeader, `[1]`, testSecret), testNow, core.ErrMalformed},
		{"payload trailing data", "video", signRaw(stdHeader, video("")+`{}`, testSecret), testNow, core.ErrMalformed},
		{"iat string", "video", signRaw(stdHeader, strings.Replace(video(""), `"iat":`+itoa(iat), `"iat":"`+itoa(iat)+`"`, 1), testSecret), testNow, core.ErrMalformed},
		{"exp fractional", "video", signRaw(stdHeader, strings.Replace(video(""), `,"exp":`+itoa(iat+3600), `,"exp":`+itoa(iat+3600)+`.5`, 1), testSecret), testNow, core.ErrMalformed},
		{"tpc missing", "video", signRaw(stdHeader, strings.Replace(video(""), `"tpc":"t",`, "", 1), testSecret), testNow, core.ErrMalformed},
		{"both kinds of key", "video", signRaw(stdHeader, video(`,"appKey":"TEST_SDK_KEY_1"`), testSecret), testNow, core.ErrMalformed},
		{"no key", "video", signRaw(stdHeader, `{"iat":1,"exp":2000}`, testSecret), testNow, core.ErrMalformed},
		{"mn object", "meeting", signRaw(stdHeader, meeting(`,"mn":{},"role":0`), testSecret), testNow, core.ErrMalformed},
		{"other secret", "video", signRaw(stdHeader, video(""), oldSecret), testNow, core.ErrSignature},
		{"tampered payload", "video", segs[0] + "." + enc([]byte(video(`,"session_key":"x"`))) + "." + segs[2], testNow, core.ErrSignature},
		{"malformed payload with a bad signature", "video", segs[0] + "." + enc([]byte("{")) + "." + segs[2], testNow, core.ErrSignature},
		{"other SDK key", "video", signRaw(stdHeader, strings.Replace(video(""), testKey, "OTHER", 1), testSecret), testNow, core.ErrMismatch},
		{"meeting token as video", "video", signRaw(stdHeader, meeting(""), testSecret), testNow, core.ErrMismatch},
		{"video token as meeting", "meeting", good, testNow, core.ErrMismatch},
		{"mismatch beats expiry", "meeting", good, testNow.Add(48 * time.Hour), core.ErrMismatch},
		{"lifetime too short", "video", signRaw(stdHeader, strings.Replace(video(""), itoa(iat+3600), itoa(iat+1799), 1), testSecret), testNow, core.ErrMismatch},
		{"lifetime too long", "video", signRaw(stdHeader, strings.Replace(video(""), itoa(iat+3600), itoa(iat+172801), 1), testSecret), testNow, core.ErrMismatch},
		{"role_type 2", "video", signRaw(stdHeader, strings.Replace(video(""), `"role_type":0`, `"role_type":2`, 1), testSecret), testNow, core.ErrMismatch},
		{"version 2", "video", signRaw(stdHeader, strings.Replace(video(""), `"version":1`, `"version":2`, 1), testSecret), testNow, core.ErrMismatch},
		{"no version is fine", "video", signRaw(stdHeader, strings.Replace(video(""), `"version":1,`, "", 1), testSecret), testNow, nil},
		{"unknown region", "video", signRaw(stdHeader, video(`,"geo_regions":"US,XX"`), testSecret), testNow, core.ErrMismatch},
		{"flag 3", "video", signRaw(stdHeader, video(`,"audio_webrtc_mode":3`), testSecret), testNow, core.ErrMismatch},
		{"user_identity 36", "video", signRaw(stdHeader, video(`,"user_identity":"`+strings.Repeat("u", 36)+`"`), testSecret), testNow, core.ErrMismatch},
		{"unknown claims are fine", "video", signRaw(stdHeader, video(`,"pwd":"x","user_key":"k"`), testSecret), testNow, nil},
		{"mn without role", "meeting", signRaw(stdHeader, meeting(`,"mn":"123456789"`), testSecret), testNow, core.ErrMismatch},
		{"role without mn", "meeting", signRaw(stdHeader, meeting(`,"role":1`), testSecret), testNow, core.ErrMismatch},
		{"numeric mn", "meeting", signRaw(stdHeader, meeting(`,"mn":123456789,"role":1`), testSecret), testNow, nil},
		{"negative mn", "meeting", signRaw(stdHeader, meeting(`,"mn":-5,"role":1`), testSecret), testNow, core.ErrMismatch},
		{"sdkKey differs", "meeting", signRaw(stdHeader, strings.Replace(meeting(""), `"sdkKey":"TEST_SDK_KEY_1"`, `"sdkKey":"X"`, 1), testSecret), testNow, core.ErrMismatch},
		{"tokenExp differs", "meeting", signRaw(stdHeader, strings.Replace(meeting(""), `"tokenExp":`+itoa(iat+3600), `"tokenExp":1`, 1), testSecret), testNow, core.ErrMismatch},
		{"meeting expired", "meeting", signRaw(stdHeader, meeting(""), testSecret), testNow.Add(2 * time.Hour), core.ErrExpired},
	}
	sentinels := []error{core.ErrMalformed, core.ErrSignature, core.ErrMismatch, core.ErrExpired}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			v, err := p.Verify(context.Background(), c.kind, c.token, c.now)
			if c.want == nil {
				if err != nil || v == nil {
					t.Fatalf("got %v, want valid", err)
				}
				return
			}
			n := 0
			for _, s := range sentinels {
				if errors.Is(err, s) {
					n++
				}
			}
			if !errors.Is(err, c.want) || n != 1 || v != nil {
				t.Fatalf("got %v, want exactly %v", err, c.want)
			}
			if strings.Contains(err.Error(), testSecret) || (len(c.token) > 20 && strings.Contains(err.Error(), c.token)) {
				t.Errorf("error leaks the secret or token: %v", err)
			}
		})
	}
}

// flipPadBit sets the unused low bit of the token's last base64url symbol:
// the same signature bytes, another spelling.
func flipPadBit(tok string) string {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
	i := strings.IndexByte(alphabet, tok[len(tok)-1])
	return tok[:len(tok)-1] + string(alphabet[i^1])
}

func TestIssueValidation(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	skewed := newProvider(t, zoom.Config{IATSkew: 30 * time.Second})
	type grant = core.Grant
	video := func(mod func(*grant)) grant {
		g := grant{Kind: "video", UserID: "u1", Room: "room", Role: "participant", TTL: time.Hour, Now: testNow}
		mod(&g)
		return g
	}
	meeting := func(mod func(*grant)) grant {
		g := grant{Kind: "meeting", UserID: "u1", Room: "123456789", Role: "participant", TTL: time.Hour, Now: testNow}
		mod(&g)
		return g
	}
	opts := func(s string) func(*grant) { return func(g *grant) { g.Options = json.RawMessage(s) } }
	cases := []struct {
		name  string
		p     *zoom.Provider
		g     grant
		code  core.Code
		field string
	}{
		{"unknown kind", p, video(func(g *grant) { g.Kind = "webinar" }), core.CodeUnknownKind, "kind"},
		{"no user", p, video(func(g *grant) { g.UserID = "" }), core.CodeInvalidUser, "user_id"},
		{"user 36 units", p, video(func(g *grant) { g.UserID = strings.Repeat("u", 36) }), core.CodeInvalidUser, "user_id"},
		{"user 18 emoji", p, video(func(g *grant) { g.UserID = strings.Repeat("😀", 18) }), core.CodeInvalidUser, "user_id"},
		{"user control char", p, video(func(g *grant) { g.UserID = "u\x01" }), core.CodeInvalidUser, "user_id"},
		{"meeting user not utf8", p, meeting(func(g *grant) { g.UserID = "u\xff" }), core.CodeInvalidUser, "user_id"},
		{"no session name", p, video(func(g *grant) { g.Room = "" }), core.CodeInvalidRoom, "room"},
		{"session name 201", p, video(func(g *grant) { g.Room = strings.Repeat("t", 201) }), core.CodeInvalidRoom, "room"},
		{"session name emoji over 200", p, video(func(g *grant) { g.Room = strings.Repeat("t", 199) + "😀" }), core.CodeInvalidRoom, "room"},
		{"session name U+2028", p, video(func(g *grant) { g.Room = "a\u2028b" }), core.CodeInvalidRoom, "room"},
		{"meeting number 8 digits", p, meeting(func(g *grant) { g.Room = "12345678" }), core.CodeInvalidRoom, "room"},
		{"meeting number 12 digits", p, meeting(func(g *grant) { g.Room = "123456789012" }), core.CodeInvalidRoom, "room"},
		{"meeting number letters", p, meeting(func(g *grant) { g.Room = "12345678a" }), core.CodeInvalidRoom, "room"},
		{"meeting host without number", p, meeting(func(g *grant) { g.Room, g.Role = "", "host" }), core.CodeInvalidRoom, "room"},
		{"ttl 1799 s", p, video(func(g *grant) { g.TTL = 1799 * time.Second }), core.CodeInvalidTTL, "ttl"},
		{"ttl over 48 h", p, meeting(func(g *grant) { g.TTL = 48*time.Hour + time.Second }), core.CodeInvalidTTL, "ttl"},
		{"ttl 48 h with skew", skewed, video(func(g *grant) { g.TTL = 48 * time.Hour }), core.CodeInvalidTTL, "ttl"},
		{"unknown option", p, video(opts(`{"pwd":"x"}`)), core.CodeInvalidOption, "options.pwd"},
		{"meeting video option", p, meeting(opts(`{"session_key":"x"}`)), core.CodeInvalidOption, "options.session_key"},
		{"options not an object", p, video(opts(`[1]`)), core.CodeInvalidOption, "options"},
		{"session_key 37", p, video(opts(`{"session_key":"` + strings.Repeat("k", 37) + `"}`)), core.CodeInvalidOption, "options.session_key"},
		{"session_key control", p, video(opts(`{"session_key":"a\u0007"}`)), core.CodeInvalidOption, "options.session_key"},
		{"session_key number", p, video(opts(`{"session_key":5}`)), core.CodeInvalidOption, "options.session_key"},
		{"geo string", p, video(opts(`{"geo_regions":"US"}`)), core.CodeInvalidOption, "options.geo_regions"},
		{"geo unknown", p, video(opts(`{"geo_regions":["US","XX"]}`)), core.CodeInvalidOption, "options.geo_regions"},
		{"geo lower case", p, video(opts(`{"geo_regions":["us"]}`)), core.CodeInvalidOption, "options.geo_regions"},
		{"geo padded", p, video(opts(`{"geo_regions":[" US "]}`)), core.CodeInvalidOption, "options.geo_regions"},
		{"geo repeated", p, video(opts(`{"geo_regions":["US","DE","US"]}`)), core.CodeInvalidOption, "options.geo_regions"},
		{"geo empty", p, video(opts(`{"geo_regions":[]}`)), core.CodeInvalidOption, "options.geo_regions"},
		{"recording option 2", p, video(opts(`{"cloud_recording_option":2}`)), core.CodeInvalidOption, "options.cloud_recording_option"},
		{"recording election -1", p, video(opts(`{"cloud_recording_election":-1}`)), core.CodeInvalidOption, "options.cloud_recording_election"},
		{"video mode 1.5", p, video(opts(`{"video_webrtc_mode":1.5}`)), core.CodeInvalidOption, "options.video_webrtc_mode"},
		{"video mode string", p, video(opts(`{"video_webrtc_mode":"1"}`)), core.CodeInvalidOption, "options.video_webrtc_mode"},
		{"audio mode 2", p, video(opts(`{"audio_webrtc_mode":2}`)), core.CodeInvalidOption, "options.audio_webrtc_mode"},
		{"meeting video mode 2", p, meeting(opts(`{"video_webrtc_mode":2}`)), core.CodeInvalidOption, "options.video_webrtc_mode"},
		{"telemetry too long", p, video(opts(`{"telemetry_tracking_id":"` + strings.Repeat("t", 129) + `"}`)), core.CodeInvalidOption, "options.telemetry_tracking_id"},
		{"telemetry control", p, video(opts(`{"telemetry_tracking_id":"a\nb"}`)), core.CodeInvalidOption, "options.telemetry_tracking_id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cred, err := c.p.Issue(context.Background(), c.g)
			var ce *core.Error
			if !errors.As(err, &ce) || ce.Code != c.code || ce.Field != c.field || cred != nil {
				t.Fatalf("got %v, want %s (%s)", err, c.code, c.field)
			}
		})
	}
	// The limits themselves are accepted.
	ok := []grant{
		video(func(g *grant) {
			g.UserID, g.Room, g.TTL = strings.Repeat("u", 35), strings.Repeat("😀", 100), 48*time.Hour
		}),
		video(func(g *grant) {
			g.TTL = 1800 * time.Second
			g.Options = json.RawMessage(`{"session_key":"` + strings.Repeat("k", 36) + `","geo_regions":["AU","BR","CA","CN","DE","HK","IN","JP","MX","NL","SG","US"],"cloud_recording_option":null}`)
		}),
		meeting(func(g *grant) { g.Room, g.Role = "12345678901", "" }),
		meeting(func(g *grant) { g.Room, g.Options = "", json.RawMessage(`{"video_webrtc_mode":1}`) }),
		video(func(g *grant) { g.Options = json.RawMessage(` null `) }),
	}
	for i, g := range ok {
		if _, err := p.Issue(context.Background(), g); err != nil {
			t.Errorf("ok[%d]: %v", i, err)
		}
	}
	// The service always sets Now and TTL: a grant without one is a
	// programming error.
	for _, g := range []grant{video(func(g *grant) { g.Now = time.Time{} }), video(func(g *grant) { g.TTL = 0 })} {
		if _, err := p.Issue(context.Background(), g); core.CodeOf(err) != core.CodeInternal {
			t.Errorf("grant without Now or TTL: %v, want %s", err, core.CodeInternal)
		}
	}
	// The kind's rules (roles, TTL policy) are checked by the service.
	svc := newService(t, p)
	for _, c := range []struct {
		req   core.Request
		code  core.Code
		field string
	}{
		{core.Request{Kind: "video", Room: "room", Role: "admin"}, core.CodeInvalidRole, "role"},
		{core.Request{Kind: "meeting", Room: "123456789", Role: "Host"}, core.CodeInvalidRole, "role"},
		{core.Request{Kind: "video", Room: "room", TTL: time.Hour + time.Millisecond}, core.CodeInvalidTTL, "ttl"},
		{core.Request{Kind: "video", Room: "room", TTL: 1799 * time.Second}, core.CodeInvalidTTL, "ttl"},
		{core.Request{Kind: "meeting", TTL: 48*time.Hour + time.Second}, core.CodeInvalidTTL, "ttl"},
		{core.Request{Kind: "video"}, core.CodeInvalidRoom, "room"},
	} {
		c.req.Provider = "zoom"
		_, err := svc.Issue(context.Background(), core.Identity{UserID: "u1"}, c.req)
		var ce *core.Error
		if !errors.As(err, &ce) || ce.Code != c.code || ce.Field != c.field {
			t.Errorf("Service.Issue(%+v): %v, want %s (%s)", c.req, err, c.code, c.field)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Issue(ctx, video(func(*grant) {})); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestIATSkew(t *testing.T) {
	p := newProvider(t, zoom.Config{IATSkew: 30 * time.Second})
	max := 48*time.Hour - 30*time.Second
	cred, err := p.Issue(context.Background(), core.Grant{Kind: "video", UserID: "u1", Room: "r", TTL: max, Now: testNow.Add(999 * time.Millisecond)})
	if err != nil {
		t.Fatal(err)
	}
	if !cred.IssuedAt.Equal(testNow.Add(-30*time.Second)) || !cred.ExpiresAt.Equal(testNow.Add(max)) {
		t.Errorf("iat %s exp %s", cred.IssuedAt, cred.ExpiresAt)
	}
	v, err := p.Verify(context.Background(), "video", cred.Token, testNow)
	if err != nil {
		t.Fatal(err)
	}
	if got := v.Claims["exp"].(int64) - v.Claims["iat"].(int64); got != 172800 {
		t.Errorf("exp-iat %d, want 172800", got)
	}
	// At the minimum TTL the client still gets 1800 s from now.
	cred, err = p.Issue(context.Background(), core.Grant{Kind: "meeting", UserID: "u1", TTL: 1800 * time.Second, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if cred.ExpiresAt.Sub(testNow) != 1800*time.Second || cred.ExpiresAt.Sub(cred.IssuedAt) != 1830*time.Second {
		t.Errorf("min TTL with skew: iat %s exp %s", cred.IssuedAt, cred.ExpiresAt)
	}
}

func TestJoinUserName(t *testing.T) {
	p := newProvider(t, zoom.Config{})
	id := core.Identity{UserID: "me", DisplayName: "Me Myself"}
	for _, c := range []struct{ user, want string }{{"me", "Me Myself"}, {"other", "other"}} {
		cred, err := p.Issue(context.Background(), core.Grant{Kind: "video", UserID: c.user, Room: "r", TTL: time.Hour, Now: testNow, Identity: id})
		if err != nil {
			t.Fatal(err)
		}
		if cred.Join["userName"] != c.want {
			t.Errorf("user %s: userName %v, want %s", c.user, cred.Join["userName"], c.want)
		}
	}
}

// TestConcurrentUse issues and verifies from several goroutines (run with
// -race): the pooled hashes and buffers must not be shared.
func TestConcurrentUse(t *testing.T) {
	p := newProvider(t, zoom.Config{SecondarySecret: core.NewSecret(oldSecret)})
	errs := make(chan error, 8)
	for w := 0; w < 8; w++ {
		go func() {
			var err error
			for i := 0; i < 200 && err == nil; i++ {
				room := strings.Repeat("r", 1+(w*37+i)%200)
				var cred *core.Credential
				cred, err = p.Issue(context.Background(), core.Grant{Kind: "video", UserID: "u", Room: room, TTL: time.Hour, Now: testNow})
				if err == nil {
					var v *core.Verified
					v, err = p.Verify(context.Background(), "video", cred.Token, testNow)
					if err == nil && v.Room != room {
						err = errors.New("verified another room: " + v.Room)
					}
				}
			}
			errs <- err
		}()
	}
	for w := 0; w < 8; w++ {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
