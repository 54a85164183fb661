package livekit_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/internal/testutil"
	"github.com/rtctoken/rtctoken/internal/vendortest"
)

// vectorFile is testdata/livekit_accesstoken.json, the tokens
// livekit/protocol v1.54.1 issued and the verdicts of its verifier.
type vectorFile struct {
	KeyProvider map[string]string `json:"key_provider"`
	Cases       []lkCase          `json:"cases"`
	Negative    []lkNegative      `json:"negative"`
	Boundary    []lkNegative      `json:"boundary"`
}

type lkCase struct {
	ID     string `json:"id"`
	Inputs struct {
		APIKey      string            `json:"api_key"`
		APISecret   string            `json:"api_secret"`
		Identity    string            `json:"identity"`
		Name        string            `json:"name"`
		Metadata    string            `json:"metadata"`
		Attributes  map[string]string `json:"attributes"`
		Kind        string            `json:"kind"`
		KindDetails []string          `json:"kind_details"`
		VideoGrant  json.RawMessage   `json:"video_grant"`
		SIPGrant    json.RawMessage   `json:"sip_grant"`
		AgentGrant  json.RawMessage   `json:"agent_grant"`
		RoomConfig  json.RawMessage   `json:"room_config"`
		RoomPreset  string            `json:"room_preset"`
		SHA256      string            `json:"sha256"`
		ValidFor    *int64            `json:"valid_for_seconds"`
	} `json:"inputs"`
	MadeAt      int64  `json:"made_at"`
	Token       string `json:"token"`
	HeaderJSON  string `json:"header_json"`
	PayloadJSON string `json:"payload_json"`
	Verify      struct {
		Identity    string         `json:"parse_api_token_identity"`
		OK          bool           `json:"ok"`
		ClaimGrants map[string]any `json:"claim_grants"`
		Effective   *struct {
			CanPublish            bool            `json:"can_publish"`
			CanSubscribe          bool            `json:"can_subscribe"`
			CanPublishData        bool            `json:"can_publish_data"`
			CanUpdateOwnMetadata  bool            `json:"can_update_own_metadata"`
			CanSubscribeMetrics   bool            `json:"can_subscribe_metrics"`
			CanManageAgentSession bool            `json:"can_manage_agent_session"`
			CanPublishSource      map[string]bool `json:"can_publish_source"`
		} `json:"effective_video_permissions"`
	} `json:"vendor_verify"`
	Validity struct {
		Now int64 `json:"now"`
	} `json:"validity"`
	Window []struct {
		Now   int64 `json:"now"`
		Valid bool  `json:"valid"`
	} `json:"window_checks"`
	ExpectedError *struct{ Function, Error string } `json:"expected_error"`
}

type lkNegative struct {
	ID            string         `json:"id"`
	Token         string         `json:"token"`
	VerifySecret  *string        `json:"verify_secret"`
	Now           int64          `json:"now"`
	VendorVerdict string         `json:"vendor_verdict"`
	VendorError   string         `json:"vendor_error"`
	Expect        string         `json:"expect"`
	ClaimGrants   map[string]any `json:"claim_grants"`
}

func loadVectors(t testing.TB) *vectorFile {
	t.Helper()
	var v vectorFile
	vendortest.ReadJSON(t, "testdata/livekit_accesstoken.json", &v)
	if len(v.Cases) != 24 || len(v.Negative) != 14 || len(v.Boundary) != 6 {
		t.Fatalf("vector file: %d cases, %d negative, %d boundary", len(v.Cases), len(v.Negative), len(v.Boundary))
	}
	return &v
}

