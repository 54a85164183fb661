package loadtest

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestLoadHarness runs a small, bounded load on loopback against every
// kind on every adapter and its bare handler, and checks there were no
// errors, that every target was measured and that each bare body is as
// large as its credential body (within 5%: a token's length varies with its
// random salt or nonce). Throughput is reported, not asserted: the
// figures come from `go run ./internal/cmd/loadtest`.
func TestLoadHarness(t *testing.T) {
	api, err := NewAPI(nil)
	if err != nil {
		t.Fatal(err)
	}
	targets := Targets(api.Service())
	if len(targets) < 9 {
		t.Fatalf("%d targets: want every kind of the four vendors at least", len(targets))
	}
	const n = 200
	rs, err := Run(context.Background(), Config{Requests: n, Concurrency: 4, MaxDuration: 20 * time.Second, Rounds: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2*len(Frameworks)*len(targets) {
		t.Fatalf("%d results for %d frameworks and %d kinds", len(rs), len(Frameworks), len(targets))
	}
	for _, r := range rs {
		t.Log(r)
		if r.Errors != 0 || r.Requests != n || r.RPS <= 0 || r.P99 < r.P50 || (r.Target == "token") != (r.PairRatio > 0) {
			t.Errorf("%s %s/%s: %+v", r.Framework, r.Endpoint, r.Target, r)
		}
	}
	for i := 0; i < len(rs); i += 2 {
		if d := rs[i].BodyBytes - rs[i+1].BodyBytes; d*20 > rs[i].BodyBytes || -d*20 > rs[i].BodyBytes || rs[i].Endpoint != rs[i+1].Endpoint {
			t.Errorf("%s %s: token body %d B, bare body %d B", rs[i].Framework, rs[i].Endpoint, rs[i].BodyBytes, rs[i+1].BodyBytes)
		}
	}
}

// Ratio prefers the median of the rounds' ratios, and falls back to the
// ratio of the kept rounds.
func TestRatio(t *testing.T) {
	rs := []Result{
		{Framework: "gin", Endpoint: "a/b", Target: "token", RPS: 800, PairRatio: 0.9},
		{Framework: "gin", Endpoint: "a/b", Target: "bare", RPS: 1000},
		{Framework: "fiber", Endpoint: "a/b", Target: "token", RPS: 600},
		{Framework: "fiber", Endpoint: "a/b", Target: "bare", RPS: 1000},
		{Framework: "nethttp", Endpoint: "a/b", Target: "bare"},
	}
	got := Ratio(rs)
	if len(got) != 2 || got["gin a/b"] != 0.9 || got["fiber a/b"] != 0.6 {
		t.Fatalf("Ratio = %v", got)
	}
}

// TestMain doubles as the bare JWT verifier process of TestServeHarness.
func TestMain(m *testing.M) {
	if os.Getenv("LOADTEST_RUN_BARE") == "1" {
		ln, err := listen()
		if err != nil {
			os.Exit(1)
		}
		fmt.Println("listening", ln.Addr())
		_ = BareJWT(ln)
		os.Exit(1)
	}
	os.Exit(m.Run())
}

// TestServeHarness builds rtctoken, runs a small load against rtctoken
// serve signed in with a bearer JWT and against the bare verifier, each a
// process of its own, and checks that both answered every request with
// bodies of one size.
func TestServeHarness(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cmd/rtctoken")
	}
	bin := filepath.Join(t.TempDir(), "rtctoken")
	build := exec.Command("go", "build", "-o", bin, "github.com/rtctoken/rtctoken/cmd/rtctoken")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("LOADTEST_RUN_BARE", "")
	const n = 300
	serve, bare, err := RunServe(t.Context(), ServeConfig{
		Config: Config{Requests: n, Concurrency: 4, MaxDuration: 20 * time.Second},
		Serve:  []string{bin, "serve"},
		Bare:   []string{"env", "LOADTEST_RUN_BARE=1", self},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []Result{serve, bare} {
		t.Log(r)
		if r.Errors != 0 || r.Requests != n || r.RPS <= 0 {
			t.Errorf("%s: %+v", r.Target, r)
		}
	}
	if serve.PairRatio <= 0 || bare.PairRatio != 0 {
		t.Errorf("pair ratios: serve %v, bare %v", serve.PairRatio, bare.PairRatio)
	}
	if serve.BodyBytes != bare.BodyBytes || serve.BodyBytes < 200 {
		t.Errorf("serve body %d B, bare body %d B", serve.BodyBytes, bare.BodyBytes)
	}
}
