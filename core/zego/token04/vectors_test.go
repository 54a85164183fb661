package token04

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

type token04Case struct {
	ID        string `json:"id"`
	Case      string `json:"case"`
	Generator string `json:"generator"`
	Mode      string `json:"mode"`
	Inputs    struct {
		AppID     uint32 `json:"app_id"`
		UserID    string `json:"user_id"`
		Secret    string `json:"secret"`
		Effective int64  `json:"effective_time_in_seconds"`
		Payload   string `json:"payload"`
		Injected  struct {
			CTime       int64  `json:"ctime"`
			Nonce       int32  `json:"nonce"`
			IV          string `json:"iv"`
			GCMNonceHex string `json:"gcm_nonce_hex"`
		} `json:"injected"`
	} `json:"inputs"`
	Expected *struct {
		Token       string         `json:"token"`
		Plaintext   string         `json:"plaintext_json"`
		Claims      map[string]any `json:"claims"`
		Binary      map[string]any `json:"binary"`
		PayloadDec  any            `json:"payload_decoded"`
		OracleValid bool           `json:"oracle_valid"`
	} `json:"expected"`
	ExpectedError map[string]any `json:"expected_error"`
}

// loadCases loads the cases of a vector file, which must hold want of them.
func loadCases[T any](t testing.TB, file string, want int) []T {
	t.Helper()
	var v struct {
		Cases []T `json:"cases"`
	}
	testutil.LoadVectors(t, file, &v)
	if len(v.Cases) != want {
		t.Fatalf("%s: %d cases, want %d", file, len(v.Cases), want)
	}
	return v.Cases
}

func loadToken04(t testing.TB) []token04Case {
	return loadCases[token04Case](t, "zego_token04.json", 69)
}

func (c *token04Case) params(t *testing.T) Params {
	in := c.Inputs
	p := Params{
		AppID: in.AppID, UserID: in.UserID, Payload: in.Payload,
		CTime: in.Injected.CTime, Effective: in.Effective, Nonce: in.Injected.Nonce,
	}
	switch c.Mode {
	case "gcm":
		p.Mode = ModeGCM
		iv, err := hex.DecodeString(in.Injected.GCMNonceHex)
		if err != nil {
			t.Fatalf("gcm_nonce_hex: %v", err)
		}
		p.IV = iv
	default:
		p.IV = []byte(in.Injected.IV)
	}
	return p
}

// wantIssueError maps the official generator's refusal to our error.
func wantIssueError(t *testing.T, c *token04Case, err error) {
	t.Helper()
	msg, _ := c.ExpectedError["message"].(string)
	if msg == "" {
		// Node: {errorCode, errorMessage} or {exception}.
		switch code, _ := c.ExpectedError["errorCode"].(float64); {
		case code == 1:
			msg = "appId Invalid"
		case code == 3:
			msg = "userId Invalid"
		case code == 5 || c.ExpectedError["exception"] != nil:
			msg = "secret Invalid"
		case code == 6:
			msg = "effectiveTimeInSeconds Invalid"
		}
	}
	var want error
	switch msg {
	case "appId Invalid", "secret Invalid":
		want = core.ErrConfig
	case "userId Invalid":
		want = core.ErrInvalidUser
	case "effectiveTimeInSeconds Invalid":
		want = core.ErrInvalidTTL
	default:
		t.Fatalf("unmapped expected_error %v", c.ExpectedError)
	}
	if !errors.Is(err, want) {
		t.Fatalf("error %v, want %v (vendor: %s)", err, want, msg)
	}
	if strings.Contains(err.Error(), c.Inputs.Secret) && c.Inputs.Secret != "" {
		t.Fatalf("error message contains the secret")
	}
}

