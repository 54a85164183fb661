package demo

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"math/big"
	"strings"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// DemoCredentials are throwaway vendor credentials in the vendors' formats,
// generated at start-up when no vendor is configured. Tokens signed with
// them are well-formed and verify locally, but no vendor accepts them.
type DemoCredentials struct {
	TencentSDKAppID uint64
	TencentKey      string // 64 hexadecimal characters
	AgoraAppID      string // 32 hexadecimal characters
	AgoraCert       string // 32 hexadecimal characters
	ZoomKey         string // 20 letters and digits
	ZoomSecret      string // 36 letters and digits
	ZegoAppID       uint32
	ZegoSecret      string // 32 hexadecimal characters
	LiveKitKey      string // "API" and 12 letters and digits
	LiveKitSecret   string // 43 letters and digits
	TwilioAccount   string // "AC" and 32 hexadecimal characters
	TwilioKeySID    string // "SK" and 32 hexadecimal characters
	TwilioSecret    string // 32 letters and digits
	TwilioChat      string // Conversations service SID, "IS" and 32 hexadecimal characters
	TwilioSync      string // Sync service SID, "IS" and 32 hexadecimal characters
}

// DemoLiveKitURL is the LiveKit server URL of the demo credentials: where
// livekit-server --dev listens.
const DemoLiveKitURL = "ws://localhost:7880"

// GenerateCredentials draws DemoCredentials from r (crypto/rand.Reader
// outside tests).
func GenerateCredentials(r io.Reader) (*DemoCredentials, error) {
	g := &generator{r: r}
	c := &DemoCredentials{
		TencentSDKAppID: 1_400_000_000 + g.below(100_000_000),
		TencentKey:      g.hex(32),
		AgoraAppID:      g.hex(16),
		AgoraCert:       g.hex(16),
		ZoomKey:         g.alnum(20),
		ZoomSecret:      g.alnum(36),
		// A ten-digit app id, like the ones the ZEGO console hands out.
		ZegoAppID:     uint32(1_000_000_000 + g.below(3_000_000_000)),
		ZegoSecret:    g.hex(16),
		LiveKitKey:    "API" + g.alnum(12),
		LiveKitSecret: g.alnum(43),
		TwilioAccount: "AC" + g.hex(16),
		TwilioKeySID:  "SK" + g.hex(16),
		TwilioSecret:  g.alnum(32),
		TwilioChat:    "IS" + g.hex(16),
		TwilioSync:    "IS" + g.hex(16),
	}
	if g.err != nil {
		return nil, fmt.Errorf("demo credentials: %w", g.err)
	}
	return c, nil
}

// generator draws values from r and remembers the first read error.
type generator struct {
	r   io.Reader
	err error
}

func (g *generator) read(n int) []byte {
	b := make([]byte, n)
	if g.err == nil {
		_, g.err = io.ReadFull(g.r, b)
	}
	return b
}

// below returns a uniform value in [0, n).
func (g *generator) below(n uint64) uint64 {
	if g.err != nil {
		return 0
	}
	v, err := rand.Int(g.r, new(big.Int).SetUint64(n))
	if err != nil {
		g.err = err
		return 0
	}
	return v.Uint64()
}

// hex returns n random bytes in hexadecimal (2n characters).
func (g *generator) hex(n int) string { return hex.EncodeToString(g.read(n)) }

const alnumChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"

// alnum returns n letters and digits, drawn without modulo bias.
func (g *generator) alnum(n int) string {
	out := make([]byte, 0, n)
	for len(out) < n && g.err == nil {
		if v := int(g.read(1)[0]); v < 256-256%len(alnumChars) {
			out = append(out, alnumChars[v%len(alnumChars)])
		}
	}
	return string(out)
}

// Config returns the vendor configuration of all six vendors on these
// credentials, for config.Config.Providers.
func (c *DemoCredentials) Config() *config.Config {
	return &config.Config{
		Tencent: &tencent.Config{SDKAppID: c.TencentSDKAppID, Key: core.NewSecret(c.TencentKey)},
		Agora:   &agora.Config{AppID: c.AgoraAppID, AppCertificate: core.NewSecret(c.AgoraCert)},
		Zoom:    &zoom.Config{SDKKey: c.ZoomKey, SDKSecret: core.NewSecret(c.ZoomSecret)},
		Zego:    &zego.Config{AppID: c.ZegoAppID, ServerSecret: core.NewSecret(c.ZegoSecret)},
		LiveKit: &livekit.Config{APIKey: c.LiveKitKey, APISecret: core.NewSecret(c.LiveKitSecret), ServerURL: DemoLiveKitURL},
		Twilio: &twilio.Config{
			AccountSID: c.TwilioAccount, APIKeySID: c.TwilioKeySID, APIKeySecret: core.NewSecret(c.TwilioSecret),
			ChatServiceSID: c.TwilioChat, SyncServiceSID: c.TwilioSync,
		},
	}
}

// Banner is the warning printed once at start-up with the generated
// credentials, so that tokens can be checked with other tools.
func (c *DemoCredentials) Banner() string {
	line := strings.Repeat("!", 78)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n", line)
	fmt.Fprintf(&b, "!! DEMO CREDENTIALS: no vendor is configured (see core/config, RTCTOKEN_*).\n")
	fmt.Fprintf(&b, "!! These random credentials were generated for this run only. The tokens\n")
	fmt.Fprintf(&b, "!! issued with them are well-formed and verify locally, but Tencent, Agora,\n")
	fmt.Fprintf(&b, "!! Zoom, ZEGOCLOUD, LiveKit and Twilio will NOT accept them.\n")
	fmt.Fprintf(&b, "%s\n", line)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TENCENT_SDKAPPID=%d\n", c.TencentSDKAppID)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TENCENT_KEY=%s\n", c.TencentKey)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_AGORA_APP_ID=%s\n", c.AgoraAppID)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_AGORA_APP_CERTIFICATE=%s\n", c.AgoraCert)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_ZOOM_SDK_KEY=%s\n", c.ZoomKey)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_ZOOM_SDK_SECRET=%s\n", c.ZoomSecret)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_ZEGO_APP_ID=%d\n", c.ZegoAppID)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_ZEGO_SERVER_SECRET=%s\n", c.ZegoSecret)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_LIVEKIT_API_KEY=%s\n", c.LiveKitKey)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_LIVEKIT_API_SECRET=%s\n", c.LiveKitSecret)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_LIVEKIT_URL=%s\n", DemoLiveKitURL)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TWILIO_ACCOUNT_SID=%s\n", c.TwilioAccount)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TWILIO_API_KEY_SID=%s\n", c.TwilioKeySID)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TWILIO_API_KEY_SECRET=%s\n", c.TwilioSecret)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TWILIO_CHAT_SERVICE_SID=%s\n", c.TwilioChat)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TWILIO_SYNC_SERVICE_SID=%s\n", c.TwilioSync)
	fmt.Fprintf(&b, "%s\n", line)
	return b.String()
}
