package conformance

import (
	"net/http"
	"testing"

	"github.com/rtctoken/rtctoken/core/httpapi"
)

// headerCases are the table rows about headers that appear more than once, proxies and client addresses.
func headerCases(t testing.TB) []Case { return nil }

// headerChecks runs the checks about headers that appear more than once, proxies and client addresses that need more than one request.
func headerChecks(t *testing.T, api *httpapi.API, client *http.Client, base string) {}
