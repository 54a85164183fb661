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
// A token's content and signature are byte-for-byte those of Agora's
// generators. Its compressed bytes are the package's own deflate encoder's
// by default (see [CompressFast]), several times faster than compress/zlib
// and never longer than its output on the test vectors; Agora's servers
// inflate tokens and never compare compressed bytes. [CompressZlib] gives
// the bytes of Agora's Go generator (compress/zlib at the default level,
// its writer pooled and reused through Reset).
package accesstoken
