package main

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/metrics"
	"github.com/rtctoken/rtctoken/core/ratelimit"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/core/webhook"
	"github.com/rtctoken/rtctoken/nethttp"
)

// Variables of serve (the providers' own come from core/config).
const (
	envAddr            = "RTCTOKEN_ADDR"
	envHost            = "RTCTOKEN_HOST"
	envPort            = "PORT"
	envPrefix          = "RTCTOKEN_PREFIX"
	envJWTSecret       = "RTCTOKEN_JWT_HMAC_SECRET"
	envJWTPublicKey    = "RTCTOKEN_JWT_PUBLIC_KEY_FILE"
	envJWTUserClaim    = "RTCTOKEN_JWT_USER_CLAIM"
	envJWTNameClaim    = "RTCTOKEN_JWT_NAME_CLAIM"
	envJWTIssuer       = "RTCTOKEN_JWT_ISSUER"
	envJWTAudience     = "RTCTOKEN_JWT_AUDIENCE"
	envJWTAnyAudience  = "RTCTOKEN_JWT_ANY_AUDIENCE"
	envJWTType         = "RTCTOKEN_JWT_TYPE"
	envJWTMaxLifetime  = "RTCTOKEN_JWT_MAX_LIFETIME"
	envTrustedHeader   = "RTCTOKEN_TRUSTED_HEADER"
	envTrustedName     = "RTCTOKEN_TRUSTED_NAME_HEADER"
	envTrustedProxies  = "RTCTOKEN_TRUSTED_PROXIES"
	envCORSOrigins     = "RTCTOKEN_CORS_ORIGINS"
	envRateLimit       = "RTCTOKEN_RATE_LIMIT"
	envMetrics         = "RTCTOKEN_METRICS"
	envLogLevel        = "RTCTOKEN_LOG_LEVEL"
	defaultListenHost  = "127.0.0.1"
	defaultListenPort  = "8080"
	defaultTokenPrefix = "/rtc"
)

// serveVars documents serve's variables, in the usage text's order.
var serveVars = []struct{ name, desc string }{
	{envAddr, "listen address host:port (default 127.0.0.1:8080); \":8080\" listens on every interface"},
	{envHost, "when " + envAddr + " is unset, the host to listen on (default 127.0.0.1, this machine only; 0.0.0.0 or :: for every interface, as in a container)"},
	{envPort, "when " + envAddr + " is unset, the port to listen on (default 8080), as container platforms set it"},
	{envPrefix, "mount point of the token endpoints (default /rtc)"},
	{envJWTSecret, "HMAC key (32 bytes or more) of the bearer JWTs your auth service issues (HS256/384/512); or " + envJWTSecret + "_FILE"},
	{envJWTPublicKey, "file holding the PEM public key (RSA, ECDSA or Ed25519) that verifies those JWTs instead"},
	{envJWTUserClaim, "claim holding the user id (default sub)"},
	{envJWTNameClaim, "claim holding the display name (optional)"},
	{envJWTIssuer, "required iss of the JWTs"},
	{envJWTAudience, "required aud of the JWTs. serve refuses to start with neither " + envJWTIssuer + " nor " + envJWTAudience + ": a token your auth service minted for something else (a password reset, another API) would otherwise sign users in"},
	{envJWTAnyAudience, "1 starts without " + envJWTIssuer + " and " + envJWTAudience + ", accepting every token the key verifies"},
	{envJWTType, `required "typ" header of the JWTs, such as at+jwt (optional; compared as a media type, ignoring case)`},
	{envJWTMaxLifetime, `longest accepted token lifetime, exp minus iat, such as 15m or 1h (optional); tokens without iat are then refused`},
	{envTrustedHeader, "instead of JWTs: header holding the user id, set by an authenticating proxy (X-Forwarded-User). The proxy must replace the header on every request; a header sent twice, or by a peer that is not a trusted proxy, is refused with 401"},
	{envTrustedName, "header holding the display name, with " + envTrustedHeader + " (optional)"},
	{envTrustedProxies, "comma-separated addresses or CIDR networks of the proxies allowed to set " + envTrustedHeader + " (default: this machine, 127.0.0.0/8 and ::1). Required when listening on an address other than loopback"},
	{envCORSOrigins, "comma-separated browser origins allowed to call the endpoints (default none)"},
	{envRateLimit, `per-user limit "N/UNIT[,burst=B]" ("10/s,burst=20", "30/m", "1/3s"); "off" disables it; default 20 at once, then one every 3 s`},
	{envMetrics, "1 serves Prometheus metrics at /metrics"},
	{envLogLevel, "debug, info (default), warn or error"},
}

