// Package redistest starts a real, throwaway redis-server for tests: on a
// free loopback port, without persistence, in a temporary directory, and
// killed when the test ends. Tests are skipped when no redis-server binary
// is installed.
package redistest

import (
	"bufio"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Server is a running redis-server.
type Server struct {
	// Addr is the server's host:port on 127.0.0.1.
	Addr string

	cmd  *exec.Cmd
	done chan struct{}
	once sync.Once
}

// Start starts a redis-server and returns its address and a function that
// kills it (SIGKILL) and waits for it to exit; the server is also killed
// when the test ends. It skips the test when redis-server is not installed.
func Start(t testing.TB) (addr string, kill func()) {
	t.Helper()
	s := StartServer(t)
	return s.Addr, s.Kill
}

// StartServer is Start returning the Server, which can also be paused.
func StartServer(t testing.TB) *Server {
	t.Helper()
	bin := binary()
	if bin == "" {
		if os.Getenv("RTCTOKEN_REQUIRE_REDIS") != "" {
			t.Fatal("redis-server not found, and RTCTOKEN_REQUIRE_REDIS is set")
		}
		t.Skip("redis-server not found at /usr/bin/redis-server or on PATH; skipping a test that needs a real Redis")
	}
	dir := t.TempDir()
	var lastLog string
	for attempt := range 5 {
		logPath := filepath.Join(dir, "redis-"+strconv.Itoa(attempt)+".log")
		s, err := launch(bin, dir, logPath)
		if err != nil {
			t.Fatalf("redistest: starting %s: %v", bin, err)
		}
		if s.ready(5 * time.Second) {
			t.Cleanup(s.Kill)
			return s
		}
		s.Kill()
		b, _ := os.ReadFile(logPath)
		lastLog = string(b)
		if !strings.Contains(lastLog, "in use") { // anything but a lost port race is fatal
			break
		}
	}
	t.Fatalf("redistest: redis-server did not become ready; its log:\n%s", lastLog)
	return nil
}

func binary() string {
	if _, err := os.Stat("/usr/bin/redis-server"); err == nil {
		return "/usr/bin/redis-server"
	}
	if p, err := exec.LookPath("redis-server"); err == nil {
		return p
	}
	return ""
}

func launch(bin, dir, logPath string) (*Server, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	defer logf.Close()
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", dir,
		"--daemonize", "no", "--loglevel", "warning")
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	s := &Server{Addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), cmd: cmd, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait()
		close(s.done)
	}()
	return s, nil
}

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}

// ready waits until the server answers PING or exits.
func (s *Server) ready(timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		select {
		case <-s.done:
			return false
		default:
		}
		if s.ping() {
			return true
		}
		time.Sleep(10 * time.Millisecond)
	}
	return false
}

func (s *Server) ping() bool {
	c, err := net.DialTimeout("tcp", s.Addr, time.Second)
	if err != nil {
		return false
	}
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(time.Second))
	if _, err := c.Write([]byte("PING\r\n")); err != nil {
		return false
	}
	line, err := bufio.NewReader(c).ReadString('\n')
	return err == nil && strings.HasPrefix(line, "+PONG")
}

// Kill kills the server (SIGKILL) and waits for it to exit. It is safe to
// call more than once.
func (s *Server) Kill() {
	s.once.Do(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})
}

// Pause stops the server (SIGSTOP): connections stay open and nothing
// answers, like a hung Redis. Kill works on a paused server.
func (s *Server) Pause() error { return s.cmd.Process.Signal(syscall.SIGSTOP) }

// Resume continues a paused server (SIGCONT).
func (s *Server) Resume() error { return s.cmd.Process.Signal(syscall.SIGCONT) }
