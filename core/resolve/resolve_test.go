package resolve_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"net/netip"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// fakeRequest is a map-backed resolve.Request. lines holds headers sent on
// several lines; headers those sent once. The peer is addr, default
// 127.0.0.1:40000.
type fakeRequest struct {
	ctx     context.Context
	headers map[string]string
	lines   map[string][]string
	cookies map[string]string
	values  map[any]any
	addr    string
}

func (f fakeRequest) Context() context.Context {
	if f.ctx == nil {
		return context.Background()
	}
	return f.ctx
}
func (f fakeRequest) Header(n string) string {
	if v := f.HeaderValues(n); len(v) > 0 {
		return v[0]
	}
	return ""
}
func (f fakeRequest) HeaderValues(n string) []string {
	if v, ok := f.lines[n]; ok {
		return v
	}
	if v, ok := f.headers[n]; ok {
		return []string{v}
	}
	return nil
}
func (f fakeRequest) RemoteAddr() string {
	if f.addr == "" {
		return "127.0.0.1:40000"
	}
	return f.addr
}
func (f fakeRequest) Cookie(n string) (string, bool) {
	v, ok := f.cookies[n]
	return v, ok
}
func (f fakeRequest) Value(k any) any { return f.values[k] }

var now = time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)

func bearer(t *testing.T, method jwt.SigningMethod, key any, claims jwt.MapClaims) fakeRequest {
	t.Helper()
	s, err := jwt.NewWithClaims(method, claims).SignedString(key)
	if err != nil {
		t.Fatal(err)
	}
	return fakeRequest{headers: map[string]string{"Authorization": "Bearer " + s}}
}

func claims(extra jwt.MapClaims) jwt.MapClaims {
	c := jwt.MapClaims{"sub": "alice", "exp": now.Add(time.Hour).Unix(), "iat": now.Unix(), "iss": "auth.example", "aud": "app", "name": "Alice"}
	for k, v := range extra {
		if v == nil {
			delete(c, k)
			continue
		}
		c[k] = v
	}
	return c
}

func wantCode(t *testing.T, err error, code core.Code) {
	t.Helper()
	var e *core.Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("want %s, got %v", code, err)
	}
}

func TestBearerJWTKeyTypes(t *testing.T) {
	hmacKey := []byte("0123456789abcdef0123456789abcdef")
	rsaKey, _ := rsa.GenerateKey(rand.Reader, 2048)
	ecKey, _ := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	edPub, edPriv, _ := ed25519.GenerateKey(rand.Reader)
	cases := []struct {
		name    string
		method  jwt.SigningMethod
		signKey any
		verify  any
	}{
		{"hmac bytes", jwt.SigningMethodHS256, hmacKey, hmacKey},
		{"hmac secret", jwt.SigningMethodHS512, hmacKey, core.NewSecret(string(hmacKey))},
		{"rsa", jwt.SigningMethodRS256, rsaKey, &rsaKey.PublicKey},
		{"rsa-pss", jwt.SigningMethodPS256, rsaKey, &rsaKey.PublicKey},
		{"ecdsa", jwt.SigningMethodES256, ecKey, &ecKey.PublicKey},
		{"eddsa", jwt.SigningMethodEdDSA, edPriv, edPub},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			r, err := resolve.BearerJWT(resolve.JWTConfig{Key: tc.verify, Issuer: "auth.example", Audience: "app", NameClaim: "name", Now: func() time.Time { return now }})
			if err != nil {
				t.Fatal(err)
			}
			id, err := r.Resolve(bearer(t, tc.method, tc.signKey, claims(nil)))
			if err != nil || id.UserID != "alice" || id.DisplayName != "Alice" {
				t.Fatalf("resolve: %v %+v", err, id)
			}
		})
	}
	// Algorithm confusion: an HS256 token signed with the RSA public key's
	// bytes must not pass an RSA-configured resolver.
	r, _ := resolve.BearerJWT(resolve.JWTConfig{Key: &rsaKey.PublicKey, Now: func() time.Time { return now }})
	_, err := r.Resolve(bearer(t, jwt.SigningMethodHS256, []byte("0123456789abcdef0123456789abcdef"), claims(nil)))
	wantCode(t, err, core.CodeUnauthenticated)
}

