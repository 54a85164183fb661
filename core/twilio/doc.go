// Package twilio issues and verifies Twilio Access Tokens, the token the
// Twilio Video, Voice, Conversations and Sync client SDKs start with.
//
// A token is a compact JWS signed with HMAC-SHA256 under the UTF-8 bytes of
// an API key's secret: the header {"alg":"HS256","cty":"twilio-fpa;v=1",
// "typ":"JWT"} (plus "twr" with a region) and the payload exp, grants
// (identity and one product grant), iss (the API key SID), jti (<key
// SID>-<issued at>), nbf and sub (the Account SID), with sorted keys: the
// bytes twilio-go writes for the same claims.
//
// The Provider plugs into core.Service:
//
//	p, err := twilio.New(twilio.Config{
//		AccountSID:   os.Getenv("TWILIO_ACCOUNT_SID"),
//		APIKeySID:    os.Getenv("TWILIO_API_KEY_SID"),
//		APIKeySecret: core.NewSecret(os.Getenv("TWILIO_API_KEY_SECRET")),
//	})
//	if err != nil {
//		return err
//	}
//	svc, err := core.NewService([]core.Provider{p})
//	if err != nil {
//		return err
//	}
//	cred, err := svc.Issue(ctx, core.Identity{UserID: "u42"},
//		core.Request{Provider: "twilio", Kind: twilio.KindVideo, Room: "standup"})
//	// cred.Join: {"token": ..., "name": "standup"}: Video.connect(token, {name})
//
// Kinds: "video" (one room; a grant for every room of the account is the
// elevated option any_room), "voice" (incoming calls, and outgoing calls
// through the TwiML application of the configuration, with its
// parameters), "chat" (the Conversations service and deployment role of
// the configuration) and "sync" (the Sync service of the configuration).
// Nothing a grant opens comes from the request but the video room; the
// identity is always the signed-in user's.
//
// Lifetimes run from 3 minutes to 24 hours (Twilio's maximum), 1 hour by
// default. twilio-go raises anything shorter than an hour to an hour and
// issues tokens Twilio will refuse; this package does neither. Renewal:
// Voice, Conversations and Sync clients take a fresh token with
// updateToken; a connected Twilio Video room does not, so a Video token
// only has to last until the connect.
//
// Parse decodes a token without a key, for inspection; Verify checks it
// with core.Keys against a core.Expect by the rules Twilio documents
// (HS256, cty, exp required, at most 24 h, identity present); the
// Provider's Verify picks the key by iss and requires its account in sub.
package twilio
