package webhook_test

import (
	"bytes"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"hash"
	"io"
	"log/slog"
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
