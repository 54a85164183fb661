// Package token04 is the byte-exact ZEGOCLOUD format code behind
// core/zego: the Token04 that the ZEGO Express SDK takes at loginRoom, its
// room privilege payload, and the UIKit Kit Token.
//
// A Token04 is "04" + base64(expire | IV | AES ciphertext of a JSON
// plaintext) keyed with the application's 32-byte ServerSecret. Tokens are
// AES-CBC by default, byte-identical to the official Go generator given
// the same clock and randomness ([Generate] takes every input, including
// time and randomness, explicitly); AES-GCM is selectable. A Kit Token is
// a Token04 + "#" + base64 of the user, room, display name and app id, as
// the UIKit's generateKitTokenForProduction builds it ([KitToken]).
//
// Only the Token04 is authenticated. [VerifyKit] relates the kit part to
// it: the room of a Kit Token is the room of its Token04's room privilege,
// and everything else the kit part says is reported apart, as unverified
// ([VerifiedKit].Unverified).
//
// Most programs use core/zego, which implements core.Provider on top of
// this package.
package token04
