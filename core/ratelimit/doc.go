// Package ratelimit provides rate limiters for rtctoken: [Memory], token
// buckets kept in the process, and (in the redislimit sub-package) a GCRA
// limiter in Redis that several app instances share. Both implement
// httpapi.Limiter, which httpapi asks before every issuance, once for the
// signed-in user (scope "user") and, when a ClientIP function is configured,
// once for the client address (scope "ip"). A refusal is a
// *httpapi.RateLimitError, served as 429 rate_limited with a Retry-After header.
//
// # Budgets
//
// Every scope has a default budget: a burst and a refill rate. Without
// options a user may make 20 requests at once and then one every 3 seconds,
// and an address 100 at once and then 2 a second. A provider kind (or a whole
// provider) can get a budget of its own with [WithKindLimit]; its requests
// then never draw from the default budget. [Per] says whether the kinds under
// one budget share a bucket per subject (Per(Subject), the default) or get one
// bucket each (Per(Kind)).
//
//	lim, err := ratelimit.NewMemory(
//		ratelimit.WithLimit("user", rate.Every(2*time.Second), 10),
//		ratelimit.WithKindLimit("zoom", "meeting", rate.Every(time.Minute), 3),
//		ratelimit.Per(ratelimit.Kind),
//	)
//	if err != nil {
//		return err
//	}
//	api, err := httpapi.New(httpapi.Config{
//		Service:  svc,
//		Resolver: resolver,
//		Limiter:  lim,
//		ClientIP: httpapi.RemoteIP(),
//	})
//
// # Memory
//
// Memory is bounded whatever the traffic: keys are 64-bit hashes, a key
// whose bucket has refilled is dropped (it carries no information), and the
// number of keys never exceeds [WithMaxKeys] (1,000,000 by default, about
// 120 bytes each). Its budgets are per process: N instances allow N times the
// budget.
package ratelimit
