package core_test

import (
	"bytes"
	"encoding"
	"encoding/gob"
	"encoding/hex"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// The secrets of the table, one per vendor configuration.
const (
	leakTencent = "tencent-key-6f1d2c9a"
	leakAgora   = "5cfd2fd1755d40ecb72977518be15d3b"
	leakZoom    = "zoom-secret-8e7b6a5c"
	leakZego    = "fa94dd0f974cf2e293728a526b028271"
)

// leaked reports which secret, in any of the forms fmt can print a string
// in (as is, hexadecimal, or Go-quoted), out contains.
func leaked(out string) string {
	for _, s := range []string{leakTencent, leakAgora, leakZoom, leakZego, "second-" + leakZoom} {
		for _, form := range []string{s, hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s))), s[:8]} {
			if strings.Contains(out, form) {
				return form
			}
		}
		// %d and %v of the bytes: "[116 101 110 ...]" for a []byte view.
		if strings.Contains(out, strings.Trim(fmt.Sprint([]byte(s[:4])), "[]")) {
			return "bytes of " + s[:4]
		}
	}
	return ""
}

// secretValues are the secret, alone and inside the real configuration
// types, by value and by pointer.
func secretValues() map[string]any {
	s := core.NewSecret(leakZoom)
	tc := tencent.Config{SDKAppID: 1400000001, Key: core.NewSecret(leakTencent)}
	ac := agora.Config{AppID: "970ca35de60c44645bbae8a215061b33", AppCertificate: core.NewSecret(leakAgora)}
	zc := zoom.Config{SDKKey: "zoomSdkKey", SDKSecret: s, SecondarySecret: core.NewSecret("second-" + leakZoom), Kinds: []string{zoom.KindVideo}}
	gc := zego.Config{AppID: 1234567890, ServerSecret: core.NewSecret(leakZego)}
	type unexported struct {
		name string
		key  core.Secret
	}
	return map[string]any{
		"secret":            s,
		"pointer to secret": &s,
		"slice":             []core.Secret{s},
		"map":               map[string]core.Secret{"k": s},
		"anonymous struct":  struct{ S core.Secret }{s},
		"unexported field":  unexported{"x", s},
		"pointer unexp.":    &unexported{"x", s},
		"tencent.Config":    tc,
		"*tencent.Config":   &tc,
		"agora.Config":      ac,
		"*agora.Config":     &ac,
		"zoom.Config":       zc,
		"*zoom.Config":      &zc,
		"zego.Config":       gc,
		"*zego.Config":      &gc,
		"nested configs":    struct{ T, A, Z, G any }{tc, &ac, zc, &gc},
	}
}

var verbs = []string{
	"%v", "%+v", "%#v", "%s", "%q", "%#q", "%x", "%X", "% x", "%#x", "%d", "%t", "%f", "%.2f", "%e", "%g",
	"%b", "%o", "%O", "%c", "%U", "%p", "%T", "%10s", "%-12v|", "%08d", "%+q",
}

func TestSecretRedactsEveryVerb(t *testing.T) {
	for name, v := range secretValues() {
		for _, verb := range verbs {
			if out := fmt.Sprintf(verb, v); leaked(out) != "" {
				t.Errorf("%s with %s leaks %q: %s", name, verb, leaked(out), out)
			}
		}
		if out := fmt.Sprint(v) + fmt.Sprintln(v) + fmt.Errorf("wrapped: %v", v).Error(); leaked(out) != "" {
			t.Errorf("%s through Sprint/Sprintln/Errorf leaks: %s", name, out)
		}
	}
}

func TestSecretFormatShape(t *testing.T) {
	s := core.NewSecret(leakZoom)
	for verb, want := range map[string]string{
		"%v": "[REDACTED]", "%s": "[REDACTED]", "%d": "[REDACTED]", "%x": "[REDACTED]", "%t": "[REDACTED]",
		"%q": `"[REDACTED]"`, "%#v": "core.Secret([REDACTED])", "%12s": "  [REDACTED]", "%-12s|": "[REDACTED]  |",
		"%T": "core.Secret",
	} {
		if got := fmt.Sprintf(verb, s); got != want {
			t.Errorf("%s: %q, want %q", verb, got, want)
		}
	}
	if got := fmt.Sprintf("%+v", struct{ Key core.Secret }{s}); got != "{Key:[REDACTED]}" {
		t.Errorf("%%+v of a struct: %q", got)
	}
}

func TestSecretRedactsInLogs(t *testing.T) {
	values := secretValues()
	for _, h := range []struct {
		name string
		new  func(*bytes.Buffer) slog.Handler
	}{
		{"text", func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) }},
		{"json", func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) }},
	} {
		for name, v := range values {
			var buf bytes.Buffer
			log := slog.New(h.new(&buf))
			log.Info("config", "value", v, slog.Any("any", v), slog.Group("g", slog.Any("nested", v)))
			log.With("with", v).Warn("again")
			if strings.Count(buf.String(), "\n") != 2 {
				t.Fatalf("%s handler, %s: not logged: %s", h.name, name, buf.String())
			}
			if l := leaked(buf.String()); l != "" {
				t.Errorf("%s handler, %s leaks %q: %s", h.name, name, l, buf.String())
			}
		}
	}
}

func TestSecretRedactsInEncodings(t *testing.T) {
	s := core.NewSecret(leakZoom)
	for name, v := range secretValues() {
		b, err := json.Marshal(v)
		if err == nil && leaked(string(b)) != "" {
			t.Errorf("json %s leaks: %s", name, b)
		}
		var g bytes.Buffer
		if err := gob.NewEncoder(&g).Encode(v); err == nil && leaked(g.String()) != "" {
			t.Errorf("gob %s leaks", name)
		}
	}
	if b, err := json.Marshal(struct{ S core.Secret }{s}); err != nil || string(b) != `{"S":"[REDACTED]"}` {
		t.Errorf("json: %s %v", b, err)
	}
	type doc struct {
		Attr core.Secret `xml:"key,attr"`
		Elem core.Secret `xml:"secret"`
	}
	if b, err := xml.Marshal(doc{s, s}); err != nil || string(b) != `<doc key="[REDACTED]"><secret>[REDACTED]</secret></doc>` {
		t.Errorf("xml: %s %v", b, err)
	}
	var tm encoding.TextMarshaler = s
	if b, err := tm.MarshalText(); err != nil || string(b) != "[REDACTED]" {
		t.Errorf("MarshalText: %s %v", b, err)
	}
	if err := gob.NewEncoder(&bytes.Buffer{}).Encode(s); err == nil {
		t.Error("gob encoded a Secret")
	}
}

func TestSecretValue(t *testing.T) {
	s := core.NewSecret("hunter2")
	if s.Reveal() != "hunter2" || s.Len() != 7 || s.IsZero() || !s.Equal(core.NewSecret("hunter2")) || s.Equal(core.NewSecret("hunter3")) {
		t.Fatalf("Reveal/Len/IsZero/Equal of %q", s.Reveal())
	}
	var zero core.Secret
	if !zero.IsZero() || zero.Reveal() != "" || zero.Len() != 0 || !zero.Equal(core.NewSecret("")) || !core.NewSecret("").IsZero() {
		t.Fatal("zero Secret")
	}
	copied := s
	if copied.Reveal() != "hunter2" || !copied.Equal(s) {
		t.Fatal("a copy differs")
	}
}