func TestToken04Vectors(t *testing.T) {
	cases := loadToken04(t)
	byID := map[string]*token04Case{}
	for i := range cases {
		byID[cases[i].ID] = &cases[i]
	}
	for i := range cases {
		c := &cases[i]
		t.Run(c.ID, func(t *testing.T) {
			secret := []byte(c.Inputs.Secret)
			p := c.params(t)
			tok, err := Generate(secret, p)
			goStyle := strings.HasPrefix(c.Generator, "go-")

			if c.ExpectedError != nil {
				if !goStyle {
					// Node counts the secret in UTF-16 units; we follow Go, which
					// counts bytes. Where Go accepted the same inputs, so do we.
					if g := byID[c.Case+"/go-cbc"]; g != nil && g.Expected != nil {
						if err != nil {
							t.Fatalf("Go accepts these inputs, we refuse: %v", err)
						}
						return
					}
				}
				wantIssueError(t, c, err)
				return
			}
			exp := c.Expected
			if goStyle {
				if err != nil {
					t.Fatalf("Generate: %v", err)
				}
				if tok != exp.Token {
					t.Fatalf("token\n got %s\nwant %s", tok, exp.Token)
				}
				s := getScratch()
				k, _ := NewKey(secret)
				if _, err := k.appendToken(nil, s, &p, stringPayload(p.Payload)); err != nil {
					t.Fatal(err)
				}
				hdr := 12 + len(p.IV)
				if got := plaintextOf(t, k, s.bin, hdr, p.Mode); got != exp.Plaintext {
					t.Fatalf("plaintext\n got %s\nwant %s", got, exp.Plaintext)
				}
			} else if c.Inputs.Effective > 0 && err != nil {
				t.Fatalf("Generate: %v", err)
			}

			// Every expected token decodes, whichever generator made it.
			got, err := Decode(exp.Token, secret)
			if err != nil {
				t.Fatalf("Decode: %v", err)
			}
			m := got.Map()
			if !sameClaims(m, exp.Claims) {
				t.Fatalf("claims %v, want %v", m, exp.Claims)
			}
			if exp.PayloadDec != nil && !sameJSON(m["payload_decoded"], exp.PayloadDec) {
				t.Fatalf("payload_decoded %v, want %v", m["payload_decoded"], exp.PayloadDec)
			}
			if got.Mode.String() != c.Mode || got.Mode.String() != exp.Binary["mode"] {
				t.Fatalf("mode %s, want %s", got.Mode, c.Mode)
			}
			var dec map[string]any
			if json.Unmarshal([]byte(c.Inputs.Payload), &dec); dec["room_id"] != nil {
				priv, ok := got.Privilege()
				if !ok {
					t.Fatalf("payload is not a room privilege")
				}
				if priv.Payload() != c.Inputs.Payload {
					t.Fatalf("privilege re-encodes as %s, want %s", priv.Payload(), c.Inputs.Payload)
				}
			} else if _, ok := got.Privilege(); ok {
				t.Fatalf("payload %q taken for a room privilege", got.Payload)
			}
			now := time.Unix(c.Inputs.Injected.CTime, 0)
			want := Expect{AppID: c.Inputs.AppID, UserID: c.Inputs.UserID, Now: now}
			_, err = Verify(exp.Token, secret, want)
			switch {
			case !exp.OracleValid:
				if !errors.Is(err, core.ErrExpired) {
					t.Fatalf("Verify of an already-expired token: %v, want ErrExpired", err)
				}
			case err != nil:
				t.Fatalf("Verify: %v", err)
			}
			checkToken04Rejections(t, exp.Token, secret, got)
		})
	}
}

// plaintextOf decrypts the binary s.bin built by appendToken.
func plaintextOf(t *testing.T, k *Key, bin []byte, hdr int, mode Mode) string {
	t.Helper()
	ct := append([]byte(nil), bin[hdr:]...)
	iv := bin[10 : hdr-2]
	if mode == ModeGCM {
		pt, err := k.aead().Open(nil, iv, ct[:len(ct)-1], nil)
		if err != nil {
			t.Fatal(err)
		}
		return string(pt)
	}
	return string(cbcDecrypt(k.block, iv, ct))
}

// checkToken04Rejections checks the mismatch, expiry and signature errors
// of a valid token.
func checkToken04Rejections(t *testing.T, tok string, secret []byte, c *Claims) {
	t.Helper()
	base := Expect{AppID: c.AppID, UserID: c.UserID}
	for _, tc := range []struct {
		name string
		want Expect
		err  error
	}{
		{"other app", Expect{AppID: c.AppID ^ 1}, core.ErrMismatch},
		{"other user", Expect{AppID: c.AppID, UserID: c.UserID + "x"}, core.ErrMismatch},
		{"other room", Expect{AppID: c.AppID, Room: "not-the-room"}, core.ErrMismatch},
		{"at expiry", Expect{AppID: c.AppID, Now: time.Unix(c.Expire, 0)}, core.ErrExpired},
		{"after expiry", Expect{AppID: c.AppID, Now: time.Unix(c.Expire+3600, 0)}, core.ErrExpired},
	} {
		if _, err := Verify(tok, secret, tc.want); !errors.Is(err, tc.err) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.err)
		}
	}
	if c.Expire > c.CTime {
		if _, err := Verify(tok, secret, Expect{AppID: base.AppID, UserID: base.UserID, Now: time.Unix(c.Expire-1, 0)}); err != nil {
			t.Errorf("one second before expiry: %v", err)
		}
	}
	wrong := []byte(strings.Repeat("0", len(secret)))
	if _, err := Decode(tok, wrong); !errors.Is(err, core.ErrSignature) {
		t.Errorf("wrong secret: %v, want ErrSignature", err)
	}
}

