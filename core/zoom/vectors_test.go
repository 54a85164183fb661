package zoom_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom"
	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

type zoomCase struct {
	ID     string `json:"id"`
	Inputs struct {
		SDKKey      string         `json:"sdk_key"`
		SDKSecret   string         `json:"sdk_secret"`
		NowMs       int64          `json:"now_ms"`
		IAT         int64          `json:"iat"`
		RequestBody map[string]any `json:"request_body"`
	} `json:"inputs"`
	Expected *struct {
		Token        string         `json:"token"`
		HeaderJSON   string         `json:"header_json"`
		PayloadJSON  string         `json:"payload_json"`
		Claims       map[string]any `json:"claims"`
		SignatureB64 string         `json:"signature_b64url"`
		VerifiesUTF8 bool           `json:"verifies_with_utf8_secret_bytes"`
		StdToken     string         `json:"standard_utf8_key_token"`
		SDKKeyResp   string         `json:"response_sdkKey"`
	} `json:"expected"`
	ExpectedError *struct {
		HTTPStatus int `json:"http_status"`
		Errors     []struct {
			Property string `json:"property"`
			Reason   string `json:"reason"`
		} `json:"errors"`
	} `json:"expected_error"`
}

type zoomVectors struct {
	Cases []zoomCase `json:"cases"`
}

func loadCases(t testing.TB, file string) []zoomCase {
	t.Helper()
	var v zoomVectors
	testutil.LoadVectors(t, file, &v)
	if len(v.Cases) == 0 {
		t.Fatalf("%s: no cases", file)
	}
	return v.Cases
}

// propertyField maps the properties named by the samples' HTTP 400 bodies to
// the request fields this package's validation names. "$schema" is the
// samples' mn/role all-or-none rule: the error names the missing one
// (checked precisely in wantFields).
var propertyField = map[string]string{
	"sessionName":       "room",
	"meetingNumber":     "room",
	"role":              "role",
	"userIdentity":      "user_id",
	"sessionKey":        "options.session_key",
	"expirationSeconds": "ttl",
	"geoRegions":        "options.geo_regions",
	"videoWebRtcMode":   "options.video_webrtc_mode",
}

// fieldCode is the error code that goes with each field.
var fieldCode = map[string]core.Code{
	"room":                      core.CodeInvalidRoom,
	"role":                      core.CodeInvalidRole,
	"user_id":                   core.CodeInvalidUser,
	"ttl":                       core.CodeInvalidTTL,
	"options.session_key":       core.CodeInvalidOption,
	"options.geo_regions":       core.CodeInvalidOption,
	"options.video_webrtc_mode": core.CodeInvalidOption,
}

// wantFields lists the fields an expected_error case may be refused with
// (a request with several errors is refused with the first one found).
func wantFields(t *testing.T, c zoomCase) []string {
	t.Helper()
	var out []string
	for _, e := range c.ExpectedError.Errors {
		if e.Property == "$schema" {
			if _, hasMN := c.Inputs.RequestBody["meetingNumber"]; hasMN {
				out = append(out, "role")
			} else {
				out = append(out, "room")
			}
			continue
		}
		f, ok := propertyField[e.Property]
		if !ok {
			t.Fatalf("no field mapped for property %q", e.Property)
		}
		out = append(out, f)
	}
	return out
}

// fieldClaims are the claims sdkjwt names in its errors for each request
// field; the provider renames them.
var fieldClaims = map[string][]string{
	"room": {"tpc", "mn"}, "role": {"role_type", "role"}, "user_id": {"user_identity"}, "ttl": {"exp"},
	"options.session_key": {"session_key"}, "options.geo_regions": {"geo_regions"},
	"options.video_webrtc_mode": {"video_webrtc_mode"},
}

// checkRefused checks that err names one of the request fields.
func checkRefused(t *testing.T, err error, fields []string) {
	t.Helper()
	checkNamed(t, err, fields, func(f string) []string { return []string{f} })
}

// checkRefusedClaim checks that a low-level err names a claim of one of the
// request fields.
func checkRefusedClaim(t *testing.T, err error, fields []string) {
	t.Helper()
	checkNamed(t, err, fields, func(f string) []string { return fieldClaims[f] })
}

