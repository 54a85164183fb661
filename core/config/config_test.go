package config_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// Distinctive secrets, so a leak into an error message is easy to spot.
const (
	tencentKey   = "TENCENTKEYc0ffee5ecret0123456789abcdef0123456789abcdef01234567"
	agoraAppID   = "0123456789abcdef0123456789abcdef"
	agoraCert    = "fedcba9876543210fedcba9876543210"
	agoraCert2   = "00112233445566778899aabbccddeeff"
	zoomSecret   = "ZOOMSECRETs3cr3tValue0123456789"
	zoomSecret2  = "ZOOMSECRETolderValue9876543210"
	zegoSecret   = "ZEGOSECRET0123456789abcdef012345" // 32 bytes
	zegoSecret2  = "ZEGOSECRETfedcba9876543210fedcba" // 32 bytes
	malformedKey = "LEAKCANARY-not-32-hex-chars"
)

func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) { v, ok := m[k]; return v, ok }
}

func full() map[string]string {
	return map[string]string{
		"RTCTOKEN_TENCENT_SDKAPPID":                "1400000001",
		"RTCTOKEN_TENCENT_KEY":                     tencentKey,
		"RTCTOKEN_AGORA_APP_ID":                    agoraAppID,
		"RTCTOKEN_AGORA_APP_CERTIFICATE":           agoraCert,
		"RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY": agoraCert2,
		"RTCTOKEN_AGORA_COMPRESSION":               "Zlib",
		"RTCTOKEN_ZOOM_SDK_KEY":                    "zoomSDKkey123",
		"RTCTOKEN_ZOOM_SDK_SECRET":                 zoomSecret,
		"RTCTOKEN_ZEGO_APP_ID":                     "123456789",
		"RTCTOKEN_ZEGO_SERVER_SECRET":              zegoSecret,
		"RTCTOKEN_ZEGO_MODE":                       "GCM",
	}
}

func TestLoadAllVendors(t *testing.T) {
	c, err := config.Load(env(full()))
	if err != nil {
		t.Fatal(err)
	}
	if c.Tencent == nil || c.Tencent.SDKAppID != 1400000001 || c.Tencent.Key.Reveal() != tencentKey || !c.Tencent.SecondaryKey.IsZero() {
		t.Errorf("tencent = %+v", c.Tencent)
	}
	if c.Agora == nil || c.Agora.AppID != agoraAppID || c.Agora.AppCertificate.Reveal() != agoraCert || c.Agora.SecondaryCertificate.Reveal() != agoraCert2 || c.Agora.Compression != accesstoken.CompressZlib {
		t.Errorf("agora = %+v", c.Agora)
	}
	if c.Zoom == nil || c.Zoom.SDKKey != "zoomSDKkey123" || c.Zoom.SDKSecret.Reveal() != zoomSecret || c.Zoom.Kinds != nil {
		t.Errorf("zoom = %+v", c.Zoom)
	}
	if c.Zego == nil || c.Zego.AppID != 123456789 || c.Zego.ServerSecret.Reveal() != zegoSecret || c.Zego.Mode != zego.ModeGCM {
		t.Errorf("zego = %+v", c.Zego)
	}
	if got, want := c.Enabled(), []string{"agora", "tencent", "zego", "zoom"}; !slices.Equal(got, want) {
		t.Errorf("Enabled = %v, want %v", got, want)
	}
	ps, err := c.Providers()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"agora": agoraAppID, "tencent": "1400000001", "zego": "123456789", "zoom": "zoomSDKkey123"}
	if len(ps) != len(want) {
		t.Fatalf("%d providers, want %d", len(ps), len(want))
	}
	for _, p := range ps {
		if want[p.Name()] != p.AppID() {
			t.Errorf("provider %s has app id %q, want %q", p.Name(), p.AppID(), want[p.Name()])
		}
	}
	if _, err := core.NewService(ps); err != nil {
		t.Fatal(err)
	}
}

