// Package livekit issues and verifies LiveKit access tokens, the token a
// LiveKit client SDK connects to a room with (room.connect(serverUrl,
// token)).
//
// A token is a compact JWS signed with HMAC-SHA256 under the UTF-8 bytes of
// the API secret: the header {"alg":"HS256","typ":"JWT"} and a payload
// with iss (the API key), sub (the participant identity), exp, nbf, iat
// and LiveKit's claims (name, metadata, attributes, the video grant...),
// as encoding/json writes Claims, the byte layout livekit/protocol's
// AccessToken.ToJWT writes too. There is no kid: a verifier picks the
// secret by iss.
//
// The Provider plugs into core.Service:
//
//	p, err := livekit.New(livekit.Config{
//		APIKey:    os.Getenv("LIVEKIT_API_KEY"),
//		APISecret: core.NewSecret(os.Getenv("LIVEKIT_API_SECRET")),
//		ServerURL: "wss://my-project.livekit.cloud",
//	})
//	if err != nil {
//		return err
//	}
//	svc, err := core.NewService([]core.Provider{p})
//	if err != nil {
//		return err
//	}
//	cred, err := svc.Issue(ctx, core.Identity{UserID: "u42", DisplayName: "Ada"},
//		core.Request{Provider: "livekit", Kind: livekit.KindRoom, Room: "standup", Role: livekit.RolePublisher})
//	// cred.Join: {"serverUrl": ..., "token": ..., "roomName": "standup", "identity": "u42"}
//
// Kind "room": a token to join one room (roomJoin with room), for roles
// subscriber (the default), publisher and admin (roomAdmin, elevated).
// The participant name is the identity's display name; metadata and
// attributes come from the host, through the identity (Config's
// MetadataAttribute and Attributes) or through elevated options, because
// apps use them for roles. Every grant beyond joining one room (creating,
// listing or recording rooms, ingress administration, hidden and recorder
// participants, agents, updating one's own metadata, metrics, moving
// participants, room configuration and presets, SIP) is an elevated
// option: core.Service.Issue refuses it unless a core.AllowElevated grant
// allows it.
//
// Lifetimes run from 1 minute to 24 hours, 1 hour by default, where
// LiveKit issues 6 hours by default with no maximum (see MaxTTL for why).
// A connected participant is unaffected by expiry: livekit-server checks
// a token when the participant connects and refreshes a connected
// client's token by itself, every few minutes.
//
// Parse decodes a token without a key, for inspection; Verify checks it
// with core.Keys against a core.Expect, accepting from nbf - 1 min to
// exp + 1 min (LiveKit's leeway) and requiring exp, as LiveKit's verifier
// does. The Provider's Verify picks the key pair by iss among the
// configured ones.
package livekit
