// Package tencent issues and verifies Tencent Cloud UserSigs (TLSSigAPIv2,
// HMAC-SHA256) for Tencent Cloud Chat (IM) and TRTC, and TRTC
// PrivateMapKeys (room permission tickets).
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
// [Provider] implements core.Provider with the kinds "usersig" and
// "privatemapkey". [Signer] is the low-level generator: it reproduces the
// official Go generator byte for byte, in its current layout
// ([StyleGo14]) or that of v1.3 and earlier ([StyleGo13]), and takes the
// issuance time as an argument. [Verify] and [Decode] accept the output
// of every official generator.
//
//	p, err := tencent.New(tencent.Config{
//		SDKAppID: 1400000000,
//		Key:      core.NewSecret(os.Getenv("TENCENT_SECRET_KEY")),
//	})
//	if err != nil {
//		return err
//	}
//	svc, err := core.NewService([]core.Provider{p})
//	if err != nil {
//		return err
//	}
//	cred, err := svc.Issue(ctx, core.Identity{UserID: "alice"},
//		core.Request{Provider: "tencent", Kind: "usersig"})
//	// cred.Join: {"sdkAppID": 1400000000, "userID": "alice", "userSig": "eAEA…"}
//
// Limits enforced by the provider: user ids of 1 to 32 bytes of letters,
// digits, '_' and '-'; numeric rooms 1..4294967294; string rooms of 1 to
// 64 bytes of letters, digits, space and !#$%&()+-:;<=.>?@[]^_{}|~, ;
// lifetimes of 60 s to 180 days (a core.Service grants 30 days at most
// unless core.WithTTL raises it).
//
// The App Admin accounts (Config.Admins, "administrator" by default) are
// elevated users of both kinds: a UserSig for one of them opens the whole
// Chat REST API, so core.Service.Issue refuses it unless a
// core.AllowElevated grant allows it, and only IssueServer issues it
// otherwise.
package tencent
