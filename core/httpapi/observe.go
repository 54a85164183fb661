package httpapi

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// Observer is told about every issuance and refusal; a metrics package
// implements it. Implementations must be fast and safe for concurrent use.
type Observer interface {
	// Issued is called once per request with the outcome code ("ok" or an
	// error code) and the time spent.
	Issued(ctx context.Context, provider, kind string, code core.Code, latency time.Duration)
	// RateLimited is called when a limiter refuses a request.
	RateLimited(ctx context.Context, provider, kind string)
	// ResolverFailed is called when a present credential is invalid.
	ResolverFailed(ctx context.Context)
}

// audit writes one structured line per issuance or refusal. It never logs a
// token or a secret: only names, ids, the requested (or issued) room, ttl,
// outcome and latency in milliseconds. The level says whose problem it is:
// issuances and refusals of the request (the client's mistakes, the
// authorizer's and the limiter's answers) are INFO, an unavailable
// dependency is WARN and an internal error is ERROR.
func (a *API) audit(ctx context.Context, req core.Request, id core.Identity, cred *core.Credential, err error, start time.Time) {
	lat := time.Since(start)
	code := core.Code("ok")
	level := slog.LevelInfo
	if err != nil {
		ce, internal := publicError(err)
		code = ce.Code
		switch {
		case internal:
			level = slog.LevelError
		case code == core.CodeUnavailable && !errors.Is(err, context.Canceled):
			level = slog.LevelWarn
		}
	}
	if a.obs != nil {
		a.obs.Issued(ctx, req.Provider, req.Kind, code, lat)
	}
	if !a.log.Enabled(ctx, level) {
		return
	}
	ttl, room := req.TTL, req.Room
	if cred != nil {
		ttl, room = cred.ExpiresAt.Sub(cred.IssuedAt), cred.Room
	}
	outcome, msg := "issued", "rtctoken issued"
	if err != nil {
		outcome, msg = "refused", "rtctoken refused"
	}
	a.log.LogAttrs(ctx, level, msg,
		slog.String("provider", printable(req.Provider)),
		slog.String("kind", printable(req.Kind)),
		slog.String("user", id.UserID),
		slog.String("room", printable(room)),
		slog.Int64("ttl", int64(ttl/time.Second)),
		slog.String("outcome", outcome),
		slog.String("code", string(code)),
		slog.Float64("latency_ms", float64(lat)/float64(time.Millisecond)),
	)
}

// printable bounds client-supplied text in log lines.
func printable(s string) string {
	if len(s) > 128 {
		return s[:128] + "..."
	}
	return s
}
