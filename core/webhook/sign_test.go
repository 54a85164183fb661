package webhook_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"
)

func hexMAC(h func() hash.Hash, key string, parts ...string) string {
	m := hmac.New(h, []byte(key))
	for _, p := range parts {
		io.WriteString(m, p)
	}
	return hex.EncodeToString(m.Sum(nil))
}

// signAgora returns the Agora-Signature and Agora-Signature-V2 values of
// body, separated by a space.
func signAgora(secret string, body []byte) string {
	return hexMAC(sha1.New, secret, string(body)) + " " + hexMAC(sha256.New, secret, string(body))
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }

// signTencentChat is Tencent Chat's Sign: hex SHA-256(token ‖ RequestTime).
func signTencentChat(token, requestTime string) string {
	sum := sha256.Sum256([]byte(token + requestTime))
	return hex.EncodeToString(sum[:])
}

// signTRTC is TRTC's Sign: std base64 HMAC-SHA256(key, body).
func signTRTC(key string, body []byte) string {
	m := hmac.New(sha256.New, []byte(key))
	m.Write(body)
	return base64.StdEncoding.EncodeToString(m.Sum(nil))
}

// signZoom is Zoom's x-zm-signature.
func signZoom(secret, ts string, body []byte) string {
	return "v0=" + hexMAC(sha256.New, secret, "v0:"+ts+":", string(body))
}

// signZego is ZEGO's signature and its signing input.
func signZego(secret, ts, nonce string) (sig, input string) {
	parts := []string{secret, ts, nonce}
	sort.Strings(parts)
	input = strings.Join(parts, "")
	sum := sha1.Sum([]byte(input))
	return hex.EncodeToString(sum[:]), input
}

// zegoTimeNonce reads a ZEGO case's timestamp and nonce text, from a JSON
// or form body, in either spelling.
func zegoTimeNonce(t testing.TB, v *vector, body []byte) (string, string) {
	t.Helper()
	if strings.HasPrefix(v.Inputs.Headers["Content-Type"], "application/x-www-form-urlencoded") {
		q, err := url.ParseQuery(string(body))
		if err != nil {
			t.Fatal(err)
		}
		return q.Get("timestamp"), q.Get("nonce")
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(body, &m); err != nil {
		t.Fatal(err)
	}
	text := func(names ...string) string {
		for _, n := range names {
			if raw, ok := m[n]; ok {
				var s string
				if json.Unmarshal(raw, &s) == nil {
					return s
				}
				return string(raw)
			}
		}
		return ""
	}
	return text("timestamp", "Timestamp"), text("nonce", "Nonce")
}

// signJWT is a compact HS256 JWS of header and payload under secret.
func signJWT(header, payload []byte, secret string) string {
	enc := base64.RawURLEncoding
	signed := enc.EncodeToString(header) + "." + enc.EncodeToString(payload)
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(signed))
	return signed + "." + enc.EncodeToString(m.Sum(nil))
}

// signLiveKit is LiveKit's Authorization for body: a JWT by apiKey, valid
// 5 minutes from t, carrying the body's hash.
func signLiveKit(apiKey, secret string, at time.Time, body []byte) string {
	sum := sha256.Sum256(body)
	payload := fmt.Appendf(nil, `{"iss":%q,"exp":%d,"nbf":%d,"iat":%d,"sha256":%q}`,
		apiKey, at.Unix()+300, at.Unix(), at.Unix(), base64.StdEncoding.EncodeToString(sum[:]))
	return signJWT([]byte(`{"alg":"HS256","typ":"JWT"}`), payload, secret)
}
