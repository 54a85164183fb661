package core

import (
	"encoding/json"
	"io"
	"time"
)

// Identity is the user as the host application knows them. It always comes
// from the host's session (see the resolvers), never from a request body.
type Identity struct {
	// UserID is the host's stable user id. It is the default vendor user id.
	UserID string
	// DisplayName is optional; some kinds (ZEGO Kit Token) carry it.
	DisplayName string
	// Attributes holds anything else the host wants its authorizer to see
	// (roles, tenant, plan...).
	Attributes map[string]string
}

// Request is a provider-neutral request for one credential.
type Request struct {
	// Provider is the configured provider name ("tencent", "agora", "zoom", "zego").
	Provider string `json:"provider,omitempty"`
	// Kind is the credential kind within the provider (e.g. "rtc", "usersig").
	Kind string `json:"kind,omitempty"`
	// UserID is the vendor user id to issue for. Empty means the identity's
	// own id; any other value is refused unless the
	// Service's AllowUser grant allows it.
	UserID string `json:"user_id,omitempty"`
	// Room is the room, channel, session or meeting, for kinds that have one.
	Room string `json:"room,omitempty"`
	// Role is the role within the room, for kinds that have roles. Empty
	// means the kind's default role.
	Role string `json:"role,omitempty"`
	// TTL is the requested lifetime. Zero means the policy default.
	TTL time.Duration `json:"-"`
	// Options carries kind-specific options as a JSON object (e.g. Agora
	// per-privilege expiries or a Zoom session key). Each provider decodes
	// it strictly and documents its fields.
	Options json.RawMessage `json:"options,omitempty"`
}

// Credential is one issued credential and everything a client needs to use it.
type Credential struct {
	Provider string `json:"provider"`
	Kind     string `json:"kind"`
	Token    string `json:"token"`
	// AppID is the public application id / SDK key the client joins with.
	AppID string `json:"app_id"`
	// UserID is the user as the vendor sees it (e.g. an Agora account or
	// the decimal form of an Agora uid).
	UserID     string    `json:"user_id"`
	Room       string    `json:"room,omitempty"`
	Role       string    `json:"role,omitempty"`
	IssuedAt   time.Time `json:"issued_at"`
	ExpiresAt  time.Time `json:"expires_at"`
	RenewAfter time.Time `json:"renew_after"`
	// Join holds exactly the parameters the vendor's client SDK must be
	// given, under the SDK's own names (e.g. Agora "uid" or "account", Zoom
	// "sessionName", Tencent "sdkAppID" and "userID", ZEGO "appID" and "roomID").
	Join map[string]any `json:"join"`
}

// Grant is a validated request as handed to a provider: the user is decided,
// the role is one the kind offers, and the TTL is within the policy.
type Grant struct {
	Kind    string
	UserID  string
	Room    string
	Role    string
	TTL     time.Duration
	Options json.RawMessage
	// Identity is the resolved caller, for kinds that carry a display name.
	Identity Identity
	// Now is the issuance time, from the service clock.
	Now time.Time
	// Rand is the randomness source (crypto/rand in production).
	Rand io.Reader
}

// Verified is what a provider learns from a token it verified.
type Verified struct {
	Provider  string
	Kind      string
	AppID     string
	UserID    string
	Room      string
	IssuedAt  time.Time
	ExpiresAt time.Time
	// Claims is the decoded content, provider-specific, JSON-friendly.
	Claims map[string]any
}
