// Package ginmw adapts rtctoken's HTTP contract to gin.
//
//	api, _ := httpapi.New(httpapi.Config{Service: svc, Resolver: resolve.FromValue("user")})
//	r := gin.New()
//	ginmw.Mount(r.Group("/rtc"), api)
//	r.GET("/me", ginmw.Attach(api), func(c *gin.Context) {
//		b, _ := ginmw.Credentials(c)
//		c.JSON(200, b)
//	})
//
// The adapter only translates requests and responses; the behaviour lives in
// core/httpapi and is the same in every framework.
package ginmw

import (
	"context"
	"io"
	"slices"

	"github.com/gin-contrib/cors"
	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// request is the httpapi.Request view of a *gin.Context.
type request struct{ c *gin.Context }

func (q request) Context() context.Context  { return q.c.Request.Context() }
func (q request) Header(name string) string { return q.c.GetHeader(name) }
func (q request) Method() string            { return q.c.Request.Method }
func (q request) RemoteAddr() string        { return q.c.Request.RemoteAddr }
func (q request) HeaderValues(name string) []string {
	return slices.Clone(q.c.Request.Header.Values(name))
}

// Value looks in the gin context keys first, then in the request context.
func (q request) Value(key any) any {
	if v, ok := q.c.Get(key); ok {
		return v
	}
	return q.c.Request.Context().Value(key)
}

func (q request) Cookie(name string) (string, bool) {
	c, err := q.c.Request.Cookie(name)
	if err != nil {
		return "", false
	}
	return c.Value, true
}

// View returns the httpapi.Request view of c.
func View(c *gin.Context) httpapi.Request { return request{c} }

// Mount registers the token endpoints on r, typically a group such as
// engine.Group("/rtc"). Every method is routed to the contract so that a
// wrong one gets 405 with Allow.
func Mount(r gin.IRouter, api *httpapi.API) {
	r.Any("/providers", func(c *gin.Context) { WriteResponse(c, api.ServeProviders(request{c})) })
	r.Any("/batch", func(c *gin.Context) { WriteResponse(c, api.ServeBatch(request{c}, rawBody(c))) })
	r.Any("/:provider/:kind", func(c *gin.Context) {
		WriteResponse(c, api.ServeIssue(request{c}, c.Param("provider"), c.Param("kind"), rawBody(c)))
	})
}

// rawBody is the body as received, nil when empty: the contract refuses an
// encoded one, so nothing here may inflate it.
func rawBody(c *gin.Context) io.Reader {
	if c.Request.ContentLength == 0 {
		return nil
	}
	return c.Request.Body
}

type ctxKey struct{}

// Attach returns middleware that makes the configured preset credentials of
// the signed-in user available through Credentials. Anonymous requests pass
// through with none attached; a present but invalid credential is refused
// with 401. A preset that cannot be issued is left out of the bundle and
// reported in its Errors (see httpapi.API.Attach).
func Attach(api *httpapi.API) gin.HandlerFunc {
	return func(c *gin.Context) {
		b, err := api.Attach(request{c})
		if err != nil {
			WriteResponse(c, api.ErrorResponse(c.Request.Context(), err))
			c.Abort()
			return
		}
		if b != nil {
			c.Set(ctxKey{}, b)
		}
		c.Next()
	}
}

// Credentials returns the bundle Attach attached to c.
func Credentials(c *gin.Context) (*httpapi.Bundle, bool) {
	v, ok := c.Get(ctxKey{})
	if !ok {
		return nil, false
	}
	b, ok := v.(*httpapi.Bundle)
	return b, ok
}

// WriteResponse writes an httpapi.Response (from API.Serve,
// API.ErrorResponse or a host handler built on the contract) to c.
func WriteResponse(c *gin.Context, resp httpapi.Response) {
	h := c.Writer.Header()
	for k, v := range resp.Header {
		h[k] = v
	}
	c.Status(resp.Status)
	if c.Request.Method != "HEAD" {
		_, _ = c.Writer.Write(resp.Body)
	}
}

// CORS returns middleware applying the rtctoken CORS option with
// github.com/gin-contrib/cors. With the zero option it adds nothing.
func CORS(opt httpapi.CORS) (gin.HandlerFunc, error) {
	c, err := opt.Normalize()
	if err != nil {
		return nil, err
	}
	if !c.Enabled() {
		return func(ctx *gin.Context) { ctx.Next() }, nil
	}
	return cors.New(cors.Config{
		AllowOrigins:     c.AllowedOrigins,
		AllowAllOrigins:  c.AllowAnyOrigin,
		AllowMethods:     c.Methods(),
		AllowHeaders:     c.AllowedHeaders,
		AllowCredentials: c.AllowCredentials,
		MaxAge:           c.MaxAge,
	}), nil
}
