package loadtest

import (
	"context"
	"testing"
	"time"
)

// TestLoadHarness runs a small, bounded load on loopback against every
// adapter and its bare handler and checks there were no errors and that
// every target was measured. Throughput is reported, not asserted: the
// figures come from `go run ./internal/cmd/loadtest`.
func TestLoadHarness(t *testing.T) {
	rs, err := Run(context.Background(), Config{Requests: 600, Concurrency: 8, MaxDuration: 20 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if len(rs) != 2*len(Frameworks) {
		t.Fatalf("%d results", len(rs))
	}
	for _, r := range rs {
		t.Log(r)
		if r.Errors != 0 || r.Requests != 600 || r.RPS <= 0 || r.P99 < r.P50 {
			t.Errorf("%s/%s: %+v", r.Framework, r.Target, r)
		}
	}
	// The bare body is as large as the credential body.
	for i := 0; i < len(rs); i += 2 {
		if rs[i].BodyBytes != rs[i+1].BodyBytes {
			t.Errorf("%s: token body %d B, bare body %d B", rs[i].Framework, rs[i].BodyBytes, rs[i+1].BodyBytes)
		}
	}
}
