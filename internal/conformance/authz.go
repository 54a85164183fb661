package conformance

import (
	"net/http"
	"testing"

	"github.com/rtctoken/rtctoken/core/httpapi"
)

// authzCases are the table rows about the identity and elevation checks that hold whatever the authorizer.
func authzCases(t testing.TB) []Case { return nil }

// authzChecks runs the checks about the identity and elevation checks that hold whatever the authorizer that need more than one request.
func authzChecks(t *testing.T, api *httpapi.API, client *http.Client, base string) {}