func checkNamed(t *testing.T, err error, fields []string, names func(string) []string) {
	t.Helper()
	var ce *core.Error
	if !errors.As(err, &ce) {
		t.Fatalf("got %v, want a *core.Error naming one of %v", err, fields)
	}
	for _, f := range fields {
		if slices.Contains(names(f), ce.Field) {
			if ce.Code != fieldCode[f] {
				t.Fatalf("field %s: code %s, want %s", f, ce.Code, fieldCode[f])
			}
			return
		}
	}
	t.Fatalf("refused with field %q (%v), want one naming %v", ce.Field, err, fields)
}

// bodyInt is the samples' request coercion: numbers, or strings parseInt-ed.
func bodyInt(b map[string]any, k string) (int64, bool) {
	switch v := b[k].(type) {
	case float64:
		return int64(v), true
	case string:
		n, err := strconv.ParseInt(v, 10, 64)
		return n, err == nil
	}
	return 0, false
}

func bodyFlag(b map[string]any, k string) sdkjwt.Flag {
	if v, ok := bodyInt(b, k); ok {
		return sdkjwt.FlagOf(v)
	}
	return sdkjwt.Unset
}

func bodyString(b map[string]any, k string) string {
	s, _ := b[k].(string)
	return s
}

// bodyRegions is the sample's toStringArray with whitespace removed.
func bodyRegions(b map[string]any) []string {
	var raw []string
	switch v := b["geoRegions"].(type) {
	case string:
		raw = strings.Split(v, ",")
	case []any:
		for _, e := range v {
			s, _ := e.(string)
			raw = append(raw, s)
		}
	default:
		return nil
	}
	out := make([]string, len(raw))
	for i, r := range raw {
		out[i] = strings.Join(strings.Fields(r), "")
	}
	return out
}

// lifetime is the samples' exp: iat + expirationSeconds, 7200 by default.
func lifetime(c zoomCase) (int64, int64) {
	ttl, ok := bodyInt(c.Inputs.RequestBody, "expirationSeconds")
	if _, present := c.Inputs.RequestBody["expirationSeconds"]; !present || !ok {
		ttl = 7200
	}
	return c.Inputs.IAT, c.Inputs.IAT + ttl
}

func videoClaims(c zoomCase) sdkjwt.VideoClaims {
	b := c.Inputs.RequestBody
	iat, exp := lifetime(c)
	v := sdkjwt.VideoClaims{
		AppKey: c.Inputs.SDKKey, RoleType: -1, Topic: bodyString(b, "sessionName"),
		IssuedAt: iat, ExpiresAt: exp,
		UserIdentity: bodyString(b, "userIdentity"), SessionKey: bodyString(b, "sessionKey"),
		GeoRegions:             bodyRegions(b),
		CloudRecordingOption:   bodyFlag(b, "cloudRecordingOption"),
		CloudRecordingElection: bodyFlag(b, "cloudRecordingElection"),
		TelemetryTrackingID:    bodyString(b, "telemetryTrackingId"),
		VideoWebRTCMode:        bodyFlag(b, "videoWebRtcMode"),
		AudioWebRTCMode:        bodyFlag(b, "audioWebRtcMode"),
	}
	if v.AudioWebRTCMode == sdkjwt.Unset { // audioWebRtcMode ?? audioCompatibleMode
		v.AudioWebRTCMode = bodyFlag(b, "audioCompatibleMode")
	}
	if r, ok := bodyInt(b, "role"); ok {
		v.RoleType = int(r)
	}
	return v
}

func meetingClaims(c zoomCase) sdkjwt.MeetingClaims {
	b := c.Inputs.RequestBody
	iat, exp := lifetime(c)
	m := sdkjwt.MeetingClaims{SDKKey: c.Inputs.SDKKey, IssuedAt: iat, ExpiresAt: exp, VideoWebRTCMode: bodyFlag(b, "videoWebRtcMode")}
	switch v := b["meetingNumber"].(type) {
	case string:
		m.MeetingNumber = sdkjwt.MeetingNumber{Text: v}
	case float64:
		m.MeetingNumber = sdkjwt.MeetingNumber{Text: strconv.FormatInt(int64(v), 10), Numeric: true}
	}
	m.Role = bodyFlag(b, "role")
	return m
}

// sameJSON compares two values as JSON data (numbers by value).
func sameJSON(t *testing.T, got, want any) bool {
	t.Helper()
	norm := func(v any) any {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		var out any
		if err := json.Unmarshal(b, &out); err != nil {
			t.Fatal(err)
		}
		return out
	}
	return reflect.DeepEqual(norm(got), norm(want))
}

func payloadOf(t *testing.T, token string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d segments", len(parts))
	}
	b, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// checkVectorToken compares a token built from a positive case with the
