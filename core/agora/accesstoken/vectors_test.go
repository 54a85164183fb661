package accesstoken_test

import (
	"bytes"
	"crypto/md5"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/agora/internal/agoratest"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

type vectorFile struct {
	Cases    []builderCase `json:"cases"`
	APICases []apiCase     `json:"api_cases"`
	Legacy   []legacyCase  `json:"legacy_006"`
	Negative []negCase     `json:"negative"`
}

type builderCase struct {
	ID       string        `json:"id"`
	Builder  string        `json:"builder"`
	Inputs   builderInputs `json:"inputs"`
	IssueTs  uint32        `json:"issue_ts"`
	Salt     uint32        `json:"salt"`
	Payload  string        `json:"payload_hex"`
	Sig      string        `json:"signature_hex"`
	Info     string        `json:"signing_info_hex"`
	Key      string        `json:"signing_key_hex"`
	Decoded  any           `json:"decoded"`
	Expected map[string]struct {
		Token   string `json:"token"`
		Payload string `json:"payload_hex"`
		Decoded any    `json:"decoded"`
	} `json:"expected"`
}

type builderInputs struct {
	AppID           string  `json:"app_id"`
	Cert            string  `json:"app_certificate"`
	Channel         string  `json:"channel_name"`
	UID             *uint32 `json:"uid"`
	Account         string  `json:"account"`
	Role            int     `json:"role"`
	TokenExpire     uint32  `json:"token_expire"`
	PrivilegeExpire uint32  `json:"privilege_expire"`
	Join            uint32  `json:"join_channel_privilege_expire"`
	Audio           uint32  `json:"pub_audio_privilege_expire"`
	Video           uint32  `json:"pub_video_privilege_expire"`
	Data            uint32  `json:"pub_data_stream_privilege_expire"`
	RTCAccount      string  `json:"rtc_account"`
	RTCRole         int     `json:"rtc_role"`
	RTCTokenExpire  uint32  `json:"rtc_token_expire"`
	RTMUserID       string  `json:"rtm_user_id"`
	RTMTokenExpire  uint32  `json:"rtm_token_expire"`
	UserID          string  `json:"user_id"`
	Expire          uint32  `json:"expire"`
	RoomUUID        string  `json:"room_uuid"`
	UserUUID        string  `json:"user_uuid"`
}

type apiCase struct {
	ID       string `json:"id"`
	AppID    string `json:"app_id"`
	Cert     string `json:"app_certificate"`
	Payload  string `json:"payload_hex"`
	Sig      string `json:"signature_hex"`
	Decoded  any    `json:"decoded_by_official_go_parser"`
	Expected struct {
		Go struct {
			Token string `json:"token"`
		} `json:"go"`
	} `json:"expected"`
}

type legacyCase struct {
	ID     string `json:"id"`
	Inputs struct {
		AppID      string            `json:"app_id"`
		Cert       string            `json:"app_certificate"`
		Channel    string            `json:"channel_name"`
		UID        string            `json:"uid_str"`
		Salt       uint32            `json:"salt"`
		Ts         uint32            `json:"ts"`
		Privileges map[string]uint32 `json:"privileges"`
	} `json:"inputs"`
	Expected map[string]string `json:"expected"`
	Content  string            `json:"content_hex"`
}

type negCase struct {
	ID         string  `json:"id"`
	Token      string  `json:"token"`
	AppID      string  `json:"app_id"`
	Cert       string  `json:"cert"`
	Now        int64   `json:"now"`
	Channel    *string `json:"channel"`
	UID        *string `json:"uid"`
	ExpectExit int     `json:"expect_exit"`
}

func loadVectors(t testing.TB) vectorFile {
	t.Helper()
	var v vectorFile
	testutil.LoadVectors(t, "agora_accesstoken2.json", &v)
	if len(v.Cases) == 0 || len(v.APICases) == 0 || len(v.Legacy) == 0 || len(v.Negative) == 0 {
		t.Fatal("vector file has an empty section")
	}
	return v
}

// saltReader yields the bytes that make accesstoken.NewSalt return salt.
func saltReader(salt uint32) io.Reader {
	return bytes.NewReader(binary.LittleEndian.AppendUint32(nil, salt-1))
}

// buildCase runs the builder a vector names with its pinned time and salt
// and the given compression.
func buildCase(t *testing.T, c builderCase, comp accesstoken.Compression) string {
	t.Helper()
	in := c.Inputs
	b := accesstoken.Builder{AppID: in.AppID, Certificate: in.Cert, Now: time.Unix(int64(c.IssueTs), 0), Rand: saltReader(c.Salt),
		Compression: comp}
	privs := accesstoken.RTCPrivileges{Join: in.Join, PublishAudio: in.Audio, PublishVideo: in.Video, PublishData: in.Data}
	var tok string
	var err error
	switch c.Builder {
	case "rtc.BuildTokenWithUid":
		tok, err = b.RTCWithUID(in.Channel, *in.UID, accesstoken.Role(in.Role), in.TokenExpire, in.PrivilegeExpire)
	case "rtc.BuildTokenWithUserAccount":
		tok, err = b.RTCWithAccount(in.Channel, in.Account, accesstoken.Role(in.Role), in.TokenExpire, in.PrivilegeExpire)
	case "rtc.BuildTokenWithUidAndPrivilege":
		tok, err = b.RTCWithUIDAndPrivileges(in.Channel, *in.UID, in.TokenExpire, privs)
	case "rtc.BuildTokenWithUserAccountAndPrivilege":
		tok, err = b.RTCWithAccountAndPrivileges(in.Channel, in.Account, in.TokenExpire, privs)
	case "rtc.BuildTokenWithRtm":
		tok, err = b.RTCWithRTM(in.Channel, in.Account, accesstoken.Role(in.Role), in.TokenExpire, in.PrivilegeExpire)
	case "rtc.BuildTokenWithRtm2":
		tok, err = b.Build(in.RTCTokenExpire,
			accesstoken.RTCService(in.Channel, in.RTCAccount, accesstoken.Role(in.RTCRole), privs),
			accesstoken.RTMService(in.RTMUserID, in.RTMTokenExpire))
	case "rtm.BuildToken":
		tok, err = b.RTM(in.UserID, in.Expire)
	case "chat.BuildChatUserToken":
		tok, err = b.ChatUser(in.UserID, in.Expire)
	case "chat.BuildChatAppToken":
		tok, err = b.ChatApp(in.Expire)
	case "fpa.BuildToken":
		tok, err = b.Build(86400, accesstoken.Service{Type: accesstoken.ServiceFPA, Privileges: []accesstoken.Privilege{{ID: accesstoken.PrivilegeLogin}}})
	case "apaas.BuildRoomUserToken":
		sum := md5.Sum([]byte(in.UserUUID))
		tok, err = b.Build(in.Expire,
			accesstoken.Service{Type: accesstoken.ServiceAPaaS, Room: in.RoomUUID, UserID: in.UserUUID, Role: int16(in.Role),
				Privileges: []accesstoken.Privilege{{ID: accesstoken.PrivilegeAPaaSRoomUser, Expire: in.Expire}}},
			accesstoken.RTMService(in.UserUUID, in.Expire),
			accesstoken.ChatUserService(hex.EncodeToString(sum[:]), in.Expire))
	default:
		t.Fatalf("unknown builder %q", c.Builder)
	}
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	return tok
}

// view renders a decoded token like the vectors' "decoded" objects (the
// official Go parser's view): unknown services are left out.
func view(d *accesstoken.Decoded) any {
	svcs := []any{}
	for _, s := range d.Services {
		if !s.Type.Known() {
			continue
		}
		privs := []any{}
		for _, p := range s.Privileges {
			privs = append(privs, map[string]any{"id": p.ID, "name": accesstoken.PrivilegeName(s.Type, p.ID), "expire": p.Expire})
		}
		m := map[string]any{"type": s.Type, "name": s.Type.String(), "privileges": privs}
		switch s.Type {
		case accesstoken.ServiceRTC:
			m["channel_name"], m["uid"] = s.Channel, s.UID
		case accesstoken.ServiceRTM, accesstoken.ServiceChat:
			m["user_id"] = s.UserID
		case accesstoken.ServiceStreaming, accesstoken.ServiceFCDN:
			m["channel_name"], m["account"] = s.Channel, s.Account
		case accesstoken.ServiceAPaaS:
			m["room_uuid"], m["user_uuid"], m["role"] = s.Room, s.UserID, s.Role
		case accesstoken.ServiceRTM2:
			perms := []any{}
			for _, p := range s.Permissions {
				perms = append(perms, map[string]any{"resource_type": p.ResourceType, "permission_type": p.PermissionType, "resources": p.Resources})
			}
			m["user_id"], m["rtm2_permissions"] = s.UserID, perms
		}
		svcs = append(svcs, m)
	}
	return normalize(map[string]any{"version": "007", "app_id": d.AppID, "issue_ts": d.IssueTs, "expire": d.Expire, "salt": d.Salt, "services": svcs})
}

// normalize round-trips v through JSON so that it compares with decoded
// vector objects.
func normalize(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var out any
	if err := json.Unmarshal(b, &out); err != nil {
		panic(err)
	}
	return out
}

func assertView(t *testing.T, d *accesstoken.Decoded, want any) {
	t.Helper()
	if got := view(d); !reflect.DeepEqual(got, normalize(want)) {
		gj, _ := json.Marshal(got)
		wj, _ := json.Marshal(want)
		t.Errorf("decoded\n got %s\nwant %s", gj, wj)
	}
}

func TestBuilderVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Cases {
		t.Run(c.ID, func(t *testing.T) {
			tok := buildCase(t, c, accesstoken.CompressFast)
			if got := hex.EncodeToString(agoratest.Inflate(t, tok)); got != c.Payload {
				t.Errorf("payload\n got %s\nwant %s", got, c.Payload)
			}
			want := c.Expected["go"].Token
			assertTokenLength(t, tok, want)
			// CompressZlib gives the vendor's Go generator's bytes.
			if zt := buildCase(t, c, accesstoken.CompressZlib); zt != want {
				t.Errorf("CompressZlib token\n got %s\nwant %s", zt, want)
			}
			if gtb, ok := c.Expected["go_tokenbuilder_main"]; ok && gtb.Token != want {
				t.Errorf("go-tokenbuilder token differs")
			}
			// Pack gives the same content without compression.
			d, err := accesstoken.Parse(tok)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			packed, err := d.Pack(c.Inputs.Cert)
			if err != nil || hex.EncodeToString(packed) != c.Payload {
				t.Errorf("Pack: %v\n got %x\nwant %s", err, packed, c.Payload)
			}
			if hex.EncodeToString(d.Signature) != c.Sig || hex.EncodeToString(d.SigningInfo) != c.Info {
				t.Errorf("signature or signing info differ")
			}
			assertView(t, d, c.Decoded)
			if err := d.VerifySignature(c.Inputs.Cert); err != nil {
				t.Errorf("VerifySignature: %v", err)
			}
			for gen, e := range c.Expected {
				d, err := accesstoken.Verify(e.Token, accesstoken.VerifyParams{AppID: c.Inputs.AppID, Certificates: []string{c.Inputs.Cert}})
				payload, decoded := c.Payload, c.Decoded
				if e.Payload != "" {
					payload, decoded = e.Payload, e.Decoded
				}
				if err != nil {
					t.Errorf("%s: Verify: %v", gen, err)
					continue
				}
				if got := hex.EncodeToString(agoratest.Inflate(t, e.Token)); got != payload {
					t.Errorf("%s: inflated payload differs", gen)
				}
				assertView(t, d, decoded)
			}
		})
	}
}

func TestAPIVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.APICases {
		t.Run(c.ID, func(t *testing.T) {
			tok := c.Expected.Go.Token
			d, err := accesstoken.Verify(tok, accesstoken.VerifyParams{AppID: c.AppID, Certificates: []string{c.Cert}})
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if got := hex.EncodeToString(agoratest.Inflate(t, tok)); got != c.Payload {
				t.Errorf("payload differs")
			}
			assertView(t, d, c.Decoded)
			if hex.EncodeToString(d.Signature) != c.Sig {
				t.Errorf("signature differs")
			}
			last := d.Services[len(d.Services)-1]
			if c.ID == "api_unknown_service_999" {
				if last.Type != 999 || last.Type.Known() || hex.EncodeToString(last.Raw) != "0100010058020000" {
					t.Errorf("unknown service kept as %d %x", last.Type, last.Raw)
				}
				if _, err := d.Pack(c.Cert); err == nil {
					t.Errorf("Pack of an unknown service type succeeded")
				}
				return
			}
			// Rebuild from the decoded content, in the order the services
			// were added where it matters (repeated types stay stable).
			src := d.AccessToken2
			if c.ID == "api_repeated_rtc_services" {
				src.Services = []accesstoken.Service{d.Services[2], d.Services[0], d.Services[1]}
			}
			got, err := src.BuildCompressed(c.Cert, accesstoken.CompressZlib)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if got != tok {
				t.Errorf("token\n got %s\nwant %s", got, tok)
			}
			fast, err := src.Build(c.Cert)
			if err != nil {
				t.Fatalf("Build: %v", err)
			}
			if hex.EncodeToString(agoratest.Inflate(t, fast)) != c.Payload {
				t.Errorf("payload of the default encoder differs")
			}
			assertTokenLength(t, fast, tok)
			if _, err := accesstoken.Verify(fast, accesstoken.VerifyParams{AppID: c.AppID, Certificates: []string{c.Cert}}); err != nil {
				t.Errorf("Verify: %v", err)
			}
		})
	}
}