func TestTencentAdmins(t *testing.T) {
	m := full()
	c, err := config.Load(env(m))
	if err != nil || c.Tencent.Admins != nil {
		t.Fatalf("unset: %v %v", err, c.Tencent.Admins)
	}
	m["RTCTOKEN_TENCENT_ADMINS"] = " ops_admin, robot-1 "
	if c, err = config.Load(env(m)); err != nil || !slices.Equal(c.Tencent.Admins, []string{"ops_admin", "robot-1"}) {
		t.Fatalf("set: %v %v", err, c.Tencent.Admins)
	}
	// The listed admins, and only they, are elevated through the service.
	ps, err := c.Providers()
	if err != nil {
		t.Fatal(err)
	}
	svc, err := core.NewService(ps)
	if err != nil {
		t.Fatal(err)
	}
	for user, code := range map[string]core.Code{"robot-1": core.CodeForbidden, "OPS_ADMIN": core.CodeForbidden, "administrator": ""} {
		_, err := svc.Issue(context.Background(), core.Identity{UserID: user}, core.Request{Provider: "tencent", Kind: "usersig"})
		if core.CodeOf(err) != code {
			t.Errorf("%s: %v, want %q", user, err, code)
		}
	}
}

func TestLoadOneVendor(t *testing.T) {
	c, err := config.Load(env(map[string]string{
		"RTCTOKEN_ZEGO_APP_ID":        "42",
		"RTCTOKEN_ZEGO_SERVER_SECRET": zegoSecret,
		"RTCTOKEN_AGORA_APP_ID":       "", // empty counts as unset
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.Tencent != nil || c.Agora != nil || c.Zoom != nil || c.Zego == nil || c.Zego.Mode != zego.ModeCBC {
		t.Fatalf("config = %+v", c)
	}
	if got := c.Enabled(); !slices.Equal(got, []string{"zego"}) {
		t.Fatalf("Enabled = %v", got)
	}
}

func TestLoadNothing(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Enabled()) != 0 {
		t.Fatalf("Enabled = %v", c.Enabled())
	}
	if _, err := c.Providers(); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("Providers with nothing configured: %v, want core.ErrConfig", err)
	}
	if _, err := config.Load(nil); !errors.Is(err, core.ErrConfig) {
		t.Fatalf("Load(nil): %v", err)
	}
}

// TestErrors checks that every missing or malformed variable is named, that
// errors wrap core.ErrConfig, and that no value appears in the text.
func TestErrors(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		want string // the variable the error must name
	}{
		{"tencent key missing", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "1400000001"}, "RTCTOKEN_TENCENT_KEY"},
		{"tencent app id missing", map[string]string{"RTCTOKEN_TENCENT_KEY": tencentKey}, "RTCTOKEN_TENCENT_SDKAPPID"},
		{"only a secondary set", map[string]string{"RTCTOKEN_TENCENT_KEY_SECONDARY": tencentKey}, "RTCTOKEN_TENCENT_SDKAPPID"},
		{"tencent app id not a number", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "14OO", "RTCTOKEN_TENCENT_KEY": tencentKey}, "RTCTOKEN_TENCENT_SDKAPPID"},
		{"tencent app id zero", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "0", "RTCTOKEN_TENCENT_KEY": tencentKey}, "RTCTOKEN_TENCENT_SDKAPPID"},
		{"tencent app id over 32 bits", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "4294967296", "RTCTOKEN_TENCENT_KEY": tencentKey}, "RTCTOKEN_TENCENT_SDKAPPID"},
		{"tencent app id negative", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "-1", "RTCTOKEN_TENCENT_KEY": tencentKey}, "RTCTOKEN_TENCENT_SDKAPPID"},
		{"agora certificate missing", map[string]string{"RTCTOKEN_AGORA_APP_ID": agoraAppID}, "RTCTOKEN_AGORA_APP_CERTIFICATE"},
		{"agora compression unknown", map[string]string{"RTCTOKEN_AGORA_APP_ID": agoraAppID, "RTCTOKEN_AGORA_APP_CERTIFICATE": agoraCert, "RTCTOKEN_AGORA_COMPRESSION": "gzip"}, "RTCTOKEN_AGORA_COMPRESSION"},
		{"agora app id missing", map[string]string{"RTCTOKEN_AGORA_APP_CERTIFICATE": agoraCert}, "RTCTOKEN_AGORA_APP_ID"},
		{"agora certificate malformed", map[string]string{"RTCTOKEN_AGORA_APP_ID": agoraAppID, "RTCTOKEN_AGORA_APP_CERTIFICATE": malformedKey}, "RTCTOKEN_AGORA_APP_CERTIFICATE"},
		{"agora secondary malformed", map[string]string{"RTCTOKEN_AGORA_APP_ID": agoraAppID, "RTCTOKEN_AGORA_APP_CERTIFICATE": agoraCert, "RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY": malformedKey}, "RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY"},
		{"zoom secret missing", map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k"}, "RTCTOKEN_ZOOM_SDK_SECRET"},
		{"zoom key missing", map[string]string{"RTCTOKEN_ZOOM_SDK_SECRET": zoomSecret}, "RTCTOKEN_ZOOM_SDK_KEY"},
		{"zoom only kinds", map[string]string{"RTCTOKEN_ZOOM_KINDS": "video"}, "RTCTOKEN_ZOOM_SDK_KEY"},
		{"tencent only admins", map[string]string{"RTCTOKEN_TENCENT_ADMINS": "ops"}, "RTCTOKEN_TENCENT_SDKAPPID"},
		{"tencent admin not a user id", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "1400000001", "RTCTOKEN_TENCENT_KEY": tencentKey, "RTCTOKEN_TENCENT_ADMINS": "ops,admin/istrator"}, "RTCTOKEN_TENCENT_ADMINS"},
		{"tencent admin empty", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "1400000001", "RTCTOKEN_TENCENT_KEY": tencentKey, "RTCTOKEN_TENCENT_ADMINS": "ops,"}, "RTCTOKEN_TENCENT_ADMINS"},
		{"tencent admin twice", map[string]string{"RTCTOKEN_TENCENT_SDKAPPID": "1400000001", "RTCTOKEN_TENCENT_KEY": tencentKey, "RTCTOKEN_TENCENT_ADMINS": "ops, ops"}, "RTCTOKEN_TENCENT_ADMINS"},
		{"zoom secret with a space", map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k", "RTCTOKEN_ZOOM_SDK_SECRET": malformedKey + " x"}, "RTCTOKEN_ZOOM_SDK_SECRET"},
		{"zoom unknown kind", map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k", "RTCTOKEN_ZOOM_SDK_SECRET": zoomSecret, "RTCTOKEN_ZOOM_KINDS": "video,webinar"}, "RTCTOKEN_ZOOM_KINDS"},
		{"zoom kind twice", map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k", "RTCTOKEN_ZOOM_SDK_SECRET": zoomSecret, "RTCTOKEN_ZOOM_KINDS": "video, video"}, "RTCTOKEN_ZOOM_KINDS"},
		{"zoom empty kind", map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k", "RTCTOKEN_ZOOM_SDK_SECRET": zoomSecret, "RTCTOKEN_ZOOM_KINDS": "video,"}, "RTCTOKEN_ZOOM_KINDS"},
		{"zego secret missing", map[string]string{"RTCTOKEN_ZEGO_APP_ID": "1"}, "RTCTOKEN_ZEGO_SERVER_SECRET"},
		{"zego only mode", map[string]string{"RTCTOKEN_ZEGO_MODE": "gcm"}, "RTCTOKEN_ZEGO_APP_ID"},
		{"zego app id hex", map[string]string{"RTCTOKEN_ZEGO_APP_ID": "0x10", "RTCTOKEN_ZEGO_SERVER_SECRET": zegoSecret}, "RTCTOKEN_ZEGO_APP_ID"},
		{"zego bad mode", map[string]string{"RTCTOKEN_ZEGO_APP_ID": "1", "RTCTOKEN_ZEGO_SERVER_SECRET": zegoSecret, "RTCTOKEN_ZEGO_MODE": "ecb"}, "RTCTOKEN_ZEGO_MODE"},
		{"zego secret short", map[string]string{"RTCTOKEN_ZEGO_APP_ID": "1", "RTCTOKEN_ZEGO_SERVER_SECRET": malformedKey}, "RTCTOKEN_ZEGO_SERVER_SECRET"},
		{"zego secondary short", map[string]string{"RTCTOKEN_ZEGO_APP_ID": "1", "RTCTOKEN_ZEGO_SERVER_SECRET": zegoSecret, "RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY": malformedKey}, "RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY"},
		{"secret and file both set", map[string]string{"RTCTOKEN_ZEGO_APP_ID": "1", "RTCTOKEN_ZEGO_SERVER_SECRET": zegoSecret, "RTCTOKEN_ZEGO_SERVER_SECRET_FILE": "/dev/null"}, "RTCTOKEN_ZEGO_SERVER_SECRET"},
		{"secret pasted into a file variable", map[string]string{"RTCTOKEN_ZEGO_APP_ID": "1", "RTCTOKEN_ZEGO_SERVER_SECRET_FILE": malformedKey}, "RTCTOKEN_ZEGO_SERVER_SECRET_FILE"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(env(tc.env))
			if err == nil {
				t.Fatal("Load succeeded")
			}
			if !errors.Is(err, core.ErrConfig) {
				t.Errorf("error does not wrap core.ErrConfig: %v", err)
			}
			var ve *config.VarError
			if !errors.As(err, &ve) || !strings.Contains(ve.Var, tc.want) {
				t.Errorf("error %q does not name %s", err, tc.want)
			}
			msg := err.Error()
			for name, v := range tc.env {
				if strings.HasSuffix(name, "_SDKAPPID") || strings.HasSuffix(name, "_APP_ID") || strings.HasSuffix(name, "_SDK_KEY") {
					continue // public ids and their malformed forms may be short substrings of names
				}
				if strings.Contains(msg, v) {
					t.Errorf("error %q contains the value of %s", msg, name)
				}
			}
			if strings.Contains(msg, "LEAKCANARY") {
				t.Errorf("error leaks a secret: %q", msg)
			}
		})
	}
}

func TestErrorsAreCollected(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"RTCTOKEN_TENCENT_SDKAPPID": "x",
		"RTCTOKEN_AGORA_APP_ID":     agoraAppID,
		"RTCTOKEN_ZEGO_MODE":        "ofb",
	}))
	for _, name := range []string{"RTCTOKEN_TENCENT_SDKAPPID", "RTCTOKEN_TENCENT_KEY", "RTCTOKEN_AGORA_APP_CERTIFICATE", "RTCTOKEN_ZEGO_APP_ID", "RTCTOKEN_ZEGO_SERVER_SECRET", "RTCTOKEN_ZEGO_MODE"} {
		if err == nil || !strings.Contains(err.Error(), name) {
			t.Errorf("error %v does not mention %s", err, name)
		}
	}
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "secret")
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestSecretFiles(t *testing.T) {
	m := map[string]string{
		"RTCTOKEN_ZOOM_SDK_KEY":                   "zoomSDKkey123",
		"RTCTOKEN_ZOOM_SDK_SECRET_FILE":           writeFile(t, zoomSecret+"\n"),
		"RTCTOKEN_ZOOM_SDK_SECRET_SECONDARY_FILE": writeFile(t, zoomSecret2+"\r\n"),
		"RTCTOKEN_ZOOM_KINDS":                     "Meeting",
		"RTCTOKEN_TENCENT_SDKAPPID":               "1400000001",
		"RTCTOKEN_TENCENT_KEY_FILE":               writeFile(t, tencentKey), // no newline
	}
	c, err := config.Load(env(m))
	if err != nil {
		t.Fatal(err)
	}
	if c.Zoom.SDKSecret.Reveal() != zoomSecret || c.Zoom.SecondarySecret.Reveal() != zoomSecret2 || c.Tencent.Key.Reveal() != tencentKey {
		t.Fatal("secrets read from files differ")
	}
	if !slices.Equal(c.Zoom.Kinds, []string{zoom.KindMeeting}) {
		t.Fatalf("zoom kinds = %v", c.Zoom.Kinds)
	}
}

