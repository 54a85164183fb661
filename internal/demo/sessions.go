package demo

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"sync"
	"time"
)

// SessionStore keeps signed-in sessions for Login, Logout and Authenticate.
// The examples use MemorySessions, except the fiber one, which keeps its
// sessions with fiber's session middleware; a real application would use its framework's session library (scs for
// net/http, gin-contrib/sessions, fiber's session middleware) or a shared
// store such as Redis, behind the same three verbs.
type SessionStore interface {
	// Create opens a session for u.
	Create(ctx context.Context, u User) (Session, error)
	// Get returns the user of a live session, or ErrNoSession.
	Get(ctx context.Context, id string) (User, error)
	// Delete ends a session. Ending an unknown session is not an error.
	Delete(ctx context.Context, id string) error
}

// Session is an open session.
type Session struct {
	// ID is 32 random bytes in hexadecimal: the session cookie's value.
	ID      string
	User    User
	Expires time.Time
}

// ErrNoSession reports an unknown or expired session.
var ErrNoSession = errors.New("demo: no such session")

// ErrTooManySessions reports a full MemorySessions.
var ErrTooManySessions = errors.New("demo: too many sessions")

// MemorySessions is an in-memory SessionStore: sessions last a fixed TTL
// and vanish when the process exits. It is safe for concurrent use.
type MemorySessions struct {
	ttl  time.Duration
	max  int
	now  func() time.Time
	rand io.Reader

	mu        sync.Mutex
	m         map[string]Session
	lastSweep time.Time
}

// DefaultMaxSessions bounds a MemorySessions.
const DefaultMaxSessions = 100_000

// NewMemorySessions returns a store whose sessions last ttl.
func NewMemorySessions(ttl time.Duration) *MemorySessions {
	return &MemorySessions{ttl: ttl, max: DefaultMaxSessions, now: time.Now, rand: rand.Reader, m: map[string]Session{}}
}

// Create implements SessionStore.
func (s *MemorySessions) Create(_ context.Context, u User) (Session, error) {
	b := make([]byte, 32)
	if _, err := io.ReadFull(s.rand, b); err != nil {
		return Session{}, err
	}
	now := s.now()
	sess := Session{ID: hex.EncodeToString(b), User: u, Expires: now.Add(s.ttl)}
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastSweep) > time.Minute || len(s.m) >= s.max {
		s.sweep(now)
	}
	if len(s.m) >= s.max {
		return Session{}, ErrTooManySessions
	}
	s.m[sess.ID] = sess
	return sess, nil
}

// sweep drops expired sessions; s.mu is held.
func (s *MemorySessions) sweep(now time.Time) {
	for id, sess := range s.m {
		if !now.Before(sess.Expires) {
			delete(s.m, id)
		}
	}
	s.lastSweep = now
}

// Get implements SessionStore.
func (s *MemorySessions) Get(_ context.Context, id string) (User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.m[id]
	if !ok {
		return User{}, ErrNoSession
	}
	if !s.now().Before(sess.Expires) {
		delete(s.m, id)
		return User{}, ErrNoSession
	}
	return sess.User, nil
}

// Delete implements SessionStore.
func (s *MemorySessions) Delete(_ context.Context, id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
	return nil
}
