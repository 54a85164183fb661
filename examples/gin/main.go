// Command gin is the rtctoken demo app on gin: users sign in, get their
// real-time credentials at login, and ask for more (and renew them) from
// the token endpoints mounted on a gin route group.
//
// Run it from the repository root and open http://127.0.0.1:8080:
//
//	go run ./examples/gin
//
// Demo users: alice / alice-password and bob / bob-password.
//
// Environment: the vendors are configured with the RTCTOKEN_* variables
// described in core/config (e.g. RTCTOKEN_AGORA_APP_ID and
// RTCTOKEN_AGORA_APP_CERTIFICATE); with none set, random demo credentials
// are generated and printed: their tokens verify locally but no vendor
// accepts them. PORT (default 8080) and HOST (default 127.0.0.1) set the
// listen address; CORS_ORIGINS (comma-separated origins) lets other
// origins call /rtc with the session cookie. GIN_MODE=release silences
// gin's debug output.
//
// Sessions live in the shared in-memory store of internal/demo so that the
// three examples behave identically; a gin application would usually keep
// them with github.com/gin-contrib/sessions.
//
// Routes: GET / (the page), POST /login, POST /logout, /rtc/... (the token
// endpoints), GET /api/kinds, GET /api/me and POST /api/decode (signed in),
// POST /webhooks/<vendor> (the vendors' signed callbacks; see core/config
// for their RTCTOKEN_* secrets, generated and printed in the demo).
// Every answer, an unknown route or a wrong method included, is JSON in
// the contract's error envelope (but for the page and its assets) and
// carries Cache-Control: no-store.
package main

import (
	"fmt"
	"log"
	"net/http"
	"os"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/ginmw"
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
	log.Printf("gin demo on http://%s", env.Settings.Addr)
	log.Fatal(demo.ListenAndServe(env.Settings.Addr, app))
}

// newApp builds the demo app on env.
func newApp(env *demo.Env) (*gin.Engine, error) {
	cors, err := ginmw.CORS(env.Settings.CORS)
	if err != nil {
		return nil, err
	}
	r := gin.New()
	// gin answers an unknown route, a wrong method and a panic by itself,
	// in plain text or with an empty body: these handlers answer them in
	// the error envelope. A path with an extra trailing slash is not
	// redirected but unknown.
	r.HandleMethodNotAllowed = true
	r.RedirectTrailingSlash = false
	r.NoRoute(func(c *gin.Context) { ginmw.WriteResponse(c, demo.NotFound()) })
	r.NoMethod(func(c *gin.Context) {
		// gin has set the Allow header to the methods the route serves.
		ginmw.WriteResponse(c, demo.MethodNotAllowed(c.Writer.Header().Get("Allow")))
	})
	r.Use(gin.CustomRecovery(func(c *gin.Context, err any) {
		ginmw.WriteResponse(c, env.Error(c.Request.Context(), fmt.Errorf("panic: %v", err)))
		c.Abort()
	}))
	r.GET("/", func(c *gin.Context) { ginmw.WriteResponse(c, demo.Page()) })
	r.GET(demo.AssetsPrefix+"*name", func(c *gin.Context) {
		ginmw.WriteResponse(c, demo.Asset(strings.TrimPrefix(c.Param("name"), "/")))
	})
	r.POST("/login", func(c *gin.Context) {
		resp, cookie := env.Login(ginmw.View(c), c.Request.Body, c.Request.TLS != nil)
		writeWithCookie(c, resp, cookie)
	})
	r.POST("/logout", func(c *gin.Context) {
		resp, cookie := env.Logout(ginmw.View(c), c.Request.TLS != nil)
		writeWithCookie(c, resp, cookie)
	})

	// The token endpoints; the user comes from the session cookie.
	ginmw.Mount(r.Group("/rtc", cors), env.API)
	mountWebhooks(r, env)

	r.GET("/api/kinds", func(c *gin.Context) { ginmw.WriteResponse(c, env.Kinds()) })
	signedIn := r.Group("/api", requireUser(env))
	signedIn.GET("/me", ginmw.Attach(env.API), func(c *gin.Context) {
		bundle, _ := ginmw.Credentials(c)
		ginmw.WriteResponse(c, env.Me(userOf(c), bundle))
	})
	signedIn.POST("/decode", func(c *gin.Context) {
		ginmw.WriteResponse(c, env.ServeDecode(ginmw.View(c), c.Request.Body))
	})
	return r, nil
}

const userKey = "demo.user"

// requireUser refuses requests without a live session with 401 and puts
// the user in the gin context.
func requireUser(env *demo.Env) gin.HandlerFunc {
	return func(c *gin.Context) {
		u, err := env.Authenticate(ginmw.View(c))
		if err != nil {
			ginmw.WriteResponse(c, env.Error(c.Request.Context(), err))
			c.Abort()
			return
		}
		c.Set(userKey, u)
		c.Next()
	}
}

func userOf(c *gin.Context) demo.User {
	v, _ := c.Get(userKey)
	u, _ := v.(demo.User)
	return u
}

func writeWithCookie(c *gin.Context, resp httpapi.Response, cookie *http.Cookie) {
	if cookie != nil {
		http.SetCookie(c.Writer, cookie)
	}
	ginmw.WriteResponse(c, resp)
}
