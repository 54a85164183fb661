package demo

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

func TestHostError(t *testing.T) {
	for status, want := range map[int]struct {
		status int
		code   core.Code
	}{
		404: {404, httpapi.CodeNotFound}, 405: {405, httpapi.CodeMethodNotAllowed}, 413: {413, httpapi.CodeBodyTooLarge},
		415: {415, httpapi.CodeUnsupportedMedia}, 429: {429, httpapi.CodeRateLimited}, 400: {400, core.CodeInvalidRequest},
		431: {431, core.CodeInvalidRequest}, 503: {503, core.CodeUnavailable}, 502: {500, core.CodeInternal},
		200: {500, core.CodeInternal}, 0: {500, core.CodeInternal},
	} {
		resp := HostError(status, "POST")
		var env struct {
			Error struct {
				Code    core.Code `json:"code"`
				Message string    `json:"message"`
			} `json:"error"`
		}
		if resp.Status != want.status || json.Unmarshal(resp.Body, &env) != nil || env.Error.Code != want.code || env.Error.Message == "" ||
			resp.Header.Get("Cache-Control") != "no-store" || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("HostError(%d): %d %v %s, want %d %s", status, resp.Status, resp.Header, resp.Body, want.status, want.code)
		}
		if allow := resp.Header.Get("Allow"); (status == 405) != (allow == "POST") {
			t.Errorf("HostError(%d): Allow %q", status, allow)
		}
	}
}

func TestAsset(t *testing.T) {
	for name, ct := range map[string]string{"app.js": "javascript", "app.css": "text/css", "favicon.svg": "image/svg+xml"} {
		resp := Asset(name)
		if resp.Status != http.StatusOK || len(resp.Body) == 0 || !strings.Contains(resp.Header.Get("Content-Type"), ct) ||
			resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("Asset(%q): %d %v", name, resp.Status, resp.Header)
		}
	}
	for _, name := range []string{"", ".", "/app.js", "../index.html", "nothing.js", "static/app.js", "./app.js"} {
		if resp := Asset(name); resp.Status != http.StatusNotFound || !strings.Contains(string(resp.Body), `"not_found"`) {
			t.Errorf("Asset(%q): %d %s", name, resp.Status, resp.Body)
		}
	}
}
