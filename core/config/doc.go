// Package config reads the vendors' configuration from environment
// variables, with each secret also readable from a file (container and
// Kubernetes secrets), and builds the providers:
//
//	cfg, err := config.FromEnv()
//	if err != nil {
//		return err // names the variable, never its value
//	}
//	providers, err := cfg.Providers()
//	if err != nil {
//		return err
//	}
//	svc, err := core.NewService(providers)
//
// The variables (Vars lists them with descriptions):
//
//	RTCTOKEN_TENCENT_SDKAPPID                 required  decimal SDKAppID
//	RTCTOKEN_TENCENT_KEY                      required  secret
//	RTCTOKEN_TENCENT_KEY_SECONDARY            optional  secret, for rotation
//	RTCTOKEN_TENCENT_ADMINS                   optional  App Admin user ids, comma-separated (default administrator)
//	RTCTOKEN_AGORA_APP_ID                     required  32 hex characters
//	RTCTOKEN_AGORA_APP_CERTIFICATE            required  secret
//	RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY  optional  secret, for rotation
//	RTCTOKEN_AGORA_COMPRESSION                optional  "fast" (default) or "zlib" (Agora's own bytes)
//	RTCTOKEN_ZOOM_SDK_KEY                     required
//	RTCTOKEN_ZOOM_SDK_SECRET                  required  secret
//	RTCTOKEN_ZOOM_SDK_SECRET_SECONDARY        optional  secret, for rotation
//	RTCTOKEN_ZOOM_KINDS                       optional  "video", "meeting" or both
//	RTCTOKEN_ZEGO_APP_ID                      required  decimal AppID
//	RTCTOKEN_ZEGO_SERVER_SECRET               required  secret
//	RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY     optional  secret, for rotation
//	RTCTOKEN_ZEGO_MODE                        optional  "cbc" (default) or "gcm"
//	RTCTOKEN_LIVEKIT_API_KEY                  required  API key
//	RTCTOKEN_LIVEKIT_API_SECRET               required  secret, at least 32 characters
//	RTCTOKEN_LIVEKIT_API_KEY_SECONDARY        optional  second API key, for rotation (default the API key)
//	RTCTOKEN_LIVEKIT_API_SECRET_SECONDARY     optional  secret of the second key, for rotation
//	RTCTOKEN_LIVEKIT_URL                      required  wss:// URL clients connect to
//	RTCTOKEN_TWILIO_ACCOUNT_SID               required  AC...
//	RTCTOKEN_TWILIO_API_KEY_SID               required  SK...
//	RTCTOKEN_TWILIO_API_KEY_SECRET            required  secret
//	RTCTOKEN_TWILIO_API_KEY_SID_SECONDARY     optional  second API key SID, for rotation (default the API key)
//	RTCTOKEN_TWILIO_API_KEY_SECRET_SECONDARY  optional  secret of the second key, for rotation
//	RTCTOKEN_TWILIO_CHAT_SERVICE_SID          optional  IS..., enables kind chat
//	RTCTOKEN_TWILIO_CHAT_ROLE_SID             optional  RL..., the chat tokens' deployment role
//	RTCTOKEN_TWILIO_SYNC_SERVICE_SID          optional  IS..., enables kind sync
//	RTCTOKEN_TWILIO_VOICE_APP_SID             optional  AP..., outgoing calls of voice tokens
//	RTCTOKEN_TWILIO_REGION                    optional  twr header: us1, ie1, au1...
//
// A vendor is enabled when any of its variables is set, and must then be
// complete; "required" means required for an enabled vendor. An empty
// variable counts as unset. Every secret variable has a twin with the
// suffix _FILE (RTCTOKEN_AGORA_APP_CERTIFICATE_FILE=/run/secrets/agora)
// naming a file that holds the value; trailing newlines are trimmed and
// setting both the variable and its twin is an error.
//
// Load reports every problem of every vendor at once: missing and
// malformed variables, and the values a vendor's constructor rejects (its
// *core.ConfigError names a Config field, which Var.Field maps back to
// the variable). Errors are *VarError values wrapping core.ErrConfig. They
// name the variable and never contain a value; a file problem names neither the
// path nor the content, in case a secret was put in a _FILE variable.
//
// # Webhook receivers
//
// LoadWebhooks (WebhooksFromEnv) reads the receivers of the vendors'
// signed callbacks (core/webhook) by the same rules, and Webhooks.Schemes
// builds their schemes, keyed by vendor, to mount at /webhooks/<vendor>
// (WebhookVars lists the variables with descriptions):
//
//	RTCTOKEN_AGORA_NCS_SECRET                 required  secret (Agora Notifications)
//	RTCTOKEN_AGORA_NCS_SECRET_SECONDARY       optional  secret, for rotation
//	RTCTOKEN_AGORA_NCS_WINDOW                 optional  duration (default 5m)
//	RTCTOKEN_TENCENT_CALLBACK_TOKEN           required  secret (Tencent Chat)
//	RTCTOKEN_TENCENT_CALLBACK_TOKEN_SECONDARY optional  secret, for rotation
//	RTCTOKEN_TENCENT_CALLBACK_WINDOW          optional  duration (default and most 60s)
//	RTCTOKEN_TENCENT_CALLBACK_SDKAPPID        optional  decimal SDKAppID the callbacks name (default RTCTOKEN_TENCENT_SDKAPPID)
//	RTCTOKEN_TRTC_CALLBACK_KEY                required  secret (TRTC)
//	RTCTOKEN_TRTC_CALLBACK_KEY_SECONDARY      optional  secret, for rotation
//	RTCTOKEN_TRTC_CALLBACK_WINDOW             optional  duration (default 2m)
//	RTCTOKEN_TRTC_CALLBACK_SDKAPPID           optional  decimal SDKAppID the callbacks name (default RTCTOKEN_TENCENT_SDKAPPID)
//	RTCTOKEN_ZOOM_WEBHOOK_SECRET              required  secret (Zoom Secret Token)
//	RTCTOKEN_ZOOM_WEBHOOK_SECRET_SECONDARY    optional  secret, for rotation
//	RTCTOKEN_ZOOM_WEBHOOK_WINDOW              optional  duration (default 5m)
//	RTCTOKEN_ZEGO_CALLBACK_SECRET             required  secret (ZEGOCLOUD callbacks)
//	RTCTOKEN_ZEGO_CALLBACK_SECRET_SECONDARY   optional  secret, for rotation
//	RTCTOKEN_ZEGO_CALLBACK_WINDOW             optional  duration (default 5m)
//	RTCTOKEN_LIVEKIT_WEBHOOK                  required  "1": LiveKit webhooks, on RTCTOKEN_LIVEKIT_API_KEY and _API_SECRET
//	RTCTOKEN_LIVEKIT_WEBHOOK_LEEWAY           optional  duration (default 60s)
//
// A receiver is enabled when any of its variables is set, and must then
// have its secret; every secret has a _FILE twin. The Tencent Chat and
// TRTC receivers check the application id their callbacks name against
// their _CALLBACK_SDKAPPID variable or, unset, RTCTOKEN_TENCENT_SDKAPPID.
// The latter also enables the Tencent token provider in Load (and so needs
// RTCTOKEN_TENCENT_KEY there): a deployment that only receives Tencent
// callbacks sets the receivers' own variables. A window is how far a
// callback's signed time may be from now, either way.
//
// Reading the environment is the host's explicit choice: nothing in
// rtctoken calls FromEnv by itself, and Load takes any lookup function.
package config
