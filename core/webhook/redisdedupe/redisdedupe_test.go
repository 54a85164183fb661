package redisdedupe_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/core/webhook/redisdedupe"
	"github.com/rtctoken/rtctoken/core/webhook/storetest"
	"github.com/rtctoken/rtctoken/internal/redistest"
)

func newClient(t *testing.T, addr string) *redis.Client {
	t.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr, DialTimeout: time.Second, ReadTimeout: time.Second, WriteTimeout: time.Second, MaxRetries: -1})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestConformance(t *testing.T) {
	addr, _ := redistest.Start(t)
	client := newClient(t, addr)
	var n atomic.Int64
	storetest.Run(t, func(*testing.T) webhook.Store {
		return redisdedupe.New(client, "test"+strconv.FormatInt(n.Add(1), 10)+":")
	})
}

// TestCommands checks what reaches Redis: the prefixed key, with a PX
// ttl, and its removal.
func TestCommands(t *testing.T) {
	addr, _ := redistest.Start(t)
	client := newClient(t, addr)
	ctx := context.Background()
	s := redisdedupe.New(client, "")
	if first, err := s.Claim(ctx, "agora:n1", 1500*time.Millisecond); !first || err != nil {
		t.Fatalf("Claim: %v %v", first, err)
	}
	pttl, err := client.PTTL(ctx, redisdedupe.DefaultPrefix+"agora:n1").Result()
	if err != nil || pttl <= time.Second || pttl > 1500*time.Millisecond {
		t.Errorf("PTTL %v %v, want about 1.5 s (PX)", pttl, err)
	}
	if n, _ := client.Exists(ctx, "agora:n1").Result(); n != 0 {
		t.Error("the key is stored without its prefix")
	}
	if err := s.Release(ctx, "agora:n1"); err != nil {
		t.Fatal(err)
	}
	if n, _ := client.Exists(ctx, redisdedupe.DefaultPrefix+"agora:n1").Result(); n != 0 {
		t.Error("Release left the key")
	}
	// A ttl under a millisecond still expires (1 ms), never lives forever.
	if first, err := s.Claim(ctx, "tiny", time.Microsecond); !first || err != nil {
		t.Fatalf("Claim tiny: %v %v", first, err)
	}
	time.Sleep(20 * time.Millisecond)
	if first, _ := s.Claim(ctx, "tiny", time.Hour); !first {
		t.Error("a sub-millisecond ttl did not expire")
	}
}

// TestRedisDown checks that a failed Claim is an error and never "first".
func TestRedisDown(t *testing.T) {
	addr, kill := redistest.Start(t)
	client := newClient(t, addr)
	s := redisdedupe.New(client, "")
	kill()
	first, err := s.Claim(context.Background(), "k", time.Hour)
	if err == nil || first {
		t.Fatalf("Claim on a dead Redis: %v %v, want an error and not first", first, err)
	}
	if err := s.Release(context.Background(), "k"); err == nil {
		t.Fatal("Release on a dead Redis: no error")
	}
}

// request is a minimal webhook.Request.
type request struct{ h http.Header }

func (r request) Context() context.Context          { return context.Background() }
func (r request) Method() string                    { return http.MethodPost }
func (r request) Header(name string) string         { return r.h.Get(name) }
func (r request) HeaderValues(name string) []string { return r.h.Values(name) }
func (r request) RemoteAddr() string                { return "192.0.2.1:1" }
func (r request) Cookie(string) (string, bool)      { return "", false }
func (r request) Value(any) any                     { return nil }
func (r request) RawQuery() string                  { return "" }

// TestReplicas delivers one Agora callback to two receivers sharing a
// Redis: it is dispatched once. With Redis down the receiver answers 503,
// so that Agora retries.
func TestReplicas(t *testing.T) {
	addr, kill := redistest.Start(t)
	client := newClient(t, addr)
	scheme, err := webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret("s3cret")})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1796169600, 0)
	var calls atomic.Int32
	replica := func() *webhook.Receiver {
		rc, err := webhook.New(webhook.Config{
			Scheme: scheme, Store: redisdedupe.New(client, "replicas:"), Now: func() time.Time { return now },
			Logger:  slog.New(slog.DiscardHandler),
			Default: webhook.HandlerFunc(func(context.Context, webhook.Event) error { calls.Add(1); return nil }),
		})
		if err != nil {
			t.Fatal(err)
		}
		return rc
	}
	a, b := replica(), replica()
	body := fmt.Appendf(nil, `{"noticeId":"n-1","productId":1,"eventType":103,"notifyMs":%d,"payload":{}}`, now.UnixMilli())
	m := hmac.New(sha256.New, []byte("s3cret"))
	m.Write(body)
	r := request{http.Header{"Agora-Signature-V2": {hex.EncodeToString(m.Sum(nil))}}}
	for _, rc := range []*webhook.Receiver{a, b, a} {
		if resp := rc.Serve(r, bytes.NewReader(body)); resp.Status != http.StatusOK {
			t.Fatalf("status %d %s", resp.Status, resp.Body)
		}
	}
	if calls.Load() != 1 {
		t.Fatalf("dispatched %d times across two replicas, want 1", calls.Load())
	}
	kill()
	if resp := b.Serve(r, bytes.NewReader(body)); resp.Status != http.StatusServiceUnavailable {
		t.Fatalf("Redis down: status %d %s, want 503", resp.Status, resp.Body)
	}
}
