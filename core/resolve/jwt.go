package resolve

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"errors"
	"fmt"
	"mime"
	"strings"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/rtctoken/rtctoken/core"
)

// JWTConfig configures the bearer JWT resolver. Exactly one of Key and
// KeyFunc must be set.
type JWTConfig struct {
	// Key verifies the signature: a core.Secret or []byte for HMAC
	// (HS256/384/512), an *rsa.PublicKey (RS*, PS*), an *ecdsa.PublicKey
	// (ES*) or an ed25519.PublicKey (EdDSA). The accepted algorithms follow
	// from the key type, so an HMAC key can never verify an RS256 token or
	// the reverse.
	Key any
	// KeyFunc chooses the key per token (key rotation, JWKS). Methods must
	// then list the accepted algorithms.
	KeyFunc jwt.Keyfunc
	// Methods restricts the accepted "alg" values. With Key it defaults to
	// the family of the key type.
	Methods []string
	// UserClaim names the claim holding the user id. Default "sub".
	UserClaim string
	// NameClaim optionally names the claim holding the display name.
	NameClaim string
	// Issuer and Audience, when set, must match "iss" and "aud". Set at
	// least one of them whenever the key also signs tokens for other
	// purposes or services (password resets, other APIs): without them
	// any such token is accepted as a sign-in.
	Issuer, Audience string
	// Type, when set, is the required "typ" header of the token, such as
	// "at+jwt" (RFC 9068 access tokens): explicit typing keeps a token
	// minted for another purpose with the same key from being accepted.
	// It is compared as a media type, case-insensitively, with the
	// "application/" prefix optional ("at+jwt" matches
	// "application/AT+JWT"). A token without "typ" is then refused.
	Type string
	// MaxLifetime, when set, refuses tokens whose lifetime ("exp" minus
	// "iat") is longer, and tokens without "iat". It bounds how long a
	// leaked token remains a sign-in, whatever expiry its issuer chose.
	MaxLifetime time.Duration
	// Leeway tolerates clock skew on exp/nbf/iat. Default 30 seconds.
	Leeway time.Duration
	// Header is where the token is read from, default "Authorization" with
	// the "Bearer " scheme.
	Header string
	// Now overrides the clock (tests). Default time.Now.
	Now func() time.Time
}

type jwtResolver struct {
	cfg    JWTConfig
	parser *jwt.Parser
	key    jwt.Keyfunc
}

// BearerJWT returns a resolver that reads "Authorization: Bearer <jwt>",
// verifies it with the configured key and reads the user from a claim. The
// token must carry an expiry. A missing header is ErrNoIdentity; a present
// but invalid token, or the header sent more than once, is refused (401).
func BearerJWT(cfg JWTConfig) (Resolver, error) {
	if (cfg.Key == nil) == (cfg.KeyFunc == nil) {
		return nil, fmt.Errorf("%w: bearer JWT: set exactly one of Key and KeyFunc", core.ErrConfig)
	}
	if cfg.MaxLifetime < 0 {
		return nil, fmt.Errorf("%w: bearer JWT: MaxLifetime must not be negative", core.ErrConfig)
	}
	if cfg.Type != "" {
		if _, _, err := mime.ParseMediaType(mediaType(cfg.Type)); err != nil {
			return nil, fmt.Errorf("%w: bearer JWT: Type is not a media type", core.ErrConfig)
		}
	}
	if cfg.UserClaim == "" {
		cfg.UserClaim = "sub"
	}
	if cfg.Leeway == 0 {
		cfg.Leeway = 30 * time.Second
	}
	if cfg.Header == "" {
		cfg.Header = "Authorization"
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	r := &jwtResolver{cfg: cfg, key: cfg.KeyFunc}
	if cfg.Key != nil {
		key, methods, err := keyMethods(cfg.Key)
		if err != nil {
			return nil, err
		}
		if len(cfg.Methods) == 0 {
			cfg.Methods = methods
		}
		r.key = func(*jwt.Token) (any, error) { return key, nil }
	}
	if len(cfg.Methods) == 0 {
		return nil, fmt.Errorf("%w: bearer JWT: Methods is required with KeyFunc", core.ErrConfig)
	}
	opts := []jwt.ParserOption{
		jwt.WithValidMethods(cfg.Methods),
		jwt.WithLeeway(cfg.Leeway),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithTimeFunc(cfg.Now),
	}
	if cfg.Issuer != "" {
		opts = append(opts, jwt.WithIssuer(cfg.Issuer))
	}
	if cfg.Audience != "" {
		opts = append(opts, jwt.WithAudience(cfg.Audience))
	}
	r.cfg = cfg
	r.parser = jwt.NewParser(opts...)
	return r, nil
}

func keyMethods(k any) (any, []string, error) {
	switch key := k.(type) {
	case core.Secret:
		if key.Len() < 32 {
			return nil, nil, fmt.Errorf("%w: bearer JWT: HMAC key must be at least 32 bytes", core.ErrConfig)
		}
		return []byte(key.Reveal()), []string{"HS256", "HS384", "HS512"}, nil
	case []byte:
		if len(key) < 32 {
			return nil, nil, fmt.Errorf("%w: bearer JWT: HMAC key must be at least 32 bytes", core.ErrConfig)
		}
		return key, []string{"HS256", "HS384", "HS512"}, nil
	case *rsa.PublicKey:
		return key, []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}, nil
	case *ecdsa.PublicKey:
		return key, []string{"ES256", "ES384", "ES512"}, nil
	case ed25519.PublicKey:
		return key, []string{"EdDSA"}, nil
	default:
		return nil, nil, fmt.Errorf("%w: bearer JWT: unsupported key type %T", core.ErrConfig, k)
	}
}

