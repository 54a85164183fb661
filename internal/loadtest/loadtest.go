// Package loadtest drives real HTTP load over loopback against the token
// endpoints of each adapter (every kind of every vendor the demo
// configuration enables) and, in the same run, against a bare handler of
// the same framework that returns a static JSON body of the same size. It
// reports requests per second, latency percentiles and errors for both.
package loadtest

import (
	"bytes"
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/gofiber/fiber/v2"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/fibermw"
	"github.com/rtctoken/rtctoken/ginmw"
	"github.com/rtctoken/rtctoken/internal/demo"
	"github.com/rtctoken/rtctoken/nethttp"
)

// Config bounds a run.
type Config struct {
	// Requests per target and round (default 20000).
	Requests int
	// Concurrency is the number of concurrent clients (default 32).
	Concurrency int
	// MaxDuration stops a target early (default 30 s).
	MaxDuration time.Duration
	// Targets are the token endpoints measured (default: every kind the
	// API serves, see Targets).
	Targets []Target
	// Rounds measures each endpoint and its bare handler this many times,
	// alternating, and keeps the median round of each and the median of
	// the rounds' ratios (default 1).
	Rounds int
	// Logger receives the audit lines (default: discarded).
	Logger *slog.Logger
}

// Target is one token endpoint: POST /rtc/{Provider}/{Kind} with Body.
type Target struct {
	Provider, Kind, Body string
}

// Name is "provider/kind".
func (t Target) Name() string { return t.Provider + "/" + t.Kind }

func (c *Config) defaults(api *httpapi.API) {
	if c.Requests <= 0 {
		c.Requests = 20000
	}
	if c.Concurrency <= 0 {
		c.Concurrency = 32
	}
	if c.MaxDuration <= 0 {
		c.MaxDuration = 30 * time.Second
	}
	if c.Targets == nil && api != nil {
		c.Targets = Targets(api.Service())
	}
	if c.Rounds <= 0 {
		c.Rounds = 1
	}
}

// Targets lists every kind svc serves, each with a body the demo page would
// send: the kind's example room where it takes one, and its default role.
func Targets(svc *core.Service) []Target {
	var out []Target
	for _, k := range demo.KindInfos(svc) {
		body := map[string]any{}
		if k.RoomExample != "" && k.RoomAllowed {
			body["room"] = k.RoomExample
		}
		b, _ := json.Marshal(body)
		out = append(out, Target{Provider: k.Provider, Kind: k.Kind, Body: string(b)})
	}
	return out
}

// Result is one target's measurement.
type Result struct {
	Framework string        `json:"framework"`
	Endpoint  string        `json:"endpoint"` // provider/kind
	Target    string        `json:"target"`   // "token" or "bare"
	Requests  int           `json:"requests"`
	Errors    int           `json:"errors"`
	Elapsed   time.Duration `json:"elapsed"`
	RPS       float64       `json:"rps"`
	P50       time.Duration `json:"p50"`
	P99       time.Duration `json:"p99"`
	BodyBytes int           `json:"body_bytes"`
	// PairRatio, of a token endpoint, is the median over the rounds of
	// its requests/s divided by its bare handler's in the same round.
	PairRatio float64 `json:"pair_ratio,omitempty"`
}

// String formats the result as one aligned line.
func (r Result) String() string {
	return fmt.Sprintf("%-8s %-22s %-5s %7d req %4d err %9.0f req/s  p50 %-9s p99 %-9s body %d B",
		r.Framework, r.Endpoint, r.Target, r.Requests, r.Errors, r.RPS, r.P50.Round(time.Microsecond), r.P99.Round(time.Microsecond), r.BodyBytes)
}

// Frameworks lists the adapters measured.
var Frameworks = []string{"nethttp", "gin", "fiber"}

// userHeader carries the identity, as an authenticating proxy would.
const userHeader = "X-Load-User"

// asUser is the identity header of every request of Run.
var asUser = http.Header{userHeader: {"load_user"}}

// NewAPI returns the API under load: every vendor on generated demo
// credentials, identity from a header believed from loopback peers.
func NewAPI(log *slog.Logger) (*httpapi.API, error) {
	creds, err := demo.GenerateCredentials(rand.Reader)
	if err != nil {
		return nil, err
	}
	providers, err := creds.Config().Providers()
	if err != nil {
		return nil, err
	}
	svc, err := core.NewService(providers)
	if err != nil {
		return nil, err
	}
	return httpapi.New(httpapi.Config{Service: svc, Resolver: resolve.TrustedHeader(nil, userHeader), Logger: log})
}

