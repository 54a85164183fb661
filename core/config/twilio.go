package config

import "github.com/rtctoken/rtctoken/core/twilio"

// Twilio variable names.
const (
	twilioAccountSID      = "RTCTOKEN_TWILIO_ACCOUNT_SID"
	twilioAPIKeySID       = "RTCTOKEN_TWILIO_API_KEY_SID"
	twilioAPIKeySecret    = "RTCTOKEN_TWILIO_API_KEY_SECRET"
	twilioKeySIDSecondary = "RTCTOKEN_TWILIO_API_KEY_SID_SECONDARY"
	twilioSecretSecondary = "RTCTOKEN_TWILIO_API_KEY_SECRET_SECONDARY"
	twilioChatServiceSID  = "RTCTOKEN_TWILIO_CHAT_SERVICE_SID"
	twilioChatRoleSID     = "RTCTOKEN_TWILIO_CHAT_ROLE_SID"
	twilioSyncServiceSID  = "RTCTOKEN_TWILIO_SYNC_SERVICE_SID"
	twilioVoiceAppSID     = "RTCTOKEN_TWILIO_VOICE_APP_SID"
	twilioRegion          = "RTCTOKEN_TWILIO_REGION"
)

var twilioVars = []Var{
	{twilioAccountSID, "twilio", "AccountSID", "Account SID (AC and 32 hex digits), the sub of every token.", false, true},
	{twilioAPIKeySID, "twilio", "APIKeySID", "API key SID (SK and 32 hex digits), the iss of every token.", false, true},
	{twilioAPIKeySecret, "twilio", "APIKeySecret", "The API key's secret; signs the Access Tokens.", true, true},
	{twilioKeySIDSecondary, "twilio", "SecondaryAPIKeySID", "A second API key SID accepted by verification during a rotation (default: the API key, with a second secret).", false, false},
	{twilioSecretSecondary, "twilio", "SecondaryAPIKeySecret", "The second key's secret, accepted by verification during a rotation.", true, false},
	{twilioChatServiceSID, "twilio", "ChatServiceSID", "Conversations service SID (IS...); enables kind chat.", false, false},
	{twilioChatRoleSID, "twilio", "ChatRoleSID", "Deployment role SID (RL...) every chat token assigns (default: the service's default role).", false, false},
	{twilioSyncServiceSID, "twilio", "SyncServiceSID", "Sync service SID (IS...); enables kind sync.", false, false},
	{twilioVoiceAppSID, "twilio", "VoiceAppSID", "TwiML application SID (AP...) voice tokens call out through (default: incoming calls only).", false, false},
	{twilioRegion, "twilio", "Region", "Home region of the API key, written as the twr header (us1, ie1, au1; default none).", false, false},
}

// loadTwilio reads the Twilio variables into c when any is set.
func (r *reader) loadTwilio(c *Config) {
	if !r.enabled("twilio") {
		return
	}
	c.Twilio = &twilio.Config{
		AccountSID:            r.text(twilioAccountSID),
		APIKeySID:             r.text(twilioAPIKeySID),
		APIKeySecret:          r.secret(twilioAPIKeySecret),
		SecondaryAPIKeySID:    r.text(twilioKeySIDSecondary),
		SecondaryAPIKeySecret: r.secret(twilioSecretSecondary),
		ChatServiceSID:        r.text(twilioChatServiceSID),
		ChatRoleSID:           r.text(twilioChatRoleSID),
		SyncServiceSID:        r.text(twilioSyncServiceSID),
		VoiceAppSID:           r.text(twilioVoiceAppSID),
		Region:                r.text(twilioRegion),
	}
}