func serveUsage() string {
	var b strings.Builder
	b.WriteString(`Usage: rtctoken serve

Serves the token endpoints over HTTP, configured by environment variables:

  GET  {prefix}/providers          the configured providers and kinds
  POST {prefix}/{provider}/{kind}  one credential for the signed-in user
  POST {prefix}/batch              several credentials, all or nothing
  GET  /healthz                    liveness
  GET  /metrics                    Prometheus metrics, with RTCTOKEN_METRICS=1

The user comes from a bearer JWT your auth service issues, or from a header set
by an authenticating proxy; never from the request body. Logs are JSON lines on
stderr. SIGINT or SIGTERM drain open requests before exiting.

Server variables:
`)
	for _, v := range serveVars {
		writeVar(&b, v.name, v.desc)
	}
	b.WriteString("\nProvider variables (a provider is enabled when any of its variables is set,\nand must then have the required ones; every secret also has a _FILE twin\nnaming a file that holds it):\n")
	for _, v := range config.Vars() {
		req := "Optional. "
		if v.Required {
			req = "Required. "
		}
		writeVar(&b, v.Name, req+v.Description)
	}
	writeWebhookUsage(&b)
	b.WriteString(`
Exit codes: 0 after a clean shutdown, 1 on a server failure, 2 usage error,
5 configuration error (no provider configured, no identity source, invalid
variable).
`)
	return b.String()
}

// writeVar writes a variable and its description, wrapped to 80 columns.
func writeVar(b *strings.Builder, name, desc string) {
	fmt.Fprintf(b, "  %s\n", name)
	line := "     "
	for _, w := range strings.Fields(desc) {
		if len(line)+1+len(w) > 79 && line != "     " {
			b.WriteString(line + "\n")
			line = "     "
		}
		line += " " + w
	}
	b.WriteString(line + "\n")
}

// serveConfig is serve's configuration, read from the environment.
type serveConfig struct {
	addr, prefix string
	resolver     resolve.Resolver
	identity     string // how users are identified, for the log
	trusted      bool
	proxies      []netip.Prefix
	cors         []string
	limiter      *ratelimit.Memory
	limit        string
	metrics      bool
	logLevel     slog.Level
	// observer counts the webhook callbacks, with metrics on.
	observer webhook.Observer
}

// Server timeouts: token requests are small and fast.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 10 * time.Second
	writeTimeout      = 10 * time.Second
	idleTimeout       = 60 * time.Second
	maxHeaderBytes    = 32 << 10
	maxSecretFile     = 64 << 10
)

func (c *cli) serve(ctx context.Context, args []string) int {
	fs := newFlags("serve")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return c.flagError("serve", serveUsage(), err)
	}
	if len(pos) != 0 {
		return c.usageError("serve", "serve takes no arguments; it is configured by environment variables")
	}
	sc, err := c.serveConfig()
	if err != nil {
		return c.configError("serve", err)
	}
	log := slog.New(slog.NewJSONHandler(c.stderr, &slog.HandlerOptions{Level: sc.logLevel}))
	vendorCfg, err := config.Load(c.env)
	if err != nil {
		return c.configError("serve", err)
	}
	if len(vendorCfg.Enabled()) == 0 && !c.anyWebhook() {
		return c.configError("serve", fmt.Errorf("%w: no provider configured: set the variables of at least one provider or webhook receiver (rtctoken help serve)", core.ErrConfig))
	}
	var svc *core.Service
	if len(vendorCfg.Enabled()) == 0 { // webhook receivers only
		svc, err = core.NewService(nil, core.WithClock(c.now))
	} else {
		svc, err = c.newService(vendorCfg, false)
	}
	if err != nil {
		return c.configError("serve", err)
	}
	handler, err := sc.handler(svc, log)
	if err != nil {
		return c.configError("serve", err)
	}
	handler, closeWebhooks, err := c.withWebhooks(handler, log, sc.observer)
	if err != nil {
		return c.configError("serve", err)
	}
	defer closeWebhooks()

	ln, err := c.listen("tcp", sc.addr)
	if err != nil {
		log.Error("cannot listen", "addr", sc.addr, "err", err)
		return exitSignature
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if sc.trusted {
		proxies := []string{"loopback"}
		if len(sc.proxies) > 0 {
			proxies = proxies[:0]
			for _, p := range sc.proxies {
				proxies = append(proxies, p.String())
			}
		}
		log.Warn("users are identified by a request header, believed from the trusted proxies only: the proxy must replace it on every request", "header", sc.identity, "trusted_proxies", proxies)
	}
	log.Info("rtctoken serving", "addr", ln.Addr().String(), "prefix", sc.prefix, "providers", vendorCfg.Enabled(),
		"identity", sc.identity, "cors_origins", sc.cors, "rate_limit", sc.limit, "metrics", sc.metrics)

	served := make(chan error, 1)
	go func() { served <- srv.Serve(ln) }()
	select {
	case err := <-served:
		log.Error("server failed", "err", err)
		return exitSignature
	case <-ctx.Done():
	}
	log.Info("shutting down", "timeout", c.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), c.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Error("graceful shutdown failed", "err", err)
		_ = srv.Close()
		return exitSignature
	}
	<-served
	log.Info("stopped")
	return exitOK
}

