package conformance

import (
	"net/http"
	"testing"

	"github.com/rtctoken/rtctoken/core/httpapi"
)

// bodyCases are the table rows about request bodies: content encodings, content types, cross-site posts (the raw-body rules).
func bodyCases(t testing.TB) []Case { return nil }

// bodyChecks runs the checks about request bodies: content encodings, content types, cross-site posts (the raw-body rules) that need more than one request.
func bodyChecks(t *testing.T, api *httpapi.API, client *http.Client, base string) {}
