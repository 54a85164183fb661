package loadtest

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
)

// ServeConfig is a run against `rtctoken serve` with a bearer JWT, beside a
// bare net/http handler, in a process of its own too, that verifies the
// same JWT with golang-jwt and answers a static body of the same size.
type ServeConfig struct {
	// Config bounds the run; its Targets and Logger are not used.
	Config
	// Serve is the command that runs rtctoken serve, e.g.
	// {"./rtctoken", "serve"}; it is given its configuration in the
	// environment.
	Serve []string
	// Bare is the command that runs BareJWT: {os.Args[0], "-bare-jwt"} in
	// the loadtest command.
	Bare []string
}

// Variables with which RunServe configures the bare verifier process.
const (
	envBareSecret   = "LOADTEST_JWT_SECRET"
	envBareAudience = "LOADTEST_JWT_AUDIENCE"
	envBareBytes    = "LOADTEST_BODY_BYTES"
	servePath       = "/rtc/tencent/usersig"
	jwtAudience     = "loadtest"
)

// RunServe measures POST /rtc/tencent/usersig on rtctoken serve, signed in
// with an HS256 bearer JWT, and the bare verifier, each in a process of its
// own, in cfg.Rounds alternating rounds, and returns the median rounds
// (the serve result with the median of the rounds' ratios).
// serve runs with its defaults (audit log at info, per-user limiter, CORS
// off), its output discarded.
func RunServe(ctx context.Context, cfg ServeConfig) (serve, bare Result, err error) {
	if len(cfg.Serve) == 0 || len(cfg.Bare) == 0 {
		return serve, bare, errors.New("loadtest: ServeConfig needs the Serve and Bare commands")
	}
	cfg.Targets = []Target{}
	cfg.Config.defaults(nil)
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	key := hex.EncodeToString(secret)
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": "load-user", "aud": jwtAudience, "iat": time.Now().Unix(), "exp": time.Now().Add(time.Hour).Unix(),
	}).SignedString([]byte(key))
	if err != nil {
		return serve, bare, err
	}
	bearer := http.Header{"Authorization": {"Bearer " + token}}

	addr, err := freeAddr()
	if err != nil {
		return serve, bare, err
	}
	stop, _, err := startProcess(ctx, cfg.Serve, []string{
		"RTCTOKEN_ADDR=" + addr, "RTCTOKEN_TENCENT_SDKAPPID=1400000002", "RTCTOKEN_TENCENT_KEY=" + key,
		"RTCTOKEN_JWT_HMAC_SECRET=" + key, "RTCTOKEN_JWT_AUDIENCE=" + jwtAudience,
		// The per-user limiter stays in the path, with a limit one user
		// cannot reach here.
		"RTCTOKEN_RATE_LIMIT=1000000/s,burst=1000000",
	}, false)
	if err != nil {
		return serve, bare, err
	}
	defer stop()
	serveURL := "http://" + addr
	sample, err := waitFor(ctx, serveURL+servePath, bearer)
	if err != nil {
		return serve, bare, fmt.Errorf("rtctoken serve: %w", err)
	}
	stopBare, barePeer, err := startProcess(ctx, cfg.Bare, []string{
		envBareSecret + "=" + key, envBareAudience + "=" + jwtAudience, envBareBytes + "=" + strconv.Itoa(len(sample)),
	}, true)
	if err != nil {
		return serve, bare, err
	}
	defer stopBare()
	bareURL := "http://" + barePeer
	if _, err := waitFor(ctx, bareURL+"/bare", bearer); err != nil {
		return serve, bare, fmt.Errorf("bare verifier: %w", err)
	}
	serve, bare = alternate(ctx, cfg.Config, serveURL+servePath, bareURL+"/bare", "{}", bearer)
	serve.Framework, serve.Endpoint, serve.Target = "serve", "tencent/usersig", "token"
	bare.Framework, bare.Endpoint, bare.Target = "serve", "tencent/usersig", "bare"
	return serve, bare, nil
}

// startProcess runs argv with env added; with announce it returns the
// address of the "listening ADDR" line the process prints first. The
// process's output is discarded otherwise.
func startProcess(ctx context.Context, argv, env []string, announce bool) (stop func(), addr string, err error) {
	cmd := exec.CommandContext(ctx, argv[0], argv[1:]...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stderr = io.Discard
	var out io.ReadCloser
	if announce {
		if out, err = cmd.StdoutPipe(); err != nil {
			return nil, "", err
		}
	}
	if err := cmd.Start(); err != nil {
		return nil, "", err
	}
	stop = func() { _ = cmd.Process.Kill(); _ = cmd.Wait() }
	if announce {
		line, err := bufio.NewReader(out).ReadString('\n')
		a, ok := strings.CutPrefix(strings.TrimSpace(line), "listening ")
		if err != nil || !ok {
			stop()
			return nil, "", fmt.Errorf("%s did not announce its address", argv[0])
		}
		addr = a
		go func() { _, _ = io.Copy(io.Discard, out) }()
	}
	return stop, addr, nil
}

// freeAddr returns a loopback address with a port free a moment ago.
func freeAddr() (string, error) {
	ln, err := listen()
	if err != nil {
		return "", err
	}
	defer ln.Close()
	return ln.Addr().String(), nil
}

// waitFor polls url until it answers 200, for at most ten seconds, and
// returns the body.
func waitFor(ctx context.Context, url string, hdr http.Header) ([]byte, error) {
	deadline := time.Now().Add(10 * time.Second)
	for {
		b, err := once(ctx, http.DefaultClient, url, "{}", hdr)
		if err == nil || time.Now().After(deadline) {
			return b, err
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// BareJWT serves the bare verifier on ln, configured by the environment
// RunServe sets: POST /bare verifies the bearer HS256 JWT (signature, exp,
// audience) with golang-jwt, as any net/http app would, and answers a static
// JSON body of the given size.
func BareJWT(ln net.Listener) error {
	key := []byte(os.Getenv(envBareSecret))
	n, err := strconv.Atoi(os.Getenv(envBareBytes))
	if len(key) == 0 || err != nil || n < 16 {
		return errors.New("loadtest: the bare verifier is run by RunServe")
	}
	body := []byte(`{"static":true}` + strings.Repeat(" ", n-len(`{"static":true}`)))
	parser := jwt.NewParser(jwt.WithValidMethods([]string{"HS256"}), jwt.WithAudience(os.Getenv(envBareAudience)), jwt.WithExpirationRequired())
	keyFunc := func(*jwt.Token) (any, error) { return key, nil }
	mux := http.NewServeMux()
	mux.HandleFunc("POST /bare", func(w http.ResponseWriter, r *http.Request) {
		raw, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok {
			http.Error(w, `{"error":"unauthenticated"}`, http.StatusUnauthorized)
			return
		}
		tok, err := parser.Parse(raw, keyFunc)
		if err != nil {
			http.Error(w, `{"error":"unauthenticated"}`, http.StatusUnauthorized)
			return
		}
		if sub, err := tok.Claims.GetSubject(); err != nil || sub == "" {
			http.Error(w, `{"error":"unauthenticated"}`, http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	return srv.Serve(ln)
}
