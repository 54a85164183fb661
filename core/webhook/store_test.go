package webhook_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/storetest"
)

func TestMemoryStoreConformance(t *testing.T) {
	storetest.Run(t, func(*testing.T) webhook.Store { return webhook.NewMemoryStore(1000) })
}

func TestMemoryStoreBound(t *testing.T) {
	s := webhook.NewMemoryStore(3)
	ctx := context.Background()
	for i := range 5 {
		if first, _ := s.Claim(ctx, strconv.Itoa(i), time.Hour); !first {
			t.Fatalf("key %d not first", i)
		}
	}
	if s.Len() != 3 {
		t.Fatalf("Len %d, want the bound 3", s.Len())
	}
	// The newest three are remembered (a duplicate claim adds nothing);
	// the oldest two were forgotten, and claiming one evicts the oldest.
	for _, c := range []struct {
		key   int
		first bool
	}{{4, false}, {3, false}, {2, false}, {0, true}, {2, true}, {4, false}} {
		if first, _ := s.Claim(ctx, strconv.Itoa(c.key), time.Hour); first != c.first {
			t.Errorf("key %d: first %v, want %v", c.key, first, c.first)
		}
	}
	if webhook.NewMemoryStore(0) == nil {
		t.Fatal("NewMemoryStore(0)")
	}
}

func TestMemoryStoreClock(t *testing.T) {
	now := t0
	s := webhook.NewMemoryStore(10)
	s.SetClock(func() time.Time { return now })
	ctx := context.Background()
	s.Claim(ctx, "a", time.Minute)
	s.Claim(ctx, "b", 2*time.Minute)
	now = now.Add(time.Minute - time.Nanosecond)
	if first, _ := s.Claim(ctx, "a", time.Minute); first {
		t.Error("a expired early")
	}
	now = now.Add(time.Nanosecond)
	if first, _ := s.Claim(ctx, "a", time.Minute); !first {
		t.Error("a did not expire at its ttl")
	}
	if first, _ := s.Claim(ctx, "b", time.Minute); first {
		t.Error("b expired early")
	}
	now = now.Add(time.Hour)
	s.Claim(ctx, "c", time.Minute)
	if s.Len() != 1 {
		t.Errorf("expired keys kept: Len %d", s.Len())
	}
	s.SetClock(nil)
	if first, _ := s.Claim(ctx, "d", time.Minute); !first {
		t.Error("real clock")
	}
}