func (j *jwtResolver) Resolve(r Request) (core.Identity, error) {
	hs := r.HeaderValues(j.cfg.Header)
	if len(hs) == 0 || len(hs) == 1 && hs[0] == "" {
		return core.Identity{}, ErrNoIdentity
	}
	if len(hs) > 1 {
		return core.Identity{}, invalid("authorization header sent more than once", nil)
	}
	scheme, tok, ok := strings.Cut(hs[0], " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(tok) == "" {
		return core.Identity{}, invalid("authorization header is not a bearer token", nil)
	}
	claims := jwt.MapClaims{}
	t, err := j.parser.ParseWithClaims(strings.TrimSpace(tok), claims, j.key)
	if err == nil {
		err = j.check(t, claims)
	}
	if err != nil {
		msg := "bearer token is not valid"
		if errors.Is(err, jwt.ErrTokenExpired) {
			msg = "bearer token has expired"
		}
		return core.Identity{}, invalid(msg, err)
	}
	user, _ := claims[j.cfg.UserClaim].(string)
	if user == "" {
		return core.Identity{}, invalid("bearer token has no user claim", nil)
	}
	id := core.Identity{UserID: user}
	if j.cfg.NameClaim != "" {
		id.DisplayName, _ = claims[j.cfg.NameClaim].(string)
	}
	return id, nil
}

// Reasons a verified token is still refused (kept for logs).
var (
	errTokenType     = errors.New("token typ header is not the configured type")
	errNoIssuedAt    = errors.New("token has no iat, required with a maximum lifetime")
	errLongLifetime  = errors.New("token lifetime (exp - iat) exceeds the maximum")
	errClaimsInvalid = errors.New("token claims are not valid")
)

// check applies the optional type and lifetime rules to a token whose
// signature and standard claims have been verified.
func (j *jwtResolver) check(t *jwt.Token, claims jwt.MapClaims) error {
	if j.cfg.Type != "" {
		typ, _ := t.Header["typ"].(string)
		if !sameMediaType(typ, j.cfg.Type) {
			return errTokenType
		}
	}
	if j.cfg.MaxLifetime > 0 {
		iat, err := claims.GetIssuedAt()
		if err != nil {
			return errClaimsInvalid
		}
		if iat == nil {
			return errNoIssuedAt
		}
		exp, err := claims.GetExpirationTime()
		if err != nil || exp == nil {
			return errClaimsInvalid
		}
		if exp.Sub(iat.Time) > j.cfg.MaxLifetime {
			return errLongLifetime
		}
	}
	return nil
}

// mediaType reads a "typ" value as a media type: a value without "/" has an
// implicit "application/" prefix (RFC 7515, section 4.1.9).
func mediaType(typ string) string {
	if !strings.Contains(typ, "/") {
		return "application/" + typ
	}
	return typ
}

// sameMediaType compares two "typ" values as media types, ignoring case.
func sameMediaType(got, want string) bool {
	return got != "" && strings.EqualFold(mediaType(strings.TrimSpace(got)), mediaType(strings.TrimSpace(want)))
}
