package httpapitest_test

import "testing"
import "github.com/rtctoken/rtctoken/core/httpapi/httpapitest"

func TestChi(t *testing.T)      { httpapitest.Run(t, startChi) }
func TestChiAbuse(t *testing.T) { httpapitest.RunAbuse(t, startChi) }
