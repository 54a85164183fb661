// Package core is the framework-free heart of rtctoken.
//
// It defines who the user is ([Identity]), what a caller asks for ([Request]),
// what comes back ([Credential]), the interface every vendor engine implements
// ([Provider]), and the [Service] that composes the configured providers,
// applies the time-to-live policy and returns typed errors ([*Error]) whose
// stable codes name the offending field.
//
// Vendor engines live in sub-packages (core/tencent, core/agora, core/zoom,
// core/zego); each depends only on the standard library and this package.
// Web adapters (nethttp, ginmw, fibermw) translate requests into calls on a
// [Service]; none of that logic lives here twice.
//
// Time and randomness are injectable ([WithClock], [WithRand]) so that tests
// are deterministic; production uses time.Now and crypto/rand.
package core
