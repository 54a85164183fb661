package webhook

import (
	"crypto/sha256"
	"net/url"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// DefaultTencentChatWindow is the window on RequestTime: 60 s, the limit
// Tencent documents. A difference of exactly 60 s passes.
const DefaultTencentChatWindow = 60 * time.Second

// TencentChatConfig configures the Tencent Chat (IM) callback scheme.
type TencentChatConfig struct {
	// Token is the callback authentication token from the Chat console
	// (1 to 128 characters), used as text. Required.
	Token core.Secret
	// Secondary is optional: a second token that verifies too, for
	// rotation.
	Secondary core.Secret
	// SDKAppID is the receiver's own application id; a callback whose
	// SdkAppid differs is refused. Required.
	SDKAppID uint64
	// Window is how far RequestTime may be from now, either way. 0 means
	// DefaultTencentChatWindow (60 s), which is also the most allowed: the
	// body is not signed, so the window is all that limits a replay.
	Window time.Duration
}

type tencentChat struct {
	base
	appID string
}

// TencentChat returns the scheme of Tencent Chat callbacks, vendor
// "tencent_chat".
//
// Signed: only the token and the time. Sign (query) is lower-case hex
// SHA-256(Token ‖ RequestTime), RequestTime (query) the decimal Unix
// second as sent; no HMAC. NOT signed: the body, SdkAppid,
// CallbackCommand and the rest of the URL. Anyone who sees one callback URL
// (proxy and access logs keep query strings) can post any body under its
// Sign for the length of the window, so the window is applied strictly
// (60 s at most) and the body must be treated as untrusted input: use
// HTTPS only, and confirm what matters through Chat's REST API. Every
// callback of one second carries the same Sign, so Sign is no nonce and is
// not a dedupe key.
//
// The same scheme serves TRTC Live (TUILiveKit) webhooks, whose query
// spells the parameters SdkAppId and WebhookCommand; either spelling is
// read. SdkAppid must equal SDKAppID (ErrSignature otherwise). Event.Type is the
// query's CallbackCommand ("C2C.CallbackAfterSendMsg", "State.StateChange",
// ...), or the body's when the query has none. The body may be empty;
// otherwise it must be a JSON object. Dedupe key, per command, where the
// command defines one: MsgKey for C2C.CallbackAfterSendMsg, GroupId and
// MsgSeq for Group.CallbackAfterSendMsg; none for other commands.
//
// Answer: 200 with {"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}
// within 2 s. Chat counts any other status or a non-JSON body as a
// failure; it does not retry before-event callbacks, and retries
// after-event callbacks only when configured to retry on timeout.
func TencentChat(c TencentChatConfig) (Scheme, error) {
	b, err := newBase("tencent_chat", "Token", c.Token, c.Secondary, c.Window, DefaultTencentChatWindow)
	if err != nil {
		return nil, err
	}
	if c.Token.Len() > 128 || c.Secondary.Len() > 128 {
		return nil, &core.ConfigError{Provider: "tencent_chat", Field: "Token", Message: "must be at most 128 characters"}
	}
	app, err := appIDText("tencent_chat", c.SDKAppID)
	if err != nil {
		return nil, err
	}
	if b.window > DefaultTencentChatWindow {
		return nil, &core.ConfigError{Provider: "tencent_chat", Field: "Window", Message: "must be at most 60 s: the body is not signed"}
	}
	return &tencentChat{base: b, appID: app}, nil
}

func (*tencentChat) Name() string { return "tencent_chat" }

func (*tencentChat) Ack() httpapi.Response {
	return jsonAck(`{"ActionStatus":"OK","ErrorCode":0,"ErrorInfo":""}`)
}

func (s *tencentChat) Verify(r Request, body []byte, now time.Time) (Verified, error) {
	q, err := url.ParseQuery(r.RawQuery())
	if err != nil {
		return Verified{}, malformed("", "the query is not valid")
	}
	sign, err := queryOne(q, "Sign")
	if err != nil {
		return Verified{}, err
	}
	want, err := decodeHex(sign, sha256.Size, "Sign")
	if err != nil {
		return Verified{}, err
	}
	rt, err := queryOne(q, "RequestTime")
	if err != nil {
		return Verified{}, err
	}
	var f fields
	sec, overflow := f.time(rt, "RequestTime")
	if f.err != nil {
		return Verified{}, f.err
	}
	app, err := queryOne(q, spelling(q, "SdkAppid", "SdkAppId"))
	if err != nil {
		return Verified{}, err
	}
	m := make([]jsonValue, 4)
	if len(body) > 0 {
		if m, err = members(body, "CallbackCommand", "MsgKey", "GroupId", "MsgSeq"); err != nil {
			return Verified{}, err
		}
	}
	cmd := q.Get(spelling(q, "CallbackCommand", "WebhookCommand"))
	if cmd == "" {
		cmd, _ = m[0].str()
	}
	if cmd == "" {
		return Verified{}, malformed("CallbackCommand", "the callback command is missing")
	}
	found := s.keys.find(want, func(k *key, dst []byte) []byte {
		h := sha256.New()
		h.Write(k.raw)
		h.Write([]byte(rt))
		return h.Sum(dst)
	})
	if found < 0 {
		return Verified{}, badSignature("Sign", "the signature does not match")
	}
	if app != s.appID {
		return Verified{}, badSignature("SdkAppid", "the callback is for another application")
	}
	if err := s.fresh(sec, overflow, 1, now, "RequestTime"); err != nil {
		return Verified{}, err
	}
	return Verified{
		Event:     Event{Vendor: "tencent_chat", Type: cmd, Time: timeOf(sec, 1), Payload: body},
		DedupeKey: tencentChatKey(cmd, m),
	}, nil
}

// tencentChatKey is the dedupe key of the commands that define one, from
// the body's CallbackCommand, MsgKey, GroupId and MsgSeq.
func tencentChatKey(cmd string, m []jsonValue) string {
	switch cmd {
	case "C2C.CallbackAfterSendMsg":
		k, _ := m[1].str()
		return k
	case "Group.CallbackAfterSendMsg":
		group, _ := m[2].str()
		if seq, ok := m[3].integer(); group != "" && ok {
			return group + ":" + seq
		}
	}
	return ""
}

// spelling returns the first of names the query has, else the first.
func spelling(q url.Values, names ...string) string {
	for _, n := range names {
		if _, ok := q[n]; ok {
			return n
		}
	}
	return names[0]
}

// queryOne returns the one non-empty value of a query parameter.
func queryOne(q url.Values, name string) (string, error) {
	v := q[name]
	switch {
	case len(v) == 0 || v[0] == "":
		return "", malformed(name, "a required query parameter is missing")
	case len(v) > 1:
		return "", malformed(name, "a query parameter is repeated")
	}
	return v[0], nil
}
