// Package zoom issues and verifies Zoom Video SDK and Meeting SDK JWTs, the
// "signature" a Zoom client SDK joins with.
//
// A token is a compact JWS: the header {"alg":"HS256","typ":"JWT"}, the
// claims as JSON in the key order of Zoom's official auth endpoint samples
// with JavaScript JSON.stringify escaping (only '"', '\' and control
// characters are escaped), both base64url without padding, and an
// HMAC-SHA256 of the two keyed with the UTF-8 bytes of the SDK secret. For
// the same claims and time the tokens are byte-identical to the samples'.
//
// The Provider plugs into core.Service:
//
//	p, err := zoom.New(zoom.Config{
//		SDKKey:    os.Getenv("ZOOM_VIDEO_SDK_KEY"),
//		SDKSecret: core.NewSecret(os.Getenv("ZOOM_VIDEO_SDK_SECRET")),
//		Kinds:     []string{zoom.KindVideo},
//	})
//	if err != nil {
//		return err
//	}
//	svc, err := core.NewService([]core.Provider{p})
//	if err != nil {
//		return err
//	}
//	cred, err := svc.Issue(ctx, core.Identity{UserID: "u42", DisplayName: "Ada"},
//		core.Request{Provider: "zoom", Kind: zoom.KindVideo, Room: "Cool Cars"})
//	// cred.Join: {"sessionName": "Cool Cars", "signature": token, "userName": "Ada"}
//
// Kind "video" (Video SDK): the room is the session name (tpc); roles
// participant (role_type 0, default) and host (1, elevated); user_identity
// is the user id. Options (JSON): session_key (string), geo_regions (array
// of AU BR CA CN DE HK IN JP MX NL SG US), cloud_recording_option,
// cloud_recording_election, video_webrtc_mode, audio_webrtc_mode (0 or 1)
// and telemetry_tracking_id (string).
//
// Kind "meeting" (Meeting SDK): the room is the meeting number (9 to 11
// digits), written as the string claim mn with role 0 or 1: a JWT for the
// Meeting SDK for Web. Without a room the token has neither mn nor role: a
// native SDK JWT (only the participant role is allowed then). Option:
// video_webrtc_mode (0 or 1).
//
// Both kinds: exp-iat from 1800 s to 48 h (Zoom's limit), 2 h by default.
// Zoom lower-cases session names: "Cool Cars" and "cool cars" are one
// session. Lengths are counted in UTF-16 code units, as Zoom does.
//
// Zoom's Node samples sign with jsrsasign, which hex-decodes a secret of
// even length made only of hex digits, and takes one byte per UTF-16 unit of
// a non-ASCII secret. For such secrets (real Zoom secrets are mixed-case
// alphanumerics, to which this does not apply) the samples and this package
// (like every RFC 7515 library) produce different signatures; which one
// Zoom accepts is not documented.
//
// Parse decodes a token without a key, for inspection; Verify checks it
// with core.Keys against a core.Expect. The byte-exact format (the claim
// types, Zoom's rules on them, the signer) is package
// github.com/rtctoken/rtctoken/core/zoom/sdkjwt.
package zoom
