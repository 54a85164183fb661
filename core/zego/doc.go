// Package zego issues and verifies ZEGOCLOUD credentials: the Token04 that
// the ZEGO Express SDK takes at loginRoom, and the UIKit Kit Token that
// ZegoUIKitPrebuilt.create takes.
//
// A Token04 is "04" + base64(expire | IV | AES ciphertext of a JSON
// plaintext) keyed with the application's 32-byte ServerSecret. Without a
// room it is a basic token; with a room its payload grants login and,
// for the publisher role, publishing (optionally restricted to listed
// stream ids). Tokens are AES-CBC by default, byte-identical to the
// official Go generator given the same clock and randomness; AES-GCM is
// selectable. A Kit Token is a Token04 + "#" + base64 of the user, room,
// display name and app id, as the UIKit's generateKitTokenForProduction
// builds it.
//
// [Provider] implements core.Provider with the kinds "token04" and "kit".
// [Verify] checks either kind with the ServerSecret; [Parse] reads, without
// it, only what is in the clear: the expiry, the mode and a Kit Token's
// kit part. The byte-exact generators and decoders, which take every
// input including time and randomness explicitly, are in
// core/zego/token04.
//
//	p, err := zego.New(zego.Config{
//		AppID:        1234567890,
//		ServerSecret: core.NewSecret(os.Getenv("ZEGO_SERVER_SECRET")),
//	})
//	if err != nil {
//		return err
//	}
//	svc, err := core.NewService([]core.Provider{p})
//	if err != nil {
//		return err
//	}
//	cred, err := svc.Issue(ctx, core.Identity{UserID: "alice", DisplayName: "Alice"},
//		core.Request{Provider: "zego", Kind: zego.KindKit, Room: "room-1", Role: zego.RolePublisher})
//	// cred.Join: {"appID", "roomID", "userID", "userName", "kitToken"}
//
// Only the Token04 of a Kit Token is authenticated (encrypted with the
// ServerSecret); the kit part is plain base64 anyone can rewrite. So a
// verified Kit Token's user and room are the Token04's: the room is that
// of its room privilege, and a Kit Token around a roomless Token04 proves
// no room at all, whatever its kit part says. A kit part naming another
// user, or another room than the Token04's, is refused (core.ErrMismatch);
// the display name and the rest of the kit part are reported apart, as
// unverified ([Token].Kit, Claims[ClaimKitUnverified]). [Open] decrypts a
// token that Verify refuses, to show what it holds.
//
// Limits (from ZEGO's SDK reference): user ids up to 64 bytes and room ids
// up to 128 bytes of ASCII letters, digits and ~!@#$^&*()_+=-`;',.<>/\
// ('%' is refused, as ZEGO advises for the Web SDK); stream ids up to 256
// bytes of letters, digits, '-' and '_'; display names up to 256 bytes.
// Lifetimes are 1 minute to 24 hours, 1 hour by default.
package zego
