// Package storetest is the conformance test of webhook.Store
// implementations: every Store in rtctoken, and a host's own, runs it.
//
//	func TestConformance(t *testing.T) {
//		storetest.Run(t, func(t *testing.T) webhook.Store { return mystore.New(...) })
//	}
package storetest

import (
	"context"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/webhook"
)

// ExpiryTTL is the ttl the expiry test claims with; it then waits three
// times as long.
const ExpiryTTL = 150 * time.Millisecond

// Run runs the conformance tests. open returns a fresh, empty store for
// each subtest (stores sharing a backend must not see each other's keys,
// e.g. through a key prefix of their own).
func Run(t *testing.T, open func(t *testing.T) webhook.Store) {
	t.Run("FirstThenDuplicate", func(t *testing.T) {
		s := open(t)
		claim(t, s, "k", time.Hour, true)
		claim(t, s, "k", time.Hour, false)
		claim(t, s, "k", time.Hour, false)
	})
	t.Run("KeysAreIndependent", func(t *testing.T) {
		s := open(t)
		for _, k := range oddKeys() {
			claim(t, s, k, time.Hour, true)
		}
		for _, k := range oddKeys() {
			claim(t, s, k, time.Hour, false)
		}
	})
	t.Run("ReleaseAllowsClaim", func(t *testing.T) {
		s := open(t)
		claim(t, s, "k", time.Hour, true)
		claim(t, s, "other", time.Hour, true)
		release(t, s, "k")
		claim(t, s, "k", time.Hour, true)
		claim(t, s, "k", time.Hour, false)
		claim(t, s, "other", time.Hour, false)
	})
	t.Run("ReleaseUnknownKey", func(t *testing.T) {
		s := open(t)
		release(t, s, "never-claimed")
		claim(t, s, "never-claimed", time.Hour, true)
	})
	t.Run("Expiry", func(t *testing.T) {
		s := open(t)
		claim(t, s, "short", ExpiryTTL, true)
		claim(t, s, "long", time.Hour, true)
		claim(t, s, "short", ExpiryTTL, false)
		time.Sleep(3 * ExpiryTTL)
		claim(t, s, "short", ExpiryTTL, true)
		claim(t, s, "long", time.Hour, false)
	})
	t.Run("ConcurrentClaimsOfOneKey", func(t *testing.T) {
		s := open(t)
		for round := range 5 {
			key := "race-" + strconv.Itoa(round)
			const n = 32
			var firsts, errs atomic.Int32
			var wg sync.WaitGroup
			start := make(chan struct{})
			for range n {
				wg.Go(func() {
					<-start
					first, err := s.Claim(context.Background(), key, time.Hour)
					if err != nil {
						errs.Add(1)
					}
					if first {
						firsts.Add(1)
					}
				})
			}
			close(start)
			wg.Wait()
			if firsts.Load() != 1 || errs.Load() != 0 {
				t.Fatalf("%d concurrent claims of %q: %d first, %d errors; want exactly 1 first", n, key, firsts.Load(), errs.Load())
			}
		}
	})
	t.Run("ConcurrentDistinctKeys", func(t *testing.T) {
		s := open(t)
		const n = 32
		var firsts atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				first, err := s.Claim(context.Background(), "key-"+strconv.Itoa(i), time.Hour)
				if err == nil && first {
					firsts.Add(1)
				}
			})
		}
		wg.Wait()
		if firsts.Load() != n {
			t.Fatalf("%d distinct keys: %d first", n, firsts.Load())
		}
	})
}

// oddKeys are keys of every shape the receiver may hand a store.
func oddKeys() []string {
	return []string{
		"agora:2000001428:4330:107", "zoom:v0=36bb84", "zego:1796169600:350176",
		"trtc:1|103|\"room-α\"|\"用户_01\"|1796169600005", "with space", "a*b?[c]",
		strings.Repeat("x", 300), "agora:2000001428:4330:10", "AGORA:2000001428:4330:107",
	}
}

func claim(t *testing.T, s webhook.Store, key string, ttl time.Duration, want bool) {
	t.Helper()
	first, err := s.Claim(context.Background(), key, ttl)
	if err != nil {
		t.Fatalf("Claim(%.40q): %v", key, err)
	}
	if first != want {
		t.Fatalf("Claim(%.40q) = %v, want %v", key, first, want)
	}
}

func release(t *testing.T, s webhook.Store, key string) {
	t.Helper()
	if err := s.Release(context.Background(), key); err != nil {
		t.Fatalf("Release(%.40q): %v", key, err)
	}
}