// server is one running target.
type server struct {
	url  string
	stop func()
}

func listen() (net.Listener, error) { return net.Listen("tcp", "127.0.0.1:0") }

func startHTTP(h http.Handler) (server, error) {
	ln, err := listen()
	if err != nil {
		return server{}, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	return server{url: "http://" + ln.Addr().String(), stop: func() { _ = srv.Close() }}, nil
}

func startFiber(app *fiber.App) (server, error) {
	ln, err := listen()
	if err != nil {
		return server{}, err
	}
	go func() { _ = app.Listener(ln) }()
	return server{url: "http://" + ln.Addr().String(), stop: func() { _ = app.Shutdown() }}, nil
}

// start builds the framework's app: the token endpoints under /rtc and, on
// the same app, the bare handler at /bare returning body.
func start(framework string, api *httpapi.API, body []byte) (server, error) {
	switch framework {
	case "nethttp":
		mux := http.NewServeMux()
		nethttp.Mount(mux, "/rtc", api)
		mux.HandleFunc("/bare", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		})
		return startHTTP(mux)
	case "gin":
		gin.SetMode(gin.ReleaseMode)
		r := gin.New()
		ginmw.Mount(r.Group("/rtc"), api)
		r.POST("/bare", func(c *gin.Context) { c.Data(200, "application/json", body) })
		return startHTTP(r)
	case "fiber":
		app := fiber.New(fiber.Config{DisableStartupMessage: true})
		fibermw.Mount(app.Group("/rtc"), api)
		app.Post("/bare", func(c *fiber.Ctx) error {
			c.Set("Content-Type", "application/json")
			return c.Send(body)
		})
		return startFiber(app)
	}
	return server{}, fmt.Errorf("unknown framework %q", framework)
}

// Run measures every framework: each token endpoint, then a bare handler
// answering a body of the same size, in the same process and the same app.
func Run(ctx context.Context, cfg Config) ([]Result, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	api, err := NewAPI(cfg.Logger)
	if err != nil {
		return nil, err
	}
	cfg.defaults(api)
	var out []Result
	for _, fw := range Frameworks {
		for _, t := range cfg.Targets {
			tok, bare, err := measure(ctx, cfg, fw, api, t)
			if err != nil {
				return nil, err
			}
			out = append(out, tok, bare)
		}
	}
	return out, nil
}

// measure runs cfg.Rounds rounds of one endpoint and its bare handler and
// returns the median round of each.
func measure(ctx context.Context, cfg Config, fw string, api *httpapi.API, t Target) (tok, bare Result, err error) {
	path := "/rtc/" + t.Name()
	// The bare body has the size of a real credential response.
	probe, err := start(fw, api, nil)
	if err != nil {
		return tok, bare, err
	}
	sample, err := once(ctx, http.DefaultClient, probe.url+path, t.Body, asUser)
	probe.stop()
	if err != nil {
		return tok, bare, fmt.Errorf("%s %s: probe: %w", fw, t.Name(), err)
	}
	static := bytes.Repeat([]byte(" "), len(sample))
	copy(static, `{"static":true}`)
	srv, err := start(fw, api, static)
	if err != nil {
		return tok, bare, err
	}
	defer srv.stop()
	tok, bare = alternate(ctx, cfg, srv.url+path, srv.url+"/bare", t.Body, asUser)
	tok.Framework, tok.Endpoint, tok.Target = fw, t.Name(), "token"
	bare.Framework, bare.Endpoint, bare.Target = fw, t.Name(), "bare"
	return tok, bare, nil
}

// alternate runs cfg.Rounds rounds of the token endpoint and the bare
// handler and returns the median round of each, the token's with the
// median of the rounds' ratios. Odd rounds run the bare handler first, so
// that neither target always runs on the machine the other left.
func alternate(ctx context.Context, cfg Config, tokURL, bareURL, body string, hdr http.Header) (tok, bare Result) {
	var toks, bares []Result
	var ratios []float64
	for i := range cfg.Rounds {
		var tr, br Result
		if i%2 == 0 {
			tr = drive(ctx, cfg, tokURL, body, hdr)
		}
		br = drive(ctx, cfg, bareURL, body, hdr)
		if i%2 == 1 {
			tr = drive(ctx, cfg, tokURL, body, hdr)
		}
		toks, bares = append(toks, tr), append(bares, br)
		if br.RPS > 0 {
			ratios = append(ratios, tr.RPS/br.RPS)
		}
	}
	tok, bare = median(toks), median(bares)
	if len(ratios) > 0 {
		slices.Sort(ratios)
		tok.PairRatio = ratios[len(ratios)/2]
	}
	return tok, bare
}

