// Package redisdedupe is a webhook.Store on Redis, shared by every replica
// of a receiver: Claim is SET key 1 NX PX ttl, Release is DEL key.
//
//	client := redis.NewClient(&redis.Options{Addr: "127.0.0.1:6379"})
//	rc, err := webhook.New(webhook.Config{Scheme: scheme, Store: redisdedupe.New(client, "")})
//
// A Claim that fails (Redis down, a timeout) returns the error, never
// "first": the receiver then answers 503 and the vendor retries.
package redisdedupe

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rtctoken/rtctoken/core/webhook"
)

// DefaultPrefix prefixes every key when New is given none.
const DefaultPrefix = "rtctoken:webhook:"

// Store is a webhook.Store on Redis. It is safe for concurrent use.
type Store struct {
	client redis.UniversalClient
	prefix string
}

var _ webhook.Store = (*Store)(nil)

// New returns a Store on client whose keys start with prefix
// (DefaultPrefix when empty). The client's timeouts bound each call.
func New(client redis.UniversalClient, prefix string) *Store {
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Store{client: client, prefix: prefix}
}

// Claim implements webhook.Store with SET key 1 NX PX ttl (at least 1 ms).
func (s *Store) Claim(ctx context.Context, key string, ttl time.Duration) (bool, error) {
	ms := ttl.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	err := s.client.Do(ctx, "set", s.prefix+key, "1", "px", ms, "nx").Err()
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, redis.Nil):
		return false, nil
	}
	return false, fmt.Errorf("redisdedupe: claim: %w", err)
}

// Release implements webhook.Store with DEL key.
func (s *Store) Release(ctx context.Context, key string) error {
	if err := s.client.Del(ctx, s.prefix+key).Err(); err != nil {
		return fmt.Errorf("redisdedupe: release: %w", err)
	}
	return nil
}
