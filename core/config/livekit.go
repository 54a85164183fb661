package config

import "github.com/rtctoken/rtctoken/core/livekit"

// LiveKit variable names.
const (
	liveKitAPIKey          = "RTCTOKEN_LIVEKIT_API_KEY"
	liveKitAPISecret       = "RTCTOKEN_LIVEKIT_API_SECRET"
	liveKitAPIKeySecondary = "RTCTOKEN_LIVEKIT_API_KEY_SECONDARY"
	liveKitSecretSecondary = "RTCTOKEN_LIVEKIT_API_SECRET_SECONDARY"
	liveKitURL             = "RTCTOKEN_LIVEKIT_URL"
)

var liveKitVars = []Var{
	{liveKitAPIKey, "livekit", "APIKey", "API key of the LiveKit project (the iss of every token).", false, true},
	{liveKitAPISecret, "livekit", "APISecret", "The API key's secret (at least 32 characters); signs the access tokens.", true, true},
	{liveKitAPIKeySecondary, "livekit", "SecondaryAPIKey", "A second API key accepted by verification during a rotation (default: the API key, with a second secret).", false, false},
	{liveKitSecretSecondary, "livekit", "SecondaryAPISecret", "The second key's secret, accepted by verification during a rotation.", true, false},
	{liveKitURL, "livekit", "ServerURL", "URL of the LiveKit server clients connect to (wss://...), handed to them as serverUrl.", false, true},
}

// loadLiveKit reads the LiveKit variables into c when any is set.
func (r *reader) loadLiveKit(c *Config) {
	if !r.enabled("livekit") {
		return
	}
	c.LiveKit = &livekit.Config{
		APIKey:             r.text(liveKitAPIKey),
		APISecret:          r.secret(liveKitAPISecret),
		SecondaryAPIKey:    r.text(liveKitAPIKeySecondary),
		SecondaryAPISecret: r.secret(liveKitSecretSecondary),
		ServerURL:          r.text(liveKitURL),
	}
}