// handler builds the mux: the token endpoints under the prefix (behind
// CORS), /healthz and, when enabled, /metrics.
func (sc *serveConfig) handler(svc *core.Service, log *slog.Logger) (http.Handler, error) {
	cfg := httpapi.Config{Service: svc, Resolver: sc.resolver, Logger: log}
	if sc.limiter != nil {
		cfg.Limiter = sc.limiter
	}
	mux := http.NewServeMux()
	if sc.metrics {
		m := metrics.New(metrics.WithService(svc))
		reg := prometheus.NewRegistry()
		if err := m.Register(reg); err != nil {
			return nil, err
		}
		if err := reg.Register(collectors.NewGoCollector()); err != nil {
			return nil, err
		}
		if err := reg.Register(collectors.NewProcessCollector(collectors.ProcessCollectorOpts{})); err != nil {
			return nil, err
		}
		cfg.Observer = m
		sc.observer = m
		mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
	}
	api, err := httpapi.New(cfg)
	if err != nil {
		return nil, err
	}
	cors, err := nethttp.CORS(httpapi.CORS{AllowedOrigins: sc.cors})
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", core.ErrConfig, envCORSOrigins, err)
	}
	api2 := http.NewServeMux()
	nethttp.Mount(api2, sc.prefix, api)
	mux.Handle(sc.prefix+"/", cors(api2))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("Cache-Control", "no-store")
		_, _ = io.WriteString(w, `{"status":"ok"}`)
	})
	return mux, nil
}

