// Package fibermw adapts rtctoken's HTTP contract to fiber v2.
//
//	app := fiber.New()
//	fibermw.Mount(app.Group("/rtc"), api)
//	app.Get("/me", fibermw.Attach(api), func(c *fiber.Ctx) error {
//		b, _ := fibermw.Credentials(c)
//		return c.JSON(b)
//	})
//
// The adapter only translates requests and responses; the behaviour lives in
// core/httpapi and is the same in every framework.
package fibermw

import (
	"bytes"
	"context"
	"io"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/cors"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// request is the httpapi.Request view of a *fiber.Ctx. Strings read from
// fiber are copied, because fiber reuses its buffers after the handler.
type request struct{ c *fiber.Ctx }

func (q request) Context() context.Context  { return q.c.UserContext() }
func (q request) Header(name string) string { return strings.Clone(q.c.Get(name)) }
func (q request) Method() string            { return strings.Clone(q.c.Method()) }
func (q request) RemoteAddr() string        { return q.c.Context().RemoteAddr().String() }

// HeaderValues copies every line of the header, in order.
func (q request) HeaderValues(name string) []string {
	lines := q.c.Request().Header.PeekAll(name)
	if len(lines) == 0 {
		return nil
	}
	out := make([]string, len(lines))
	for i, v := range lines {
		out[i] = string(v)
	}
	return out
}

// Value looks in the fiber locals first, then in the user context.
func (q request) Value(key any) any {
	if v := q.c.Locals(key); v != nil {
		return v
	}
	return q.c.UserContext().Value(key)
}

func (q request) Cookie(name string) (string, bool) {
	v := q.c.Cookies(name)
	if v == "" {
		return "", false
	}
	return strings.Clone(v), true
}

// View returns the httpapi.Request view of c.
func View(c *fiber.Ctx) httpapi.Request { return request{c} }

// Mount registers the token endpoints on r, typically a group such as
// app.Group("/rtc"). Every method is routed to the contract so that a wrong
// one gets 405 with Allow.
func Mount(r fiber.Router, api *httpapi.API) {
	r.All("/providers", func(c *fiber.Ctx) error { return WriteResponse(c, api.ServeProviders(request{c})) })
	r.All("/batch", func(c *fiber.Ctx) error { return WriteResponse(c, api.ServeBatch(request{c}, rawBody(c))) })
	r.All("/:provider/:kind", func(c *fiber.Ctx) error {
		provider, kind := strings.Clone(c.Params("provider")), strings.Clone(c.Params("kind"))
		return WriteResponse(c, api.ServeIssue(request{c}, provider, kind, rawBody(c)))
	})
}

// rawBody is the body as received, nil when empty. Never c.Body(): that one
// inflates any Content-Encoding, without a bound, before the contract can
// refuse it. A streamed body is left for the contract to read up to its
// limit.
func rawBody(c *fiber.Ctx) io.Reader {
	req := c.Request()
	if req.IsBodyStream() {
		return req.BodyStream()
	}
	if b := req.Body(); len(b) > 0 {
		return bytes.NewReader(b)
	}
	return nil
}

type localKey struct{}

// Attach returns middleware that makes the configured preset credentials of
// the signed-in user available through Credentials. Anonymous requests pass
// through with none attached; a present but invalid credential is refused
// with 401. A preset that cannot be issued is left out of the bundle and
// reported in its Errors (see httpapi.API.Attach).
func Attach(api *httpapi.API) fiber.Handler {
	return func(c *fiber.Ctx) error {
		b, err := api.Attach(request{c})
		if err != nil {
			return WriteResponse(c, api.ErrorResponse(c.UserContext(), err))
		}
		if b != nil {
			c.Locals(localKey{}, b)
		}
		return c.Next()
	}
}

// Credentials returns the bundle Attach attached to c.
func Credentials(c *fiber.Ctx) (*httpapi.Bundle, bool) {
	b, ok := c.Locals(localKey{}).(*httpapi.Bundle)
	return b, ok
}

// WriteResponse writes an httpapi.Response (from API.Serve,
// API.ErrorResponse or a host handler built on the contract) to c.
func WriteResponse(c *fiber.Ctx, resp httpapi.Response) error {
	for k, v := range resp.Header {
		for _, s := range v {
			c.Set(k, s)
		}
	}
	c.Status(resp.Status)
	if c.Method() == fiber.MethodHead {
		return nil
	}
	return c.Send(resp.Body)
}

// CORS returns middleware applying the rtctoken CORS option with fiber's
// cors middleware. With the zero option it adds nothing.
func CORS(opt httpapi.CORS) (fiber.Handler, error) {
	c, err := opt.Normalize()
	if err != nil {
		return nil, err
	}
	if !c.Enabled() {
		return func(ctx *fiber.Ctx) error { return ctx.Next() }, nil
	}
	origins := strings.Join(c.AllowedOrigins, ",")
	if c.AllowAnyOrigin {
		origins = "*"
	}
	return cors.New(cors.Config{
		AllowOrigins:     origins,
		AllowMethods:     strings.Join(c.Methods(), ","),
		AllowHeaders:     strings.Join(c.AllowedHeaders, ","),
		AllowCredentials: c.AllowCredentials,
		MaxAge:           int(c.MaxAge / time.Second),
	}), nil
}
