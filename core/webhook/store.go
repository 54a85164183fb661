package webhook

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// DefaultStoreSize is the number of keys the default MemoryStore keeps.
const DefaultStoreSize = 100_000

// Store remembers dedupe keys across deliveries. Implementations must be
// safe for concurrent use; for several replicas of a receiver, use a shared
// store (core/webhook/redisdedupe).
type Store interface {
	// Claim records key for ttl and reports whether this call was the
	// first (false: a duplicate). Of concurrent calls with one key,
	// exactly one is first.
	Claim(ctx context.Context, key string, ttl time.Duration) (first bool, err error)
	// Release forgets key, after a handler failed, so the vendor's retry
	// is dispatched again.
	Release(ctx context.Context, key string) error
}

// MemoryStore is a Store in process memory, bounded in size: when full it
// forgets the oldest key first, so a duplicate of a callback older than
// the last max claims is dispatched again. Keys expire after their ttl.
type MemoryStore struct {
	mu    sync.Mutex
	max   int
	now   func() time.Time
	keys  map[string]*list.Element
	order *list.List // of *memEntry, oldest claim first
}

type memEntry struct {
	key     string
	expires time.Time
}

var _ Store = (*MemoryStore)(nil)

// NewMemoryStore returns a MemoryStore that keeps at most max keys
// (DefaultStoreSize when max <= 0), on the clock time.Now.
func NewMemoryStore(max int) *MemoryStore {
	if max <= 0 {
		max = DefaultStoreSize
	}
	return &MemoryStore{max: max, now: time.Now, keys: map[string]*list.Element{}, order: list.New()}
}

// SetClock replaces the store's clock (for tests); nil restores time.Now.
func (s *MemoryStore) SetClock(now func() time.Time) {
	if now == nil {
		now = time.Now
	}
	s.mu.Lock()
	s.now = now
	s.mu.Unlock()
}

// Len returns the number of keys held, expired ones not yet dropped
// included.
func (s *MemoryStore) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.keys)
}

// Claim implements Store.
func (s *MemoryStore) Claim(_ context.Context, key string, ttl time.Duration) (bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	// Drop expired keys from the old end; with one ttl for all keys the
	// oldest claims expire first.
	for e := s.order.Front(); e != nil; e = s.order.Front() {
		m := e.Value.(*memEntry)
		if now.Before(m.expires) {
			break
		}
		s.remove(e)
	}
	if e, ok := s.keys[key]; ok {
		if now.Before(e.Value.(*memEntry).expires) {
			return false, nil
		}
		s.remove(e)
	}
	for len(s.keys) >= s.max {
		s.remove(s.order.Front())
	}
	s.keys[key] = s.order.PushBack(&memEntry{key: key, expires: now.Add(ttl)})
	return true, nil
}

// Release implements Store.
func (s *MemoryStore) Release(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if e, ok := s.keys[key]; ok {
		s.remove(e)
	}
	return nil
}

func (s *MemoryStore) remove(e *list.Element) {
	delete(s.keys, e.Value.(*memEntry).key)
	s.order.Remove(e)
}
