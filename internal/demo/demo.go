package demo

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// Settings are what an example reads from its environment.
type Settings struct {
	// Vendors is the vendor configuration (RTCTOKEN_* variables, see
	// core/config). Nil or empty means demo credentials.
	Vendors *config.Config
	// Addr is the listen address, HOST:PORT. HOST defaults to 127.0.0.1
	// (set HOST=0.0.0.0 in a container), PORT to 8080.
	Addr string
	// CORS lets the origins listed in CORS_ORIGINS (comma-separated) call
	// the token endpoints with the session cookie. Default: same-origin
	// only.
	CORS httpapi.CORS
	// Logger receives the token endpoints' audit lines. Default
	// slog.Default().
	Logger *slog.Logger
	// Webhooks configures the webhook receivers (see core/config's
	// LoadWebhooks). Nil or empty means demo secrets when Vendors is
	// empty too, and no receiver otherwise.
	Webhooks *config.Webhooks
}

// SettingsFromEnv reads Settings from the process environment.
func SettingsFromEnv() (Settings, error) {
	return LoadSettings(os.LookupEnv)
}

// LoadSettings reads Settings through lookup, which has the shape of
// os.LookupEnv.
func LoadSettings(lookup func(string) (string, bool)) (Settings, error) {
	var s Settings
	vendors, err := config.Load(lookup)
	if err != nil {
		return s, err
	}
	s.Vendors = vendors
	if s.Webhooks, err = config.LoadWebhooks(lookup); err != nil {
		return s, err
	}
	host, port := "127.0.0.1", "8080"
	if v, ok := lookup("HOST"); ok && v != "" {
		host = v
	}
	if v, ok := lookup("PORT"); ok && v != "" {
		if n, err := strconv.Atoi(v); err != nil || n < 1 || n > 65535 {
			return s, errors.New("PORT must be a port number from 1 to 65535")
		}
		port = v
	}
	s.Addr = net.JoinHostPort(host, port)
	if v, ok := lookup("CORS_ORIGINS"); ok && strings.TrimSpace(v) != "" {
		for _, o := range strings.Split(v, ",") {
			s.CORS.AllowedOrigins = append(s.CORS.AllowedOrigins, strings.TrimSpace(o))
		}
		s.CORS.AllowCredentials = true
		if s.CORS, err = s.CORS.Normalize(); err != nil {
			return s, fmt.Errorf("CORS_ORIGINS: %w", err)
		}
	}
	return s, nil
}

// SessionTTL is how long a demo session lasts.
const SessionTTL = 12 * time.Hour

// Env is everything the three examples share: the service, the HTTP
// contract, the user and session stores, and the handlers' logic. Each
// example only translates between its framework and Env.
type Env struct {
	// Settings the Env was built from.
	Settings Settings
	// Service issues the credentials.
	Service *core.Service
	// API serves the token endpoints (mounted under /rtc), Attach and Login.
	API *httpapi.API
	// Users are the demo accounts.
	Users *Users
	// Sessions are the signed-in sessions.
	Sessions SessionStore
	// Demo reports that no vendor was configured and the credentials were
	// generated at start-up.
	Demo bool
	// Webhooks are the webhook receivers to mount, each at its Path.
	Webhooks []Webhook
	// WebhookConfig is the receivers' configuration (generated secrets in
	// the demo), nil without receivers.
	WebhookConfig *config.Webhooks

	kinds  []byte
	events events
}

// FromEnv reads the settings from the environment and builds the Env,
// printing the demo credentials banner to out when no vendor is
// configured.
func FromEnv(out io.Writer) (*Env, error) {
	s, err := SettingsFromEnv()
	if err != nil {
		return nil, err
	}
	return New(s, out)
}

// New builds the Env. When s.Vendors configures no vendor, credentials for
// all four vendors are generated from crypto/rand and printed to out with a
// warning that no vendor accepts them.
func New(s Settings, out io.Writer) (*Env, error) {
	e := &Env{Settings: s, Users: NewUsers(DemoUsers), Sessions: NewMemorySessions(SessionTTL)}
	vendors := s.Vendors
	if vendors == nil || len(vendors.Enabled()) == 0 {
		creds, err := GenerateCredentials(rand.Reader)
		if err != nil {
			return nil, err
		}
		if out != nil {
			_, _ = io.WriteString(out, creds.Banner())
		}
		vendors, e.Demo = creds.Config(), true
	}
	providers, err := vendors.Providers()
	if err != nil {
		return nil, err
	}
	if e.Service, err = core.NewService(providers); err != nil {
		return nil, err
	}
	if e.API, err = e.NewAPI(resolve.Cookie(CookieName, e.lookup)); err != nil {
		return nil, err
	}
	if err = e.buildWebhooks(vendors, rand.Reader, out); err != nil {
		return nil, err
	}
	if e.kinds, err = json.Marshal(map[string]any{"kinds": KindInfos(e.Service), "demo": e.Demo}); err != nil {
		return nil, err
	}
	return e, nil
}

