package twilio

import (
	"fmt"
	"strconv"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/hs256"
)

// ContentType is the cty header of every Twilio Access Token.
const ContentType = "twilio-fpa;v=1"

// plainHeader is the JOSE header without a region: its members in sorted
// order, as twilio-go writes them (it marshals a map).
var plainHeader = []byte(`{"alg":"HS256","cty":"` + ContentType + `","typ":"JWT"}`)

// Claims is the payload of a Twilio Access Token, its members in sorted
// order as twilio-go writes them. Times are Unix seconds; 0 means absent.
// twilio-go writes no iat (twilio-node does); this package neither.
type Claims struct {
	ExpiresAt int64  `json:"exp,omitempty"`
	Grants    Grants `json:"grants"`
	IssuedAt  int64  `json:"iat,omitempty"`
	Issuer    string `json:"iss,omitempty"` // the API key SID (SK...)
	ID        string `json:"jti,omitempty"` // <API key SID>-<issued at>
	NotBefore int64  `json:"nbf,omitempty"`
	Subject   string `json:"sub,omitempty"` // the Account SID (AC...)
}

// Grants is the "grants" claim: the identity and one object per product.
// Grants this package does not know (task_router, player) are left out
// here and kept in Token.Raw.
type Grants struct {
	Chat        *ChatGrant  `json:"chat,omitempty"`
	Sync        *SyncGrant  `json:"data_sync,omitempty"`
	Identity    string      `json:"identity,omitempty"`
	IPMessaging *ChatGrant  `json:"ip_messaging,omitempty"` // legacy Programmable Chat
	RTC         *RTCGrant   `json:"rtc,omitempty"`          // legacy Conversations
	Video       *VideoGrant `json:"video,omitempty"`
	Voice       *VoiceGrant `json:"voice,omitempty"`
}

// VideoGrant is grants.video. Without Room it opens every room of the
// account.
type VideoGrant struct {
	Room string `json:"room,omitempty"`
}

// VoiceGrant is grants.voice.
type VoiceGrant struct {
	EndpointID        string         `json:"endpoint_id,omitempty"`
	Incoming          *VoiceIncoming `json:"incoming,omitempty"`
	Outgoing          *VoiceOutgoing `json:"outgoing,omitempty"`
	PushCredentialSID string         `json:"push_credential_sid,omitempty"`
}

// VoiceIncoming is grants.voice.incoming.
type VoiceIncoming struct {
	Allow bool `json:"allow"`
}

// VoiceOutgoing is grants.voice.outgoing: the TwiML application (AP...)
// outgoing calls go through, and parameters passed to it.
type VoiceOutgoing struct {
	ApplicationSID string         `json:"application_sid"`
	Params         map[string]any `json:"params,omitempty"`
}

// ChatGrant is grants.chat (Conversations and Programmable Chat) and the
// legacy grants.ip_messaging.
type ChatGrant struct {
	DeploymentRoleSID string `json:"deployment_role_sid,omitempty"`
	EndpointID        string `json:"endpoint_id,omitempty"`
	PushCredentialSID string `json:"push_credential_sid,omitempty"`
	ServiceSID        string `json:"service_sid,omitempty"`
}

// SyncGrant is grants.data_sync.
type SyncGrant struct {
	EndpointID string `json:"endpoint_id,omitempty"`
	ServiceSID string `json:"service_sid,omitempty"`
}

// RTCGrant is the legacy grants.rtc.
type RTCGrant struct {
	ConfigurationProfileSID string `json:"configuration_profile_sid,omitempty"`
}

// JTI returns the jti twilio-go and twilio-node write: the API key SID, a
// dash and the issuance time in Unix seconds.
func JTI(keySID string, issuedAt int64) string {
	var buf [64]byte // written on the stack, so the string is the one allocation
	b := append(append(buf[:0], keySID...), '-')
	return string(strconv.AppendInt(b, issuedAt, 10))
}

// Sign returns c as a Twilio Access Token signed with the UTF-8 bytes of
// secret: the header {"alg":"HS256","cty":"twilio-fpa;v=1","typ":"JWT"}
// (with "twr":region between cty and typ when region is set) and c as
// encoding/json writes it, the bytes twilio-go writes for the same claims.
// It checks nothing but the secret: the Provider decides what a token may
// grant.
func Sign(c *Claims, region string, secret core.Secret) (string, error) {
	if c == nil {
		return "", fmt.Errorf("%w: twilio: nil claims", core.ErrConfig)
	}
	h := plainHeader
	if region != "" {
		h = appendHeader(nil, region)
	}
	return sign(c, hs256.OneOff(h, secret))
}

// sign is Sign with s, a Provider's signer, whose header has the region,
// or a one-off one.
func sign(c *Claims, s *hs256.Signer) (string, error) {
	var buf [512]byte // the payload of all but large tokens
	return s.SignEncoded(appendClaims(buf[:0], c))
}