// vector: byte for byte where the vendor token verifies with the secret's
// UTF-8 bytes, else with standard_utf8_key_token; in both cases the exact
// payload JSON and the decoded claims.
func checkVectorToken(t *testing.T, c zoomCase, tok string) {
	t.Helper()
	e := c.Expected
	want := e.Token
	if !e.VerifiesUTF8 {
		want = e.StdToken
		if want == "" || want == e.Token {
			t.Fatalf("quirk case without a distinct standard_utf8_key_token")
		}
	}
	if tok != want {
		t.Errorf("token\n got %s\nwant %s", tok, want)
	}
	if e.VerifiesUTF8 && !strings.HasSuffix(tok, "."+e.SignatureB64) {
		t.Errorf("signature differs from signature_b64url %s", e.SignatureB64)
	}
	if got := payloadOf(t, tok); got != e.PayloadJSON {
		t.Errorf("payload\n got %s\nwant %s", got, e.PayloadJSON)
	}
	if !strings.HasPrefix(tok, base64.RawURLEncoding.EncodeToString([]byte(e.HeaderJSON))+".") {
		t.Errorf("header is not %s", e.HeaderJSON)
	}
	now := time.Unix(c.Inputs.IAT, 0)
	expect := core.Expect{AppID: c.Inputs.SDKKey, At: now}
	got, err := zoom.Verify(tok, keys(c.Inputs.SDKSecret), expect)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if !sameJSON(t, got.Claims, e.Claims) {
		t.Errorf("claims\n got %v\nwant %v", got.Claims, e.Claims)
	}
	// The vendor's own token verifies with the UTF-8 secret exactly when the
	// vector says so; the jsrsasign quirk tokens are a signature mismatch.
	_, err = zoom.Verify(e.Token, keys(c.Inputs.SDKSecret), expect)
	if e.VerifiesUTF8 && err != nil {
		t.Errorf("vendor token: %v", err)
	}
	if !e.VerifiesUTF8 && !errors.Is(err, core.ErrSignature) {
		t.Errorf("jsrsasign-keyed vendor token: got %v, want ErrSignature", err)
	}
}

