package twilio_test

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/internal/testutil"
	"github.com/rtctoken/rtctoken/internal/vendortest"
)

// vectorFile is testdata/twilio_accesstoken.json: tokens twilio-go v1.31.0
// issued, what its FromJwt decoded, and its verdicts.
type vectorFile struct {
	Accounts struct {
		AccountSID string            `json:"account_sid"`
		Keys       map[string]string `json:"keys"`
	} `json:"accounts"`
	Cases         []twCase     `json:"cases"`
	Negative      []twNegative `json:"negative"`
	VendorAccepts []twNegative `json:"vendor_accepts"`
}

type twDecode struct {
	OK         bool           `json:"ok"`
	AccountSID string         `json:"account_sid"`
	KeySID     string         `json:"signing_key_sid"`
	Identity   string         `json:"identity"`
	Region     string         `json:"region"`
	Headers    map[string]any `json:"headers"`
	Payload    map[string]any `json:"payload"`
}

type twCase struct {
	ID     string `json:"id"`
	Inputs struct {
		AccountSID string  `json:"account_sid"`
		KeySID     string  `json:"signing_key_sid"`
		Secret     string  `json:"secret"`
		Identity   string  `json:"identity"`
		Region     string  `json:"region"`
		Nbf        float64 `json:"nbf"`
		TTL        float64 `json:"ttl"`
		ValidUntil float64 `json:"valid_until"`
		Grants     []struct {
			Key       string          `json:"key"`
			ToPayload json.RawMessage `json:"to_payload"`
		} `json:"grants"`
	} `json:"inputs"`
	MadeAt      int64    `json:"made_at"`
	Token       string   `json:"token"`
	HeaderJSON  string   `json:"header_json"`
	PayloadJSON string   `json:"payload_json"`
	Vendor      twDecode `json:"vendor_decode"`
	Validity    struct {
		Now        int64 `json:"now"`
		Within24h  bool  `json:"within_twilio_24h_max"`
		ExpMinusAt int64 `json:"exp_minus_made_at"`
	} `json:"validity"`
	Window []struct {
		Now   int64 `json:"now"`
		Valid bool  `json:"valid"`
	} `json:"window_checks"`
}

type twNegative struct {
	ID            string    `json:"id"`
	Token         string    `json:"token"`
	Now           int64     `json:"now"`
	VerifySecret  string    `json:"verify_secret"`
	VendorVerdict string    `json:"vendor_verdict"`
	VendorError   string    `json:"vendor_error"`
	Vendor        *twDecode `json:"vendor_decode"`
}

func loadVectors(t testing.TB) *vectorFile {
	t.Helper()
	var v vectorFile
	vendortest.ReadJSON(t, "testdata/twilio_accesstoken.json", &v)
	if len(v.Cases) != 18 || len(v.Negative) != 9 || len(v.VendorAccepts) != 7 {
		t.Fatalf("vector file: %d cases, %d negative, %d vendor_accepts", len(v.Cases), len(v.Negative), len(v.VendorAccepts))
	}
	return &v
}

const (
	vecKey1 = "SKfedcba9876543210fedcba9876543210"
	vecKey2 = "SK00112233445566778899aabbccddeeff"
)

