// Package usersig is the byte-exact Tencent Cloud UserSig format
// (TLSSigAPIv2, HMAC-SHA256) and its TRTC PrivateMapKey userbuf, for code
// that needs the vendor generators' exact output or fields. Applications
// use the parent package tencent, whose Provider, Parse and Verify are
// built on this one.
//
// A UserSig is the zlib-compressed JSON document {TLS.ver, TLS.identifier,
// TLS.sdkappid, TLS.expire, TLS.time, [TLS.userbuf], TLS.sig} written in
// Tencent's base64 variant ('*', '-', '_' for '+', '/', '='). TLS.sig is
// the HMAC-SHA256, keyed with the console's secret key, of the lines
// "TLS.identifier:…\nTLS.sdkappid:…\nTLS.time:…\nTLS.expire:…\n" plus
// "TLS.userbuf:<base64>\n" when a userbuf is given. A PrivateMapKey is a
// UserSig whose userbuf is a [PrivateMap]: the room and a privilege bit
// map.
//
// [Signer] reproduces the official Go generator byte for byte, in its
// current layout ([StyleGo14]) or that of v1.3 and earlier ([StyleGo13]),
// and takes the issuance time as an argument. [Decode] accepts the output
// of every official generator; [Claims.VerifySignature] checks its
// signature.
package usersig
