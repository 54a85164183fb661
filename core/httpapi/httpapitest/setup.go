package httpapitest

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// The fixture's secrets: the vendor keys of the four providers and the
// HMAC key of the bearer JWTs. They are test-only constants, published so
// that a test can search responses and logs for them; never configure them
// in a real deployment.
const (
	TencentKey = "5bd2850fff3ecb11d7c805251c51ee463a25727bddc2385f3fa8bfee1bb93b5e"
	AgoraCert  = "5cfd2fd1755d40ecb72977518be15d3b"
	ZoomSecret = "zoomTestSdkSecret0001zoomTestSdkSecret01"
	ZegoSecret = "fa94dd0f974cf2e293728a526b028271"
	JWTKey     = "conformance-jwt-hmac-key-0123456789abcdef"
	// LiveKitSecret and TwilioSecret are the LiveKit API secret and the
	// Twilio API key secret.
	LiveKitSecret = "livekitTestApiSecret0001livekitTestSecret"
	TwilioSecret  = "twilioTestApiKeySecret0001twilio"
)

// fixtureSecrets are the vendor secrets no response may contain.
var fixtureSecrets = []string{TencentKey, AgoraCert, ZoomSecret, ZegoSecret, LiveKitSecret, TwilioSecret}

// HostUserHeader names the signed-in user for HostIdentity, the stand-in
// for the host's own session: a request carrying it is authenticated before
// the contract sees it.
const HostUserHeader = "X-Host-User"

// The fixture's other test-only values.
const (
	tencentAppID  = 1400000001
	agoraAppID    = "970ca35de60c44645bbae8a215061b33"
	zoomKey       = "zoomTestSdkKey0001"
	zegoAppID     = 1234567890
	liveKitKey    = "APIconformance0001"
	twilioAccount = "AC00000000000000000000000000c0ffee"
	twilioKey     = "SK00000000000000000000000000c0ffee"
	sessionCookie = "sid"
	validSession  = "session-carol"
	trustedHeader = "X-Proxy-User"
	funcHeader    = "X-Func-User"
	// hostPlanHeader, hostTenantHeader and hostBannedHeader set the
	// identity attributes "plan", "tenant" and "banned" in HostIdentity.
	hostPlanHeader   = "X-Host-Plan"
	hostTenantHeader = "X-Host-Tenant"
	hostBannedHeader = "X-Host-Banned"
)

// UserKey is the request-scoped key under which the test host's own auth
// middleware stores the signed-in user (a core.Identity value, not a
// pointer): a context key in net/http, a router key or local elsewhere. The
// fixture's first resolver reads it back through the request view's Value.
type UserKey struct{}

