package demo

import (
	"embed"
	"io/fs"
	"net/http"

	"github.com/rtctoken/rtctoken/core/httpapi"
)

// web holds the demo page: plain HTML, JavaScript and CSS, no build step
// and nothing loaded from elsewhere.
//
//go:embed web/static
var web embed.FS

//go:embed web/index.html
var indexHTML []byte

// AssetsPrefix is where the examples serve Assets.
const AssetsPrefix = "/static/"

// Assets returns the page's scripts and styles. The examples serve them
// under AssetsPrefix with Asset.
func Assets() fs.FS {
	sub, _ := fs.Sub(web, "web/static") // fails only for an invalid path
	return sub
}

// Page returns the demo page, served at "/". Its content security policy
// allows nothing but this origin's own scripts and styles. It is sent with
// Cache-Control: no-store, as every answer of the examples is.
func Page() httpapi.Response {
	return httpapi.Response{
		Status: http.StatusOK,
		Header: http.Header{
			"Content-Type":            {"text/html; charset=utf-8"},
			"Cache-Control":           {"no-store"},
			"X-Content-Type-Options":  {"nosniff"},
			"Referrer-Policy":         {"no-referrer"},
			"Content-Security-Policy": {"default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"},
		},
		Body: indexHTML,
	}
}
