// Package accesstoken is the byte-exact Agora AccessToken2 ("007") format
// and the vendor's token builders, for code that needs more than the
// agora Provider: services this module does not issue (Streaming, FPA,
// FCDN, APaaS, RTM2 with its permissions; unknown types are kept as raw
// bytes), explicit privilege expires, or the legacy "006" token.
//
// [AccessToken2] and [Service] model the format. [Builder] mirrors the
// vendor's builders with explicit time and randomness. [Parse], [Verify],
// [ParseLegacy006] and [VerifyLegacy006] decode and check tokens; every
// error wraps core.ErrMalformed, core.ErrSignature, core.ErrMismatch or
// core.ErrExpired, and decoding allocates in proportion to the token's
// length. Most hosts need only the parent package agora, whose Parse and
// Verify share their signatures with the other vendor packages.
//
// Tokens are byte-for-byte those of Agora's Go generator: compress/zlib at
// the default level. The writer (about 800 KB of state) is pooled and
// reused through Reset instead of being created for every token.
package accesstoken
