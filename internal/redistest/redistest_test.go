package redistest

import (
	"net"
	"testing"
	"time"
)

func TestStartAndKill(t *testing.T) {
	s := StartServer(t)
	if !s.ping() {
		t.Fatal("server does not answer PING")
	}
	if err := s.Pause(); err != nil {
		t.Fatal(err)
	}
	if s.ping() {
		t.Fatal("paused server answered PING")
	}
	if err := s.Resume(); err != nil {
		t.Fatal(err)
	}
	if !s.ping() {
		t.Fatal("resumed server does not answer PING")
	}
	s.Kill()
	s.Kill() // idempotent
	if c, err := net.DialTimeout("tcp", s.Addr, time.Second); err == nil {
		c.Close()
		t.Fatal("killed server still accepts connections")
	}
	addr, kill := Start(t)
	if !(&Server{Addr: addr}).ping() {
		t.Fatal("server from Start does not answer PING")
	}
	kill()
}
