// Command fiber is the rtctoken demo app on fiber v2: users sign in, get
// their real-time credentials at login, and ask for more (and renew them)
// from the token endpoints mounted on a fiber router group.
//
// Run it from the repository root and open http://127.0.0.1:8080:
//
//	go run ./examples/fiber
//
// Demo users: alice / alice-password and bob / bob-password.
//
// Environment: the vendors are configured with the RTCTOKEN_* variables
// described in core/config (e.g. RTCTOKEN_AGORA_APP_ID and
// RTCTOKEN_AGORA_APP_CERTIFICATE); with none set, random demo credentials
// are generated and printed: their tokens verify locally but no vendor
// accepts them. PORT (default 8080) and HOST (default 127.0.0.1) set the
// listen address; CORS_ORIGINS (comma-separated origins) lets other
// origins call /rtc with the session cookie.
//
// Sessions are kept by fiber's session middleware
// (github.com/gofiber/fiber/v2/middleware/session) in its in-memory storage:
// they last 12 hours and vanish when the process exits. Session ids are 32
// bytes from crypto/rand, renewed at sign-in; signing out destroys the
// session. A small middleware loads the session and puts the signed-in
// user in the fiber locals, where the token endpoints find it with
// resolve.FromValue.
//
// Routes: GET / (the page), POST /login, POST /logout, /rtc/... (the token
// endpoints), GET /api/kinds, GET /api/me and POST /api/decode (signed in),
// POST /webhooks/<vendor> (the vendors' signed callbacks; see core/config
// for their RTCTOKEN_* secrets, generated and printed in the demo).
// Every answer, an unknown route, a wrong method and a body over
// BodyLimit included, is JSON in the contract's error envelope (but for
// the page and its assets) and carries Cache-Control: no-store.
package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log"
	"os"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/gofiber/fiber/v2/middleware/session"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/fibermw"
	"github.com/rtctoken/rtctoken/internal/demo"
)

func main() {
	env, err := demo.FromEnv(os.Stdout)
	if err != nil {
		log.Fatal(err)
	}
	app, err := newApp(env)
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("fiber demo on http://%s", env.Settings.Addr)
	log.Fatal(app.Listen(env.Settings.Addr))
}

// newApp builds the demo app on env.
func newApp(env *demo.Env) (*fiber.App, error) {
	cors, err := fibermw.CORS(env.Settings.CORS)
	if err != nil {
		return nil, err
	}
	// The token endpoints and Attach find the user in the locals, where
	// loadUser puts it.
	api, err := env.NewAPI(resolve.FromValue(userKey{}))
	if err != nil {
		return nil, err
	}
	s := &site{env: env, api: api, sessions: newSessions()}

	app := fiber.New(fiber.Config{
		DisableStartupMessage: true,
		// fasthttp reads a whole body into memory before any handler
		// runs, up to BodyLimit (4 MiB by default): keep it at the token
		// endpoints' own limit.
		BodyLimit: httpapi.DefaultMaxBody,
		// Nothing here reads forms: do not parse multipart bodies before
		// the handlers (and the contract's Content-Type check) run.
		DisablePreParseMultipartForm: true,
		// Fiber answers an unknown route, a wrong method, an oversized or
		// unreadable request in plain text; errorHandler answers them in
		// the error envelope.
		ErrorHandler: s.errorHandler,
	})
	app.Use(recover.New())
	app.Get("/", func(c *fiber.Ctx) error { return fibermw.WriteResponse(c, demo.Page()) })
	app.Get(demo.AssetsPrefix+"*", func(c *fiber.Ctx) error { return fibermw.WriteResponse(c, demo.Asset(c.Params("*"))) })
	app.Post("/login", s.login)
	app.Post("/logout", s.logout)

	// The token endpoints; the user comes from the session.
	fibermw.Mount(app.Group("/rtc", cors, s.loadUser), api)
	mountWebhooks(app, env)

	// The signed-in routes take the session middleware per route, not on
	// a group: a group's middleware would also run for an unknown path or
	// a wrong method below /api, and answer 401 where 404 or 405 is due.
	app.Get("/api/kinds", func(c *fiber.Ctx) error { return fibermw.WriteResponse(c, env.Kinds()) })
	app.Get("/api/me", s.loadUser, s.requireUser, fibermw.Attach(api), func(c *fiber.Ctx) error {
		bundle, _ := fibermw.Credentials(c)
		return fibermw.WriteResponse(c, env.Me(userOf(c), bundle))
	})
	app.Post("/api/decode", s.loadUser, s.requireUser, func(c *fiber.Ctx) error {
		return fibermw.WriteResponse(c, env.ServeDecode(fibermw.View(c), bytes.NewReader(c.Request().Body())))
	})
	return app, nil
}