// assertTokenLength checks that a token of the default encoder is at most
// 2% longer than the vendor's Go generator's for the same content.
func assertTokenLength(t *testing.T, tok, vendor string) {
	t.Helper()
	if len(tok)*100 > len(vendor)*102 {
		t.Errorf("token of %d characters, the vendor's has %d", len(tok), len(vendor))
	}
}

func TestLegacy006Vectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Legacy {
		t.Run(c.ID, func(t *testing.T) {
			in := c.Inputs
			for gen, tok := range c.Expected {
				p := accesstoken.VerifyParams{AppID: in.AppID, Certificates: []string{in.Cert}, Channel: &in.Channel, UID: &in.UID,
					Now: time.Unix(int64(in.Ts), 0)}
				l, err := accesstoken.VerifyLegacy006(tok, p)
				if err != nil {
					t.Fatalf("%s: %v", gen, err)
				}
				if l.Salt != in.Salt || l.Ts != in.Ts || l.AppID != in.AppID || len(l.Privileges) != len(in.Privileges) {
					t.Errorf("%s: decoded %+v", gen, l)
				}
				for _, pr := range l.Privileges {
					if want, ok := in.Privileges[itoa(pr.ID)]; !ok || want != pr.Expire {
						t.Errorf("%s: privilege %d = %d", gen, pr.ID, pr.Expire)
					}
				}
				testLegacyDisplay(t, l, in.Ts, in.Privileges)
				raw, _ := base64.StdEncoding.DecodeString(tok[35:])
				if hex.EncodeToString(raw) != c.Content {
					t.Errorf("%s: content differs", gen)
				}
				p.Now = time.Unix(int64(in.Ts)+1, 0)
				if _, err := accesstoken.VerifyLegacy006(tok, p); !errors.Is(err, core.ErrExpired) {
					t.Errorf("%s: after ts: %v", gen, err)
				}
				other := in.Channel + "x"
				p.Now, p.Channel = time.Time{}, &other
				if _, err := accesstoken.VerifyLegacy006(tok, p); !errors.Is(err, core.ErrSignature) {
					t.Errorf("%s: other channel: %v", gen, err)
				}
			}
		})
	}
}

