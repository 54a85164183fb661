// Package httpapi is rtctoken's HTTP contract, written once with the standard
// library and used by every web adapter (nethttp, ginmw, fibermw).
//
// Mounted under a prefix the host chooses (the examples use /rtc):
//
//	GET  {prefix}/providers          what is configured (never a secret)
//	POST {prefix}/{provider}/{kind}  one credential; the same call again renews it
//	POST {prefix}/batch              several credentials, all or nothing (at most 16)
//
// A request body is a JSON object, possibly empty:
//
//	{"room":"chan1","role":"publisher","ttl":3600,"options":{...}}
//
// The user always comes from the configured resolver, never from the body; a
// body naming another user ("user_id") is refused with invalid_user unless
// the service's core.AllowUser grant allows it. Errors always have the shape
//
//	{"error":{"code":"invalid_room","message":"...","field":"room"}}
//
// with 400 for bad input, 401 unauthenticated, 403 forbidden, 404
// unknown_provider / unknown_kind / not_found, 405 with Allow, 413 for a body
// over the limit, 415 for a non-JSON or encoded body, 429 rate_limited with Retry-After,
// 503 unavailable and 500 internal (details go to the log only). Every
// response carries Cache-Control: no-store.
//
// # Request bodies
//
// Every POST must say Content-Type: application/json (or application/*+json),
// an empty body included, and must not be encoded: a Content-Encoding other
// than identity (gzip, deflate, br, nested or not, on any header line) is
// refused with 415 unsupported_media_type, field "Content-Encoding"; a
// missing or other type with 415, field "Content-Type". Both are decided on
// the headers alone, before the body is read and before the resolver runs,
// so they hold for anonymous and signed-in callers alike. The first rule
// means a few hundred compressed bytes can never become megabytes in the
// server; the second means no HTML form or other cross-site "simple"
// request can reach the contract with a victim's cookie, because a browser
// sends application/json from another origin only after a CORS preflight.
// Adapters pass the body exactly as received (fiber's c.Body() would
// inflate it: fibermw reads the raw body).
//
// # Order of checks and the rate budget
//
// A POST is checked in this order: method (405); Content-Encoding and
// Content-Type (415); identity (401); body size (413); JSON form (400);
// provider and kind (404, server-only kinds included); the rate limit
// (429, or 503 when a shared limiter is down); then the service: the
// kind's rules (400 invalid_room, invalid_ttl, ...), the identity and
// elevation checks and the authorizer (400 invalid_user, 403). Every
// refusal before the rate limit is free; a request that reaches it spends
// one unit of the caller's "user" budget and, with Config.ClientIP, of its
// "ip" budget (in that order; the first refusal stops), whatever the
// service answers next, so probing the policy costs budget. A batch spends
// one unit per item, after every item's provider and kind were checked;
// a refusal stops it, and the units already spent stay spent. The presets
// issued by [API.Attach] and [API.Login] are not rate limited: they are at
// most one issuance per preset per user and renewal, through the cache.
//
// # The authorizer's context
//
// The context the service (and so the authorizer and the limiter) receives
// is the request's: r.Context() in net/http, c.Request.Context() in gin
// (not the *gin.Context), c.UserContext() in fiber (not c.Context(), the
// fasthttp context). Values a host middleware stores in gin keys or fiber
// locals are not in it; the resolvers see them through [Request].Value.
//
// # Logging
//
// Config.Logger receives everything: one "rtctoken issued" or "rtctoken
// refused" line per POST to an issuing endpoint (and per preset issued by
// Attach or Login), with provider, kind, user, room (the requested one on a refusal, the
// issued one otherwise; empty when the body was not read), ttl (seconds),
// outcome, code and latency_ms (a float number of milliseconds), never a
// token or a secret. A batch logs one line per credential, or one refusal
// with provider "batch" and the room of the item at fault. Levels say whose
// problem it is: issuances and the client's mistakes (every 4xx refusal,
// rate limiting and a cancelled request included) are INFO; an unavailable
// dependency is WARN; internal errors, and resolver errors that are not a
// *core.Error with code unauthenticated, are ERROR, with the detail that
// the client never sees. A preset that Attach or Login cannot issue also
// logs "rtctoken preset not issued" at WARN (the host configured it for its
// own users; ERROR when internal). New hands the logger to the Resolver, Limiter and
// Observer that implement [LoggerSetter]; the Redis limiter does.
//
// Error messages are JSON written without HTML escaping: "a<b&c" is sent as
// such, not as "a\u003cb\u0026c".
//
// An adapter implements [Request] for its framework, calls [API.Serve] with
// the path below the mount point and writes the [Response] back. [API.Attach]
// and [API.Login] provide the configured presets for middleware and login
// handlers. Package httpapitest is the conformance suite an adapter passes,
// in or outside this module; its example is a complete adapter for chi.
package httpapi