func TestSecretFileProblems(t *testing.T) {
	dir := t.TempDir()
	big := writeFile(t, strings.Repeat("k", config.MaxFileSize+1))
	cases := []struct {
		name, path, want string
	}{
		{"missing", filepath.Join(dir, "nope-LEAKCANARY"), "does not exist"},
		{"empty", writeFile(t, "\n"), "empty file"},
		{"too large", big, "larger than"},
		{"directory", dir, "cannot be read"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Load(env(map[string]string{
				"RTCTOKEN_AGORA_APP_ID":               agoraAppID,
				"RTCTOKEN_AGORA_APP_CERTIFICATE_FILE": tc.path,
			}))
			var ve *config.VarError
			if !errors.As(err, &ve) || ve.Var != "RTCTOKEN_AGORA_APP_CERTIFICATE_FILE" || !strings.Contains(ve.Problem, tc.want) {
				t.Fatalf("error %v, want RTCTOKEN_AGORA_APP_CERTIFICATE_FILE %s", err, tc.want)
			}
			if strings.Contains(err.Error(), tc.path) || strings.Contains(err.Error(), dir) {
				t.Errorf("error %q contains the path", err)
			}
		})
	}
}

// TestMalformedSecretFromFile names the _FILE variable when the file's
// content is rejected, and never the content.
func TestMalformedSecretFromFile(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"RTCTOKEN_AGORA_APP_ID":                              agoraAppID,
		"RTCTOKEN_AGORA_APP_CERTIFICATE":                     agoraCert,
		"RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY_FILE":      writeFile(t, malformedKey+"\n"),
		"RTCTOKEN_ZEGO_APP_ID":                               "7",
		"RTCTOKEN_ZEGO_SERVER_SECRET_FILE":                   writeFile(t, malformedKey),
		"RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY_FILE_UNUSED_": "x",
	}))
	if err == nil {
		t.Fatal("Load succeeded")
	}
	msg := err.Error()
	for _, name := range []string{"RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY_FILE", "RTCTOKEN_ZEGO_SERVER_SECRET_FILE"} {
		if !strings.Contains(msg, name) {
			t.Errorf("error %q does not name %s", msg, name)
		}
	}
	if strings.Contains(msg, "LEAKCANARY") {
		t.Errorf("error leaks a secret: %q", msg)
	}
}

