package livekit

import (
	"github.com/rtctoken/rtctoken/internal/jsonstr"
)

// appendClaims appends c as encoding/json's Marshal writes it, byte for
// byte: the fields in their order, each omitted when empty, strings with
// Go's escaping (HTML characters, U+2028 and U+2029 escaped, invalid UTF-8
// as \ufffd), attributes sorted by name. The raw JSON grants are the one
// thing it does not write: Marshal compacts and validates them, so with
// any of them set it returns Marshal's result.
//
// It is written by hand because it makes the step 4.2x faster than
// json.Marshal (BenchmarkEncodeClaims against BenchmarkEncodeClaimsJSON,
// BenchmarkIssueRoom's claims, medians of five runs on a 2-core AMD EPYC:
// 231 ns and no allocation against 976 ns and one; 5.4x in an earlier
// run).
func appendClaims(b []byte, c *Claims) ([]byte, error) {
	if len(c.Agent) > 0 || len(c.Inference) > 0 || len(c.Observability) > 0 || len(c.AgentEndpoint) > 0 ||
		len(c.AgentThread) > 0 || len(c.AgentDatabase) > 0 || len(c.RoomConfig) > 0 {
		cc := *c // marshalled through a copy, so that c need not escape
		return jsonstr.AppendMarshal(b, &cc, "livekit: encode claims")
	}
	b = append(b, '{')
	b = jsonstr.OmitString(b, "iss", c.Issuer)
	b = jsonstr.OmitString(b, "sub", c.Subject)
	b = jsonstr.OmitInt(b, "exp", c.ExpiresAt)
	b = jsonstr.OmitInt(b, "nbf", c.NotBefore)
	b = jsonstr.OmitInt(b, "iat", c.IssuedAt)
	b = jsonstr.OmitString(b, "jti", c.ID)
	b = jsonstr.OmitString(b, "identity", c.Identity)
	b = jsonstr.OmitString(b, "name", c.Name)
	b = jsonstr.OmitString(b, "kind", c.Kind)
	b = jsonstr.OmitStrings(b, "kindDetails", c.KindDetails)
	if v := c.Video; v != nil {
		b = appendVideo(append(jsonstr.Key(b, "video"), '{'), v)
		b = append(b, '}')
	}
	if s := c.SIP; s != nil {
		b = jsonstr.OmitBool(append(jsonstr.Key(b, "sip"), '{'), "admin", s.Admin)
		b = append(jsonstr.OmitBool(b, "call", s.Call), '}')
	}
	b = jsonstr.OmitString(b, "roomPreset", c.RoomPreset)
	b = jsonstr.OmitString(b, "sha256", c.SHA256)
	b = jsonstr.OmitString(b, "metadata", c.Metadata)
	b, _ = jsonstr.OmitMap(b, "attributes", c.Attributes, func(v string) (string, bool) { return v, true })
	return append(b, '}'), nil
}

// appendVideo appends the members of the video grant.
func appendVideo(b []byte, v *VideoGrant) []byte {
	b = jsonstr.OmitBool(b, "roomCreate", v.RoomCreate)
	b = jsonstr.OmitBool(b, "roomList", v.RoomList)
	b = jsonstr.OmitBool(b, "roomRecord", v.RoomRecord)
	b = jsonstr.OmitBool(b, "roomAdmin", v.RoomAdmin)
	b = jsonstr.OmitBool(b, "roomJoin", v.RoomJoin)
	b = jsonstr.OmitString(b, "room", v.Room)
	b = jsonstr.OmitBoolPtr(b, "canPublish", v.CanPublish)
	b = jsonstr.OmitBoolPtr(b, "canSubscribe", v.CanSubscribe)
	b = jsonstr.OmitBoolPtr(b, "canPublishData", v.CanPublishData)
	b = jsonstr.OmitStrings(b, "canPublishSources", v.CanPublishSources)
	b = jsonstr.OmitBoolPtr(b, "canUpdateOwnMetadata", v.CanUpdateOwnMetadata)
	b = jsonstr.OmitBool(b, "ingressAdmin", v.IngressAdmin)
	b = jsonstr.OmitBool(b, "hidden", v.Hidden)
	b = jsonstr.OmitBool(b, "recorder", v.Recorder)
	b = jsonstr.OmitBool(b, "agent", v.Agent)
	b = jsonstr.OmitBoolPtr(b, "canSubscribeMetrics", v.CanSubscribeMetrics)
	b = jsonstr.OmitBoolPtr(b, "canManageAgentSession", v.CanManageAgentSession)
	return jsonstr.OmitString(b, "destinationRoom", v.DestinationRoom)
}