// median returns the round with the median throughput.
func median(rs []Result) Result {
	slices.SortFunc(rs, func(a, b Result) int { return cmp.Compare(a.RPS, b.RPS) })
	return rs[len(rs)/2]
}

func once(ctx context.Context, c *http.Client, url, body string, hdr http.Header) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader([]byte(body)))
	if err != nil {
		return nil, err
	}
	setHeaders(req, hdr)
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != 200 {
		return nil, fmt.Errorf("status %d: %s", resp.StatusCode, b)
	}
	return b, nil
}

// drive sends cfg.Requests POSTs with cfg.Concurrency clients over
// keep-alive connections and measures them.
func drive(ctx context.Context, cfg Config, url, reqBody string, hdr http.Header) Result {
	ctx, cancel := context.WithTimeout(ctx, cfg.MaxDuration)
	defer cancel()
	tr := &http.Transport{MaxIdleConnsPerHost: cfg.Concurrency, MaxConnsPerHost: cfg.Concurrency, DisableCompression: true}
	defer tr.CloseIdleConnections()
	client := &http.Client{Transport: tr, Timeout: 10 * time.Second}
	// Warm up the connections.
	for range cfg.Concurrency {
		_, _ = once(ctx, client, url, reqBody, hdr)
	}
	var next atomic.Int64
	var errs atomic.Int64
	var bodyBytes atomic.Int64
	lats := make([][]time.Duration, cfg.Concurrency)
	var wg sync.WaitGroup
	begin := time.Now()
	for w := range cfg.Concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, 0, 4096)
			body := []byte(reqBody)
			for next.Add(1) <= int64(cfg.Requests) && ctx.Err() == nil {
				t0 := time.Now()
				req, _ := http.NewRequestWithContext(ctx, "POST", url, bytes.NewReader(body))
				setHeaders(req, hdr)
				resp, err := client.Do(req)
				if err != nil {
					errs.Add(1)
					continue
				}
				buf, err = readAll(resp.Body, buf[:0])
				resp.Body.Close()
				if err != nil || resp.StatusCode != 200 {
					errs.Add(1)
					continue
				}
				bodyBytes.Store(int64(len(buf)))
				lats[w] = append(lats[w], time.Since(t0))
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	all := slices.Concat(lats...)
	slices.Sort(all)
	r := Result{Requests: len(all) + int(errs.Load()), Errors: int(errs.Load()), Elapsed: elapsed, BodyBytes: int(bodyBytes.Load())}
	if len(all) > 0 {
		r.RPS = float64(len(all)) / elapsed.Seconds()
		r.P50 = all[len(all)/2]
		r.P99 = all[len(all)*99/100]
	}
	return r
}

// setHeaders sets the JSON content type and hdr on req.
func setHeaders(req *http.Request, hdr http.Header) {
	req.Header.Set("Content-Type", "application/json")
	for k, v := range hdr {
		req.Header[k] = v
	}
}

func readAll(r io.Reader, buf []byte) ([]byte, error) {
	for {
		if len(buf) == cap(buf) {
			buf = slices.Grow(buf, 4096)
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
}

// Ratio is each token endpoint's requests/s as a fraction of its bare
// handler's, keyed "framework provider/kind": its PairRatio when it has
// one, else the ratio of the two results. A pair ratio compares rounds
// run back to back, so drift of the machine's speed over a run (seen
// here: the same bare handler at 21,500 and at 32,300 req/s) cancels.
func Ratio(rs []Result) map[string]float64 {
	tok, bare := map[string]Result{}, map[string]float64{}
	for _, r := range rs {
		k := r.Framework + " " + r.Endpoint
		if r.Target == "token" {
			tok[k] = r
		} else {
			bare[k] = r.RPS
		}
	}
	out := map[string]float64{}
	for k, b := range bare {
		switch t := tok[k]; {
		case t.PairRatio > 0:
			out[k] = t.PairRatio
		case b > 0:
			out[k] = t.RPS / b
		}
	}
	return out
}

// JSON renders results for machines.
func JSON(rs []Result) ([]byte, error) {
	return json.MarshalIndent(map[string]any{"results": rs, "ratio": Ratio(rs)}, "", "  ")
}
