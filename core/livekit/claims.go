package livekit

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/internal/hs256"
)

// Track sources a VideoGrant's CanPublishSources may list: LiveKit's
// TrackSource names, lower-cased.
const (
	SourceCamera           = "camera"
	SourceMicrophone       = "microphone"
	SourceScreenShare      = "screen_share"
	SourceScreenShareAudio = "screen_share_audio"
)

// header is the JOSE header of every LiveKit access token.
var header = []byte(`{"alg":"HS256","typ":"JWT"}`)

// Claims is the payload of a LiveKit access token: the registered claims,
// then LiveKit's ClaimGrants, in the order and with the JSON names
// livekit/protocol writes them, every one omitted when empty. Times are
// Unix seconds; 0 means the claim is absent.
//
// Grants this package has no use for (agent, inference, observability,
// agentEndpoint, agentThread, agentDatabase, roomConfig) are kept as raw
// JSON, so that a decoded token signs again to the same claims.
type Claims struct {
	Issuer    string `json:"iss,omitempty"` // the API key
	Subject   string `json:"sub,omitempty"` // the participant identity
	ExpiresAt int64  `json:"exp,omitempty"`
	NotBefore int64  `json:"nbf,omitempty"`
	IssuedAt  int64  `json:"iat,omitempty"`
	ID        string `json:"jti,omitempty"` // the identity when sub is empty

	// Identity is a copy of sub that livekit/protocol writes; verifiers,
	// this package's included, never read it.
	Identity      string            `json:"identity,omitempty"`
	Name          string            `json:"name,omitempty"`
	Kind          string            `json:"kind,omitempty"` // participant kind: standard, egress, agent...
	KindDetails   []string          `json:"kindDetails,omitempty"`
	Video         *VideoGrant       `json:"video,omitempty"`
	SIP           *SIPGrant         `json:"sip,omitempty"`
	Agent         json.RawMessage   `json:"agent,omitempty"`
	Inference     json.RawMessage   `json:"inference,omitempty"`
	Observability json.RawMessage   `json:"observability,omitempty"`
	AgentEndpoint json.RawMessage   `json:"agentEndpoint,omitempty"`
	AgentThread   json.RawMessage   `json:"agentThread,omitempty"`
	AgentDatabase json.RawMessage   `json:"agentDatabase,omitempty"`
	RoomConfig    json.RawMessage   `json:"roomConfig,omitempty"` // livekit.RoomConfiguration, protobuf JSON
	RoomPreset    string            `json:"roomPreset,omitempty"`
	SHA256        string            `json:"sha256,omitempty"` // base64 SHA-256 of a request body
	Metadata      string            `json:"metadata,omitempty"`
	Attributes    map[string]string `json:"attributes,omitempty"`
}

// VideoGrant is the "video" claim. The *bool fields are LiveKit's
// tri-state permissions: nil (absent), true and false are three values,
// and Effective says what LiveKit makes of them.
type VideoGrant struct {
	RoomCreate            bool     `json:"roomCreate,omitempty"`
	RoomList              bool     `json:"roomList,omitempty"`
	RoomRecord            bool     `json:"roomRecord,omitempty"`
	RoomAdmin             bool     `json:"roomAdmin,omitempty"`
	RoomJoin              bool     `json:"roomJoin,omitempty"`
	Room                  string   `json:"room,omitempty"`
	CanPublish            *bool    `json:"canPublish,omitempty"`
	CanSubscribe          *bool    `json:"canSubscribe,omitempty"`
	CanPublishData        *bool    `json:"canPublishData,omitempty"`
	CanPublishSources     []string `json:"canPublishSources,omitempty"`
	CanUpdateOwnMetadata  *bool    `json:"canUpdateOwnMetadata,omitempty"`
	IngressAdmin          bool     `json:"ingressAdmin,omitempty"`
	Hidden                bool     `json:"hidden,omitempty"`
	Recorder              bool     `json:"recorder,omitempty"`
	Agent                 bool     `json:"agent,omitempty"`
	CanSubscribeMetrics   *bool    `json:"canSubscribeMetrics,omitempty"`
	CanManageAgentSession *bool    `json:"canManageAgentSession,omitempty"`
	DestinationRoom       string   `json:"destinationRoom,omitempty"`
}

// SIPGrant is the "sip" claim: telephony administration and outbound calls.
type SIPGrant struct {
	Admin bool `json:"admin,omitempty"`
	Call  bool `json:"call,omitempty"`
}

