package usersig

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/tencent/internal/vectors"
)

// emptyUserbufBug is the case whose go_v1.4 token no verifier accepts.
const emptyUserbufBug = "userbuf_empty"

// generate runs the case's API on s.
func generate(t *testing.T, c *vectors.Case, s *Signer) string {
	t.Helper()
	in, now := c.Inputs, time.Unix(c.Now, 0)
	var tok string
	var err error
	switch c.API {
	case "GenUserSig":
		tok, err = s.UserSig(in.UserID, in.Expire, now)
	case "GenUserSigWithBuf":
		tok, err = s.UserSigWithBuf(in.UserID, in.Expire, now, mustHex(t, *in.UserbufHex))
	case "GenPrivateMapKey":
		tok, err = s.PrivateMapKey(in.UserID, in.Expire, now, *in.RoomID, in.PrivilegeMap)
	case "GenPrivateMapKeyWithStringRoomID":
		tok, err = s.PrivateMapKeyWithStringRoomID(in.UserID, in.Expire, now, *in.RoomStr, in.PrivilegeMap)
	default:
		t.Fatalf("unknown api %q", c.API)
	}
	if err != nil {
		t.Fatalf("%s: %v", c.API, err)
	}
	return tok
}

// goMap returns the userbuf the Go generators build for the case.
func goMap(c *vectors.Case) (PrivateMap, bool) {
	in, now := c.Inputs, time.Unix(c.Now, 0)
	switch c.API {
	case "GenPrivateMapKey":
		return NumericRoomMap(in.SdkAppID, in.UserID, *in.RoomID, now, in.Expire, in.PrivilegeMap), true
	case "GenPrivateMapKeyWithStringRoomID":
		return StringRoomMap(in.SdkAppID, in.UserID, *in.RoomStr, now, in.Expire, in.PrivilegeMap), true
	}
	return PrivateMap{}, false
}

func TestVectorSigningInputAndUserbuf(t *testing.T) {
	for _, c := range vectors.Load(t).Cases {
		t.Run(c.ID, func(t *testing.T) {
			in := c.Inputs
			go14 := c.Expected["go_v1.4"]
			// The case-level values describe Node and Python; the go_v1.4
			// entry overrides them where the Go generator differs.
			var buf []byte
			if m, ok := goMap(&c); ok {
				b, err := m.MarshalBinary()
				if err != nil {
					t.Fatal(err)
				}
				buf = b
				want := c.UserbufField
				if go14.Userbuf != nil {
					want = go14.Userbuf
				} else if got := hex.EncodeToString(b); got != c.UserbufHex {
					t.Errorf("userbuf %s, want %s", got, c.UserbufHex)
				}
				compareFields(t, "userbuf", m.Fields(), want)
			} else if in.UserbufHex != nil {
				buf = mustHex(t, *in.UserbufHex)
			}
			// buf is non-nil exactly when the Go generator signs a userbuf
			// line, even an empty one.
			ub64 := []byte(base64.StdEncoding.EncodeToString(buf))
			text := string(appendSigningText(nil, in.UserID, in.SdkAppID, c.Now, in.Expire, ub64, buf != nil))
			want := c.SigningInput
			if go14.Signing != "" && c.ID != emptyUserbufBug {
				want = go14.Signing
			}
			if text != want {
				t.Fatalf("signing text %q, want %q", text, want)
			}
			decoded := c.Decoded
			if go14.Decoded != nil {
				decoded = go14.Decoded
			}
			sig, _ := decoded["TLS.sig"].(string)
			if got := base64.StdEncoding.EncodeToString(hmacOf(in.Key, text)); got != sig {
				t.Errorf("hmac %s, want %s", got, sig)
			}
			if got := base64.StdEncoding.EncodeToString(hmacOf(in.Key, c.SigningInput)); got != c.HMACBase64 {
				t.Errorf("hmac of the case signing input %s, want %s", got, c.HMACBase64)
			}
		})
	}
}

func hmacOf(key, text string) []byte {
	m := hmac.New(sha256.New, []byte(key))
	m.Write([]byte(text))
	return m.Sum(nil)
}

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestVectorNodeStringRoomEmpty reproduces the Node generator's userbuf for
// an empty string room: the string layout with an empty tail.
func TestVectorNodeStringRoomEmpty(t *testing.T) {
	for _, c := range vectors.Load(t).Cases {
		if c.ID != "privmap_string_room_empty" {
			continue
		}
		m, _ := goMap(&c)
		if m.Version != MapNumericRoom {
			t.Fatalf("Go layout for an empty room has cVer %d, want 0", m.Version)
		}
		m.Version = MapStringRoom
		b, err := m.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if got := hex.EncodeToString(b); got != c.UserbufHex {
			t.Fatalf("node userbuf %s, want %s", got, c.UserbufHex)
		}
		return
	}
	t.Fatal("case privmap_string_room_empty not found")
}

