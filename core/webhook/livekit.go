package webhook

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/internal/hs256"
)

// DefaultLiveKitLeeway is the leeway on the JWT's exp and nbf: 60 s, as
// LiveKit's own verifier allows.
const DefaultLiveKitLeeway = 60 * time.Second

// maxLiveKitToken bounds the Authorization value read.
const maxLiveKitToken = 8 << 10

// LiveKitConfig configures the LiveKit webhook scheme.
type LiveKitConfig struct {
	// APIKey is the API key the server signs with (the JWT's iss).
	// Required.
	APIKey string
	// Secret is its API secret, used as text. Required.
	Secret core.Secret
	// SecondaryAPIKey and Secondary are a second key pair, for rotation:
	// the secret is chosen by the token's iss. An empty SecondaryAPIKey
	// with a Secondary means a second secret for APIKey. Default none.
	SecondaryAPIKey string
	Secondary       core.Secret
	// Leeway is how far past exp, or before nbf, a token is still
	// accepted. 0 means DefaultLiveKitLeeway (60 s).
	Leeway time.Duration
}

type livekit struct {
	secrets map[string][]core.Secret // by API key
	leeway  time.Duration
}

// LiveKit returns the scheme of LiveKit webhooks, vendor "livekit".
//
// Signed: the raw body, through its hash. Authorization holds a bare JWT
// (no "Bearer "), HS256 under the API secret of its iss, whose sha256
// claim is the standard base64 (padded) SHA-256 of the raw body. Not
// signed: the URL and the other headers. The token must be three base64url
// segments with alg HS256 and an exp (ErrMalformed otherwise); an unknown
// iss, a bad signature, a missing sha256 claim or another body hash is
// ErrSignature. The claim is required so that a LiveKit access token,
// signed with the same secret but without it, cannot pass for a webhook.
// Times, in the token only: valid from nbf - Leeway until before exp +
// Leeway (LiveKit's notifier gives its tokens 5 minutes); iat is not
// checked.
//
// Event.Type is the body's event ("room_started", "participant_joined",
// ...), Event.ID and the dedupe key its id. An empty body is accepted as
// LiveKit's verifier does (no type, no dedupe key); any other must be a
// JSON object.
//
// Answer: any 2xx (200 {"status":"ok"}). LiveKit retries on a network
// error, 429 and 5xx (but 501), four times with a backoff of 1 to 30 s;
// a 4xx is final, so a refused callback is never resent.
func LiveKit(c LiveKitConfig) (Scheme, error) {
	if c.APIKey == "" {
		return nil, &core.ConfigError{Provider: "livekit", Field: "APIKey", Message: "is required"}
	}
	if c.Secret.IsZero() {
		return nil, &core.ConfigError{Provider: "livekit", Field: "Secret", Message: "is required"}
	}
	s := &livekit{secrets: map[string][]core.Secret{c.APIKey: {c.Secret}}}
	if !c.Secondary.IsZero() {
		k := c.SecondaryAPIKey
		if k == "" {
			k = c.APIKey
		}
		s.secrets[k] = append(s.secrets[k], c.Secondary)
	} else if c.SecondaryAPIKey != "" {
		return nil, &core.ConfigError{Provider: "livekit", Field: "Secondary", Message: "is required with SecondaryAPIKey"}
	}
	var err error
	if s.leeway, err = windowOf("livekit", c.Leeway, DefaultLiveKitLeeway); err != nil {
		return nil, &core.ConfigError{Provider: "livekit", Field: "Leeway", Message: "must be at least one second (0 means the default)"}
	}
	return s, nil
}

func (*livekit) Name() string { return "livekit" }

func (*livekit) Ack() httpapi.Response { return jsonAck(`{"status":"ok"}`) }