// testLegacyDisplay checks Deadline and Claims against a vector's inputs:
// the deadline is the earliest non-zero of ts and the join or login
// privilege's expire.
func testLegacyDisplay(t *testing.T, l *accesstoken.Legacy006, ts uint32, privs map[string]uint32) {
	t.Helper()
	want, rtm := int64(ts), false
	for id, exp := range privs {
		rtm = rtm || id == "1000"
		if (id == "1" || id == "1000") && exp != 0 && (want == 0 || int64(exp) < want) {
			want = int64(exp)
		}
	}
	d, gotRTM := l.Deadline()
	if (want == 0) != d.IsZero() || (want != 0 && d.Unix() != want) || gotRTM != rtm {
		t.Errorf("Deadline() = %v, %v; want unix %d, rtm %v", d, gotRTM, want, rtm)
	}
	c := l.Claims()
	if c["ts"] != int64(ts) || c["app_id"] != l.AppID || len(c["privileges"].([]any)) != len(privs) {
		t.Errorf("Claims() = %v", c)
	}
}

func itoa(n uint16) string { b, _ := json.Marshal(n); return string(b) }

// verifyAny verifies a token of either version, like the independent
// verifier does, and maps the error to its exit code.
func verifyAny(tok string, p accesstoken.VerifyParams) error {
	if strings.HasPrefix(tok, accesstoken.LegacyVersion) {
		_, err := accesstoken.VerifyLegacy006(tok, p)
		return err
	}
	_, err := accesstoken.Verify(tok, p)
	return err
}

