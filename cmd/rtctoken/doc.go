// Command rtctoken issues, inspects and serves real-time-communication
// credentials: Tencent UserSigs and PrivateMapKeys, Agora AccessToken2, Zoom
// Video SDK and Meeting SDK JWTs, ZEGO Token04 and UIKit Kit Tokens, LiveKit
// and Twilio access tokens.
//
//	rtctoken issue <provider> <kind> --user ID [flags]   mint a credential
//	rtctoken inspect [flags] TOKEN|-                     decode and verify a token
//	rtctoken serve                                       run the token endpoints
//	rtctoken help [command]
//
// Keys come from the same environment variables as the library's
// config.FromEnv (RTCTOKEN_AGORA_APP_ID, RTCTOKEN_AGORA_APP_CERTIFICATE or
// RTCTOKEN_AGORA_APP_CERTIFICATE_FILE, ...); issue and inspect also take
// --app-id, --secret and --secret-file, which override the variables of the
// provider at hand. No command prints a secret.
//
// # issue
//
// issue mints one credential through core.Service.IssueServer: the same
// validation as the HTTP endpoints, without the authorizer, so server-only
// kinds (agora chat_app) and elevated roles (zoom host) are allowed. It
// prints the credential as JSON, or only the token with --plain:
//
//	rtctoken issue agora rtc --user alice --room chan1 --role publisher --ttl 2h
//	rtctoken issue zoom video --user u42 --name Ada --room "Cool Cars" --plain
//	rtctoken issue agora rtc --user 42 --room chan1 --options '{"id_type":"uid"}'
//	rtctoken issue livekit room --user alice --room standup --role publisher
//	rtctoken issue twilio video --user alice --room DailyStandup
//
// Flags: --user (required), --room, --role, --ttl (seconds or a duration),
// --options (the kind's JSON options), --name (display name), --plain.
//
// # inspect
//
// inspect tells the format of a token (from stdin with "-"), prints its
// claims, its issue and expiry times in local time and UTC and how long it
// remains valid (or how long ago it expired), and with the provider's secret
// checks the signature (primary, then secondary secret), the app id, the user
// (--user), the room (--room), the consistency of the claims and the expiry
// (now, or --at). --json prints a machine-readable report. Without a secret
// the claims are decoded but not authenticated; a ZEGO Token04 is encrypted,
// so only its expiry is readable without the ServerSecret. A legacy Agora 006
// token signs its channel and uid, so its signature is checked only with
// --room and --user. A LiveKit or Twilio token must name the API key of the
// secret that signed it (iss); the app id is LiveKit's API key and Twilio's
// Account SID, and inspect notes LiveKit's elevated grants and a Twilio video
// grant that opens every room.
//
//	echo "$TOKEN" | rtctoken inspect --user alice -
//	rtctoken inspect --json --secret-file /run/secrets/agora "$TOKEN"
//
// # Exit codes
//
//	0  success; inspect: valid, or decoded with no check failing
//	1  inspect: bad signature (signed with another secret); issue, serve: failure
//	2  usage error, invalid request (issue), malformed token (inspect)
//	3  inspect: mismatch (another app id, user or room, inconsistent claims)
//	4  inspect: expired
//	5  configuration error (missing or invalid variable or flag, no provider)
//
// When several checks of inspect fail, the code is that of the first of:
// malformed (2), configuration (5), signature (1), mismatch (3), expired (4).
//
// # serve
//
// serve runs the token endpoints of core/httpapi as a standalone net/http
// server, for a sidecar next to an application in any language. Users are
// identified by a bearer JWT that the application's own auth service issues
// (RTCTOKEN_JWT_HMAC_SECRET or _FILE, or RTCTOKEN_JWT_PUBLIC_KEY_FILE with a
// PEM RSA, ECDSA or Ed25519 public key; RTCTOKEN_JWT_USER_CLAIM, default
// "sub"; RTCTOKEN_JWT_NAME_CLAIM; RTCTOKEN_JWT_ISSUER; RTCTOKEN_JWT_AUDIENCE;
// RTCTOKEN_JWT_TYPE, the required "typ" header; RTCTOKEN_JWT_MAX_LIFETIME,
// the longest accepted exp - iat), or by a header that an authenticating
// proxy sets (RTCTOKEN_TRUSTED_HEADER, RTCTOKEN_TRUSTED_NAME_HEADER).
//
// serve refuses to start when it would accept more than it should: with a
// JWT key but neither RTCTOKEN_JWT_ISSUER nor RTCTOKEN_JWT_AUDIENCE (a token
// minted for another service or purpose would sign users in), unless
// RTCTOKEN_JWT_ANY_AUDIENCE=1 says so; and with a trusted header on a listen
// address other than loopback without RTCTOKEN_TRUSTED_PROXIES, the
// comma-separated addresses or CIDR networks of the proxies allowed to set
// it. The header is believed from those proxies only (by default from this
// machine only), and a header sent more than once is refused with 401.
//
// The other variables: RTCTOKEN_ADDR (host:port, default 127.0.0.1:8080),
// or RTCTOKEN_HOST (default 127.0.0.1; 0.0.0.0 in a container) and PORT
// (default 8080), RTCTOKEN_PREFIX (default /rtc), RTCTOKEN_CORS_ORIGINS (comma
// list, default none), RTCTOKEN_RATE_LIMIT (per user, "10/s,burst=20"; "off";
// default 20 at once then one every 3 s, per process), RTCTOKEN_METRICS=1
// (Prometheus metrics at /metrics), RTCTOKEN_LOG_LEVEL. GET /healthz answers
// {"status":"ok"}. Logs are JSON lines on stderr; SIGINT and SIGTERM stop the
// server after open requests finish (15 s at most). "rtctoken help serve"
// lists every variable.
//
// serve also receives the vendors' signed callbacks: each webhook receiver
// configured by core/config's webhook variables (RTCTOKEN_AGORA_NCS_SECRET,
// RTCTOKEN_TENCENT_CALLBACK_TOKEN, RTCTOKEN_TRTC_CALLBACK_KEY,
// RTCTOKEN_ZOOM_WEBHOOK_SECRET, RTCTOKEN_ZEGO_CALLBACK_SECRET, ...) answers
// POST /webhooks/<vendor>, and each verified event is logged (vendor, type,
// id; never the body) and counted in the metrics. RTCTOKEN_REDIS_URL keeps
// their dedupe keys in Redis, so that several instances handle a callback
// once (default: in memory).
//
// A session:
//
//	export RTCTOKEN_AGORA_APP_ID=0123456789abcdef0123456789abcdef
//	export RTCTOKEN_AGORA_APP_CERTIFICATE_FILE=/run/secrets/agora-certificate
//	export RTCTOKEN_JWT_HMAC_SECRET_FILE=/run/secrets/jwt-hmac
//	export RTCTOKEN_JWT_AUDIENCE=rtc
//	rtctoken serve &
//	curl -H "Authorization: Bearer $JWT" -H 'Content-Type: application/json' \
//	     -d '{"room":"chan1"}' http://127.0.0.1:8080/rtc/agora/rtc
//
// The answer is the credential: {"provider":"agora","kind":"rtc","token":"007...",
// "app_id":...,"user_id":"alice","room":"chan1","issued_at":...,"expires_at":...,
// "renew_after":...,"join":{...}}.
package main
