package token04

import (
	"crypto/rand"
	"sync"
	"testing"
)

// BenchmarkScratchPool is a room Token04 issued with the pooled scratch
// buffers, against fresh buffers for every token.
func BenchmarkScratchPool(b *testing.B) {
	k, err := NewKey([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		b.Fatal(err)
	}
	p := Params{AppID: 1234567890, UserID: "alice", CTime: 1700000000, Effective: 3600}
	priv := &RoomPrivilege{RoomID: "lobby", Login: true, Publish: true}
	for _, pooled := range []bool{true, false} {
		b.Run(map[bool]string{true: "pooled", false: "fresh"}[pooled], func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if !pooled {
					scratchPool = sync.Pool{New: scratchPool.New}
				}
				if _, err := k.Issue(rand.Reader, p, priv, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