// Permissions are a VideoGrant's tri-state permissions resolved as LiveKit
// resolves them.
type Permissions struct {
	// CanPublish and CanSubscribe default to true.
	CanPublish, CanSubscribe bool
	// CanPublishData defaults to CanPublish.
	CanPublishData bool
	// The others default to false.
	CanUpdateOwnMetadata, CanSubscribeMetrics, CanManageAgentSession bool
}

func orDefault(b *bool, def bool) bool {
	if b == nil {
		return def
	}
	return *b
}

// Effective resolves the tri-state permissions. A nil grant allows nothing.
func (v *VideoGrant) Effective() Permissions {
	if v == nil {
		return Permissions{}
	}
	pub := orDefault(v.CanPublish, true)
	return Permissions{
		CanPublish: pub, CanSubscribe: orDefault(v.CanSubscribe, true), CanPublishData: orDefault(v.CanPublishData, pub),
		CanUpdateOwnMetadata: orDefault(v.CanUpdateOwnMetadata, false), CanSubscribeMetrics: orDefault(v.CanSubscribeMetrics, false),
		CanManageAgentSession: orDefault(v.CanManageAgentSession, false),
	}
}

// Elevated lists, sorted, the claims of c that grant more than joining one
// room, by their JSON names: the grants core.Service.Issue refuses without
// a core.AllowElevated grant (roomAdmin, roomCreate, roomRecord, roomList,
// ingressAdmin, hidden, recorder, agent, destinationRoom, the
// canUpdateOwnMetadata, canSubscribeMetrics and canManageAgentSession
// permissions set true, roomConfig, roomPreset, sip) and the other
// top-level grants LiveKit defines (agent, inference, observability and
// the agent endpoint, thread and database grants). The video grant's
// agent flag is "video.agent". It is nil when there is none.
func (c *Claims) Elevated() []string {
	var out []string
	add := func(name string, set bool) {
		if set {
			out = append(out, name)
		}
	}
	add("sip", c.SIP != nil)
	for name, raw := range map[string]json.RawMessage{"agent": c.Agent, "inference": c.Inference, "observability": c.Observability,
		"agentEndpoint": c.AgentEndpoint, "agentThread": c.AgentThread, "agentDatabase": c.AgentDatabase, "roomConfig": c.RoomConfig} {
		add(name, len(raw) > 0 && string(raw) != "null")
	}
	add("roomPreset", c.RoomPreset != "")
	if v := c.Video; v != nil {
		isTrue := func(b *bool) bool { return b != nil && *b }
		add("roomCreate", v.RoomCreate)
		add("roomList", v.RoomList)
		add("roomRecord", v.RoomRecord)
		add("roomAdmin", v.RoomAdmin)
		add("ingressAdmin", v.IngressAdmin)
		add("hidden", v.Hidden)
		add("recorder", v.Recorder)
		add("video.agent", v.Agent)
		add("destinationRoom", v.DestinationRoom != "")
		add("canUpdateOwnMetadata", isTrue(v.CanUpdateOwnMetadata))
		add("canSubscribeMetrics", isTrue(v.CanSubscribeMetrics))
		add("canManageAgentSession", isTrue(v.CanManageAgentSession))
	}
	slices.Sort(out)
	return out
}

// CanPublishSource reports whether the grant lets its holder publish a
// track from source (SourceCamera...): publishing must be allowed, and an
// empty CanPublishSources allows every source.
func (v *VideoGrant) CanPublishSource(source string) bool {
	if !v.Effective().CanPublish {
		return false
	}
	return len(v.CanPublishSources) == 0 || slices.Contains(v.CanPublishSources, source)
}

// Sign returns c as a LiveKit access token signed with the UTF-8 bytes of
// secret: the header {"alg":"HS256","typ":"JWT"} and c as encoding/json
// writes it (the bytes livekit/protocol's ToJWT writes for the same
// claims). It checks nothing but the secret: the Provider decides what a
// token may grant.
func Sign(c *Claims, secret core.Secret) (string, error) {
	if c == nil {
		return "", fmt.Errorf("%w: livekit: nil claims", core.ErrConfig)
	}
	return sign(c, hs256.OneOff(header, secret))
}

// sign is Sign with s, a Provider's signer or a one-off one.
func sign(c *Claims, s *hs256.Signer) (string, error) {
	var buf [512]byte // the payload of all but large tokens
	return s.SignEncoded(appendClaims(buf[:0], c))
}