// sameJSON compares two values by their JSON encoding.
func sameJSON(a, b any) bool {
	ab, _ := json.Marshal(a)
	bb, _ := json.Marshal(b)
	return string(ab) == string(bb)
}

// sameClaims compares decoded claims with the vector's (JSON numbers).
func sameClaims(got, want map[string]any) bool {
	for k, w := range want {
		if g, ok := got[k]; !ok || !sameJSON(g, w) {
			return false
		}
	}
	_, hasPayload := want["payload"]
	return hasPayload || got["payload"] == ""
}

type kitCase struct {
	ID       string `json:"id"`
	Function string `json:"function"`
	Args     []any  `json:"args"`
	Expected *struct {
		KitToken     string         `json:"kit_token"`
		Token04Part  string         `json:"token04_part"`
		KitJSON      string         `json:"kit_json_latin1"`
		KitDecoded   map[string]any `json:"kit_decoded"`
		UserName     string         `json:"user_name_decoded"`
		OracleRC     int            `json:"oracle_rc"`
		Token04Plain string         `json:"token04_plaintext_json"`
		Token04      map[string]any `json:"token04_claims"`
	} `json:"expected"`
	ExpectedError map[string]any `json:"expected_error"`
}

const kitSecret = "fa94dd0f974cf2e293728a526b028271"

func loadKit(t testing.TB) []kitCase { return loadCases[kitCase](t, "zego_kittoken.json", 21) }

func argString(args []any, i int) string {
	if i < len(args) {
		s, _ := args[i].(string)
		return s
	}
	return ""
}

func TestKitTokenVectors(t *testing.T) {
	for _, c := range loadKit(t) {
		t.Run(c.ID, func(t *testing.T) {
			if c.Function == "generateKitTokenForProduction" {
				testKitProduction(t, c)
				return
			}
			testKitTestVariant(t, c)
		})
	}
}

func testKitProduction(t *testing.T, c kitCase) {
	k := Kit{RoomID: argString(c.Args, 2), UserID: argString(c.Args, 3), UserName: argString(c.Args, 4)}
	switch a := c.Args[0].(type) {
	case float64:
		k.AppID = uint32(a)
	case string:
		k.AppID, k.AppIDString = 1234567890, true
		if a != "1234567890" {
			t.Fatalf("unexpected string app id %q", a)
		}
	}
	tok04 := argString(c.Args, 1)
	got, err := KitToken(tok04, k)
	if c.ExpectedError != nil {
		if !errors.Is(err, core.ErrInvalidRoom) {
			t.Fatalf("KitToken: %v, want invalid_room (vendor: %v)", err, c.ExpectedError)
		}
		return
	}
	if err != nil {
		t.Fatalf("KitToken: %v", err)
	}
	if got != c.Expected.KitToken {
		t.Fatalf("kit token\n got %s\nwant %s", got, c.Expected.KitToken)
	}
	checkKitDecode(t, c, []byte(kitSecret), k)
}

