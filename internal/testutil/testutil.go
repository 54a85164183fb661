// Package testutil holds helpers shared by the project's tests: loading the
// known-answer vectors from testdata/ and running the independent verifier.
package testutil

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"
)

// Root returns the module root directory.
func Root() string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(filepath.Dir(file), "..", "..")
}

// LoadVectors decodes testdata/vectors/<name> into v.
func LoadVectors(t testing.TB, name string, v any) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(Root(), "testdata", "vectors", name))
	if err != nil {
		t.Fatalf("read vectors: %v", err)
	}
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", name, err)
	}
}

// VerifyEnv names the environment variable holding the path of the
// independent verifier binary. Tests that need it are skipped without it.
const VerifyEnv = "RTCTOKEN_VERIFY"

// VerifyResult is the JSON the independent verifier prints.
type VerifyResult struct {
	Format   string         `json:"format"`
	Valid    bool           `json:"valid"`
	Error    string         `json:"error"`
	Claims   map[string]any `json:"claims"`
	Warnings []string       `json:"warnings"`
	Checks   []struct {
		Name   string `json:"name"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	} `json:"checks"`
	// Exit is the process exit status.
	Exit int `json:"-"`
	// Raw is the verifier's stdout.
	Raw string `json:"-"`
}

// Verifier returns the independent verifier's path, skipping the test when
// it is not configured.
func Verifier(t testing.TB) string {
	t.Helper()
	bin := os.Getenv(VerifyEnv)
	if bin == "" {
		t.Skipf("%s not set: independent verifier not available", VerifyEnv)
	}
	return bin
}

// RunVerifier runs the independent verifier with args (the last one being
// the token, or "-" with stdin) and decodes its output.
func RunVerifier(t testing.TB, args ...string) VerifyResult {
	t.Helper()
	bin := Verifier(t)
	cmd := exec.Command(bin, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	done := make(chan error, 1)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start verifier: %v", err)
	}
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		_ = cmd.Process.Kill()
		t.Fatalf("verifier timed out")
	}
	res := VerifyResult{Raw: out.String()}
	if ee, ok := err.(*exec.ExitError); ok {
		res.Exit = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("run verifier: %v", err)
	}
	if args[0] != "detect" {
		if jerr := json.Unmarshal(out.Bytes(), &res); jerr != nil {
			t.Fatalf("verifier output is not JSON (%v): %s %s", jerr, out.String(), errb.String())
		}
	}
	return res
}

// SyncBuffer is a bytes.Buffer that servers' goroutines can write to, for
// capturing logs in tests.
type SyncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

// Write implements io.Writer.
func (s *SyncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

// String returns what was written so far.
func (s *SyncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
