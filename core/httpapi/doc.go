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
// the authorizer allows it. Errors always have the shape
//
//	{"error":{"code":"invalid_room","message":"...","field":"room"}}
//
// with 400 for bad input, 401 unauthenticated, 403 forbidden, 404
// unknown_provider / unknown_kind / not_found, 405 with Allow, 413 for a body
// over the limit, 415 for a non-JSON body, 429 rate_limited with Retry-After,
// 503 unavailable and 500 internal (details go to the log only). Every
// response carries Cache-Control: no-store.
//
// An adapter implements [Request] for its framework, calls [API.Serve] with
// the path below the mount point and writes the [Response] back. [API.Attach]
// and [API.Login] provide the configured presets for middleware and login
// handlers.
package httpapi