func testKitTestVariant(t *testing.T, c kitCase) {
	if c.ExpectedError != nil {
		// The test generator's own refusals concern inputs our issuers
		// check themselves; the one that reaches KitToken is btoa's.
		switch c.ID {
		case "test_err_unicode_user_id":
			if _, err := KitToken("04x", Kit{AppID: 1, UserID: argString(c.Args, 3), RoomID: "r"}); !errors.Is(err, core.ErrInvalidUser) {
				t.Fatalf("KitToken: %v, want invalid_user", err)
			}
		case "test_err_missing_user_id":
			if _, err := Generate([]byte(kitSecret), Params{AppID: 1, Effective: 1, IV: make([]byte, 16)}); !errors.Is(err, core.ErrInvalidUser) {
				t.Fatalf("Generate: %v, want invalid_user", err)
			}
		case "test_err_missing_secret":
			if _, err := Generate(nil, Params{AppID: 1, UserID: "u", Effective: 1, IV: make([]byte, 16)}); !errors.Is(err, core.ErrConfig) {
				t.Fatalf("Generate: %v, want ErrConfig", err)
			}
		case "test_err_app_id_string", "test_err_missing_user_name":
			// A string app id cannot be expressed (Kit.AppID is a uint32);
			// a missing user name falls back to the user id (Provider).
		default:
			t.Fatalf("unhandled error case")
		}
		return
	}
	secret := []byte(argString(c.Args, 1))
	if c.Expected.OracleRC != 0 {
		_, err := VerifyKit(c.Expected.KitToken, secret, Expect{AppID: 1234567890})
		if !errors.Is(err, core.ErrMalformed) {
			t.Fatalf("VerifyKit: %v, want ErrMalformed", err)
		}
		return
	}
	k := Kit{AppID: 1234567890, RoomID: argString(c.Args, 2), UserID: argString(c.Args, 3), UserName: argString(c.Args, 4)}
	checkKitDecode(t, c, secret, k)
	// Our encoder reproduces the kit part of the test variant too.
	if got, err := KitToken(c.Expected.Token04Part, k); err != nil || got != c.Expected.KitToken {
		t.Fatalf("KitToken: %v\n got %s\nwant %s", err, got, c.Expected.KitToken)
	}
}

func checkKitDecode(t *testing.T, c kitCase, secret []byte, want Kit) {
	t.Helper()
	exp := c.Expected
	tok04, k, err := ParseKitToken(exp.KitToken)
	if err != nil {
		t.Fatalf("ParseKitToken: %v", err)
	}
	if tok04 != exp.Token04Part || k != want || k.UserName != exp.UserName {
		t.Fatalf("ParseKitToken: %q %+v, want %q %+v", tok04, k, exp.Token04Part, want)
	}
	ctime := int64(exp.Token04["ctime"].(float64))
	now := time.Unix(ctime, 0)
	v, err := VerifyKit(exp.KitToken, secret, Expect{AppID: 1234567890, UserID: want.UserID, Now: now})
	if err != nil {
		t.Fatalf("VerifyKit: %v", err)
	}
	cl := v.Claims
	if m := cl.Map(); v.Unverified != want || !sameClaims(m, exp.Token04) {
		t.Fatalf("VerifyKit: %+v %v, want %+v %v", v.Unverified, m, want, exp.Token04)
	}
	if _, hasPayload := exp.Token04["payload"]; cl.HasPayload != hasPayload {
		t.Fatalf("HasPayload %v, want %v", cl.HasPayload, hasPayload)
	}
	// The room is the Token04's room privilege, never the kit part's: most
	// vendor vectors wrap a basic (roomless) Token04, which proves no room.
	p, hasRoom := cl.Privilege()
	if v.HasRoom != hasRoom || v.Room != p.RoomID {
		t.Fatalf("room %q (has %v), Token04 privilege %+v (has %v)", v.Room, v.HasRoom, p, hasRoom)
	}
	_, err = VerifyKit(exp.KitToken, secret, Expect{AppID: 1234567890, Room: want.RoomID, Now: now})
	switch {
	case hasRoom && err != nil:
		t.Fatalf("kit room %q of a room Token04: %v", want.RoomID, err)
	case !hasRoom && want.RoomID != "" && !errors.Is(err, core.ErrMismatch):
		t.Fatalf("kit room %q beside a roomless Token04: %v, want ErrMismatch", want.RoomID, err)
	}
	if _, err := VerifyKit(exp.KitToken, secret, Expect{AppID: 1234567891}); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("other app: %v", err)
	}
	if _, err := VerifyKit(exp.KitToken, secret, Expect{AppID: 1234567890, Room: want.RoomID + "x"}); !errors.Is(err, core.ErrMismatch) {
		t.Fatalf("other room: %v", err)
	}
	if _, err := VerifyKit(exp.KitToken, []byte(strings.Repeat("1", len(secret))), Expect{AppID: 1234567890}); !errors.Is(err, core.ErrSignature) {
		t.Fatalf("wrong secret: %v", err)
	}
	var decoded map[string]any
	if err := json.Unmarshal([]byte(exp.KitJSON), &decoded); err != nil || !reflect.DeepEqual(decoded, exp.KitDecoded) {
		t.Fatalf("kit_json_latin1 does not match kit_decoded: %v", err)
	}
}
