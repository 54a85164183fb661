package webhook_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"testing"
)

// BenchmarkVerify measures each scheme's Verify on a typical callback;
// BenchmarkHMACReference is one bare HMAC-SHA256 over the same bodies, the
// floor of any scheme that signs the body.
func BenchmarkVerify(b *testing.B) {
	for _, sd := range senders {
		b.Run(sd.vendor, func(b *testing.B) {
			s := sd.must(b, "primarySecret1", "secondarySecret2", 0)
			r, body := sd.sign("primarySecret1", t0, "m")
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Verify(r, body, t0); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	// A large body: Agora's cloud recording upload vector (about 14 KiB).
	for _, v := range vectors(b, "agora") {
		if v.ID != "agora/large_cloud_recording_31" {
			continue
		}
		b.Run("agora-14KiB", func(b *testing.B) {
			s, err := schemeFor["agora"](&v)
			if err != nil {
				b.Fatal(err)
			}
			body := v.body(b)
			r := v.request()
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Verify(r, body, v.now()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkHMACReference(b *testing.B) {
	bodies := map[string][]byte{}
	for _, sd := range senders {
		_, bodies[sd.vendor] = sd.sign("primarySecret1", t0, "m")
	}
	for _, v := range vectors(b, "agora") {
		if v.ID == "agora/large_cloud_recording_31" {
			bodies["agora-14KiB"] = v.body(b)
		}
	}
	for _, name := range []string{"agora", "tencent_chat", "trtc", "zoom", "zego", "livekit", "agora-14KiB"} {
		body := bodies[name]
		b.Run(name, func(b *testing.B) {
			key := []byte("primarySecret1")
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				m := hmac.New(sha256.New, key)
				m.Write(body)
				if len(m.Sum(nil)) != sha256.Size {
					b.Fatal("short")
				}
			}
		})
	}
}

// BenchmarkServe measures a whole Agora callback through Receiver.Serve:
// reading, verifying, claiming its key in the MemoryStore, dispatching.
func BenchmarkServe(b *testing.B) {
	f := newFixture(b, nil)
	r, body := f.sd.sign("primarySecret1", t0, "m")
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if resp := f.rc.Serve(r, bytes.NewReader(body)); resp.Status != 200 {
			b.Fatal(resp.Status)
		}
		_ = f.store.Release(ctx, "agora:n-m")
	}
	if f.calls < b.N {
		b.Fatalf("dispatched %d of %d", f.calls, b.N)
	}
}
