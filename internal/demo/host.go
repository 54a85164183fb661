package demo

import (
	"io/fs"
	"mime"
	"net/http"
	"path"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// The answers below are those an example gives where its framework would
// answer by itself, in plain text or HTML: an unknown route, a wrong
// method, a body the server refused to read. They are in the contract's
// error envelope with Cache-Control: no-store, like every other answer of
// the examples.

// NotFound answers a path no route serves: 404 not_found.
func NotFound() httpapi.Response {
	return errorResponse(core.Errorf(httpapi.CodeNotFound, "", "no such route"))
}

// MethodNotAllowed answers a route asked with a method it does not serve:
// 405 method_not_allowed, with allow (the methods it serves, e.g. "POST")
// as the Allow header.
func MethodNotAllowed(allow string) httpapi.Response {
	resp := errorResponse(core.Errorf(httpapi.CodeMethodNotAllowed, "", "method not allowed"))
	if allow != "" {
		resp.Header.Set("Allow", allow)
	}
	return resp
}

// HostError answers an error status a framework raised before any handler
// ran (a fiber.Error from fasthttp, for instance), keeping the status and
// never the framework's message, which may echo the request: 404
// not_found, 405 method_not_allowed (allow is the Allow header), 413
// body_too_large, 415 unsupported_media_type, 429 rate_limited, any other
// 4xx invalid_request, 503 unavailable, anything else 500 internal.
func HostError(status int, allow string) httpapi.Response {
	var e *core.Error
	switch {
	case status == http.StatusNotFound:
		return NotFound()
	case status == http.StatusMethodNotAllowed:
		return MethodNotAllowed(allow)
	case status == http.StatusRequestEntityTooLarge:
		e = core.Errorf(httpapi.CodeBodyTooLarge, "", "request body is too large")
	case status == http.StatusUnsupportedMediaType:
		e = core.Errorf(httpapi.CodeUnsupportedMedia, "", "unsupported request body type")
	case status == http.StatusTooManyRequests:
		e = core.Errorf(httpapi.CodeRateLimited, "", "too many requests")
	case status >= 400 && status < 500:
		e = core.Errorf(core.CodeInvalidRequest, "", "the request could not be read")
	case status == http.StatusServiceUnavailable:
		e = core.Errorf(core.CodeUnavailable, "", "service unavailable")
	default:
		status = http.StatusInternalServerError
		e = core.Errorf(core.CodeInternal, "", "internal error")
	}
	resp := errorResponse(e)
	resp.Status = status
	return resp
}

// Asset answers GET AssetsPrefix+name with the page's script, style sheet
// or icon, and NotFound for anything else (directories included: there is
// no listing). Like the page, assets are sent with Cache-Control: no-store:
// the demo's files are a few kilobytes, and one rule for every answer
// leaves nothing to reason about.
func Asset(name string) httpapi.Response {
	if !fs.ValidPath(name) || name == "." {
		return NotFound()
	}
	b, err := fs.ReadFile(Assets(), name)
	if err != nil {
		return NotFound()
	}
	ct := mime.TypeByExtension(path.Ext(name))
	if ct == "" {
		ct = "application/octet-stream"
	}
	return httpapi.Response{
		Status: http.StatusOK,
		Header: http.Header{
			"Content-Type":           {ct},
			"Cache-Control":          {"no-store"},
			"X-Content-Type-Options": {"nosniff"},
		},
		Body: b,
	}
}