func (s *livekit) Verify(r Request, body []byte, now time.Time) (Verified, error) {
	token := r.Header("Authorization")
	if token == "" {
		return Verified{}, malformed("Authorization", "the Authorization header is missing")
	}
	parts, err := hs256.Split("livekit", token, maxLiveKitToken)
	if err != nil {
		return Verified{}, malformed("Authorization", "the Authorization header is not a bare JWT")
	}
	h, err := members(parts.Header, "alg")
	if err != nil {
		return Verified{}, malformed("Authorization", "the JWT header is not a JSON object")
	}
	if alg, _ := h[0].str(); alg != "HS256" {
		return Verified{}, malformed("Authorization", "the JWT is not HS256")
	}
	c, err := members(parts.Payload, "iss", "exp", "nbf", "iat", "sha256")
	if err != nil {
		return Verified{}, malformed("Authorization", "the JWT payload is not a JSON object")
	}
	times, err := jwtTimes(c[1], c[2], c[3])
	if err != nil {
		return Verified{}, err
	}
	var event, id string
	if len(body) > 0 {
		m, err := members(body, "event", "id")
		if err != nil {
			return Verified{}, err
		}
		event, _ = m[0].str()
		id, _ = m[1].str()
	}
	iss, _ := c[0].str()
	secrets := s.secrets[iss]
	if len(secrets) == 0 || !parts.Verify(secrets...) {
		return Verified{}, badSignature("Authorization", "the JWT's signature does not verify")
	}
	claim, ok := c[4].str()
	sum := sha256.Sum256(body)
	want := base64.StdEncoding.EncodeToString(sum[:])
	if !ok || subtle.ConstantTimeCompare([]byte(claim), []byte(want)) != 1 {
		return Verified{}, badSignature("Authorization", "the body's hash differs from the JWT's sha256 claim")
	}
	if !times.valid(now, s.leeway) {
		return Verified{}, stale("Authorization")
	}
	return Verified{
		Event:     Event{Vendor: "livekit", Type: event, ID: id, Time: times.signed(), Payload: body},
		DedupeKey: id,
	}, nil
}

// maxJWTTime bounds the times compared: a later exp is never reached, a
// later nbf or iat never comes.
const maxJWTTime = 1 << 40

// jwtClaimsTimes are a JWT's exp, nbf and iat in Unix seconds; a missing
// nbf or iat is -1.
type jwtClaimsTimes struct{ exp, nbf, iat int64 }

// jwtTimes reads the time claims: exp required, nbf and iat optional, each
// a non-negative integer.
func jwtTimes(exp, nbf, iat jsonValue) (jwtClaimsTimes, error) {
	t := jwtClaimsTimes{nbf: -1, iat: -1}
	var f fields
	read := func(v jsonValue, name string) int64 {
		n, overflow := f.time(string(v), name)
		if overflow || n > maxJWTTime {
			n = maxJWTTime
		}
		return n
	}
	t.exp = read(exp, "exp")
	if nbf != nil {
		t.nbf = read(nbf, "nbf")
	}
	if iat != nil {
		t.iat = read(iat, "iat")
	}
	if f.err != nil {
		return t, malformed("Authorization", "the JWT's exp is missing, or exp, nbf or iat is not an integer")
	}
	return t, nil
}

// valid reports now < exp + leeway and, with an nbf, now + leeway >= nbf.
func (t jwtClaimsTimes) valid(now time.Time, leeway time.Duration) bool {
	if t.exp < maxJWTTime && !now.Before(time.Unix(t.exp, 0).Add(leeway)) {
		return false
	}
	return t.nbf < 0 || !now.Add(leeway).Before(time.Unix(t.nbf, 0))
}

// signed is the token's time: iat, else nbf, else exp.
func (t jwtClaimsTimes) signed() time.Time {
	switch {
	case t.iat >= 0:
		return time.Unix(t.iat, 0).UTC()
	case t.nbf >= 0:
		return time.Unix(t.nbf, 0).UTC()
	}
	return time.Unix(t.exp, 0).UTC()
}
