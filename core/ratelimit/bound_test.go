package ratelimit_test

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/ratelimit"
)

// heapBound is the stated bound on the live heap of a Memory limiter at
// its default cap of 1,000,000 keys: about 120 bytes a key plus slack.
const heapBound = 192 << 20

// TestMemoryBound inserts twice the cap of distinct keys, each of which
// spends a token (so none is idle), and checks that the number of keys never
// exceeds the cap and that the live heap stays under heapBound. Under the
// race detector, which makes each insert some 30 times slower, the cap, the
// keys and the bound are scaled down tenfold.
func TestMemoryBound(t *testing.T) {
	if testing.Short() {
		t.Skip("inserts 2,000,000 keys")
	}
	maxKeys, bound := ratelimit.DefaultMaxKeys, int64(heapBound)
	if raceEnabled {
		maxKeys, bound = maxKeys/10, bound/10
	}
	var before runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	c := newClock()
	m := newMemory(t, c, ratelimit.WithMaxKeys(maxKeys))
	n := 2 * maxKeys
	buf := make([]byte, 0, 32)
	for i := range n {
		// Long user ids: the cost per key must not depend on their length.
		buf = strconv.AppendInt(append(buf[:0], "user-with-a-long-identifier-"...), int64(i), 10)
		if err := m.Allow(context.Background(), user(string(buf), "agora", "rtc")); err != nil {
			t.Fatalf("key %d: %v", i, err)
		}
		if i%(maxKeys/10) == 0 {
			c.Add(time.Millisecond)
			if got := m.Len(); got > maxKeys {
				t.Fatalf("after %d keys: Len %d over the cap", i+1, got)
			}
		}
	}
	got := m.Len()
	if got > maxKeys || got < maxKeys*9/10 {
		t.Fatalf("Len %d, want at most and close to the cap %d", got, maxKeys)
	}
	var after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&after)
	heap := int64(after.HeapAlloc) - int64(before.HeapAlloc)
	t.Logf("%d keys tracked, live heap %.1f MiB (%d bytes a key)", got, float64(heap)/(1<<20), heap/int64(got))
	if heap > bound {
		t.Fatalf("live heap %d bytes, over the bound of %d", heap, bound)
	}
	runtime.KeepAlive(m)
}