func TestBearerJWTRejects(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	r, err := resolve.BearerJWT(resolve.JWTConfig{Key: key, Issuer: "auth.example", Audience: "app", Leeway: 10 * time.Second, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]fakeRequest{
		"expired":        bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"exp": now.Add(-time.Minute).Unix()})),
		"no exp":         bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"exp": nil})),
		"wrong issuer":   bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"iss": "evil"})),
		"wrong audience": bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"aud": "other"})),
		"no subject":     bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"sub": nil})),
		"numeric sub":    bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"sub": 42})),
		"wrong key":      bearer(t, jwt.SigningMethodHS256, []byte("another-key-another-key-another!!"), claims(nil)),
		"alg none":       bearer(t, jwt.SigningMethodNone, jwt.UnsafeAllowNoneSignatureType, claims(nil)),
		"not bearer":     {headers: map[string]string{"Authorization": "Basic YWxpY2U6cHc="}},
		"garbage":        {headers: map[string]string{"Authorization": "Bearer not.a.jwt"}},
		"empty bearer":   {headers: map[string]string{"Authorization": "Bearer "}},
	}
	for name, req := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := r.Resolve(req)
			wantCode(t, err, core.CodeUnauthenticated)
		})
	}
	// Within the leeway an expired token still passes.
	if _, err := r.Resolve(bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"exp": now.Add(-5 * time.Second).Unix()}))); err != nil {
		t.Fatalf("leeway: %v", err)
	}
	if _, err := r.Resolve(fakeRequest{}); !errors.Is(err, resolve.ErrNoIdentity) {
		t.Fatalf("no header: %v", err)
	}
}

func TestBearerJWTConfig(t *testing.T) {
	for _, cfg := range []resolve.JWTConfig{
		{},
		{Key: []byte("short")},
		{Key: "a string key"},
		{KeyFunc: func(*jwt.Token) (any, error) { return nil, nil }},
		{Key: []byte("0123456789abcdef0123456789abcdef"), KeyFunc: func(*jwt.Token) (any, error) { return nil, nil }},
	} {
		if _, err := resolve.BearerJWT(cfg); !errors.Is(err, core.ErrConfig) {
			t.Errorf("config %+v accepted: %v", cfg, err)
		}
	}
	key := []byte("0123456789abcdef0123456789abcdef")
	r, err := resolve.BearerJWT(resolve.JWTConfig{
		KeyFunc: func(tok *jwt.Token) (any, error) {
			if tok.Header["kid"] != "k1" {
				return nil, errors.New("unknown kid")
			}
			return key, nil
		},
		Methods: []string{"HS256"}, UserClaim: "uid", Now: func() time.Time { return now },
	})
	if err != nil {
		t.Fatal(err)
	}
	tok := jwt.NewWithClaims(jwt.SigningMethodHS256, claims(jwt.MapClaims{"uid": "u-9"}))
	tok.Header["kid"] = "k1"
	s, _ := tok.SignedString(key)
	id, err := r.Resolve(fakeRequest{headers: map[string]string{"Authorization": "bearer " + s}})
	if err != nil || id.UserID != "u-9" {
		t.Fatalf("keyfunc: %v %+v", err, id)
	}
}

type hostUser struct{ ID, Name string }

func (u hostUser) RTCIdentity() core.Identity {
	return core.Identity{UserID: u.ID, DisplayName: u.Name}
}

type ctxKey struct{}

func TestFromValue(t *testing.T) {
	r := resolve.FromValue(ctxKey{})
	for _, v := range []any{core.Identity{UserID: "a"}, &core.Identity{UserID: "a"}, "a", hostUser{ID: "a", Name: "A"}} {
		id, err := r.Resolve(fakeRequest{values: map[any]any{ctxKey{}: v}})
		if err != nil || id.UserID != "a" {
			t.Fatalf("%T: %v %+v", v, err, id)
		}
	}
	for _, v := range []any{nil, "", (*core.Identity)(nil), core.Identity{}} {
		if _, err := r.Resolve(fakeRequest{values: map[any]any{ctxKey{}: v}}); !errors.Is(err, resolve.ErrNoIdentity) {
			t.Fatalf("%#v: want ErrNoIdentity, got %v", v, err)
		}
	}
	_, err := r.Resolve(fakeRequest{values: map[any]any{ctxKey{}: 42}})
	wantCode(t, err, core.CodeUnauthenticated)
}