// vectorProvider is a Provider of the vectors' account with both keys.
func vectorProvider(t testing.TB, v *vectorFile, mod func(*twilio.Config)) *twilio.Provider {
	t.Helper()
	cfg := twilio.Config{
		AccountSID: v.Accounts.AccountSID, APIKeySID: vecKey1, APIKeySecret: core.NewSecret(v.Accounts.Keys[vecKey1]),
		SecondaryAPIKeySID: vecKey2, SecondaryAPIKeySecret: core.NewSecret(v.Accounts.Keys[vecKey2]),
	}
	if mod != nil {
		mod(&cfg)
	}
	p, err := twilio.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// claimsFromInputs builds the claims CreateAccessToken made, with
// twilio-go's rules (TTL raised to an hour, ValidUntil overriding exp).
func claimsFromInputs(t *testing.T, c *twCase) *twilio.Claims {
	t.Helper()
	in := c.Inputs
	grants := map[string]json.RawMessage{}
	for _, g := range in.Grants {
		grants[g.Key] = g.ToPayload
	}
	if in.Identity != "" {
		grants["identity"], _ = json.Marshal(in.Identity)
	}
	cl := &twilio.Claims{Issuer: in.KeySID, Subject: in.AccountSID, ID: twilio.JTI(in.KeySID, c.MadeAt), NotBefore: c.MadeAt}
	b, _ := json.Marshal(grants)
	if err := json.Unmarshal(b, &cl.Grants); err != nil {
		t.Fatal(err)
	}
	if in.Nbf != 0 {
		cl.NotBefore = int64(in.Nbf)
	}
	cl.ExpiresAt = c.MadeAt + max(int64(in.TTL), 3600)
	if in.ValidUntil != 0 {
		cl.ExpiresAt = int64(in.ValidUntil)
	}
	return cl
}

func TestVectorsIssue(t *testing.T) {
	v := loadVectors(t)
	for i := range v.Cases {
		c := &v.Cases[i]
		t.Run(c.ID, func(t *testing.T) {
			tok, err := twilio.Sign(claimsFromInputs(t, c), c.Inputs.Region, core.NewSecret(c.Inputs.Secret))
			testutil.SameJWS(t, tok, err, c.HeaderJSON, c.PayloadJSON, c.Token)
		})
	}
}

// The Provider's own tokens, through a Service on the vectors' clock, are
// twilio-go's byte for byte where the grants are the same.
func TestVectorsProvider(t *testing.T) {
	v := loadVectors(t)
	byID := map[string]twCase{}
	for _, c := range v.Cases {
		byID[c.ID] = c
	}
	for _, c := range []struct {
		id, kind, room string
		ttl            time.Duration
		mod            func(*twilio.Config)
	}{
		{"ttl_default", twilio.KindVideo, "DailyStandup", 0, nil},
		{"ttl_max_24h", twilio.KindVideo, "DailyStandup", 24 * time.Hour, nil},
		{"region_ie1", twilio.KindVoice, "", 0, func(c *twilio.Config) { c.Region, c.VoiceAppSID = "ie1", "AP0123456789abcdef0123456789abcdef" }},
	} {
		vc := byID[c.id]
		svc, err := core.NewService([]core.Provider{vectorProvider(t, v, c.mod)}, core.WithClock(func() time.Time { return time.Unix(vc.MadeAt, 0) }))
		if err != nil {
			t.Fatal(err)
		}
		cred, err := svc.Issue(context.Background(), core.Identity{UserID: vc.Inputs.Identity},
			core.Request{Provider: twilio.Name, Kind: c.kind, Room: c.room, TTL: c.ttl})
		if err != nil {
			t.Fatalf("%s: %v", c.id, err)
		}
		if cred.Token != vc.Token {
			if c.id == "region_ie1" {
				// region_ie1 was made with a 10-year TTL; compare all but exp.
				got, _ := twilio.Parse(cred.Token)
				want, _ := twilio.Parse(vc.Token)
				got.Claims.ExpiresAt, want.Claims.ExpiresAt = 0, 0
				if reflect.DeepEqual(got.Claims, want.Claims) && reflect.DeepEqual(got.Header, want.Header) {
					continue
				}
			}
			t.Errorf("%s:\n got %s\nwant %s", c.id, cred.Token, vc.Token)
		}
	}
}

func TestVectorsVerify(t *testing.T) {
	v := loadVectors(t)
	p := vectorProvider(t, v, nil)
	for _, c := range v.Cases {
		t.Run(c.ID, func(t *testing.T) {
			keys := core.Keys{Primary: core.NewSecret(v.Accounts.Keys[c.Inputs.KeySID])}
			at := time.Unix(c.Validity.Now, 0)
			tok, err := twilio.Verify(c.Token, keys, core.Expect{AppID: v.Accounts.AccountSID, At: at})
			switch {
			case c.Inputs.Identity == "":
				// twilio-go issues without identity; Twilio requires one.
				if !errors.Is(err, core.ErrMismatch) {
					t.Fatalf("no identity: %v", err)
				}
			case !c.Validity.Within24h:
				// Longer than Twilio's 24 h: refused. The format and the
				// signature are still twilio-go's: the decoded claims sign
				// again to the same token.
				if !errors.Is(err, core.ErrMismatch) {
					t.Fatalf("lifetime %d s: %v", c.Validity.ExpMinusAt, err)
				}
			case err != nil:
				t.Fatal(err)
			}
			if tok == nil {
				if tok, err = twilio.Parse(c.Token); err != nil {
					t.Fatal(err)
				}
			}
			again, err := twilio.Sign(tok.Claims, tok.Region, keys.Primary)
			if err != nil || again != c.Token {
				t.Errorf("re-signed %v:\n%s\n%s", err, again, c.Token)
			}
			d := c.Vendor
			if !d.OK || tok.AccountSID != d.AccountSID || tok.APIKeySID != d.KeySID || tok.Identity != d.Identity || tok.Region != d.Region {
				t.Errorf("token %+v, vendor %+v", tok, d)
			}
			if !reflect.DeepEqual(tok.Raw, d.Payload) || !reflect.DeepEqual(tok.Header, d.Headers) {
				t.Errorf("claims\n %v %v\nvendor %v %v", tok.Header, tok.Raw, d.Headers, d.Payload)
			}
			if !tok.IssuedAt.Equal(time.Unix(c.MadeAt, 0)) {
				t.Errorf("issued at %s", tok.IssuedAt)
			}
			if !c.Validity.Within24h || c.Inputs.Identity == "" {
				return
			}
			for _, w := range c.Window {
				_, err := p.Verify(context.Background(), twilio.KindVideo, c.Token, time.Unix(w.Now, 0))
				if (err == nil) != w.Valid || (err != nil && !errors.Is(err, core.ErrExpired)) {
					t.Errorf("at %d: %v, vendor valid %v", w.Now, err, w.Valid)
				}
			}
		})
	}
}

// TestVectorsRejected: every negative token, and every token twilio-go
// accepts against Twilio's documented rules, is refused, each for its
// reason.
func TestVectorsRejected(t *testing.T) {
	v := loadVectors(t)
	p := vectorProvider(t, v, nil)
	want := map[string]error{
		"wrong_secret": core.ErrSignature, "tampered_payload": core.ErrSignature, "alg_none": core.ErrMalformed,
		"expired_2023": core.ErrExpired, "expired_1s": core.ErrExpired, "nbf_future_30s": core.ErrExpired,
		// exp is 74 years after the time in its jti: too long before it is too early.
		"nbf_year_2100": core.ErrMismatch,
		"malformed":     core.ErrMalformed, "missing_sub_panics": core.ErrMismatch,
		// accepted by twilio-go:
		"wrong_issuer_accepted": core.ErrSignature, "wrong_account_accepted": core.ErrMismatch, "missing_exp_accepted": core.ErrMismatch,
		"hs512_accepted": core.ErrMalformed, "lifetime_over_24h_accepted": core.ErrMismatch,
		"empty_key_skips_verification": core.ErrSignature, "cty_missing_accepted": core.ErrMalformed,
	}
	all := append(append([]twNegative(nil), v.Negative...), v.VendorAccepts...)
	for _, n := range all {
		t.Run(n.ID, func(t *testing.T) {
			w, ok := want[n.ID]
			if !ok {
				t.Fatalf("no expectation (vendor %s)", n.VendorVerdict)
			}
			at := time.Unix(n.Now, 0)
			_, err := p.Verify(context.Background(), twilio.KindVideo, n.Token, at)
			if n.VerifySecret != "" && n.VerifySecret != v.Accounts.Keys[vecKey1] && n.VerifySecret != v.Accounts.Keys[vecKey2] {
				// Verified with a secret of no key of the account.
				_, err = twilio.Verify(n.Token, core.Keys{Primary: core.NewSecret(n.VerifySecret)}, core.Expect{At: at})
			}
			if !errors.Is(err, w) {
				t.Fatalf("got %v, want %v (vendor: %s %s)", err, w, n.VendorVerdict, n.VendorError)
			}
		})
	}
	if len(all) != len(want) {
		t.Fatalf("%d tokens, %d expectations", len(all), len(want))
	}
}
