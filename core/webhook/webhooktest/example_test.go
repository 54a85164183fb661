package webhooktest_test

import "github.com/rtctoken/rtctoken/core/webhook/webhooktest"

// An adapter for another router (here github.com/go-chi/chi/v5, in
// chi_test.go) passes the table with a request view and a Start that
// mounts the receiver at the path it is given; its test is one line:
//
//	func TestChi(t *testing.T) { webhooktest.Run(t, startChi) }
func Example() { var _ webhooktest.Start = startChi }