func TestNegativeVectors(t *testing.T) {
	v := loadVectors(t)
	for _, c := range v.Negative {
		t.Run(c.ID, func(t *testing.T) {
			p := accesstoken.VerifyParams{AppID: c.AppID, Certificates: []string{c.Cert}, Channel: c.Channel, UID: c.UID}
			if c.Now != 0 {
				p.Now = time.Unix(c.Now, 0)
			}
			err := verifyAny(c.Token, p)
			if got := agoratest.ExitCode(err); got != c.ExpectExit {
				t.Errorf("exit %d (%v), want %d", got, err, c.ExpectExit)
			}
			if err != nil && strings.Contains(err.Error(), c.Cert) {
				t.Errorf("error mentions the certificate")
			}
		})
	}
}

// TestSharedVendorVectors decodes the tokens found in the vendors' own test
// suites. The file is not part of the project: set RTCTOKEN_SHARED_VECTORS
// to its path to run it.
func TestSharedVendorVectors(t *testing.T) {
	path := os.Getenv("RTCTOKEN_SHARED_VECTORS")
	if path == "" {
		t.Skip("RTCTOKEN_SHARED_VECTORS not set")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var f struct {
		Vectors []struct {
			Source  string `json:"source"`
			Token   string `json:"token"`
			Cert    string `json:"app_certificate"`
			Payload string `json:"payload_hex"`
			Decoded any    `json:"decoded"`
		} `json:"vendor_test_vectors"`
	}
	if err := json.Unmarshal(b, &f); err != nil {
		t.Fatal(err)
	}
	if len(f.Vectors) == 0 {
		t.Fatal("no vendor_test_vectors")
	}
	for _, c := range f.Vectors {
		d, err := accesstoken.Parse(c.Token)
		if err != nil {
			t.Errorf("%s: %v", c.Source, err)
			continue
		}
		if err := d.VerifySignature(c.Cert); err != nil {
			t.Errorf("%s: %v", c.Source, err)
		}
		if got := hex.EncodeToString(agoratest.Inflate(t, c.Token)); got != c.Payload {
			t.Errorf("%s: payload differs", c.Source)
		}
		if got := view(d); !reflect.DeepEqual(got, normalize(c.Decoded)) {
			t.Errorf("%s: decoded differs", c.Source)
		}
	}
}
