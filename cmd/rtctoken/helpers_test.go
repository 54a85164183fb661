package main

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
)

// t0 is the pinned clock of the tests.
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// env is a test environment.
type env map[string]string

func (e env) lookup(k string) (string, bool) {
	v, ok := e[k]
	return v, ok
}

// with returns a copy of e with the given name/value pairs set; an empty
// value removes the variable.
func (e env) with(kv ...string) env {
	out := maps.Clone(e)
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

// Keys of the test applications.
const (
	tencentAppID  = "1400000001"
	tencentKey    = "tencent-test-key-0123456789abcdef"
	agoraAppID    = "0123456789abcdef0123456789abcdef"
	agoraCert     = "a1b2c3d4e5f60718293a4b5c6d7e8f90"
	agoraCert2    = "9f8e7d6c5b4a39281706f5e4d3c2b1a0"
	zoomKey       = "zoomTestSdkKey01"
	zoomSecret    = "zoomTestSdkSecret0123456789abcdef"
	zegoAppID     = "1234567890"
	zegoSecret    = "zegoServerSecret0123456789ABCDEF"
	otherSecret32 = "OtherSecretOtherSecretOtherSecre"
)

// vendorEnv configures all four providers.
var vendorEnv = env{
	"RTCTOKEN_TENCENT_SDKAPPID":      tencentAppID,
	"RTCTOKEN_TENCENT_KEY":           tencentKey,
	"RTCTOKEN_AGORA_APP_ID":          agoraAppID,
	"RTCTOKEN_AGORA_APP_CERTIFICATE": agoraCert,
	"RTCTOKEN_ZOOM_SDK_KEY":          zoomKey,
	"RTCTOKEN_ZOOM_SDK_SECRET":       zoomSecret,
	"RTCTOKEN_ZEGO_APP_ID":           zegoAppID,
	"RTCTOKEN_ZEGO_SERVER_SECRET":    zegoSecret,
}

// allSecrets are the secret values no output may contain.
var allSecrets = []string{tencentKey, agoraCert, agoraCert2, zoomSecret, zegoSecret, otherSecret32}

// newTestCLI returns a cli over e and stdin with the clock at now.
func newTestCLI(e env, stdin string, now time.Time) (*cli, *bytes.Buffer, *bytes.Buffer) {
	var out, errb bytes.Buffer
	return &cli{
		env: e.lookup, stdin: strings.NewReader(stdin), stdout: &out, stderr: &errb,
		now: func() time.Time { return now }, loc: time.FixedZone("CET", 3600),
		listen: net.Listen, shutdownTimeout: 5 * time.Second,
	}, &out, &errb
}

// runAt runs one command line at time now and returns the exit code and
// outputs, failing the test if an output contains a secret.
func runAt(t *testing.T, e env, now time.Time, stdin string, args ...string) (int, string, string) {
	t.Helper()
	c, out, errb := newTestCLI(e, stdin, now)
	code := c.run(context.Background(), args)
	for _, s := range allSecrets {
		if strings.Contains(out.String(), s) || strings.Contains(errb.String(), s) {
			t.Fatalf("%v: output contains a secret:\n%s\n%s", args, out, errb)
		}
	}
	return code, out.String(), errb.String()
}

// issue mints a credential at now and returns it.
func issue(t *testing.T, e env, now time.Time, args ...string) *core.Credential {
	t.Helper()
	code, out, errOut := runAt(t, e, now, "", append([]string{"issue"}, args...)...)
	if code != exitOK {
		t.Fatalf("issue %v: exit %d: %s", args, code, errOut)
	}
	var cred core.Credential
	if err := json.Unmarshal([]byte(out), &cred); err != nil {
		t.Fatalf("issue output is not a credential: %v\n%s", err, out)
	}
	return &cred
}

// provider builds the named provider from e, as the library would.
func provider(t *testing.T, e env, name string) core.Provider {
	t.Helper()
	cfg, err := config.Load(e.lookup)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := cfg.Providers()
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range ps {
		if p.Name() == name {
			return p
		}
	}
	t.Fatalf("provider %s not configured", name)
	return nil
}

// inspectReport runs inspect --json at now and decodes the report.
func inspectReport(t *testing.T, e env, now time.Time, stdin string, args ...string) (int, *report) {
	t.Helper()
	code, out, errOut := runAt(t, e, now, stdin, append([]string{"inspect", "--json"}, args...)...)
	var r report
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("inspect %v: exit %d, output is not a report: %v\n%s%s", args, code, err, out, errOut)
	}
	if r.ExitCode != code {
		t.Fatalf("report says exit %d, process exits %d", r.ExitCode, code)
	}
	return code, &r
}

// checkOf returns the named check of r.
func checkOf(r *report, name string) check {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return check{}
}
