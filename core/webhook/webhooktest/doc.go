// Package webhooktest is the conformance table of the webhook receivers
// (core/webhook) over real HTTP: every web adapter (nethttp, ginmw,
// fibermw, and any adapter written outside this module) runs it on
// 127.0.0.1 with
//
//	func TestWebhooks(t *testing.T) { webhooktest.Run(t, start) }
//
// where start is a [Start]: it builds a fresh app with the adapter's
// webhook handler for the given receiver mounted at the given path, for
// every method, serves it on a listener at 127.0.0.1:0 until the test ends
// (t.Cleanup) and returns the base URL. The handler must hand the
// receiver the request view (with RawQuery, the URL's raw query) and the
// body exactly as received, never inflated, and write the receiver's
// answer back: its headers, its status and its body.
//
// Run signs each request with the signers of this package (AgoraHeaders,
// TencentChatQuery, TRTCHeaders, ZoomHeaders, ZegoBody,
// LiveKitAuthorization), written from the vendors' documentation apart
// from core/webhook, and checked against published or vendor-made known
// answers; the table is therefore a second opinion on the
// schemes as well as a test of the adapter. It covers, per scheme, a
// signed event dispatched with its type, id and raw payload and answered
// with the vendor's expected acknowledgement, a forged signature (401
// invalid_signature), a stale one (401 stale) and a malformed request
// (400 malformed); then duplicate deliveries (acknowledged, dispatched
// once), a failing handler (500, and the vendor's retry dispatched), a
// wrong method (405), an encoded body and a compression bomb (415, with a
// bound on what the process allocates), bodies at and over the cap, with
// and without Content-Length (413), Zoom's endpoint.url_validation
// (answered only when signed) and Tencent Chat's signed query. Every audit
// line is checked for leaks: no secret, no signature and no payload text.
//
// Every secret here is a test-only constant: never configure one in a
// deployment.
package webhooktest
