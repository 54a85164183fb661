package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestBinaryExitCodes builds the command once and checks the exit code
// contract of inspect through a real process.
func TestBinaryExitCodes(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	bin := filepath.Join(t.TempDir(), "rtctoken")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	exitCode := func(stdin string, args ...string) (int, string) {
		cmd := exec.Command(bin, args...)
		cmd.Env = []string{"PATH=" + os.Getenv("PATH")}
		cmd.Stdin = strings.NewReader(stdin)
		out, err := cmd.Output()
		var ee *exec.ExitError
		switch {
		case err == nil:
			return 0, string(out)
		case errors.As(err, &ee):
			return ee.ExitCode(), string(out)
		}
		t.Fatal(err)
		return -1, ""
	}
	if code, out := exitCode("", "inspect", "not-a-token"); code != exitUsage || !strings.Contains(out, "result: malformed (exit 2)") {
		t.Fatalf("malformed token: exit %d\n%s", code, out)
	}
	if code, _ := exitCode("007garbage\n", "inspect", "--json", "-"); code != exitUsage {
		t.Fatalf("malformed token on stdin: exit %d", code)
	}
	if code, _ := exitCode("", "serve"); code != exitConfig {
		t.Fatalf("serve without configuration: exit %d", code)
	}
	if code, out := exitCode("", "help"); code != exitOK || !strings.Contains(out, "Exit codes:") {
		t.Fatalf("help: exit %d", code)
	}
}
