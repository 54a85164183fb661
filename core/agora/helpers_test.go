package agora_test

import "github.com/rtctoken/rtctoken/core/agora/internal/agoratest"

// Shared fixtures, under the names the tests use.
const (
	testApp    = agoratest.App
	testCert   = agoratest.Cert
	testCert2  = agoratest.Cert2
	testIssued = agoratest.Issued
	testSalt   = agoratest.Salt
)

var (
	testNow  = agoratest.Now
	inflate  = agoratest.Inflate
	reencode = agoratest.Reencode
	exitCode = agoratest.ExitCode
	randName = agoratest.RandName
)

const nameAlphabet = agoratest.NameAlphabet

type repeatSalt = agoratest.RepeatSalt
