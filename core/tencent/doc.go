// Package tencent issues and verifies Tencent Cloud UserSigs (TLSSigAPIv2,
// HMAC-SHA256) for Tencent Cloud Chat (IM) and TRTC, and TRTC
// PrivateMapKeys (room permission tickets).
//
// A UserSig is zlib-compressed JSON in a base64 variant, signed with
// HMAC-SHA256 but not encrypted: [Parse] reads every field, the userbuf
// of a PrivateMapKey (room and privilege map) included, without the key.
// [Verify] checks a token against core.Keys and a core.Expect and accepts
// the output of every official generator.
//
// [Provider] implements core.Provider with the kinds "usersig" and
// "privatemapkey". The byte-exact format (the official Go generator's
// layouts, the userbuf, the TLS.* claims) is the subpackage usersig.
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
