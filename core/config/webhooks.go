package config

import (
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// Webhook variable names.
const (
	agoraNCSSecret           = "RTCTOKEN_AGORA_NCS_SECRET"
	agoraNCSSecondary        = "RTCTOKEN_AGORA_NCS_SECRET_SECONDARY"
	agoraNCSWindow           = "RTCTOKEN_AGORA_NCS_WINDOW"
	tencentCallbackToken     = "RTCTOKEN_TENCENT_CALLBACK_TOKEN"
	tencentCallbackSecond    = "RTCTOKEN_TENCENT_CALLBACK_TOKEN_SECONDARY"
	tencentCallbackWindow    = "RTCTOKEN_TENCENT_CALLBACK_WINDOW"
	tencentCallbackAppID     = "RTCTOKEN_TENCENT_CALLBACK_SDKAPPID"
	trtcCallbackKey          = "RTCTOKEN_TRTC_CALLBACK_KEY"
	trtcCallbackSecondary    = "RTCTOKEN_TRTC_CALLBACK_KEY_SECONDARY"
	trtcCallbackWindow       = "RTCTOKEN_TRTC_CALLBACK_WINDOW"
	trtcCallbackAppID        = "RTCTOKEN_TRTC_CALLBACK_SDKAPPID"
	zoomWebhookSecret        = "RTCTOKEN_ZOOM_WEBHOOK_SECRET"
	zoomWebhookSecondary     = "RTCTOKEN_ZOOM_WEBHOOK_SECRET_SECONDARY"
	zoomWebhookWindow        = "RTCTOKEN_ZOOM_WEBHOOK_WINDOW"
	zegoCallbackSecret       = "RTCTOKEN_ZEGO_CALLBACK_SECRET"
	zegoCallbackSecondary    = "RTCTOKEN_ZEGO_CALLBACK_SECRET_SECONDARY"
	zegoCallbackWindow       = "RTCTOKEN_ZEGO_CALLBACK_WINDOW"
	liveKitWebhook           = "RTCTOKEN_LIVEKIT_WEBHOOK"
	liveKitWebhookLeeway     = "RTCTOKEN_LIVEKIT_WEBHOOK_LEEWAY"
	windowDescription        = "Accepted distance, either way, between the callback's signed time and now, as a duration (90s, 5m); default "
	secondaryDescription     = "accepted too, for a rotation."
	tencentAppIDDescription  = " Needs the SDKAppID its callbacks must name (below)."
	callbackAppIDDescription = "Decimal SDKAppID the callbacks must name (others are refused); default " + tencentSDKAppID + ". Set it instead of " + tencentSDKAppID + " to receive these callbacks without issuing Tencent tokens."
)

// webhookVars are the variables of the webhook receivers. Vendor is the
// receiver's vendor, webhook.Scheme.Name; Field the field of its
// webhook.<Vendor>Config.
var webhookVars = []Var{
	{agoraNCSSecret, "agora", "Secret", "Agora Notifications (NCS) secret from Agora Console; verifies Agora-Signature-V2 on /webhooks/agora.", true, true},
	{agoraNCSSecondary, "agora", "Secondary", "Another NCS secret, " + secondaryDescription, true, false},
	{agoraNCSWindow, "agora", "Window", windowDescription + "5m (on notifyMs).", false, false},

	{tencentCallbackToken, "tencent_chat", "Token", "Tencent Chat callback authentication token (1 to 128 characters); verifies Sign on /webhooks/tencent_chat." + tencentAppIDDescription, true, true},
	{tencentCallbackSecond, "tencent_chat", "Secondary", "Another Chat callback token, " + secondaryDescription, true, false},
	{tencentCallbackWindow, "tencent_chat", "Window", windowDescription + "60s, which is also the most allowed: the body is not signed.", false, false},
	{tencentCallbackAppID, "tencent_chat", "SDKAppID", callbackAppIDDescription, false, false},

	{trtcCallbackKey, "trtc", "Key", "TRTC callback signing key (up to 32 letters and digits); verifies Sign on /webhooks/trtc." + tencentAppIDDescription, true, true},
	{trtcCallbackSecondary, "trtc", "Secondary", "Another TRTC callback key, " + secondaryDescription, true, false},
	{trtcCallbackWindow, "trtc", "Window", windowDescription + "2m (on CallbackTs).", false, false},
	{trtcCallbackAppID, "trtc", "SDKAppID", callbackAppIDDescription, false, false},

	{zoomWebhookSecret, "zoom", "Secret", "Secret Token of the Zoom app (Marketplace, feature page); verifies x-zm-signature on /webhooks/zoom and answers endpoint.url_validation.", true, true},
	{zoomWebhookSecondary, "zoom", "Secondary", "Another Secret Token, " + secondaryDescription, true, false},
	{zoomWebhookWindow, "zoom", "Window", windowDescription + "5m (on x-zm-request-timestamp).", false, false},

	{zegoCallbackSecret, "zego", "Secret", "ZEGOCLOUD callback secret (CallbackSecret in the console); verifies signature on /webhooks/zego.", true, true},
	{zegoCallbackSecondary, "zego", "Secondary", "Another callback secret, " + secondaryDescription, true, false},
	{zegoCallbackWindow, "zego", "Window", windowDescription + "5m (on timestamp).", false, false},

	{liveKitWebhook, "livekit", "", `"1" serves /webhooks/livekit, verified with the project's API key pair (` + liveKitAPIKey + ", " + liveKitAPISecret + ` and the secondary pair): LiveKit signs its webhooks with them. "0" or unset: not served.`, false, true},
	{liveKitWebhookLeeway, "livekit", "Leeway", "How far past the token's exp (or before its nbf) a LiveKit webhook is still accepted, as a duration; default 60s.", false, false},
}

// sharedVars are the variables of another table that a receiver's config
// field is read from, by "<vendor>/<field>".
var sharedVars = map[string]string{
	"livekit/APIKey":          liveKitAPIKey,
	"livekit/Secret":          liveKitAPISecret,
	"livekit/SecondaryAPIKey": liveKitAPIKeySecondary,
	"livekit/Secondary":       liveKitSecretSecondary,
}

// WebhookVars returns every variable LoadWebhooks reads but those Vars
// lists (RTCTOKEN_TENCENT_SDKAPPID, the LiveKit API key pair), grouped by
// receiver, for documentation and deployment tooling. Vendor is the
// receiver's vendor (webhook.Scheme.Name, the last segment of
// /webhooks/<vendor>) and Field the field of its webhook.<Vendor>Config
// ("" for RTCTOKEN_LIVEKIT_WEBHOOK, which only enables the receiver). The
// slice is a copy.
func WebhookVars() []Var { return slices.Clone(webhookVars) }

// Webhooks holds the configurations of the webhook receivers found in the
// environment. A nil field means the receiver is not configured.
type Webhooks struct {
	Agora       *webhook.AgoraConfig
	TencentChat *webhook.TencentChatConfig
	TRTC        *webhook.TRTCConfig
	Zoom        *webhook.ZoomConfig
	Zego        *webhook.ZegoConfig
	LiveKit     *webhook.LiveKitConfig
}

// WebhooksFromEnv is LoadWebhooks(os.LookupEnv).
func WebhooksFromEnv() (*Webhooks, error) { return LoadWebhooks(os.LookupEnv) }

// LoadWebhooks reads the webhook receivers' configuration through lookup,
// which has the shape of os.LookupEnv, by the rules of Load: a receiver is
// enabled when any of its variables is set and must then have its secret
// (or the secret's _FILE twin); an empty variable counts as unset. The
// Tencent Chat and TRTC receivers also need the application id their
// callbacks must name: RTCTOKEN_TENCENT_CALLBACK_SDKAPPID and
// RTCTOKEN_TRTC_CALLBACK_SDKAPPID, each defaulting to
// RTCTOKEN_TENCENT_SDKAPPID. Load reads RTCTOKEN_TENCENT_SDKAPPID too and
// then enables the Tencent token provider, which needs its key; a
// deployment that only receives Tencent callbacks sets the receivers' own
// variables instead. The LiveKit receiver, enabled by
// RTCTOKEN_LIVEKIT_WEBHOOK=1, verifies with the LiveKit provider's API key
// pair (RTCTOKEN_LIVEKIT_API_KEY, RTCTOKEN_LIVEKIT_API_SECRET and the
// secondary pair).
//
// Each enabled receiver's scheme is built to check its configuration.
// Every problem is reported together, each a *VarError naming the
// variable (never its value) and wrapping core.ErrConfig. No receiver
// configured is no error: Enabled is then empty.
func LoadWebhooks(lookup func(string) (string, bool)) (*Webhooks, error) {
	if lookup == nil {
		return nil, fmt.Errorf("%w: config: nil lookup function", core.ErrConfig)
	}
	r := &reader{lookup: lookup}
	w := &Webhooks{}
	if r.anySet(webhookVars, "agora") {
		w.Agora = &webhook.AgoraConfig{Secret: r.webhookSecret(agoraNCSSecret), Secondary: r.secret(agoraNCSSecondary), Window: r.window(agoraNCSWindow)}
	}
	if r.anySet(webhookVars, "tencent_chat") {
		w.TencentChat = &webhook.TencentChatConfig{Token: r.webhookSecret(tencentCallbackToken), Secondary: r.secret(tencentCallbackSecond), SDKAppID: r.callbackAppID(tencentCallbackAppID), Window: r.window(tencentCallbackWindow)}
	}
	if r.anySet(webhookVars, "trtc") {
		w.TRTC = &webhook.TRTCConfig{Key: r.webhookSecret(trtcCallbackKey), Secondary: r.secret(trtcCallbackSecondary), SDKAppID: r.callbackAppID(trtcCallbackAppID), Window: r.window(trtcCallbackWindow)}
	}
	if r.anySet(webhookVars, "zoom") {
		w.Zoom = &webhook.ZoomConfig{Secret: r.webhookSecret(zoomWebhookSecret), Secondary: r.secret(zoomWebhookSecondary), Window: r.window(zoomWebhookWindow)}
	}
	if r.anySet(webhookVars, "zego") {
		w.Zego = &webhook.ZegoConfig{Secret: r.webhookSecret(zegoCallbackSecret), Secondary: r.secret(zegoCallbackSecondary), Window: r.window(zegoCallbackWindow)}
	}
	w.LiveKit = r.liveKitWebhook()
	_, errs := w.build(r.webhookRejected)
	if errs = append(r.errs, errs...); len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return w, nil
}

// Enabled lists the configured receivers' vendors, in a fixed order.
func (w *Webhooks) Enabled() []string {
	var out []string
	for _, s := range w.schemes() {
		out = append(out, s.name)
	}
	return out
}

// Schemes builds the scheme of every configured receiver, keyed by vendor
// (webhook.Scheme.Name): build a webhook.Receiver on each and mount it at
// /webhooks/<vendor>. No receiver configured is an empty map. Every
// receiver's problem is reported, joined; each wraps the constructor's
// *core.ConfigError and core.ErrConfig, and none contains a secret.
func (w *Webhooks) Schemes() (map[string]webhook.Scheme, error) {
	out, errs := w.build(func(_ string, err error) error { return fmt.Errorf("config: %w", err) })
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return out, nil
}

// schemes returns the configured receivers, in a fixed order.
func (w *Webhooks) schemes() []constructor[webhook.Scheme] {
	var out []constructor[webhook.Scheme]
	add := func(vendor string, set bool, construct func() (webhook.Scheme, error)) {
		if set {
			out = append(out, constructor[webhook.Scheme]{vendor, construct})
		}
	}
	add("agora", w.Agora != nil, func() (webhook.Scheme, error) { return webhook.Agora(*w.Agora) })
	add("tencent_chat", w.TencentChat != nil, func() (webhook.Scheme, error) { return webhook.TencentChat(*w.TencentChat) })
	add("trtc", w.TRTC != nil, func() (webhook.Scheme, error) { return webhook.TRTC(*w.TRTC) })
	add("zoom", w.Zoom != nil, func() (webhook.Scheme, error) { return webhook.Zoom(*w.Zoom) })
	add("zego", w.Zego != nil, func() (webhook.Scheme, error) { return webhook.Zego(*w.Zego) })
	add("livekit", w.LiveKit != nil, func() (webhook.Scheme, error) { return webhook.LiveKit(*w.LiveKit) })
	return out
}

// build calls each configured receiver's constructor once, reporting each
// failure through report (which may return nil to drop one).
func (w *Webhooks) build(report func(vendor string, err error) error) (map[string]webhook.Scheme, []error) {
	built, errs := buildEach(w.schemes(), report)
	out := make(map[string]webhook.Scheme, len(built))
	for _, s := range built {
		out[s.Name()] = s
	}
	return out, errs
}

// constructor is one configured vendor (or webhook receiver) and its
// constructor.
type constructor[T any] struct {
	name      string
	construct func() (T, error)
}

// buildEach calls each constructor once. It returns what they built, in
// order, and the errors report makes of the failures (report may return
// nil to drop one).
func buildEach[T any](cs []constructor[T], report func(name string, err error) error) ([]T, []error) {
	var out []T
	var errs []error
	for _, c := range cs {
		v, err := c.construct()
		if err == nil {
			out = append(out, v)
		} else if err = report(c.name, err); err != nil {
			errs = append(errs, err)
		}
	}
	return out, errs
}

// webhookSecret is secret for a receiver's required secret.
func (r *reader) webhookSecret(name string) core.Secret {
	_, direct := r.get(name)
	_, fromFile := r.get(name + FileSuffix)
	if !direct && !fromFile {
		r.fail(name, "is required (or "+name+FileSuffix+")")
	}
	return r.secret(name)
}

// window parses a receiver's window; unset is 0, the scheme's default.
func (r *reader) window(name string) time.Duration {
	s, ok := r.get(name)
	if !ok {
		return 0
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Second {
		r.fail(name, "must be a duration of at least one second, such as 90s or 5m")
		return 0
	}
	return d
}

// webhookRejected reports a scheme constructor's error against the
// variable its field was read from, dropping it when that variable is
// already reported.
func (r *reader) webhookRejected(vendor string, err error) error {
	var ce *core.ConfigError
	name := ""
	if errors.As(err, &ce) {
		if shared, ok := sharedVars[vendor+"/"+ce.Field]; ok {
			name = r.source(shared)
		} else if i := slices.IndexFunc(webhookVars, func(v Var) bool { return v.Vendor == vendor && v.Field == ce.Field }); i >= 0 {
			name = r.source(webhookVars[i].Name)
			if _, own := r.get(name); !own && ce.Field == "SDKAppID" {
				if _, ok := r.get(tencentSDKAppID); ok {
					name = tencentSDKAppID // the default it fell back to
				}
			}
		}
	}
	if name == "" {
		return fmt.Errorf("config: %s webhook: %w", vendor, err)
	}
	for _, e := range r.errs {
		if ve, ok := e.(*VarError); ok && ve.Var == name {
			return nil
		}
	}
	return &VarError{Var: name, Problem: fmt.Sprintf("is rejected (%s webhook, %s: %s)", vendor, ce.Field, ce.Message)}
}

// liveKitWebhook reads the LiveKit receiver: enabled by
// RTCTOKEN_LIVEKIT_WEBHOOK=1, on the LiveKit API key pair.
func (r *reader) liveKitWebhook() *webhook.LiveKitConfig {
	on, _ := r.get(liveKitWebhook)
	_, leeway := r.get(liveKitWebhookLeeway)
	switch {
	case on == "1":
	case on != "" && on != "0":
		r.fail(liveKitWebhook, `must be "1" or "0"`)
		return nil
	case leeway:
		r.fail(liveKitWebhook, `must be "1" with `+liveKitWebhookLeeway)
		return nil
	default:
		return nil
	}
	return &webhook.LiveKitConfig{
		APIKey:          r.text(liveKitAPIKey),
		Secret:          r.secret(liveKitAPISecret),
		SecondaryAPIKey: r.text(liveKitAPIKeySecondary),
		Secondary:       r.secret(liveKitSecretSecondary),
		Leeway:          r.window(liveKitWebhookLeeway),
	}
}

// callbackAppID reads a Tencent receiver's SDKAppID from name or, when
// that is unset, from RTCTOKEN_TENCENT_SDKAPPID (read once, so that a
// malformed value is reported once).
func (r *reader) callbackAppID(name string) uint64 {
	if _, ok := r.get(name); ok {
		return r.uint(name, 32)
	}
	if !r.tencentAppIDRead {
		r.tencentAppIDRead = true
		if _, ok := r.get(tencentSDKAppID); ok {
			r.tencentAppID = r.uint(tencentSDKAppID, 32)
		}
	}
	if _, ok := r.get(tencentSDKAppID); !ok {
		r.fail(name, "is required (or "+tencentSDKAppID+")")
	}
	return r.tencentAppID
}