// Providers returns the six providers (tencent, agora, zoom, zego, livekit,
// twilio) on the test-only keys.
func Providers(t testing.TB) []core.Provider {
	t.Helper()
	tc, err := tencent.New(tencent.Config{SDKAppID: tencentAppID, Key: core.NewSecret(TencentKey)})
	must(t, err)
	ag, err := agora.New(agora.Config{AppID: agoraAppID, AppCertificate: core.NewSecret(AgoraCert)})
	must(t, err)
	zm, err := zoom.New(zoom.Config{SDKKey: zoomKey, SDKSecret: core.NewSecret(ZoomSecret)})
	must(t, err)
	zg, err := zego.New(zego.Config{AppID: zegoAppID, ServerSecret: core.NewSecret(ZegoSecret)})
	must(t, err)
	lk, err := livekit.New(livekit.Config{APIKey: liveKitKey, APISecret: core.NewSecret(LiveKitSecret), ServerURL: "wss://livekit.conformance.test"})
	must(t, err)
	tw, err := twilio.New(twilio.Config{
		AccountSID: twilioAccount, APIKeySID: twilioKey, APIKeySecret: core.NewSecret(TwilioSecret),
		ChatServiceSID: "IS00000000000000000000000000c0ffee", SyncServiceSID: "IS00000000000000000000000000decade",
		VoiceAppSID: "AP00000000000000000000000000c0ffee",
	})
	must(t, err)
	return []core.Provider{tc, ag, zm, zg, lk, tw}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// authorizer is the test host's policy, written the obvious way: the user
// "mallory" is refused, and users on the free plan are narrowed to the
// subscriber role and at most ten minutes. It checks nothing about the user
// id, roles or options: the Service holds those lines by itself.
func authorizer() core.Authorizer {
	return core.AuthorizerFunc(func(_ context.Context, id core.Identity, req *core.Request, k core.KindSpec) error {
		if id.UserID == "mallory" {
			return core.Errorf(core.CodeForbidden, "", "this user may not use real-time features")
		}
		if id.Attributes["plan"] == "free" {
			if _, ok := k.Role("subscriber"); ok {
				req.Role = "subscriber"
			}
			if req.TTL > 10*time.Minute && k.MinTTL <= 10*time.Minute {
				req.TTL = 10 * time.Minute
			}
		}
		return nil
	})
}

// resolver is a chain with one resolver of each kind: the host's
// request-scoped value, a bearer JWT, a trusted proxy header, a session
// cookie and a plain function.
func resolver(t testing.TB) resolve.Resolver {
	t.Helper()
	bearer, err := resolve.BearerJWT(resolve.JWTConfig{Key: []byte(JWTKey), Issuer: "conformance", NameClaim: "name"})
	must(t, err)
	cookie := resolve.Cookie(sessionCookie, func(_ context.Context, v string) (core.Identity, error) {
		if v != validSession {
			return core.Identity{}, errors.New("unknown session")
		}
		return core.Identity{UserID: "carol", DisplayName: "Carol"}, nil
	})
	fn := resolve.Func(func(r resolve.Request) (core.Identity, error) {
		if u := r.Header(funcHeader); u != "" {
			return core.Identity{UserID: u}, nil
		}
		return core.Identity{}, resolve.ErrNoIdentity
	})
	return resolve.Chain(resolve.FromValue(UserKey{}), bearer, resolve.TrustedHeader(nil, trustedHeader), cookie, fn)
}

// bearerToken returns a bearer JWT for user signed with the test key.
func bearerToken(t testing.TB, user string, ttl time.Duration) string {
	t.Helper()
	return signHS256WithTTL(t, JWTKey, user, ttl)
}

func signHS256(t testing.TB, key, user string) string {
	t.Helper()
	return signHS256WithTTL(t, key, user, time.Hour)
}

func signHS256WithTTL(t testing.TB, key, user string, ttl time.Duration) string {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"sub": user, "iss": "conformance", "iat": time.Now().Unix(), "exp": time.Now().Add(ttl).Unix(), "name": "Bearer " + user,
	}).SignedString([]byte(key))
	must(t, err)
	return s
}

// Presets are the credentials attached to authenticated requests and
// returned at login in the fixture.
var Presets = []httpapi.Preset{
	{Name: "chat", Request: core.Request{Provider: "tencent", Kind: "usersig"}},
	{Name: "rtm", Request: core.Request{Provider: "agora", Kind: "rtm"}},
}

// NewAPI returns the fixture API: Providers, the host authorizer, the
// resolver chain and Presets, with each tweak applied to the configuration
// before httpapi.New.
func NewAPI(t testing.TB, tweak ...func(*httpapi.Config)) *httpapi.API {
	t.Helper()
	svc, err := core.NewService(Providers(t), core.WithAuthorizer(authorizer()))
	must(t, err)
	cfg := httpapi.Config{Service: svc, Resolver: resolver(t), Presets: Presets}
	for _, f := range tweak {
		f(&cfg)
	}
	api, err := httpapi.New(cfg)
	must(t, err)
	return api
}

// hostAttributes are the identity attributes HostIdentity reads from
// headers.
var hostAttributes = []struct{ name, header string }{
	{"plan", hostPlanHeader}, {"tenant", hostTenantHeader}, {"banned", hostBannedHeader},
}

// HostIdentity is what the test host's own auth middleware does: it turns
// its headers into an identity, nil when HostUserHeader is absent. header
// returns the first value of a request header. Each adapter's test installs
// it the framework's way (context value, gin key, fiber local) under
// UserKey{}.
func HostIdentity(header func(string) string) *core.Identity {
	u := header(HostUserHeader)
	if u == "" {
		return nil
	}
	id := &core.Identity{UserID: u, DisplayName: "Host " + u}
	for _, a := range hostAttributes {
		if v := header(a.header); v != "" {
			if id.Attributes == nil {
				id.Attributes = map[string]string{}
			}
			id.Attributes[a.name] = v
		}
	}
	return id
}
