// Package nethttp adapts rtctoken's HTTP contract to net/http.
//
// Mount the token endpoints under a prefix, attach the configured preset
// credentials to authenticated requests with a plain
// func(http.Handler) http.Handler middleware (it chains with
// github.com/justinas/alice), and read them in handlers with [Credentials]:
//
//	mux := http.NewServeMux()
//	nethttp.Mount(mux, "/rtc", api)
//	mux.Handle("GET /me", nethttp.Attach(api)(meHandler))
//
// The adapter only translates requests and responses; the behaviour lives in
// core/httpapi and is the same in every framework.
package nethttp

import (
	"context"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/rs/cors"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// request is the httpapi.Request view of an *http.Request.
type request struct{ r *http.Request }

func (q request) Context() context.Context  { return q.r.Context() }
func (q request) Header(name string) string { return q.r.Header.Get(name) }
func (q request) Method() string            { return q.r.Method }
func (q request) RemoteAddr() string        { return q.r.RemoteAddr }
func (q request) Value(key any) any         { return q.r.Context().Value(key) }
func (q request) HeaderValues(name string) []string {
	return slices.Clone(q.r.Header.Values(name))
}
func (q request) Cookie(name string) (string, bool) {
	c, err := q.r.Cookie(name)
	if err != nil {
		return "", false
	}
	return c.Value, true
}

// View returns the httpapi.Request view of r, for resolvers and limiters
// used outside the adapter.
func View(r *http.Request) httpapi.Request { return request{r} }

// Handler serves the contract with r.URL.Path taken as the path below the
// mount point: use it behind http.StripPrefix, or use Mount.
func Handler(api *httpapi.API) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		WriteResponse(w, r, api.Serve(request{r}, r.URL.Path, rawBody(r)))
	})
}

// rawBody is the body as received, nil when there is none: the contract
// and the webhook receivers refuse an encoded one, so nothing here may
// inflate it.
func rawBody(r *http.Request) io.Reader {
	if r.Body == nil || r.Body == http.NoBody {
		return nil
	}
	return r.Body
}

// Mux is the part of *http.ServeMux (and of most routers) Mount needs.
type Mux interface {
	Handle(pattern string, handler http.Handler)
}

// Mount registers the token endpoints on mux under prefix (e.g. "/rtc"),
// leaving the host's other routes untouched.
func Mount(mux Mux, prefix string, api *httpapi.API) {
	prefix = "/" + strings.Trim(prefix, "/")
	if prefix == "/" {
		prefix = ""
	}
	mux.Handle(prefix+"/", stripPrefix(prefix, api))
}

// stripPrefix serves the contract as http.StripPrefix(prefix, Handler(api))
// does, without the copy of the request and its URL that StripPrefix makes
// on every request: the contract reads the path below the mount point and
// nothing else of the URL.
func stripPrefix(prefix string, api *httpapi.API) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p, ok := strings.CutPrefix(r.URL.Path, prefix)
		if ok && r.URL.RawPath != "" {
			_, ok = strings.CutPrefix(r.URL.RawPath, prefix)
		}
		if !ok { // an escaped prefix ("/%72tc/..."): no route, in the envelope
			p = ""
		}
		WriteResponse(w, r, api.Serve(request{r}, p, rawBody(r)))
	})
}

type ctxKey struct{}

// Attach returns middleware that resolves the identity of each request and
// makes the configured preset credentials available through Credentials.
// Anonymous requests pass through with none attached; a present but invalid
// credential is refused with 401. A preset that cannot be issued is left out of
// the bundle and reported in its Errors (see httpapi.API.Attach).
func Attach(api *httpapi.API) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			b, err := api.Attach(request{r})
			if err != nil {
				WriteResponse(w, r, api.ErrorResponse(r.Context(), err))
				return
			}
			if b != nil {
				r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, b))
			}
			next.ServeHTTP(w, r)
		})
	}
}

// Credentials returns the bundle Attach put in the request context.
func Credentials(ctx context.Context) (*httpapi.Bundle, bool) {
	b, ok := ctx.Value(ctxKey{}).(*httpapi.Bundle)
	return b, ok
}

// WriteResponse writes an httpapi.Response (from API.Serve,
// API.ErrorResponse or a host handler built on the contract) to w.
func WriteResponse(w http.ResponseWriter, r *http.Request, resp httpapi.Response) {
	h := w.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	w.WriteHeader(resp.Status)
	if r.Method != http.MethodHead {
		_, _ = w.Write(resp.Body)
	}
}

// CORS returns middleware applying the rtctoken CORS option with
// github.com/rs/cors. With the zero option it adds nothing and browsers keep
// their same-origin rule.
func CORS(opt httpapi.CORS) (func(http.Handler) http.Handler, error) {
	c, err := opt.Normalize()
	if err != nil {
		return nil, err
	}
	if !c.Enabled() {
		return func(h http.Handler) http.Handler { return h }, nil
	}
	origins := c.AllowedOrigins
	if c.AllowAnyOrigin {
		origins = []string{"*"}
	}
	return cors.New(cors.Options{
		AllowedOrigins:   origins,
		AllowedMethods:   c.Methods(),
		AllowedHeaders:   c.AllowedHeaders,
		AllowCredentials: c.AllowCredentials,
		MaxAge:           int(c.MaxAge / time.Second),
	}).Handler, nil
}