// serveConfig reads serve's variables. Every problem is reported, joined;
// each wraps core.ErrConfig and names its variable, never a value.
func (c *cli) serveConfig() (*serveConfig, error) {
	var errs []error
	bad := func(name, problem string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: %s %s", core.ErrConfig, name, fmt.Sprintf(problem, args...)))
	}
	get := func(name string) string {
		v, _ := c.env(name)
		return strings.TrimSpace(v)
	}
	sc := &serveConfig{addr: get(envAddr), prefix: "/" + strings.Trim(get(envPrefix), "/")}
	if sc.addr == "" {
		host, port := get(envHost), get(envPort)
		if host == "" {
			host = defaultListenHost
		}
		if port == "" {
			port = defaultListenPort
		} else if n, err := strconv.Atoi(port); err != nil || n < 1 || n > 65535 {
			bad(envPort, "is not a port number")
		}
		sc.addr = net.JoinHostPort(strings.Trim(host, "[]"), port)
	} else if _, _, err := net.SplitHostPort(sc.addr); err != nil {
		bad(envAddr, "is not host:port")
	}
	if sc.prefix == "/" {
		sc.prefix = defaultTokenPrefix
	}
	sc.proxies = parseProxies(get(envTrustedProxies), bad)
	if err := sc.identityFrom(get, c.readSecretFile, bad); err != nil {
		errs = append(errs, err)
	}
	sc.checkTrust(bad)
	for _, o := range strings.Split(get(envCORSOrigins), ",") {
		if o = strings.TrimSpace(o); o != "" {
			sc.cors = append(sc.cors, o)
		}
	}
	if _, err := (httpapi.CORS{AllowedOrigins: sc.cors}).Normalize(); err != nil {
		bad(envCORSOrigins, "is invalid: %v", err)
	}
	sc.limit = get(envRateLimit)
	if lim, err := parseRateLimit(sc.limit); err != nil {
		bad(envRateLimit, "%v", err)
	} else {
		sc.limiter = lim
	}
	switch m := get(envMetrics); m {
	case "", "0", "false":
	case "1", "true":
		sc.metrics = true
	default:
		bad(envMetrics, "must be 1 or 0")
	}
	if l := get(envLogLevel); l != "" {
		if err := sc.logLevel.UnmarshalText([]byte(l)); err != nil {
			bad(envLogLevel, "must be debug, info, warn or error")
		}
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return sc, nil
}

// identityFrom sets the resolver: a bearer JWT with an HMAC secret or a
// public key, or a trusted header; exactly one.
func (sc *serveConfig) identityFrom(get func(string) string, readFile func(string) ([]byte, error), bad func(string, string, ...any)) error {
	secret, secretFile, pubFile, header := get(envJWTSecret), get(envJWTSecret+config.FileSuffix), get(envJWTPublicKey), get(envTrustedHeader)
	n := 0
	for _, v := range []string{secret + secretFile, pubFile, header} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		return fmt.Errorf("%w: no identity source: set %s (or %s_FILE), %s or %s", core.ErrConfig, envJWTSecret, envJWTSecret, envJWTPublicKey, envTrustedHeader)
	case n > 1:
		return fmt.Errorf("%w: set only one of %s, %s and %s", core.ErrConfig, envJWTSecret, envJWTPublicKey, envTrustedHeader)
	case secret != "" && secretFile != "":
		return fmt.Errorf("%w: set %s or %s_FILE, not both", core.ErrConfig, envJWTSecret, envJWTSecret)
	case header != "":
		var name []string
		if n := get(envTrustedName); n != "" {
			name = append(name, n)
		}
		sc.resolver, sc.identity, sc.trusted = resolve.TrustedHeader(sc.proxies, header, name...), header, true
		return nil
	}
	jc := resolve.JWTConfig{
		UserClaim: get(envJWTUserClaim), NameClaim: get(envJWTNameClaim),
		Issuer: get(envJWTIssuer), Audience: get(envJWTAudience), Type: get(envJWTType),
	}
	switch v := get(envJWTAnyAudience); {
	case v != "" && v != "0" && v != "1":
		bad(envJWTAnyAudience, "must be 1 or 0")
	case jc.Issuer == "" && jc.Audience == "" && v != "1":
		bad(envJWTAudience, "or %s is required with a JWT key, so that tokens minted for another service or purpose are refused (set %s=1 to accept every token the key verifies)", envJWTIssuer, envJWTAnyAudience)
	}
	if v := get(envJWTMaxLifetime); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad(envJWTMaxLifetime, "is not a positive duration such as 15m or 1h")
		}
		jc.MaxLifetime = d
	}
	switch {
	case secretFile != "":
		b, err := readFile(secretFile)
		if err != nil {
			bad(envJWTSecret+config.FileSuffix, "names a file that cannot be read")
			return nil
		}
		secret = strings.TrimRight(string(b), "\r\n")
		fallthrough
	case secret != "":
		jc.Key = core.NewSecret(secret)
		sc.identity = "bearer JWT (HMAC)"
	default:
		b, err := readFile(pubFile)
		if err != nil {
			bad(envJWTPublicKey, "names a file that cannot be read")
			return nil
		}
		key, err := parsePublicKey(b)
		if err != nil {
			bad(envJWTPublicKey, "%v", err)
			return nil
		}
		jc.Key = key
		sc.identity = fmt.Sprintf("bearer JWT (%T)", key)
	}
	r, err := resolve.BearerJWT(jc)
	if err != nil {
		return err
	}
	sc.resolver = r
	return nil
}

// parseProxies reads the comma-separated addresses and CIDR networks of
// the proxies allowed to set the trusted header.
func parseProxies(list string, bad func(string, string, ...any)) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		p, err := netip.ParsePrefix(s)
		if err != nil {
			a, aerr := netip.ParseAddr(s)
			if aerr != nil || a.Zone() != "" {
				bad(envTrustedProxies, "holds an entry that is not an IP address or a CIDR network")
				continue
			}
			p = netip.PrefixFrom(a, a.BitLen())
		}
		out = append(out, p.Masked())
	}
	return out
}

