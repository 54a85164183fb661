// Package readme checks that the Go snippets in README.md compile.
package readme

import (
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/internal/testutil"
)

// snippets returns the ```go blocks of README.md.
func snippets(t *testing.T) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(testutil.Root(), "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	parts := strings.Split(string(b), "```go\n")
	for _, p := range parts[1:] {
		end := strings.Index(p, "```")
		if end < 0 {
			t.Fatal("unterminated go block in README.md")
		}
		out = append(out, p[:end])
	}
	return out
}

// TestReadmeSnippetsCompile builds every Go block of the README as a
// program inside this module and vets it.
func TestReadmeSnippetsCompile(t *testing.T) {
	if testing.Short() {
		t.Skip("builds programs")
	}
	blocks := snippets(t)
	if len(blocks) == 0 {
		t.Fatal("no Go snippets in README.md")
	}
	for i, src := range blocks {
		t.Run("snippet"+strconv.Itoa(i), func(t *testing.T) {
			if !strings.HasPrefix(src, "package ") {
				t.Fatalf("README Go blocks must be complete files:\n%s", src)
			}
			dir, err := os.MkdirTemp(".", "snippet")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { os.RemoveAll(dir) })
			if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			for _, args := range [][]string{{"build", "-o", os.DevNull, "./" + dir}, {"vet", "./" + dir}} {
				cmd := exec.Command("go", args...)
				if out, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("go %s: %v\n%s\n%s", args[0], err, out, src)
				}
			}
		})
	}
}
