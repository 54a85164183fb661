// Package demo is the wiring shared by the runnable examples
// (examples/nethttp, examples/gin, examples/fiber): the vendor
// configuration, demo users, sessions, presets, the logic of the examples'
// own endpoints and the demo page. Each example only translates between
// its framework and an [Env], so the three behave identically.
//
// The vendors are configured from the RTCTOKEN_* environment variables
// (see core/config). When none is set, [New] generates random credentials
// for all four vendors and prints them with a warning: the tokens are
// well-formed and verify locally, but no vendor accepts them.
//
// The examples' routes:
//
//	GET  /                 the demo page (Page), assets under /static/ (Asset)
//	POST /login            {"username","password"} -> session cookie and {"user","rtc"}
//	POST /logout           ends the session
//	     /rtc/...          the token endpoints (core/httpapi), resolved from the session cookie
//	GET  /api/kinds        what each configured kind takes (for the page)
//	GET  /api/me           signed in; behind Attach: {"user","rtc"}
//	POST /api/decode       signed in; {"provider","kind","token"} -> Decoded
//
// Every answer carries Cache-Control: no-store, and every error, the
// frameworks' own included (an unknown route: [NotFound]; a wrong method:
// [MethodNotAllowed]; a body or request the framework refused: [HostError]),
// is in the contract's JSON error envelope.
//
// Demo users are alice / alice-password and bob / bob-password. The user
// and session stores are deliberately simple in-memory demos.
package demo
