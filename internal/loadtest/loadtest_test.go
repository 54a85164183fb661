package loadtest

import (
	"context"
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
	rs, err := Run(context.Background(), Config{Requests: n, Concurrency: 4, MaxDuration: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2*len(Frameworks)*len(targets) {
		t.Fatalf("%d results for %d frameworks and %d kinds", len(rs), len(Frameworks), len(targets))
	}
	for _, r := range rs {
		t.Log(r)
		if r.Errors != 0 || r.Requests != n || r.RPS <= 0 || r.P99 < r.P50 {
			t.Errorf("%s %s/%s: %+v", r.Framework, r.Endpoint, r.Target, r)
		}
	}
	for i := 0; i < len(rs); i += 2 {
		if d := rs[i].BodyBytes - rs[i+1].BodyBytes; d*20 > rs[i].BodyBytes || -d*20 > rs[i].BodyBytes || rs[i].Endpoint != rs[i+1].Endpoint {
			t.Errorf("%s %s: token body %d B, bare body %d B", rs[i].Framework, rs[i].Endpoint, rs[i].BodyBytes, rs[i+1].BodyBytes)
		}
	}
}
