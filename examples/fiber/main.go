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
// Sessions live in the shared in-memory store of internal/demo so that the
// three examples behave identically; a fiber application would usually keep
// them with fiber's session middleware (github.com/gofiber/fiber/v2/middleware/session).
//
// Routes: GET / (the page), POST /login, POST /logout, /rtc/... (the token
// endpoints), GET /api/kinds, GET /api/me and POST /api/decode (signed in).
package main

import (
	"bytes"
	"log"
	"net/http"
	"os"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
	"github.com/rtctoken/rtctoken/core/httpapi"
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
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Use(recover.New())
	app.Get("/", func(c *fiber.Ctx) error { return fibermw.WriteResponse(c, demo.Page()) })
	app.Use(demo.AssetsPrefix, filesystem.New(filesystem.Config{Root: http.FS(demo.Assets())}))
	app.Post("/login", func(c *fiber.Ctx) error {
		resp, cookie := env.Login(c.UserContext(), c.Get(fiber.HeaderContentType), bytes.NewReader(c.Body()), c.Protocol() == "https")
		return writeWithCookie(c, resp, cookie)
	})
	app.Post("/logout", func(c *fiber.Ctx) error {
		resp, cookie := env.Logout(fibermw.View(c), c.Protocol() == "https")
		return writeWithCookie(c, resp, cookie)
	})

	// The token endpoints; the user comes from the session cookie.
	fibermw.Mount(app.Group("/rtc", cors), env.API)

	// Registered before the group so that it stays public.
	app.Get("/api/kinds", func(c *fiber.Ctx) error { return fibermw.WriteResponse(c, env.Kinds()) })
	signedIn := app.Group("/api", requireUser(env))
	signedIn.Get("/me", fibermw.Attach(env.API), func(c *fiber.Ctx) error {
		bundle, _ := fibermw.Credentials(c)
		return fibermw.WriteResponse(c, env.Me(userOf(c), bundle))
	})
	signedIn.Post("/decode", func(c *fiber.Ctx) error {
		return fibermw.WriteResponse(c, env.ServeDecode(c.UserContext(), c.Get(fiber.HeaderContentType), bytes.NewReader(c.Body())))
	})
	return app, nil
}

type userKey struct{}

// requireUser refuses requests without a live session with 401 and puts
// the user in the fiber locals.
func requireUser(env *demo.Env) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u, err := env.Authenticate(fibermw.View(c))
		if err != nil {
			return fibermw.WriteResponse(c, env.Error(c.UserContext(), err))
		}
		c.Locals(userKey{}, u)
		return c.Next()
	}
}

func userOf(c *fiber.Ctx) demo.User {
	u, _ := c.Locals(userKey{}).(demo.User)
	return u
}

func writeWithCookie(c *fiber.Ctx, resp httpapi.Response, cookie *http.Cookie) error {
	if cookie != nil {
		c.Cookie(&fiber.Cookie{
			Name: cookie.Name, Value: cookie.Value, Path: cookie.Path,
			Expires: cookie.Expires, MaxAge: cookie.MaxAge,
			Secure: cookie.Secure, HTTPOnly: cookie.HttpOnly, SameSite: fiber.CookieSameSiteLaxMode,
		})
	}
	return fibermw.WriteResponse(c, resp)
}
