package httpapitest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// AbuseCases is the bad-input suite: every request must get its documented
// 4xx status and error code, never a 500 and never a panic.
func AbuseCases(t testing.TB) []Case {
	u := func(user string) map[string]string { return map[string]string{HostUserHeader: user} }
	bad := func(name, path, body string, status int, code core.Code, field string) Case {
		return Case{Name: name, Method: "POST", Path: path, Body: body, Headers: alice(), Status: status, Code: code, Field: field}
	}
	const rtc = "/rtc/agora/rtc"
	cases := []Case{
		// Malformed and deeply nested JSON.
		bad("truncated object", rtc, `{"room":"a"`, 400, core.CodeInvalidRequest, ""),
		bad("bare string", rtc, `"room"`, 400, core.CodeInvalidRequest, ""),
		bad("array body", rtc, `[{"room":"a"}]`, 400, core.CodeInvalidRequest, ""),
		bad("number body", rtc, `42`, 400, core.CodeInvalidRequest, ""),
		bad("null body", rtc, `null`, 400, core.CodeInvalidRequest, ""),
		bad("two objects", rtc, `{"room":"a"}{"room":"b"}`, 400, core.CodeInvalidRequest, ""),
		bad("trailing garbage", rtc, `{"room":"a"} xyz`, 400, core.CodeInvalidRequest, ""),
		bad("single quotes", rtc, `{'room':'a'}`, 400, core.CodeInvalidRequest, ""),
		bad("trailing comma", rtc, `{"room":"a",}`, 400, core.CodeInvalidRequest, ""),
		bad("comment", rtc, `{"room":"a" /* x */}`, 400, core.CodeInvalidRequest, ""),
		bad("deep objects", rtc, `{"room":"a","options":`+strings.Repeat(`{"x":`, 500)+`1`+strings.Repeat(`}`, 500)+`}`, 400, core.CodeInvalidRequest, ""),
		bad("deep arrays", rtc, `{"options":{"x":`+strings.Repeat(`[`, 2000)+strings.Repeat(`]`, 2000)+`}}`, 400, core.CodeInvalidRequest, ""),
		bad("unterminated string", rtc, `{"room":"abc}`, 400, core.CodeInvalidRequest, ""),
		bad("bad escape", rtc, `{"room":"\q"}`, 400, core.CodeInvalidRequest, ""),
		bad("NaN ttl", rtc, `{"room":"a","ttl":NaN}`, 400, core.CodeInvalidRequest, ""),
		// Wrong types.
		bad("room number", rtc, `{"room":12}`, 400, core.CodeInvalidRoom, "room"),
		bad("room object", rtc, `{"room":{"a":1}}`, 400, core.CodeInvalidRoom, "room"),
		bad("role array", rtc, `{"room":"a","role":["publisher"]}`, 400, core.CodeInvalidRole, "role"),
		bad("ttl bool", rtc, `{"room":"a","ttl":true}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl float", rtc, `{"room":"a","ttl":60.5}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl exponent", rtc, `{"room":"a","ttl":3.6e3}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("user_id number", rtc, `{"room":"a","user_id":7}`, 400, core.CodeInvalidUser, "user_id"),
		bad("options array", rtc, `{"room":"a","options":[1]}`, 400, core.CodeInvalidOption, "options"),
		bad("options string", rtc, `{"room":"a","options":"x"}`, 400, core.CodeInvalidOption, "options"),
		bad("option wrong type", rtc, `{"room":"a","options":{"id_type":5}}`, 400, core.CodeInvalidOption, "options.id_type"),
		bad("requests not array", "/rtc/batch", `{"requests":{}}`, 400, core.CodeInvalidRequest, "requests"),
		bad("requests items not objects", "/rtc/batch", `{"requests":[1,2]}`, 400, core.CodeInvalidRequest, "requests[0]"),
		// Control characters and invalid UTF-8 in ids.
		bad("NUL in room", rtc, `{"room":"a\u0000b"}`, 400, core.CodeInvalidRoom, "room"),
		bad("newline in room", rtc, `{"room":"a\nb"}`, 400, core.CodeInvalidRoom, "room"),
		bad("escape in room", rtc, `{"room":"\u001b[31mred"}`, 400, core.CodeInvalidRoom, "room"),
		bad("line separator in room", "/rtc/zoom/video", `{"room":"a\u2028b"}`, 400, core.CodeInvalidRoom, "room"),
		bad("lone surrogate in room", rtc, `{"room":"\ud800"}`, 400, core.CodeInvalidRoom, "room"),
		bad("invalid UTF-8 body", rtc, "{\"room\":\"a\xff\xfeb\"}", 400, core.CodeInvalidRequest, ""),
		bad("tab in zego room", "/rtc/zego/token04", `{"room":"a\tb"}`, 400, core.CodeInvalidRoom, "room"),
		{Name: "control char in JWT subject", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{"Authorization": "Bearer " + bearerFor(t, "ev\u0001il")}, Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "non-ASCII user for tencent", Method: "POST", Path: "/rtc/tencent/usersig", Headers: map[string]string{"Authorization": "Bearer " + bearerFor(t, "usér")}, Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		// Over-long ids and rooms.
		bad("agora channel too long", rtc, `{"room":"`+strings.Repeat("c", 65)+`"}`, 400, core.CodeInvalidRoom, "room"),
		bad("zoom session name too long", "/rtc/zoom/video", `{"room":"`+strings.Repeat("s", 201)+`"}`, 400, core.CodeInvalidRoom, "room"),
		bad("zoom session name too long in UTF-16", "/rtc/zoom/video", `{"room":"`+strings.Repeat("😀", 101)+`"}`, 400, core.CodeInvalidRoom, "room"),
		bad("zego room too long", "/rtc/zego/token04", `{"room":"`+strings.Repeat("r", 129)+`"}`, 400, core.CodeInvalidRoom, "room"),
		bad("tencent string room too long", "/rtc/tencent/privatemapkey", `{"room":"`+strings.Repeat("r", 65)+`"}`, 400, core.CodeInvalidRoom, "room"),
		bad("room over generic bound", rtc, `{"room":"`+strings.Repeat("r", 300)+`"}`, 400, core.CodeInvalidRoom, "room"),
		bad("zoom meeting number letters", "/rtc/zoom/meeting", `{"room":"abc"}`, 400, core.CodeInvalidRoom, "room"),
		bad("tencent numeric room zero", "/rtc/tencent/privatemapkey", `{"room":"0","options":{"room_type":"numeric"}}`, 400, core.CodeInvalidRoom, "room"),
		bad("tencent numeric room overflow", "/rtc/tencent/privatemapkey", `{"room":"4294967296","options":{"room_type":"numeric"}}`, 400, core.CodeInvalidRoom, "room"),
		{Name: "tencent user too long", Method: "POST", Path: "/rtc/tencent/usersig", Headers: u(strings.Repeat("u", 33)), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "zego user too long", Method: "POST", Path: "/rtc/zego/token04", Headers: u(strings.Repeat("u", 65)), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "zoom user identity too long", Method: "POST", Path: "/rtc/zoom/video", Body: `{"room":"s"}`, Headers: u(strings.Repeat("u", 36)), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		{Name: "agora uid out of range", Method: "POST", Path: rtc, Body: `{"room":"c","options":{"id_type":"uid"}}`, Headers: u("4294967296"), Status: 400, Code: core.CodeInvalidUser, Field: "user_id"},
		// Negative, zero and huge ttl.
		bad("ttl negative", rtc, `{"room":"a","ttl":-1}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl zero", rtc, `{"room":"a","ttl":0}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl huge", rtc, `{"room":"a","ttl":9999999999}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl beyond int64", rtc, `{"room":"a","ttl":99999999999999999999999}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl over agora max", rtc, `{"room":"a","ttl":86401}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl under zoom min", "/rtc/zoom/video", `{"room":"a","ttl":1799}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("ttl over zoom max", "/rtc/zoom/meeting", `{"room":"123456789","ttl":172801}`, 400, core.CodeInvalidTTL, "ttl"),
		bad("agora privilege ttl over token ttl", rtc, `{"room":"a","ttl":600,"options":{"privilege_ttl":3600}}`, 400, core.CodeInvalidOption, "options.privilege_ttl"),
		// Unknown fields and duplicate keys.
		bad("unknown top-level field", rtc, `{"room":"a","admin":true}`, 400, core.CodeInvalidRequest, "admin"),
		bad("unknown option", "/rtc/zoom/video", `{"room":"a","options":{"pwd":"x"}}`, 400, core.CodeInvalidOption, "options.pwd"),
		bad("duplicate room", rtc, `{"room":"a","room":"b"}`, 400, core.CodeInvalidRequest, "room"),
		bad("duplicate user_id hides spoof", rtc, `{"room":"a","user_id":"alice","user_id":"bob"}`, 400, core.CodeInvalidRequest, "user_id"),
		bad("duplicate nested key", rtc, `{"room":"a","options":{"id_type":"account","id_type":"uid"}}`, 400, core.CodeInvalidRequest, "id_type"),
		bad("batch unknown item field", "/rtc/batch", `{"requests":[{"provider":"tencent","kind":"usersig","x":1}]}`, 400, core.CodeInvalidRequest, "requests[0].x"),
		bad("batch empty", "/rtc/batch", `{"requests":[]}`, 400, core.CodeInvalidRequest, "requests"),
		bad("batch missing provider", "/rtc/batch", `{"requests":[{"kind":"usersig"}]}`, 404, core.CodeUnknownProvider, "requests[0].provider"),
		// Oversized bodies.
		bad("oversized body", rtc, `{"room":"`+strings.Repeat("x", 17<<10)+`"}`, 413, httpapi.CodeBodyTooLarge, ""),
		bad("oversized whitespace", rtc, `{"room":"a"}`+strings.Repeat(" ", 20<<10), 413, httpapi.CodeBodyTooLarge, ""),
		// Wrong methods and content types.
		{Name: "PUT on issue", Method: "PUT", Path: rtc, Body: `{}`, Headers: alice(), Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "POST"},
		{Name: "DELETE on batch", Method: "DELETE", Path: "/rtc/batch", Headers: alice(), Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "POST"},
		{Name: "PATCH on issue", Method: "PATCH", Path: rtc, Headers: alice(), Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "POST"},
		{Name: "POST on providers", Method: "POST", Path: "/rtc/providers", Body: `{}`, Headers: alice(), Status: 405, Code: httpapi.CodeMethodNotAllowed, Allow: "GET, HEAD"},
		{Name: "text/plain", Method: "POST", Path: rtc, Body: `{"room":"a"}`, ContentType: "text/plain", Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "no content type", Method: "POST", Path: rtc, Body: `{"room":"a"}`, ContentType: "-", Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "multipart", Method: "POST", Path: rtc, Body: "--x\r\n\r\n--x--", ContentType: "multipart/form-data; boundary=x", Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "malformed content type", Method: "POST", Path: rtc, Body: `{"room":"a"}`, ContentType: "application/json; =", Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		// Missing or forged identity.
		{Name: "anonymous", Method: "POST", Path: rtc, Body: `{"room":"a"}`, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "bearer with wrong key", Method: "POST", Path: rtc, Body: `{"room":"a"}`, Headers: map[string]string{"Authorization": "Bearer " + foreignBearer(t)}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "bearer alg none", Method: "POST", Path: rtc, Body: `{"room":"a"}`, Headers: map[string]string{"Authorization": "Bearer eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiJhZG1pbiIsImV4cCI6OTk5OTk5OTk5OX0."}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "basic auth", Method: "POST", Path: rtc, Body: `{"room":"a"}`, Headers: map[string]string{"Authorization": "Basic YWRtaW46YWRtaW4="}, Status: 401, Code: core.CodeUnauthenticated},
		{Name: "forged session cookie", Method: "POST", Path: rtc, Body: `{"room":"a"}`, Cookie: &http.Cookie{Name: sessionCookie, Value: "deadbeef"}, Status: 401, Code: core.CodeUnauthenticated},
		// Spoofed users.
		bad("spoofed user", rtc, `{"room":"a","user_id":"bob"}`, 400, core.CodeInvalidUser, "user_id"),
		bad("spoofed user case", "/rtc/tencent/usersig", `{"user_id":"Alice"}`, 400, core.CodeInvalidUser, "user_id"),
		bad("spoofed user in batch", "/rtc/batch", `{"requests":[{"provider":"agora","kind":"rtm"},{"provider":"zego","kind":"token04","user_id":"root"}]}`, 400, core.CodeInvalidUser, "requests[1].user_id"),
		bad("elevated zoom meeting host", "/rtc/zoom/meeting", `{"room":"123456789","role":"host"}`, 403, core.CodeForbidden, "role"),
		bad("any uid needs elevation", rtc, `{"room":"a","options":{"id_type":"uid","any_uid":true}}`, 403, core.CodeForbidden, "options.any_uid"),
		bad("any uid hidden by escapes", rtc, `{"room":"a","options":{"any_\u0075id":true,"id_type":"uid"}}`, 403, core.CodeForbidden, "options.any_uid"),
	}
	return cases
}

func bearerFor(t testing.TB, user string) string { return bearerToken(t, user, time.Hour) }

func foreignBearer(t testing.TB) string {
	t.Helper()
	return signHS256(t, "a-completely-different-key-0123456789", "alice")
}

// RunAbuse runs AbuseCases against the app start builds, then checks the
// service still serves a good request.
func RunAbuse(t *testing.T, start Start) {
	api := NewAPI(t)
	base := start(t, api)
	client := &http.Client{Timeout: 10 * time.Second}
	cases := AbuseCases(t)
	if len(cases) < 60 {
		t.Fatalf("the bad-input suite has %d cases, want at least 60", len(cases))
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			status, hdr, body := Do(t, client, base, tc)
			if status >= 500 {
				t.Fatalf("server error %d: %s", status, body)
			}
			if status != tc.Status {
				t.Fatalf("status %d, want %d: %s", status, tc.Status, body)
			}
			if tc.Allow != "" && hdr.Get("Allow") != tc.Allow {
				t.Errorf("Allow %q, want %q", hdr.Get("Allow"), tc.Allow)
			}
			checkBody(t, api, tc, body)
		})
	}
	status, _, body := Do(t, client, base, Case{Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"still-up"}`, Headers: alice()})
	if status != 200 {
		t.Fatalf("service stopped serving after the bad-input suite: %d %s", status, body)
	}
}