// TestProvidersConfigFields: fields set on a loaded Config reach the
// constructors, and Providers reports every vendor's rejected field at once.
func TestProvidersConfigFields(t *testing.T) {
	c, err := config.Load(env(full()))
	if err != nil {
		t.Fatal(err)
	}
	c.Agora.Name = "agora-eu"
	c.Zego.Name = "zego-eu"
	ps, err := c.Providers()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, p := range ps {
		names = append(names, p.Name())
	}
	slices.Sort(names)
	if want := []string{"agora-eu", "tencent", "zego-eu", "zoom"}; !slices.Equal(names, want) {
		t.Fatalf("names = %v, want %v", names, want)
	}
	c.Zego.Kinds = []string{"nope"}
	c.Agora.Kinds = []string{"nope"}
	ps, err = c.Providers()
	if ps != nil || !errors.Is(err, core.ErrConfig) {
		t.Fatalf("bad Kinds: %v, %v", ps, err)
	}
	var vendors []string
	for _, e := range unjoin(err) {
		var ce *core.ConfigError
		if !errors.As(e, &ce) || ce.Field != "Kinds" {
			t.Errorf("error %v does not name the Kinds field", e)
			continue
		}
		vendors = append(vendors, ce.Provider)
	}
	if want := []string{"agora", "zego"}; !slices.Equal(vendors, want) {
		t.Fatalf("vendors reported: %v, want %v (%v)", vendors, want, err)
	}
}