func TestVectorTokensByteIdentical(t *testing.T) {
	for _, c := range vectors.Load(t).Cases {
		for gen, style := range map[string]Style{"go_v1.4": StyleGo14, "go_v1.3": StyleGo13} {
			t.Run(c.ID+"/"+gen, func(t *testing.T) {
				s, err := NewSigner(c.Inputs.SdkAppID, core.NewSecret(c.Inputs.Key), style)
				if err != nil {
					t.Fatal(err)
				}
				got := generate(t, &c, s)
				want := c.Expected[gen].Token
				if c.ID != emptyUserbufBug {
					if got != want {
						t.Fatalf("token\n got %s\nwant %s", got, want)
					}
					return
				}
				// An empty userbuf is treated as none: the token equals the
				// plain UserSig and verifies, unlike the vendor's v1.4 one.
				plain, err := s.UserSig(c.Inputs.UserID, c.Inputs.Expire, time.Unix(c.Now, 0))
				if err != nil {
					t.Fatal(err)
				}
				if got != plain || got == want {
					t.Fatalf("empty userbuf: token %s, want the plain UserSig %s", got, plain)
				}
				if _, err := verify(got, c.Inputs.SdkAppID, c.Inputs.UserID, time.Unix(c.Now, 0), core.NewSecret(c.Inputs.Key)); err != nil {
					t.Fatalf("verify: %v", err)
				}
			})
		}
	}
}

func TestVectorDecodeAndVerifyEveryGenerator(t *testing.T) {
	for _, c := range vectors.Load(t).Cases {
		for _, gen := range []string{"go_v1.4", "go_v1.3", "node", "python"} {
			t.Run(c.ID+"/"+gen, func(t *testing.T) {
				e, ok := c.Expected[gen]
				if !ok {
					t.Fatalf("no %s expectation", gen)
				}
				text, err := Inflate(e.Token)
				if err != nil {
					t.Fatal(err)
				}
				if string(text) != e.JSON {
					t.Fatalf("inflated JSON\n got %q\nwant %q", text, e.JSON)
				}
				raw, _ := tokenEncoding.DecodeString(e.Token)
				if got := hex.EncodeToString(raw[:2]); got != e.ZlibHeader {
					t.Errorf("zlib header %s, want %s", got, e.ZlibHeader)
				}
				cl, err := Decode(e.Token)
				if err != nil {
					t.Fatal(err)
				}
				want := c.Decoded
				if e.Decoded != nil {
					want = e.Decoded
				}
				compareFields(t, "claims", cl.Map(), want)
				for _, k := range cl.Present {
					if _, ok := want[k]; !ok {
						t.Errorf("token carries %s, the vector does not", k)
					}
				}
				if len(cl.Present) != len(want) {
					t.Errorf("token carries keys %v, want %d keys", cl.Present, len(want))
				}
				if cl.Userbuf != nil && (c.API == "GenPrivateMapKey" || c.API == "GenPrivateMapKeyWithStringRoomID") {
					m, err := cl.PrivateMap()
					if err != nil {
						t.Fatal(err)
					}
					wantUB := c.UserbufField
					if e.Userbuf != nil {
						wantUB = e.Userbuf
					} else if c.Expected["go_v1.4"].Userbuf != nil && gen != "node" {
						wantUB = c.Expected["go_v1.4"].Userbuf
					}
					compareFields(t, "userbuf", m.Fields(), wantUB)
				}

				key := core.NewSecret(c.Inputs.Key)
				now := time.Unix(c.Now, 0)
				_, err = verify(e.Token, c.Inputs.SdkAppID, c.Inputs.UserID, now, key)
				if c.ID == emptyUserbufBug && gen == "go_v1.4" {
					if !errors.Is(err, core.ErrSignature) {
						t.Fatalf("v1.4 empty-userbuf token: %v, want ErrSignature", err)
					}
					return
				}
				if err != nil {
					t.Fatalf("verify: %v", err)
				}
				end := now.Add(time.Duration(c.Inputs.Expire) * time.Second)
				if _, err := verify(e.Token, c.Inputs.SdkAppID, c.Inputs.UserID, end, key); err != nil {
					t.Fatalf("verify at expiry instant: %v", err)
				}
				if _, err := verify(e.Token, c.Inputs.SdkAppID, c.Inputs.UserID, end.Add(time.Second), key); !errors.Is(err, core.ErrExpired) {
					t.Fatalf("verify after expiry: %v, want ErrExpired", err)
				}
				if _, err := verify(e.Token, c.Inputs.SdkAppID, c.Inputs.UserID+"x", now, key); !errors.Is(err, core.ErrMismatch) {
					t.Fatalf("verify for another user: %v, want ErrMismatch", err)
				}
			})
		}
	}
}

// checkSentinel asserts that err wraps want and no other verification
// sentinel (want nil: err is nil).
func checkSentinel(t *testing.T, what string, err, want error) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("%s: %v, want success", what, err)
		}
		return
	}
	for _, s := range []error{core.ErrMalformed, core.ErrSignature, core.ErrMismatch, core.ErrExpired} {
		if errors.Is(err, s) != (s == want) {
			t.Fatalf("%s: %v, want an error wrapping only %v", what, err, want)
		}
	}
}

// compareFields checks that every expected field has the same value in got.
func compareFields(t *testing.T, what string, got, want map[string]any) {
	t.Helper()
	if want == nil {
		t.Fatalf("%s: no expectation", what)
	}
	for k, w := range want {
		g, ok := got[k]
		if !ok {
			t.Errorf("%s: missing %s", what, k)
			continue
		}
		if norm(g) != norm(w) {
			t.Errorf("%s: %s = %v, want %v", what, k, g, w)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok && what == "userbuf" {
			t.Errorf("%s: unexpected %s", what, k)
		}
	}
}

// norm renders a JSON-ish value so that integers of any Go type and the
// float64 of a decoded vector compare equal.
func norm(v any) string {
	switch x := v.(type) {
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		return strconv.Quote(x)
	case uint8:
		return strconv.FormatUint(uint64(x), 10)
	case uint32:
		return strconv.FormatUint(uint64(x), 10)
	case uint64:
		return strconv.FormatUint(x, 10)
	case int64:
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	}
	return "?"
}
