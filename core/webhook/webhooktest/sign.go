package webhooktest

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"hash"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
)

// The signers below are written from the vendors' documentation
// (specs/webhooks.md), independently of core/webhook, so that the table is
// a second opinion on its schemes rather than a copy of them.

// mac is the HMAC under key, with hash h, of the parts concatenated.
func mac(h func() hash.Hash, key string, parts ...string) []byte {
	m := hmac.New(h, []byte(key))
	for _, p := range parts {
		m.Write([]byte(p))
	}
	return m.Sum(nil)
}

// AgoraHeaders returns the headers Agora's Notification Center signs body
// with: Agora-Signature-V2, the lower-case hex HMAC-SHA256 of the raw body
// under secret, and Agora-Signature, its HMAC-SHA1.
func AgoraHeaders(secret string, body []byte) http.Header {
	h := http.Header{}
	h.Set("Agora-Signature-V2", hex.EncodeToString(mac(sha256.New, secret, string(body))))
	h.Set("Agora-Signature", hex.EncodeToString(mac(sha1.New, secret, string(body))))
	return h
}

// TencentChatQuery returns the query string Tencent Chat appends to the
// callback URL: SdkAppid, CallbackCommand, contenttype, ClientIP,
// OptPlatform, RequestTime (Unix seconds of at) and Sign, the lower-case
// hex SHA-256 of token followed by the RequestTime text. The body is not
// signed.
func TencentChatQuery(token string, appID uint64, command string, at time.Time) string {
	ts := strconv.FormatInt(at.Unix(), 10)
	sum := sha256.Sum256([]byte(token + ts))
	q := url.Values{}
	q.Set("SdkAppid", strconv.FormatUint(appID, 10))
	q.Set("CallbackCommand", command)
	q.Set("contenttype", "json")
	q.Set("ClientIP", "203.0.113.7")
	q.Set("OptPlatform", "RESTAPI")
	q.Set("RequestTime", ts)
	q.Set("Sign", hex.EncodeToString(sum[:]))
	return q.Encode()
}

// TRTCHeaders returns the headers TRTC signs a room or media callback
// with: Sign, the standard base64 HMAC-SHA256 of the raw body under key,
// and SdkAppId.
func TRTCHeaders(key string, appID uint64, body []byte) http.Header {
	h := http.Header{}
	h.Set("Sign", base64.StdEncoding.EncodeToString(mac(sha256.New, key, string(body))))
	h.Set("SdkAppId", strconv.FormatUint(appID, 10))
	return h
}

// ZoomHeaders returns the headers Zoom signs a webhook with:
// x-zm-request-timestamp (Unix seconds of at) and x-zm-signature, "v0="
// and the lower-case hex HMAC-SHA256 of "v0:<timestamp>:<raw body>" under
// the app's Secret Token.
func ZoomHeaders(secret string, at time.Time, body []byte) http.Header {
	ts := strconv.FormatInt(at.Unix(), 10)
	h := http.Header{}
	h.Set("x-zm-request-timestamp", ts)
	h.Set("x-zm-signature", "v0="+hex.EncodeToString(mac(sha256.New, secret, "v0:", ts, ":", string(body))))
	return h
}

// ZoomChallengeAnswer is the encryptedToken Zoom expects in the answer to
// an endpoint.url_validation request: the lower-case hex HMAC-SHA256 of
// plainToken under the Secret Token.
func ZoomChallengeAnswer(secret, plainToken string) string {
	return hex.EncodeToString(mac(sha256.New, secret, plainToken))
}

// ZegoSignature is ZEGOCLOUD's callback signature: the lower-case hex
// SHA-1 (not an HMAC) of the secret, the timestamp text and the nonce,
// sorted as strings and concatenated.
func ZegoSignature(secret, timestamp, nonce string) string {
	parts := []string{secret, timestamp, nonce}
	slices.Sort(parts)
	sum := sha1.Sum([]byte(strings.Join(parts, "")))
	return hex.EncodeToString(sum[:])
}

// ZegoBody returns a ZEGOCLOUD callback body for event: the JSON object
// members given in fields (raw JSON text, in order, e.g. `"room_id":"r1"`)
// followed by appid, timestamp (Unix seconds of at), nonce and the
// signature over them under secret. The rest of the body is not signed.
func ZegoBody(secret string, appID uint64, event string, at time.Time, nonce string, fields ...string) []byte {
	ts := strconv.FormatInt(at.Unix(), 10)
	members := append([]string{`"event":"` + event + `"`}, fields...)
	members = append(members,
		`"appid":"`+strconv.FormatUint(appID, 10)+`"`,
		`"timestamp":`+ts,
		`"nonce":"`+nonce+`"`,
		`"signature":"`+ZegoSignature(secret, ts, nonce)+`"`)
	return []byte("{" + strings.Join(members, ",") + "}")
}

// LiveKitAuthorization is the Authorization value LiveKit sends with a
// webhook: a bare JWT (no "Bearer "), HS256 under the API secret, whose
// claims are iss (the API key), exp (at + 5 minutes), nbf and iat (at), and
// sha256, the standard base64 SHA-256 of the raw body.
func LiveKitAuthorization(apiKey, secret string, at time.Time, body []byte) string {
	sum := sha256.Sum256(body)
	ts := strconv.FormatInt(at.Unix(), 10)
	payload := `{"iss":` + strconv.Quote(apiKey) + `,"exp":` + strconv.FormatInt(at.Add(5*time.Minute).Unix(), 10) +
		`,"nbf":` + ts + `,"iat":` + ts + `,"sha256":"` + base64.StdEncoding.EncodeToString(sum[:]) + `"}`
	b64 := base64.RawURLEncoding.EncodeToString
	signing := b64([]byte(`{"alg":"HS256","typ":"JWT"}`)) + "." + b64([]byte(payload))
	return signing + "." + b64(mac(sha256.New, secret, signing))
}
