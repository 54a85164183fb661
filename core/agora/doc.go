// Package agora issues and verifies Agora AccessToken2 ("007") tokens for
// RTC (video and voice calling), RTM (Signaling) and Agora Chat; its
// format package accesstoken also verifies legacy "006" tokens.
//
// The [Provider] plugs into a core.Service:
//
//	p, err := agora.New(agora.Config{
//		AppID:          "970CA35de60c44645bbae8a215061b33",
//		AppCertificate: core.NewSecret(os.Getenv("AGORA_APP_CERTIFICATE")),
//	})
//	if err != nil {
//		return err
//	}
//	svc, err := core.NewService([]core.Provider{p})
//	if err != nil {
//		return err
//	}
//	cred, err := svc.Issue(ctx, core.Identity{UserID: "alice"}, core.Request{
//		Provider: "agora", Kind: "rtc", Room: "lobby", Role: "publisher",
//	})
//	// cred.Join: {"appId", "channel", "userAccount": "alice", "token"}
//
// # Kinds
//
// Every kind lasts 60 s to 24 h (Agora's maximum), one hour by default.
//
//   - rtc: room (the channel) required: 1 to 63 bytes of letters, digits,
//     space and !#$%&()+-:;<=.>?@[]^_{|}~, (Agora's channel character set).
//     Roles publisher (join and the three publish privileges) and
//     subscriber (join only; the default); neither is elevated. Options
//     ([RTCOptions], JSON): "id_type" ("uid" or "account"; a user id made
//     only of digits must state it, any other user id is an account),
//     "any_uid" (true: the token is for uid 0, which any uid may use; only
//     with id_type uid), "rtm" (true: add an RTM login for the same user,
//     the account or the decimal uid, lasting as long as the token; the
//     user id must then also be a valid RTM user id, see rtm),
//     "privilege_ttl", "join_ttl", "publish_audio_ttl",
//     "publish_video_ttl", "publish_data_ttl" (seconds, 1 to the token's
//     TTL; a publish TTL for a subscriber is an error). A uid is a decimal
//     number from 1 to 4294967295 without leading zeros; an account is 1
//     to 255 bytes of the channel character set. Join: "appId", "channel",
//     "token", and either "uid" (a uint32: the user's uid, also with
//     any_uid) or "userAccount" (a string), never both, plus "rtmUserId"
//     with rtm. The Web SDK takes the uid or the account as its uid
//     argument; the native SDKs call joinChannel or
//     joinChannelWithUserAccount.
//   - rtm: no room, no role, no options. The user id is the RTM user id:
//     1 to 64 bytes of the same character set, no leading or trailing
//     space, not "null". Join: "appId", "userId", "token".
//   - chat: an Agora Chat user token. No room, role or options. Agora
//     Chat expects the user's Chat uuid here; the host's user id is used
//     as it is, so it must be the Chat user id: 1 to 64 bytes of letters,
//     digits, '_', '-' and '.'. Join: "appId", "userId", "token".
//   - chat_app: the Chat app token for the host's own server (REST API).
//     Server-only (core.Service.IssueServer), no user in the token. Join:
//     "appId", "token".
//
// Privilege and token expiries are seconds after the issue time, as the
// format stores them. [Verify] (and [Provider.Verify], which uses it)
// accepts a token signed with the primary or the secondary certificate,
// checks the app id, that the token holds the kind's service and privilege
// (RTC join, RTM login, Chat user, Chat app), and that neither the token
// nor that privilege has expired (expired when now > issue_ts + expire; 0
// means no limit of its own). [Parse] decodes a token without a
// certificate, for inspection.
//
// # The format package
//
// Package [github.com/rtctoken/rtctoken/core/agora/accesstoken] holds the
// byte-exact AccessToken2 format, every service type included, the
// vendor-mirroring builders, and the legacy "006" token, which cannot be
// verified without its channel and uid and so has no place in [Verify].
package agora