// checkTrust refuses a trusted header on a listen address other than
// loopback without RTCTOKEN_TRUSTED_PROXIES (any client reaching that
// address could otherwise name any user), and proxies without a trusted
// header (they would protect nothing).
func (sc *serveConfig) checkTrust(bad func(string, string, ...any)) {
	switch {
	case len(sc.proxies) > 0 && !sc.trusted:
		bad(envTrustedProxies, "is only used with %s", envTrustedHeader)
	case sc.trusted && len(sc.proxies) == 0 && !loopbackAddr(sc.addr):
		bad(envTrustedProxies, "is required with %s when listening on an address other machines can reach (see %s and %s): name the proxies allowed to set the header, or listen on 127.0.0.1", envTrustedHeader, envAddr, envHost)
	}
}

// loopbackAddr reports whether the listen address host:port only accepts
// connections from this machine: a loopback IP or "localhost". An empty
// host (every interface) and other names do not.
func loopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	a, err := netip.ParseAddr(host)
	return err == nil && a.Unmap().IsLoopback()
}

func (c *cli) readSecretFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxSecretFile+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxSecretFile {
		return nil, errors.New("file too large")
	}
	return b, nil
}

// parsePublicKey reads the first PEM block: a PUBLIC KEY (PKIX), an RSA
// PUBLIC KEY (PKCS #1) or a CERTIFICATE, holding an RSA, ECDSA or Ed25519 key.
func parsePublicKey(b []byte) (any, error) {
	block, _ := pem.Decode(b)
	if block == nil {
		return nil, errors.New("holds no PEM block")
	}
	var key any
	var err error
	switch block.Type {
	case "PUBLIC KEY":
		key, err = x509.ParsePKIXPublicKey(block.Bytes)
	case "RSA PUBLIC KEY":
		key, err = x509.ParsePKCS1PublicKey(block.Bytes)
	case "CERTIFICATE":
		var cert *x509.Certificate
		if cert, err = x509.ParseCertificate(block.Bytes); err == nil {
			key = cert.PublicKey
		}
	default:
		return nil, fmt.Errorf("holds a %q PEM block, not a public key", block.Type)
	}
	if err != nil {
		return nil, errors.New("holds a public key that does not parse")
	}
	switch key.(type) {
	case *rsa.PublicKey, *ecdsa.PublicKey, ed25519.PublicKey:
		return key, nil
	}
	return nil, fmt.Errorf("holds a %T key, not RSA, ECDSA or Ed25519", key)
}

// parseRateLimit reads "N/UNIT[,burst=B]": N requests per UNIT ("s", "m",
// "h" or a duration such as "3s"), bursts of B (default N, at least 1).
// "" means the limiter's defaults, "off" no limiter.
func parseRateLimit(s string) (*ratelimit.Memory, error) {
	switch s {
	case "off":
		return nil, nil
	case "":
		return ratelimit.NewMemory()
	}
	spec, burstText, hasBurst := strings.Cut(s, ",")
	nText, unitText, ok := strings.Cut(strings.TrimSpace(spec), "/")
	n, err := strconv.Atoi(strings.TrimSpace(nText))
	if !ok || err != nil || n < 1 {
		return nil, errors.New(`must look like "10/s,burst=20"`)
	}
	unitText = strings.TrimSpace(unitText)
	if unitText == "s" || unitText == "m" || unitText == "h" {
		unitText = "1" + unitText
	}
	unit, err := time.ParseDuration(unitText)
	if err != nil || unit <= 0 {
		return nil, errors.New(`has a unit that is not s, m, h or a duration`)
	}
	burst := n
	if hasBurst {
		b, ok := strings.CutPrefix(strings.TrimSpace(burstText), "burst=")
		if burst, err = strconv.Atoi(b); !ok || err != nil || burst < 1 {
			return nil, errors.New(`has a burst that is not "burst=N" with N at least 1`)
		}
	}
	return ratelimit.NewMemory(ratelimit.WithLimit("user", rate.Limit(float64(n)/unit.Seconds()), burst))
}