// NewAPI returns an API on the Env's service, presets and logger that
// finds the signed-in user with r: Env.API resolves the session cookie
// against Sessions, and an example that keeps its sessions elsewhere builds
// its own.
func (e *Env) NewAPI(r resolve.Resolver) (*httpapi.API, error) {
	return httpapi.New(httpapi.Config{
		Service:  e.Service,
		Resolver: r,
		Presets:  Presets(e.Service),
		Logger:   e.Settings.Logger,
	})
}

// lookup is the session cookie resolver's view of the session store.
func (e *Env) lookup(ctx context.Context, id string) (core.Identity, error) {
	u, err := e.Sessions.Get(ctx, id)
	if err != nil {
		return core.Identity{}, err
	}
	return u.RTCIdentity(), nil
}

// presetKinds are the credentials issued at login and attached by the
// Attach middleware, one per provider that has a kind without a room:
// Zoom and LiveKit have none (their kinds are bound to a session, meeting
// or room).
var presetKinds = []core.Request{
	{Provider: "tencent", Kind: "usersig"},
	{Provider: "agora", Kind: "rtm"},
	{Provider: "zego", Kind: "token04"},
	{Provider: "twilio", Kind: "chat"},
}

// Presets returns the presets of the providers svc has, each named after
// its provider.
func Presets(svc *core.Service) []httpapi.Preset {
	var out []httpapi.Preset
	for _, r := range presetKinds {
		if _, err := svc.Kind(r.Provider, r.Kind); err == nil {
			out = append(out, httpapi.Preset{Name: r.Provider, Request: r})
		}
	}
	return out
}

// KindInfo describes a kind to the demo page, so that it shows the inputs
// the kind takes.
type KindInfo struct {
	Provider    string   `json:"provider"`
	Kind        string   `json:"kind"`
	AppID       string   `json:"app_id"`
	NeedsRoom   bool     `json:"needs_room"`
	RoomAllowed bool     `json:"room_allowed"`
	RoomExample string   `json:"room_example,omitempty"`
	Roles       []string `json:"roles"`
	Elevated    []string `json:"elevated_roles"`
	DefaultRole string   `json:"default_role,omitempty"`
	DefaultTTL  int64    `json:"default_ttl"`
	MinTTL      int64    `json:"min_ttl"`
	MaxTTL      int64    `json:"max_ttl"`
}

// roomExamples are valid rooms to prefill, by provider/kind.
var roomExamples = map[string]string{
	"tencent/privatemapkey": "team-standup",
	"agora/rtc":             "lobby",
	"zoom/video":            "Cool Cars",
	"zoom/meeting":          "85746065432",
	"zego/token04":          "room-1",
	"zego/kit":              "room-1",
	"livekit/room":          "daily-standup",
	"twilio/video":          "DailyStandup",
}

// KindInfos describes every kind svc serves, in the order of its
// providers and their kinds.
func KindInfos(svc *core.Service) []KindInfo {
	out := []KindInfo{}
	for _, p := range svc.Providers() {
		for _, k := range p.Kinds {
			spec, err := svc.Kind(p.Provider, k)
			if err != nil {
				continue
			}
			info := KindInfo{
				Provider: p.Provider, Kind: k, AppID: p.AppID,
				NeedsRoom: spec.NeedsRoom, RoomAllowed: spec.NeedsRoom || spec.RoomAllowed,
				RoomExample: roomExamples[p.Provider+"/"+k],
				Roles:       []string{}, Elevated: []string{}, DefaultRole: spec.DefaultRole,
				DefaultTTL: seconds(spec.DefaultTTL), MinTTL: seconds(spec.MinTTL), MaxTTL: seconds(spec.MaxTTL),
			}
			for _, r := range spec.Roles {
				info.Roles = append(info.Roles, r.Name)
				if r.Elevated {
					info.Elevated = append(info.Elevated, r.Name)
				}
			}
			out = append(out, info)
		}
	}
	return out
}

func seconds(d time.Duration) int64 { return int64(d / time.Second) }

// ListenAndServe serves h on addr with sensible timeouts.
func ListenAndServe(addr string, h http.Handler) error {
	srv := &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	return srv.ListenAndServe()
}