// site holds what the handlers share.
type site struct {
	env      *demo.Env
	api      *httpapi.API
	sessions sessions
}

// sessionUser is the session key of the signed-in demo.User.
const sessionUser = "user"

// login handles POST /login: it checks the user name and password, issues
// the preset credentials, and only then signs the session in under a new
// id, so that a session id planted before sign-in is worthless.
func (s *site) login(c *fiber.Ctx) error {
	ctx := c.UserContext()
	u, err := s.env.CheckLogin(fibermw.View(c), bytes.NewReader(c.Request().Body()))
	if err != nil {
		return s.fail(c, err)
	}
	bundle, err := s.api.Login(ctx, u.RTCIdentity())
	if err != nil {
		return s.fail(c, err)
	}
	sess, err := s.sessions.get(c)
	if err != nil {
		return s.fail(c, err)
	}
	if err := sess.Regenerate(); err != nil {
		return s.fail(c, err)
	}
	sess.Set(sessionUser, u)
	if err := sess.Save(); err != nil {
		return s.fail(c, err)
	}
	return fibermw.WriteResponse(c, s.env.Me(u, bundle))
}

// logout handles POST /logout: it destroys the session, if any, expires
// the cookie and drops the user's cached preset credentials, so that the
// next sign-in is issued fresh ones.
func (s *site) logout(c *fiber.Ctx) error {
	sess, err := s.sessions.get(c)
	if err != nil {
		return s.fail(c, err)
	}
	u, signedIn := sess.Get(sessionUser).(demo.User)
	if err := sess.Destroy(); err != nil {
		return s.fail(c, err)
	}
	if signedIn {
		s.api.Forget(u.ID)
	}
	return fibermw.WriteResponse(c, demo.SignedOut())
}

type userKey struct{}

// loadUser loads the session and, when it is signed in, puts its user in
// the fiber locals. Anonymous requests pass through.
func (s *site) loadUser(c *fiber.Ctx) error {
	sess, err := s.sessions.get(c)
	if err != nil {
		return s.fail(c, err)
	}
	if u, ok := sess.Get(sessionUser).(demo.User); ok {
		c.Locals(userKey{}, u)
	}
	return c.Next()
}

// requireUser refuses requests that loadUser found no user for with 401.
func (s *site) requireUser(c *fiber.Ctx) error {
	if _, ok := c.Locals(userKey{}).(demo.User); !ok {
		return s.fail(c, core.Errorf(core.CodeUnauthenticated, "", "sign in first"))
	}
	return c.Next()
}

func userOf(c *fiber.Ctx) demo.User {
	u, _ := c.Locals(userKey{}).(demo.User)
	return u
}

// errorHandler is the app's fiber.Config.ErrorHandler: a *fiber.Error
// (from the router or from fasthttp, before any handler ran) is answered
// with its status in the envelope, without fiber's message, which may echo
// the request; any other error, a recovered panic included, is logged and
// answered 500 internal.
func (s *site) errorHandler(c *fiber.Ctx, err error) error {
	var fe *fiber.Error
	if !errors.As(err, &fe) {
		return s.fail(c, err)
	}
	return fibermw.WriteResponse(c, demo.HostError(fe.Code, c.GetRespHeader(fiber.HeaderAllow)))
}

// fail answers with the error envelope; internal errors are only logged.
func (s *site) fail(c *fiber.Ctx, err error) error {
	return fibermw.WriteResponse(c, s.api.ErrorResponse(c.UserContext(), err))
}

// sessions are the session stores. Fiber sets the cookie's Secure
// attribute per store, and the demo sets it only on requests that came
// over TLS so that it also works on plain http://127.0.0.1: hence two
// stores over one storage.
type sessions struct{ plain, tls *session.Store }

func newSessions() sessions {
	cfg := session.Config{
		Expiration:     demo.SessionTTL,
		KeyLookup:      "cookie:" + demo.CookieName,
		CookiePath:     "/",
		CookieHTTPOnly: true,
		CookieSameSite: fiber.CookieSameSiteLaxMode,
		KeyGenerator:   sessionID,
	}
	s := sessions{plain: session.New(cfg)}
	cfg.Storage, cfg.CookieSecure = s.plain.Storage, true
	s.tls = session.New(cfg)
	s.plain.RegisterType(demo.User{})
	return s
}

// get returns the request's session, a fresh one if it has none.
func (s sessions) get(c *fiber.Ctx) (*session.Session, error) {
	if c.Protocol() == "https" {
		return s.tls.Get(c)
	}
	return s.plain.Get(c)
}

// sessionID returns 32 bytes from crypto/rand in hexadecimal. Fiber's
// default, utils.UUIDv4, is crypto-random too, but holds 122 random bits.
func sessionID() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails: crypto/rand crashes the program instead
	return hex.EncodeToString(b)
}
