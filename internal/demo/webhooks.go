package demo

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strings"
	"sync"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// WebhookPrefix is where the examples mount the webhook receivers:
// /webhooks/<vendor>.
const WebhookPrefix = "/webhooks/"

// Webhook is one webhook receiver to mount.
type Webhook struct {
	// Vendor is the receiver's vendor, webhook.Scheme.Name.
	Vendor string
	// Path is WebhookPrefix + Vendor.
	Path string
	// Receiver answers the vendor's callbacks; mount it for every method.
	Receiver *webhook.Receiver
}

// maxEvents is how many verified events WebhookEvents keeps.
const maxEvents = 20

// events keeps the last verified webhook events.
type events struct {
	mu   sync.Mutex
	list []webhook.Event
}

func (l *events) add(ev webhook.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.list) == maxEvents {
		l.list = slices.Delete(l.list, 0, 1)
	}
	l.list = append(l.list, ev)
}

// WebhookEvents returns the last verified webhook events, oldest first.
func (e *Env) WebhookEvents() []webhook.Event {
	e.events.mu.Lock()
	defer e.events.mu.Unlock()
	return slices.Clone(e.events.list)
}

// DemoWebhookSecrets are throwaway webhook secrets, generated at start-up
// with the demo credentials, so that the demo's receivers can be tried
// with signed requests; no vendor knows them.
type DemoWebhookSecrets struct {
	AgoraNCS, TencentCallbackToken, TRTCCallbackKey, ZoomWebhook, ZegoCallback string
}

// GenerateWebhookSecrets draws DemoWebhookSecrets from r (crypto/rand.Reader
// outside tests).
func GenerateWebhookSecrets(r io.Reader) (*DemoWebhookSecrets, error) {
	g := &generator{r: r}
	s := &DemoWebhookSecrets{AgoraNCS: g.hex(16), TencentCallbackToken: g.alnum(32), TRTCCallbackKey: g.alnum(32), ZoomWebhook: g.alnum(22), ZegoCallback: g.hex(16)}
	if g.err != nil {
		return nil, fmt.Errorf("demo webhook secrets: %w", g.err)
	}
	return s, nil
}

// Config returns the configuration of the receivers on these secrets:
// Tencent Chat and TRTC callbacks must name the SDKAppID of vendors'
// Tencent, and LiveKit webhooks are verified with its LiveKit key pair
// (no LiveKit receiver without one).
func (s *DemoWebhookSecrets) Config(vendors *config.Config) *config.Webhooks {
	var tencentAppID uint64
	if vendors.Tencent != nil {
		tencentAppID = vendors.Tencent.SDKAppID
	}
	var lk *webhook.LiveKitConfig
	if v := vendors.LiveKit; v != nil {
		lk = &webhook.LiveKitConfig{APIKey: v.APIKey, Secret: v.APISecret, SecondaryAPIKey: v.SecondaryAPIKey, Secondary: v.SecondaryAPISecret}
	}
	return &config.Webhooks{
		LiveKit:     lk,
		Agora:       &webhook.AgoraConfig{Secret: core.NewSecret(s.AgoraNCS)},
		TencentChat: &webhook.TencentChatConfig{Token: core.NewSecret(s.TencentCallbackToken), SDKAppID: tencentAppID},
		TRTC:        &webhook.TRTCConfig{Key: core.NewSecret(s.TRTCCallbackKey), SDKAppID: tencentAppID},
		Zoom:        &webhook.ZoomConfig{Secret: core.NewSecret(s.ZoomWebhook)},
		Zego:        &webhook.ZegoConfig{Secret: core.NewSecret(s.ZegoCallback)},
	}
}

// Banner lists the generated webhook secrets, printed once after the demo
// credentials.
func (s *DemoWebhookSecrets) Banner() string {
	var b strings.Builder
	fmt.Fprintf(&b, "DEMO webhooks at %s{agora,tencent_chat,trtc,zoom,zego,livekit}, verifying with:\n", WebhookPrefix)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_AGORA_NCS_SECRET=%s\n", s.AgoraNCS)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TENCENT_CALLBACK_TOKEN=%s\n", s.TencentCallbackToken)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_TRTC_CALLBACK_KEY=%s\n", s.TRTCCallbackKey)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_ZOOM_WEBHOOK_SECRET=%s\n", s.ZoomWebhook)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_ZEGO_CALLBACK_SECRET=%s\n", s.ZegoCallback)
	fmt.Fprintf(&b, "DEMO RTCTOKEN_LIVEKIT_WEBHOOK=1 (the LiveKit key pair above)\n")
	fmt.Fprintf(&b, "%s\n", strings.Repeat("!", 78))
	return b.String()
}

// buildWebhooks builds the receivers of the configured webhooks
// (Settings.Webhooks), or, in the demo, of generated secrets printed to
// out. Each verified event is logged (vendor, type, id; never the payload)
// and kept for WebhookEvents.
func (e *Env) buildWebhooks(vendors *config.Config, rand io.Reader, out io.Writer) error {
	hooks := e.Settings.Webhooks
	if e.Demo && (hooks == nil || len(hooks.Enabled()) == 0) {
		secrets, err := GenerateWebhookSecrets(rand)
		if err != nil {
			return err
		}
		if out != nil {
			_, _ = io.WriteString(out, secrets.Banner())
		}
		hooks = secrets.Config(vendors)
	}
	if hooks == nil {
		return nil
	}
	e.WebhookConfig = hooks
	schemes, err := hooks.Schemes()
	if err != nil {
		return err
	}
	log := e.Settings.Logger
	if log == nil {
		log = slog.Default()
	}
	handle := webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
		log.LogAttrs(ctx, slog.LevelInfo, "demo webhook event",
			slog.String("vendor", ev.Vendor), slog.String("type", ev.Type), slog.String("id", ev.ID))
		e.events.add(ev)
		return nil
	})
	for _, vendor := range hooks.Enabled() {
		rc, err := webhook.New(webhook.Config{Scheme: schemes[vendor], Default: handle, Logger: log})
		if err != nil {
			return err
		}
		e.Webhooks = append(e.Webhooks, Webhook{Vendor: vendor, Path: WebhookPrefix + vendor, Receiver: rc})
	}
	return nil
}