func TestTrustedHeaderCookieChain(t *testing.T) {
	hdr := resolve.TrustedHeader(nil, "X-Forwarded-User", "X-Forwarded-Name")
	id, err := hdr.Resolve(fakeRequest{headers: map[string]string{"X-Forwarded-User": " bob ", "X-Forwarded-Name": "Bob"}})
	if err != nil || id.UserID != "bob" || id.DisplayName != "Bob" {
		t.Fatalf("header: %v %+v", err, id)
	}
	sessions := map[string]string{"s1": "carol"}
	cookie := resolve.Cookie("sid", func(_ context.Context, v string) (core.Identity, error) {
		u, ok := sessions[v]
		if !ok {
			return core.Identity{}, resolve.ErrNoIdentity
		}
		return core.Identity{UserID: u}, nil
	})
	id, err = cookie.Resolve(fakeRequest{cookies: map[string]string{"sid": "s1"}})
	if err != nil || id.UserID != "carol" {
		t.Fatalf("cookie: %v %+v", err, id)
	}
	// An unknown session is an invalid credential, not an anonymous request.
	_, err = cookie.Resolve(fakeRequest{cookies: map[string]string{"sid": "forged"}})
	wantCode(t, err, core.CodeUnauthenticated)

	chain := resolve.Chain(cookie, hdr)
	id, err = chain.Resolve(fakeRequest{headers: map[string]string{"X-Forwarded-User": "bob"}})
	if err != nil || id.UserID != "bob" {
		t.Fatalf("chain fall-through: %v %+v", err, id)
	}
	_, err = chain.Resolve(fakeRequest{cookies: map[string]string{"sid": "forged"}, headers: map[string]string{"X-Forwarded-User": "bob"}})
	wantCode(t, err, core.CodeUnauthenticated)
	if _, err := chain.Resolve(fakeRequest{}); !errors.Is(err, resolve.ErrNoIdentity) {
		t.Fatalf("empty chain result: %v", err)
	}
}

func TestTrustedHeaderPeers(t *testing.T) {
	user := func(addr string, users ...string) fakeRequest {
		return fakeRequest{addr: addr, lines: map[string][]string{"X-Forwarded-User": users}}
	}
	cases := []struct {
		name    string
		proxies []netip.Prefix
		req     fakeRequest
		want    string // "" for 401
	}{
		{"loopback v4 by default", nil, user("127.0.0.1:5000", "bob"), "bob"},
		{"loopback 127/8 by default", nil, user("127.8.9.10:5000", "bob"), "bob"},
		{"loopback v6 by default", nil, user("[::1]:5000", "bob"), "bob"},
		{"mapped loopback by default", nil, user("[::ffff:127.0.0.1]:5000", "bob"), "bob"},
		{"remote peer by default", nil, user("192.0.2.7:5000", "bob"), ""},
		{"remote v6 peer by default", nil, user("[2001:db8::7]:5000", "bob"), ""},
		{"no port is still a peer", nil, user("192.0.2.7", "bob"), ""},
		{"unparsable peer", nil, user("pipe", "bob"), ""},
		{"configured proxy", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, user("10.1.2.3:5000", "bob"), "bob"},
		{"configured v6 proxy", []netip.Prefix{netip.MustParsePrefix("fd00::/8")}, user("[fd00::5%eth0]:5000", "bob"), "bob"},
		{"mapped prefix matches v4 peer", []netip.Prefix{netip.MustParsePrefix("::ffff:10.0.0.0/104")}, user("10.1.2.3:5000", "bob"), "bob"},
		{"configured list replaces loopback", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, user("127.0.0.1:5000", "bob"), ""},
		{"outside configured proxies", []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}, user("11.0.0.1:5000", "bob"), ""},
		// A proxy that appends its line to the client's: the client's comes first.
		{"header on two lines", nil, user("127.0.0.1:5000", "admin", "bob"), ""},
		{"header twice, one empty", nil, user("127.0.0.1:5000", "", "bob"), ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			id, err := resolve.TrustedHeader(tc.proxies, "X-Forwarded-User").Resolve(tc.req)
			if tc.want == "" {
				wantCode(t, err, core.CodeUnauthenticated)
				return
			}
			if err != nil || id.UserID != tc.want {
				t.Fatalf("%v %+v", err, id)
			}
		})
	}
	// Without the header the request is anonymous whoever sent it, so a
	// chain can go on to a resolver meant for direct clients.
	for _, addr := range []string{"127.0.0.1:5000", "192.0.2.7:5000"} {
		for _, req := range []fakeRequest{{addr: addr}, user(addr, " ")} {
			if _, err := resolve.TrustedHeader(nil, "X-Forwarded-User").Resolve(req); !errors.Is(err, resolve.ErrNoIdentity) {
				t.Fatalf("%s without the header: %v", addr, err)
			}
		}
	}
	// The display name header, too, must come on one line.
	hdr := resolve.TrustedHeader(nil, "X-Forwarded-User", "X-Forwarded-Name")
	_, err := hdr.Resolve(fakeRequest{headers: map[string]string{"X-Forwarded-User": "bob"}, lines: map[string][]string{"X-Forwarded-Name": {"Admin", "Bob"}}})
	wantCode(t, err, core.CodeUnauthenticated)
	// The prefixes are copied: changing the caller's slice later changes nothing.
	proxies := []netip.Prefix{netip.MustParsePrefix("10.0.0.0/8")}
	r := resolve.TrustedHeader(proxies, "X-Forwarded-User")
	proxies[0] = netip.MustParsePrefix("0.0.0.0/0")
	_, err = r.Resolve(user("192.0.2.7:5000", "bob"))
	wantCode(t, err, core.CodeUnauthenticated)
}