// runVectors signs every case of file with sign: positive cases must match
// the vector, expected_error cases must be refused naming the mapped field.
func runVectors(t *testing.T, file string, sign func(zoomCase) (string, error)) {
	for _, c := range loadCases(t, file) {
		t.Run(c.ID, func(t *testing.T) {
			tok, err := sign(c)
			if c.ExpectedError != nil {
				if err == nil {
					t.Fatalf("signed %s, want a refusal", tok)
				}
				checkRefusedClaim(t, err, wantFields(t, c))
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Expected.SDKKeyResp != "" && c.Expected.SDKKeyResp != c.Inputs.SDKKey {
				t.Errorf("response_sdkKey %q", c.Expected.SDKKeyResp)
			}
			checkVectorToken(t, c, tok)
		})
	}
}

func TestVectorsVideo(t *testing.T) {
	runVectors(t, "zoom_videosdk.json", func(c zoomCase) (string, error) {
		return sdkjwt.SignVideo(c.Inputs.SDKSecret, videoClaims(c))
	})
}

func TestVectorsMeeting(t *testing.T) {
	runVectors(t, "zoom_meetingsdk.json", func(c zoomCase) (string, error) {
		return sdkjwt.SignMeeting(c.Inputs.SDKSecret, meetingClaims(c))
	})
}

// grantFor turns a vector request into a Provider grant the way an HTTP
// layer would: role number to name, expirationSeconds to TTL, the body's
// options to the kind's JSON options. A video grant always has a user
// (the identity); cases without userIdentity get "u1".
func grantFor(t *testing.T, kind string, c zoomCase) core.Grant {
	t.Helper()
	b := c.Inputs.RequestBody
	g := core.Grant{Kind: kind, UserID: "u1", Now: time.UnixMilli(c.Inputs.NowMs), TTL: 7200 * time.Second}
	if u := bodyString(b, "userIdentity"); u != "" {
		g.UserID = u
	}
	if _, present := b["expirationSeconds"]; present {
		n, _ := bodyInt(b, "expirationSeconds")
		g.TTL = time.Duration(n) * time.Second
	}
	if r, ok := bodyInt(b, "role"); ok {
		g.Role = map[int64]string{0: zoom.RoleParticipant, 1: zoom.RoleHost}[r]
		if g.Role == "" {
			g.Role = "role-" + strconv.FormatInt(r, 10)
		}
	}
	opts := map[string]any{}
	if kind == zoom.KindVideo {
		g.Room = bodyString(b, "sessionName")
		v := videoClaims(c)
		if v.SessionKey != "" {
			opts["session_key"] = v.SessionKey
		}
		if v.GeoRegions != nil {
			opts["geo_regions"] = v.GeoRegions
		}
		if v.TelemetryTrackingID != "" {
			opts["telemetry_tracking_id"] = v.TelemetryTrackingID
		}
		for name, f := range map[string]string{"cloud_recording_option": "cloudRecordingOption", "cloud_recording_election": "cloudRecordingElection", "video_webrtc_mode": "videoWebRtcMode"} {
			if n, ok := bodyInt(b, f); ok {
				opts[name] = n
			}
		}
		if n, ok := v.AudioWebRTCMode.Value(); ok {
			opts["audio_webrtc_mode"] = n
		}
	} else {
		switch v := b["meetingNumber"].(type) {
		case string:
			g.Room = v
		case float64:
			g.Room = strconv.FormatInt(int64(v), 10)
		}
		if n, ok := bodyInt(b, "videoWebRtcMode"); ok {
			opts["video_webrtc_mode"] = n
		}
	}
	if len(opts) > 0 {
		raw, err := json.Marshal(opts)
		if err != nil {
			t.Fatal(err)
		}
		g.Options = raw
	}
	return g
}

// providerOutcome says how a vector case fares through the Provider, where
// that differs from the sample. "refuse:<field>" cases are refused on
// purpose; "skip" cases cannot be expressed as a grant.
var providerOutcome = map[string]string{
	"video/json_escaping_specials":     "refuse:room",    // U+2028 in a room: the service's text rule
	"meeting/unicode_meeting_number":   "refuse:room",    // a meeting number is 9-11 ASCII digits
	"meeting/err_meeting_without_role": "skip",           // a grant always has a role (default participant)
	"meeting/numeric_meeting_number":   "claims:mn-text", // the Provider writes mn as a string
	"video/err_exp_zero":               "skip",           // a grant's TTL is never 0 (the service fills the default)
	"video/err_role_2":                 "skip",           // a role the kind does not offer: the service refuses it
	"meeting/err_role_2":               "skip",           // likewise
}

func TestVectorsThroughProvider(t *testing.T) {
	for _, kind := range []string{zoom.KindVideo, zoom.KindMeeting} {
		file := map[string]string{zoom.KindVideo: "zoom_videosdk.json", zoom.KindMeeting: "zoom_meetingsdk.json"}[kind]
		for _, c := range loadCases(t, file) {
			t.Run(kind+"/"+c.ID, func(t *testing.T) {
				outcome := providerOutcome[kind+"/"+c.ID]
				if outcome == "skip" {
					t.Skip("not expressible as a grant")
				}
				p, err := zoom.New(zoom.Config{SDKKey: c.Inputs.SDKKey, SDKSecret: core.NewSecret(c.Inputs.SDKSecret)})
				if err != nil {
					t.Fatal(err)
				}
				cred, err := p.Issue(context.Background(), grantFor(t, kind, c))
				if field, ok := strings.CutPrefix(outcome, "refuse:"); ok {
					checkRefused(t, err, []string{field})
					return
				}
				if c.ExpectedError != nil {
					if err == nil {
						t.Fatalf("issued %s, want a refusal", cred.Token)
					}
					checkRefused(t, err, wantFields(t, c))
					return
				}
				if err != nil {
					t.Fatal(err)
				}
				_, hasUser := c.Inputs.RequestBody["userIdentity"]
				if outcome == "" && (kind == zoom.KindMeeting || hasUser) {
					checkVectorToken(t, c, cred.Token)
					return
				}
				// The grant differs from the request (video: the user; meeting:
				// mn's JSON type): compare the claims with that difference.
				want := map[string]any{}
				for k, v := range c.Expected.Claims {
					want[k] = v
				}
				if kind == zoom.KindVideo {
					want["user_identity"] = "u1"
				} else {
					want["mn"] = cred.Room
				}
				v, err := p.Verify(context.Background(), kind, cred.Token, time.Unix(c.Inputs.IAT, 0))
				if err != nil {
					t.Fatal(err)
				}
				if !sameJSON(t, v.Claims, want) {
					t.Errorf("claims\n got %v\nwant %v", v.Claims, want)
				}
			})
		}
	}
}

// keys holds one secret as the primary key.
func keys(secret string) core.Keys { return core.Keys{Primary: core.NewSecret(secret)} }