// vectorProvider is a Provider with the vectors' two key pairs.
func vectorProvider(t testing.TB, v *vectorFile) *livekit.Provider {
	t.Helper()
	p, err := livekit.New(livekit.Config{
		APIKey: "APIrtctokenVec1", APISecret: core.NewSecret(v.KeyProvider["APIrtctokenVec1"]),
		SecondaryAPIKey: "APIrtctokenVec2", SecondaryAPISecret: core.NewSecret(v.KeyProvider["APIrtctokenVec2"]),
		ServerURL: "wss://vectors.example",
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// claimsFromInputs builds the Claims a case's calls made, as ToJWT would.
func claimsFromInputs(t *testing.T, c *lkCase) *livekit.Claims {
	t.Helper()
	in := c.Inputs
	ttl := int64(6 * 3600)
	if in.ValidFor != nil {
		ttl = *in.ValidFor
	}
	cl := &livekit.Claims{
		Issuer: in.APIKey, Subject: in.Identity, Identity: in.Identity, IssuedAt: c.MadeAt, NotBefore: c.MadeAt, ExpiresAt: c.MadeAt + ttl,
		Name: in.Name, Metadata: in.Metadata, Attributes: in.Attributes, Kind: strings.ToLower(in.Kind),
		Agent: in.AgentGrant, RoomConfig: in.RoomConfig, RoomPreset: in.RoomPreset, SHA256: in.SHA256,
	}
	for _, d := range in.KindDetails {
		cl.KindDetails = append(cl.KindDetails, strings.ToLower(d))
	}
	if in.VideoGrant != nil {
		cl.Video = new(livekit.VideoGrant)
		mustUnmarshal(t, in.VideoGrant, cl.Video)
	}
	if in.SIPGrant != nil {
		cl.SIP = new(livekit.SIPGrant)
		mustUnmarshal(t, in.SIPGrant, cl.SIP)
	}
	return cl
}

func mustUnmarshal(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatal(err)
	}
}

// grantsOf is what LiveKit's Verify returns as ClaimGrants: the claims
// without the registered ones, identity set to the verified identity.
func grantsOf(t *testing.T, tok *livekit.Token) map[string]any {
	t.Helper()
	c := *tok.Claims
	c.Issuer, c.Subject, c.ExpiresAt, c.NotBefore, c.IssuedAt, c.ID = "", "", 0, 0, 0, ""
	c.Identity = tok.Identity
	b, err := json.Marshal(&c)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	mustUnmarshal(t, b, &m)
	return m
}

func TestVectorsIssue(t *testing.T) {
	v := loadVectors(t)
	for i := range v.Cases {
		c := &v.Cases[i]
		if c.ExpectedError != nil {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			tok, err := livekit.Sign(claimsFromInputs(t, c), core.NewSecret(c.Inputs.APISecret))
			testutil.SameJWS(t, tok, err, c.HeaderJSON, c.PayloadJSON, c.Token)
		})
	}
}

// The Provider's subscriber token is the vendor's subscribe_only token,
// byte for byte.
func TestVectorsProviderSubscriber(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Cases {
		if c.ID != "subscribe_only" {
			continue
		}
		cred, err := vectorProvider(t, v).Issue(context.Background(), core.Grant{
			Kind: livekit.KindRoom, UserID: c.Inputs.Identity, Room: "town-hall", Role: livekit.RoleSubscriber,
			TTL: time.Duration(*c.Inputs.ValidFor) * time.Second, Now: time.Unix(c.MadeAt, 0), Identity: core.Identity{UserID: c.Inputs.Identity},
		})
		if err != nil {
			t.Fatal(err)
		}
		if cred.Token != c.Token {
			t.Fatalf("token:\n got %s\nwant %s", cred.Token, c.Token)
		}
		return
	}
	t.Fatal("no subscribe_only case")
}

func TestVectorsVerify(t *testing.T) {
	v := loadVectors(t)
	p := vectorProvider(t, v)
	for _, c := range v.Cases {
		if c.ExpectedError != nil {
			continue
		}
		t.Run(c.ID, func(t *testing.T) {
			keys := core.Keys{Primary: core.NewSecret(v.KeyProvider[c.Inputs.APIKey])}
			tok, err := livekit.Verify(c.Token, keys, core.Expect{Kind: livekit.KindRoom, AppID: c.Inputs.APIKey, At: time.Unix(c.Validity.Now, 0)})
			if err != nil || !c.Verify.OK {
				t.Fatalf("verify: %v (vendor ok %v)", err, c.Verify.OK)
			}
			if tok.Identity != c.Verify.Identity || tok.APIKey != c.Inputs.APIKey {
				t.Errorf("identity %q key %q, vendor %q", tok.Identity, tok.APIKey, c.Verify.Identity)
			}
			if g := grantsOf(t, tok); !reflect.DeepEqual(g, c.Verify.ClaimGrants) {
				t.Errorf("grants\n got %v\nwant %v", g, c.Verify.ClaimGrants)
			}
			if e := c.Verify.Effective; e != nil {
				got := tok.Claims.Video.Effective()
				want := livekit.Permissions{CanPublish: e.CanPublish, CanSubscribe: e.CanSubscribe, CanPublishData: e.CanPublishData,
					CanUpdateOwnMetadata: e.CanUpdateOwnMetadata, CanSubscribeMetrics: e.CanSubscribeMetrics, CanManageAgentSession: e.CanManageAgentSession}
				if got != want {
					t.Errorf("effective %+v, vendor %+v", got, want)
				}
				for src, ok := range e.CanPublishSource {
					if tok.Claims.Video.CanPublishSource(src) != ok {
						t.Errorf("source %s: vendor says %v", src, ok)
					}
				}
			} else if tok.Claims.Video != nil {
				t.Error("a video grant the vendor did not see")
			}
			for _, w := range c.Window {
				_, err := p.Verify(context.Background(), livekit.KindRoom, c.Token, time.Unix(w.Now, 0))
				if (err == nil) != w.Valid || (err != nil && !errors.Is(err, core.ErrExpired)) {
					t.Errorf("at %d: %v, vendor valid %v", w.Now, err, w.Valid)
				}
			}
		})
	}
}

func TestVectorsRefusedByIssuer(t *testing.T) {
	v := loadVectors(t)
	p := vectorProvider(t, v)
	n := 0
	for _, c := range v.Cases {
		switch {
		case c.ExpectedError == nil:
			continue
		case c.ID == "room_config_sensitive_refused":
			opts, _ := json.Marshal(map[string]json.RawMessage{"room_config": c.Inputs.RoomConfig})
			_, err := p.Issue(context.Background(), core.Grant{Kind: livekit.KindRoom, UserID: "customer-9", Room: "support-42", Role: livekit.RoleSubscriber,
				TTL: time.Hour, Now: time.Unix(c.MadeAt, 0), Options: opts})
			if !errors.Is(err, &core.Error{Code: core.CodeInvalidOption, Field: "options.room_config"}) {
				t.Errorf("%s: %v", c.ID, err)
			}
		case c.ID == "missing_api_key_refused":
			_, err := livekit.New(livekit.Config{APISecret: core.NewSecret(c.Inputs.APISecret), ServerURL: "wss://x"})
			if core.ConfigField(err) != "APIKey" {
				t.Errorf("%s: %v", c.ID, err)
			}
			if _, err := livekit.Sign(&livekit.Claims{Subject: "alice"}, core.Secret{}); err == nil {
				t.Errorf("%s: signed without a secret", c.ID)
			}
		default:
			t.Errorf("unexpected refusal case %s", c.ID)
		}
		n++
	}
	if n != 2 {
		t.Fatalf("%d refusal cases", n)
	}
}

// vendorErrors maps the vendor's error texts to the sentinel this
// package's Verify answers with.
var vendorErrors = map[string]error{
	"token signature is invalid: signature is invalid":                                 core.ErrSignature,
	"token signature is invalid: signing method none is invalid":                       core.ErrMalformed, // Parse refuses a non-HS256 header
	"token signature is invalid: signing method HS512 is invalid":                      core.ErrMalformed,
	"token has invalid claims: token is expired":                                       core.ErrExpired,
	"token has invalid claims: token is not valid yet":                                 core.ErrExpired,
	"token has invalid claims: token is missing required claim: exp claim is required": core.ErrMismatch,
	"missing API key or secret key":                                                    core.ErrSignature, // no secret for that iss
	"token is malformed: token contains an invalid number of segments":                 core.ErrMalformed,
}

func verifyNegative(p *livekit.Provider, n lkNegative) (*livekit.Token, error) {
	at := time.Unix(n.Now, 0)
	if n.VerifySecret != nil {
		return livekit.Verify(n.Token, core.Keys{Primary: core.NewSecret(*n.VerifySecret)}, core.Expect{At: at})
	}
	if _, err := p.Verify(context.Background(), livekit.KindRoom, n.Token, at); err != nil {
		return nil, err
	}
	return livekit.Parse(n.Token)
}

func TestVectorsNegative(t *testing.T) {
	v := loadVectors(t)
	p := vectorProvider(t, v)
	for _, n := range v.Negative {
		t.Run(n.ID, func(t *testing.T) {
			want, ok := vendorErrors[n.VendorError]
			if !ok || n.Expect != "reject" || n.VendorVerdict != "rejected" {
				t.Fatalf("vendor %s %q", n.VendorVerdict, n.VendorError)
			}
			_, err := verifyNegative(p, n)
			if !errors.Is(err, want) {
				t.Fatalf("got %v, want %v (vendor: %s)", err, want, n.VendorError)
			}
		})
	}
}

// TestVectorsBoundary: the edges LiveKit accepts. This package accepts the
// same, except two where it is stricter: a token without iss (whose secret
// LiveKit's caller supplied directly) and a token without nbf before its iat.
func TestVectorsBoundary(t *testing.T) {
	v := loadVectors(t)
	p := vectorProvider(t, v)
	stricter := map[string]error{"no_iss_direct_verify": core.ErrMismatch, "future_iat_without_nbf": core.ErrExpired}
	for _, n := range v.Boundary {
		t.Run(n.ID, func(t *testing.T) {
			if n.Expect != "accept" || n.VendorVerdict != "accepted" {
				t.Fatalf("vendor %s", n.VendorVerdict)
			}
			tok, err := verifyNegative(p, n)
			if want, ok := stricter[n.ID]; ok {
				if !errors.Is(err, want) {
					t.Fatalf("got %v, want %v", err, want)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if g := grantsOf(t, tok); !reflect.DeepEqual(g, n.ClaimGrants) {
				t.Errorf("grants\n got %v\nwant %v", g, n.ClaimGrants)
			}
		})
	}
}
