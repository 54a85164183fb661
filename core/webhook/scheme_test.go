package webhook_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// TestAgoraSHA1 checks that the legacy header decides only when allowed
// and V2 is absent.
func TestAgoraSHA1(t *testing.T) {
	_, body := senders[0].sign("primarySecret1", t0, "m")
	sigs := strings.Fields(signAgora("primarySecret1", body))
	v1 := map[string]string{"Agora-Signature": sigs[0]}
	strict, _ := webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret("primarySecret1")})
	legacy, _ := webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret("primarySecret1"), AllowSHA1: true})
	if _, err := strict.Verify(newRequest(v1, ""), body, t0); !errors.Is(err, webhook.ErrMalformed) {
		t.Errorf("SHA-1 only, not allowed: %v, want ErrMalformed", err)
	}
	if _, err := legacy.Verify(newRequest(v1, ""), body, t0); err != nil {
		t.Errorf("SHA-1 only, allowed: %v", err)
	}
	both := map[string]string{"Agora-Signature": sigs[0], "Agora-Signature-V2": strings.Repeat("0", 64)}
	if _, err := legacy.Verify(newRequest(both, ""), body, t0); !errors.Is(err, webhook.ErrSignature) {
		t.Errorf("a wrong V2 beside a right V1: %v, want ErrSignature (V2 alone decides)", err)
	}
}

// serveAll serves each body under one request, each answered 200, and
// returns how many were dispatched.
func serveAll(t *testing.T, s webhook.Scheme, r *fakeRequest, bodies ...string) int {
	t.Helper()
	rc, calls := countingReceiver(t, s)
	for _, b := range bodies {
		if resp := rc.Serve(r, strings.NewReader(b)); resp.Status != 200 {
			t.Fatalf("status %d %s", resp.Status, resp.Body)
		}
	}
	return *calls
}

// TestTencentChatDedupe: every callback of one second shares its Sign, so
// only the command's own key tells duplicates apart.
func TestTencentChatDedupe(t *testing.T) {
	s, err := webhook.TencentChat(webhook.TencentChatConfig{Token: core.NewSecret("t0k3n"), SDKAppID: testAppID})
	if err != nil {
		t.Fatal(err)
	}
	rt := strconv.FormatInt(t0.Unix(), 10)
	r := newRequest(nil, "SdkAppid=1400123456&Sign="+signTencentChat("t0k3n", rt)+"&RequestTime="+rt)
	c2c := func(key string) string {
		return `{"CallbackCommand":"C2C.CallbackAfterSendMsg","MsgKey":"` + key + `"}`
	}
	group := func(seq int) string {
		return `{"CallbackCommand":"Group.CallbackAfterSendMsg","GroupId":"@TGS#1","MsgSeq":` + strconv.Itoa(seq) + `}`
	}
	state := `{"CallbackCommand":"State.StateChange","Info":{"Action":"Login","To_Account":"u1"}}`
	if n := serveAll(t, s, r, c2c("1_2_3"), c2c("4_5_6"), c2c("1_2_3")); n != 2 {
		t.Errorf("C2C: dispatched %d, want 2 (MsgKey dedupes, Sign does not)", n)
	}
	if n := serveAll(t, s, r, group(7), group(8), group(7)); n != 2 {
		t.Errorf("group: dispatched %d, want 2", n)
	}
	if n := serveAll(t, s, r, state, state); n != 2 {
		t.Errorf("State.StateChange has no dedupe key: dispatched %d, want 2", n)
	}
}

// TestTRTCDedupe: the composite key tells events apart without UniqueId.
func TestTRTCDedupe(t *testing.T) {
	s, err := webhook.TRTC(webhook.TRTCConfig{Key: core.NewSecret("k"), SDKAppID: testAppID})
	if err != nil {
		t.Fatal(err)
	}
	ms := strconv.FormatInt(t0.UnixMilli(), 10)
	ev := func(typ, room, user, evms string) string {
		return `{"EventGroupId":1,"EventType":` + typ + `,"CallbackTs":` + ms + `,"EventInfo":{"RoomId":` + room + `,"UserId":"` + user + `","EventMsTs":` + evms + `}}`
	}
	rec := func(task, evms string) string {
		return `{"EventGroupId":3,"EventType":301,"CallbackTs":` + ms + `,"EventInfo":{"RoomId":"r","UserId":"bot","TaskId":"` + task + `","EventMsTs":` + evms + `}}`
	}
	bodies := []string{
		ev("103", "8489", "u1", ms), ev("103", "8489", "u1", ms), // a duplicate
		ev("104", "8489", "u1", ms), ev("103", `"8489"`, "u1", ms), ev("103", "8489", "u2", ms), ev("103", "8489", "u1", ms+"1"),
		rec("t1", ms), rec("t1", ms), rec("t2", ms),
		`{"EventGroupId":1,"EventType":103,"CallbackTs":` + ms + `,"EventInfo":{"RoomId":1,"UserId":"u"}}`,
		`{"EventGroupId":1,"EventType":103,"CallbackTs":` + ms + `,"EventInfo":{"RoomId":1,"UserId":"u"}}`,
	}
	rc, calls := countingReceiver(t, s)
	for _, b := range bodies {
		r := newRequest(map[string]string{"Sign": signTRTC("k", []byte(b)), "SdkAppId": "1400123456"}, "")
		if resp := rc.Serve(r, strings.NewReader(b)); resp.Status != 200 || string(resp.Body) != `{"code":0}` {
			t.Fatalf("status %d %s", resp.Status, resp.Body)
		}
	}
	// 11 callbacks: two duplicates; the two without EventMsTs have no key.
	if *calls != 9 {
		t.Errorf("dispatched %d, want 9", *calls)
	}
}

func countingReceiver(t *testing.T, s webhook.Scheme) (*webhook.Receiver, *int) {
	t.Helper()
	calls := new(int)
	rc, err := webhook.New(webhook.Config{Scheme: s, Now: func() time.Time { return t0 }, Logger: discardLogger(),
		Default: webhook.HandlerFunc(func(context.Context, webhook.Event) error { *calls++; return nil })})
	if err != nil {
		t.Fatal(err)
	}
	return rc, calls
}
