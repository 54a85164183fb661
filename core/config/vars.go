package config

import "slices"

// FileSuffix is appended to the name of a secret variable to form its twin
// that names a file holding the value (RTCTOKEN_AGORA_APP_CERTIFICATE_FILE).
const FileSuffix = "_FILE"

// MaxFileSize bounds a file named by a <NAME>_FILE variable.
const MaxFileSize = 64 << 10

// Variable names.
const (
	tencentSDKAppID     = "RTCTOKEN_TENCENT_SDKAPPID"
	tencentKey          = "RTCTOKEN_TENCENT_KEY"
	tencentKeySecondary = "RTCTOKEN_TENCENT_KEY_SECONDARY"
	tencentAdmins       = "RTCTOKEN_TENCENT_ADMINS"

	agoraAppID                = "RTCTOKEN_AGORA_APP_ID"
	agoraAppCertificate       = "RTCTOKEN_AGORA_APP_CERTIFICATE"
	agoraCertificateSecondary = "RTCTOKEN_AGORA_APP_CERTIFICATE_SECONDARY"
	agoraCompression          = "RTCTOKEN_AGORA_COMPRESSION"

	zoomSDKKey          = "RTCTOKEN_ZOOM_SDK_KEY"
	zoomSDKSecret       = "RTCTOKEN_ZOOM_SDK_SECRET"
	zoomSecretSecondary = "RTCTOKEN_ZOOM_SDK_SECRET_SECONDARY"
	zoomKinds           = "RTCTOKEN_ZOOM_KINDS"

	zegoAppID           = "RTCTOKEN_ZEGO_APP_ID"
	zegoServerSecret    = "RTCTOKEN_ZEGO_SERVER_SECRET"
	zegoSecretSecondary = "RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY"
	zegoMode            = "RTCTOKEN_ZEGO_MODE"
)

// Var describes one environment variable.
type Var struct {
	// Name is the variable's name.
	Name string
	// Vendor is the provider the variable configures ("agora").
	Vendor string
	// Field is the field of the vendor's Config the variable sets
	// ("AppCertificate" of agora.Config). A constructor error naming that
	// field is reported against the variable.
	Field string
	// Description says what the value is and how it is written.
	Description string
	// Secret variables hold keys. They also have a Name+FileSuffix twin
	// that names a file holding the value.
	Secret bool
	// Required variables must be set when the vendor is enabled, that is
	// when any of the vendor's variables is set.
	Required bool
}

var vars = slices.Concat([]Var{
	{tencentSDKAppID, "tencent", "SDKAppID", "SDKAppID of the Tencent RTC / Chat application (decimal, 1 to 4294967295).", false, true},
	{tencentKey, "tencent", "Key", "SDKSecretKey from the console; signs UserSigs and PrivateMapKeys.", true, true},
	{tencentKeySecondary, "tencent", "SecondaryKey", "Previous or next SDKSecretKey, accepted by verification during a key rotation.", true, false},
	{tencentAdmins, "tencent", "Admins", `Comma-separated App Admin user ids (default "administrator"); a credential for one of them is only issued through IssueServer or an AllowElevated grant.`, false, false},

	{agoraAppID, "agora", "AppID", "App ID from the Agora console (32 hexadecimal characters).", false, true},
	{agoraAppCertificate, "agora", "AppCertificate", "Primary App Certificate (32 hexadecimal characters); signs tokens.", true, true},
	{agoraCertificateSecondary, "agora", "SecondaryCertificate", "Secondary App Certificate, accepted by verification during a rotation.", true, false},
	{agoraCompression, "agora", "Compression", `Token deflate encoder: "fast" (default) or "zlib" (the bytes of Agora's own Go generator, slower); Agora accepts both.`, false, false},

	{zoomSDKKey, "zoom", "SDKKey", "Video SDK key or Meeting SDK client id.", false, true},
	{zoomSDKSecret, "zoom", "SDKSecret", "The SDK secret matching the key; signs the JWTs.", true, true},
	{zoomSecretSecondary, "zoom", "SecondarySecret", "Previous SDK secret, accepted by verification during a rotation.", true, false},
	{zoomKinds, "zoom", "Kinds", `Comma-separated kinds to offer: "video", "meeting" or both (default both).`, false, false},

	{zegoAppID, "zego", "AppID", "AppID of the ZEGOCLOUD project (decimal, 1 to 4294967295).", false, true},
	{zegoServerSecret, "zego", "ServerSecret", "ServerSecret of the project (32 characters); encrypts Token04 and Kit Tokens.", true, true},
	{zegoSecretSecondary, "zego", "SecondarySecret", "Previous or next ServerSecret, accepted by verification during a rotation.", true, false},
	{zegoMode, "zego", "Mode", `Token04 encryption: "cbc" (default, accepted everywhere) or "gcm".`, false, false},
}, liveKitVars, twilioVars)

// Vars returns every variable Load reads, grouped by vendor, for
// documentation and deployment tooling. The slice is a copy.
func Vars() []Var { return append([]Var(nil), vars...) }
