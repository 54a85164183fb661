package accesstoken_test

import (
	"strconv"
	"testing"

	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/internal/testutil"
)

// TestIndependentVerifierDefaultEncoder rebuilds every builder vector with
// the default encoder and has the independent verifier (RTCTOKEN_VERIFY)
// accept it, with the vector's claims.
func TestIndependentVerifierDefaultEncoder(t *testing.T) {
	testutil.Verifier(t)
	v := loadVectors(t)
	for _, c := range v.Cases {
		t.Run(c.ID, func(t *testing.T) {
			tok := buildCase(t, c, accesstoken.CompressFast)
			res := testutil.RunVerifier(t, "agora", "--app-id", c.Inputs.AppID, "--cert", c.Inputs.Cert,
				"--now", strconv.FormatInt(int64(c.IssueTs), 10), tok)
			if res.Exit != 0 || !res.Valid {
				t.Fatalf("exit %d valid %v: %s", res.Exit, res.Valid, res.Raw)
			}
			if res.Claims["app_id"] != c.Inputs.AppID || res.Claims["issue_ts"] != float64(c.IssueTs) || res.Claims["salt"] != float64(c.Salt) {
				t.Errorf("claims %v", res.Claims)
			}
			other := "f" + c.Inputs.Cert[1:]
			if c.Inputs.Cert[0] == 'f' {
				other = "e" + c.Inputs.Cert[1:]
			}
			if res := testutil.RunVerifier(t, "agora", "--app-id", c.Inputs.AppID, "--cert", other, tok); res.Exit != 1 {
				t.Errorf("another certificate: exit %d", res.Exit)
			}
		})
	}
}