// unjoin returns the errors err joins, or err alone.
func unjoin(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	return []error{err}
}

// TestRejectedWithMissing: one Load reports missing variables and values
// the constructors reject, of every vendor, each once and by the variable
// (or file twin) it came from.
func TestRejectedWithMissing(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"RTCTOKEN_AGORA_APP_ID":                      "LEAKCANARY",
		"RTCTOKEN_AGORA_APP_CERTIFICATE":             agoraCert,
		"RTCTOKEN_ZOOM_SDK_KEY":                      "k",
		"RTCTOKEN_ZEGO_APP_ID":                       "7",
		"RTCTOKEN_ZEGO_SERVER_SECRET":                zegoSecret,
		"RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY_FILE": writeFile(t, malformedKey),
		"RTCTOKEN_TENCENT_SDKAPPID":                  "x",
		"RTCTOKEN_TENCENT_KEY":                       tencentKey,
	}))
	if !errors.Is(err, core.ErrConfig) {
		t.Fatalf("error %v", err)
	}
	var got []string
	for _, e := range unjoin(err) {
		var ve *config.VarError
		if !errors.As(e, &ve) {
			t.Fatalf("%v is not a *VarError", e)
		}
		got = append(got, ve.Var)
	}
	slices.Sort(got)
	want := []string{"RTCTOKEN_AGORA_APP_ID", "RTCTOKEN_TENCENT_SDKAPPID", "RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY_FILE", "RTCTOKEN_ZOOM_SDK_SECRET"}
	if !slices.Equal(got, want) {
		t.Fatalf("reported %v, want %v (%v)", got, want, err)
	}
	if strings.Contains(err.Error(), "LEAKCANARY") {
		t.Errorf("error leaks a value: %v", err)
	}
}