func TestBearerJWTTypeAndLifetime(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	signTyp := func(typ any, c jwt.MapClaims) fakeRequest {
		tok := jwt.NewWithClaims(jwt.SigningMethodHS256, c)
		if typ == nil {
			delete(tok.Header, "typ")
		} else {
			tok.Header["typ"] = typ
		}
		s, err := tok.SignedString(key)
		if err != nil {
			t.Fatal(err)
		}
		return fakeRequest{headers: map[string]string{"Authorization": "Bearer " + s}}
	}
	typed, err := resolve.BearerJWT(resolve.JWTConfig{Key: key, Type: "at+jwt", Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for typ, ok := range map[any]bool{"at+jwt": true, "AT+JWT": true, "application/at+jwt": true, "JWT": false, "": false, nil: false, 42: false, "application/jwt": false} {
		_, err := typed.Resolve(signTyp(typ, claims(nil)))
		if ok != (err == nil) {
			t.Errorf("typ %#v: %v", typ, err)
		}
		if !ok {
			wantCode(t, err, core.CodeUnauthenticated)
		}
	}
	// Without Type the header is not looked at.
	plain, _ := resolve.BearerJWT(resolve.JWTConfig{Key: key, Now: func() time.Time { return now }})
	if _, err := plain.Resolve(signTyp("password-reset+jwt", claims(nil))); err != nil {
		t.Fatalf("untyped resolver: %v", err)
	}

	short, err := resolve.BearerJWT(resolve.JWTConfig{Key: key, MaxLifetime: time.Hour, Now: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	for name, tc := range map[string]struct {
		c  jwt.MapClaims
		ok bool
	}{
		"exactly the maximum": {claims(jwt.MapClaims{"iat": now.Add(-30 * time.Minute).Unix(), "exp": now.Add(30 * time.Minute).Unix()}), true},
		"shorter":             {claims(jwt.MapClaims{"exp": now.Add(time.Minute).Unix()}), true},
		"a year":              {claims(jwt.MapClaims{"exp": now.AddDate(1, 0, 0).Unix()}), false},
		"one second too long": {claims(jwt.MapClaims{"exp": now.Add(time.Hour + time.Second).Unix()}), false},
		"no iat":              {claims(jwt.MapClaims{"iat": nil}), false},
	} {
		_, err := short.Resolve(signTyp("JWT", tc.c))
		if tc.ok != (err == nil) {
			t.Errorf("%s: %v", name, err)
		}
		if !tc.ok {
			wantCode(t, err, core.CodeUnauthenticated)
		}
	}
	if _, err := plain.Resolve(signTyp("JWT", claims(jwt.MapClaims{"iat": nil, "exp": now.AddDate(1, 0, 0).Unix()}))); err != nil {
		t.Fatalf("no maximum lifetime: %v", err)
	}
	for _, cfg := range []resolve.JWTConfig{{Key: key, MaxLifetime: -time.Second}, {Key: key, Type: "a/b/c; ="}} {
		if _, err := resolve.BearerJWT(cfg); !errors.Is(err, core.ErrConfig) {
			t.Errorf("config %+v accepted: %v", cfg, err)
		}
	}
}

func TestBearerJWTHeaderTwice(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	r, _ := resolve.BearerJWT(resolve.JWTConfig{Key: key, Now: func() time.Time { return now }})
	good := bearer(t, jwt.SigningMethodHS256, key, claims(nil)).headers["Authorization"]
	other := bearer(t, jwt.SigningMethodHS256, key, claims(jwt.MapClaims{"sub": "mallory"})).headers["Authorization"]
	_, err := r.Resolve(fakeRequest{lines: map[string][]string{"Authorization": {other, good}}})
	wantCode(t, err, core.CodeUnauthenticated)
}
