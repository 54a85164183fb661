package httpapitest

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// kindsChecks: a kind left out of a vendor's Config.Kinds is neither listed
// by /providers nor served, over the adapter, while the enabled ones are.
func kindsChecks(t *testing.T, start Start, client *http.Client) {
	ag, err := agora.New(agora.Config{AppID: agoraAppID, AppCertificate: core.NewSecret(AgoraCert), Kinds: []string{agora.KindRTC}})
	must(t, err)
	api := NewAPI(t, func(c *httpapi.Config) {
		svc, err := core.NewService([]core.Provider{ag}, core.WithAuthorizer(authorizer()))
		must(t, err)
		c.Service, c.Presets = svc, nil
	})
	base := start(t, api)

	status, _, body := Do(t, client, base, Case{Method: "GET", Path: "/rtc/providers"})
	var list struct{ Providers []core.ProviderInfo }
	if err := json.Unmarshal(body, &list); status != 200 || err != nil || len(list.Providers) != 1 || !slices.Equal(list.Providers[0].Kinds, []string{agora.KindRTC}) {
		t.Fatalf("providers with agora kinds [rtc]: %d %s", status, body)
	}
	for _, tc := range []Case{
		{Name: "enabled", Method: "POST", Path: "/rtc/agora/rtc", Body: `{"room":"c"}`, Headers: alice(), Status: 200},
		{Name: "left out", Method: "POST", Path: "/rtc/agora/rtm", Body: `{}`, Headers: alice(), Status: 404, Code: core.CodeUnknownKind, Field: "kind"},
	} {
		status, _, body := Do(t, client, base, tc)
		if status != tc.Status {
			t.Fatalf("%s: %d %s", tc.Name, status, body)
		}
		if tc.Code != "" {
			var e struct {
				Error struct {
					Code  core.Code
					Field string
				}
			}
			if json.Unmarshal(body, &e) != nil || e.Error.Code != tc.Code || e.Error.Field != tc.Field {
				t.Fatalf("%s: %s", tc.Name, body)
			}
		}
	}
}
