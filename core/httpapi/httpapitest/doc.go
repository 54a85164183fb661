// Package httpapitest is the conformance suite of the HTTP contract in
// core/httpapi: the one behaviour table that every web adapter (nethttp,
// ginmw, fibermw, and any adapter written outside this module) passes over
// real HTTP on 127.0.0.1, plus the fixture it runs on.
//
// The fixture is a service with the four providers on test-only keys, a host
// authorizer, two presets (Presets) and a resolver chain with one resolver of
// each kind: a request-scoped value under UserKey, a bearer JWT, a trusted
// proxy header, a session cookie and a plain function. NewAPI builds it.
//
// # Testing an adapter
//
// An adapter for another router proves itself with two tests:
//
//	func TestConformance(t *testing.T) { httpapitest.Run(t, start) }
//	func TestAbuse(t *testing.T)       { httpapitest.RunAbuse(t, start) }
//
// where start is a [Start]: given an *httpapi.API, it builds a fresh app
// around it and serves it on a listener at 127.0.0.1:0 until the test ends
// (t.Cleanup), returning the base URL ("http://127.0.0.1:port"). The suite
// calls start several times, with APIs configured differently; the peer must
// be loopback, because the trusted-header and per-IP checks rely on it. The
// app is the adapter plus a few host routes:
//
//   - The request view: an [httpapi.Request] over the router's request.
//     Method is the HTTP method; Context the request's context.Context (the
//     one the service, the authorizer and the limiter receive); Header the
//     first value of a header or ""; HeaderValues every value of a header,
//     one per header line as received, in order, nil when absent; Cookie a
//     cookie's value; RemoteAddr the TCP peer as "ip:port"; Value a value
//     the host's middleware stored for the request (context value, router
//     key or local), so that Value(UserKey{}) returns what the host
//     identity middleware stored.
//   - The host identity middleware, on every route: when
//     HostIdentity(header) returns an identity, store the core.Identity it
//     points to under UserKey{} the router's way. HostIdentity reads
//     HostUserHeader and a few attribute headers; it stands for the host's
//     own session middleware.
//   - The contract, mounted under /rtc: every method on /rtc and below
//     calls API.Serve with the path below the mount ("/providers",
//     "/agora/rtc", ...) and the request body exactly as received (never
//     inflated; nil when there is none), and writes the Response back:
//     its headers, its status, and its body except for HEAD.
//   - GET /health answering "ok"; any other unknown host path answers 404.
//   - GET /me behind the adapter's Attach middleware (API.Attach; on an
//     error write API.ErrorResponse), answering the attached *httpapi.Bundle
//     as JSON, or {"credentials":null} when none is attached.
//   - POST /login: API.Login for core.Identity{UserID: <the X-Login-User
//     header>}, answering {"user": <that id>, "rtc": <the bundle>} as JSON.
//
// Run sends the behaviour table (Cases: every kind, each resolver, the
// authorizer, bad input, batches, request bodies, repeated headers, the
// cache of presets) and checks the host routes, Attach and Login; RunAbuse
// sends the bad-input suite (AbuseCases) and checks that every request gets
// its documented 4xx and that the service still serves afterwards. Case and
// Do send further requests of an adapter's own tests; CheckCORS checks an
// adapter's CORS middleware; VerifyCredential checks an issued credential
// with its provider's verifier.
//
// The package uses the standard library, rtctoken's core and golang-jwt, and
// no web framework, so the tests of an adapter for any router can import it. Every key in it is a
// test-only constant: never configure one in a deployment.
package httpapitest