// TestSecondaryIsWired issues with one configuration and verifies with a
// rotated one that keeps the old secret as secondary.
func TestSecondaryIsWired(t *testing.T) {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	build := func(m map[string]string) core.Provider {
		t.Helper()
		c, err := config.Load(env(m))
		if err != nil {
			t.Fatal(err)
		}
		ps, err := c.Providers()
		if err != nil || len(ps) != 1 {
			t.Fatalf("providers %v, %v", ps, err)
		}
		return ps[0]
	}
	old := build(map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k1", "RTCTOKEN_ZOOM_SDK_SECRET": zoomSecret2})
	rotated := build(map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k1", "RTCTOKEN_ZOOM_SDK_SECRET": zoomSecret, "RTCTOKEN_ZOOM_SDK_SECRET_SECONDARY": zoomSecret2})
	other := build(map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "k1", "RTCTOKEN_ZOOM_SDK_SECRET": zoomSecret})

	svc, err := core.NewService([]core.Provider{old}, core.WithClock(func() time.Time { return now }))
	if err != nil {
		t.Fatal(err)
	}
	cred, err := svc.Issue(context.Background(), core.Identity{UserID: "u1"}, core.Request{Provider: "zoom", Kind: zoom.KindVideo, Room: "r1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := rotated.Verify(context.Background(), zoom.KindVideo, cred.Token, now); err != nil {
		t.Fatalf("rotated configuration rejects a token of the secondary secret: %v", err)
	}
	if _, err := other.Verify(context.Background(), zoom.KindVideo, cred.Token, now); !errors.Is(err, core.ErrSignature) {
		t.Fatalf("configuration without the old secret: %v, want ErrSignature", err)
	}
}

func TestVars(t *testing.T) {
	vs := config.Vars()
	seen := map[string]bool{}
	vendors := map[string]int{}
	for _, v := range vs {
		if seen[v.Name] || !strings.HasPrefix(v.Name, "RTCTOKEN_"+strings.ToUpper(v.Vendor)+"_") || v.Description == "" {
			t.Errorf("bad or duplicate variable %+v", v)
		}
		seen[v.Name] = true
		if v.Required {
			vendors[v.Vendor]++
		}
	}
	for _, vendor := range []string{"tencent", "agora", "zoom", "zego"} {
		if vendors[vendor] != 2 {
			t.Errorf("%s has %d required variables, want 2", vendor, vendors[vendor])
		}
	}
	configs := map[string]reflect.Type{
		"tencent": reflect.TypeFor[tencent.Config](), "agora": reflect.TypeFor[agora.Config](),
		"zoom": reflect.TypeFor[zoom.Config](), "zego": reflect.TypeFor[zego.Config](),
		"livekit": reflect.TypeFor[livekit.Config](), "twilio": reflect.TypeFor[twilio.Config](),
	}
	for _, v := range vs {
		if _, ok := configs[v.Vendor].FieldByName(v.Field); !ok || v.Field == "" {
			t.Errorf("%s: %s.Config has no field %q", v.Name, v.Vendor, v.Field)
		}
	}
	vs[0].Name = "changed"
	if config.Vars()[0].Name == "changed" {
		t.Error("Vars returns the package's own slice")
	}

	// Load reads exactly the listed variables and the file twins of the
	// secret ones.
	read := map[string]bool{}
	config.Load(func(k string) (string, bool) { read[k] = true; return "", false })
	want := map[string]bool{}
	for _, v := range config.Vars() {
		want[v.Name] = true
		if v.Secret {
			want[v.Name+config.FileSuffix] = true
		}
	}
	for k := range read {
		if !want[k] {
			t.Errorf("Load reads %s, which Vars does not list", k)
		}
	}
	for k := range want {
		if !read[k] {
			t.Errorf("Vars lists %s, which Load never reads", k)
		}
	}

	// The package documentation lists every variable.
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range config.Vars() {
		if !strings.Contains(string(doc), "//\t"+v.Name+" ") {
			t.Errorf("doc.go does not list %s", v.Name)
		}
	}
}

func TestFromEnv(t *testing.T) {
	for _, v := range config.Vars() {
		t.Setenv(v.Name, "")
		t.Setenv(v.Name+config.FileSuffix, "")
	}
	t.Setenv("RTCTOKEN_ZEGO_APP_ID", "99")
	t.Setenv("RTCTOKEN_ZEGO_SERVER_SECRET_FILE", writeFile(t, zegoSecret+"\n"))
	c, err := config.FromEnv()
	if err != nil {
		t.Fatal(err)
	}
	if c.Zego == nil || c.Zego.AppID != 99 || c.Zego.ServerSecret.Reveal() != zegoSecret || len(c.Enabled()) != 1 {
		t.Fatalf("config = %+v", c)
	}
}
