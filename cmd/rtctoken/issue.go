package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
)

const issueUsage = `Usage: rtctoken issue <provider> <kind> --user ID [flags]

Mints one credential with the keys of the provider's RTCTOKEN_* variables (or
the flags below) through the same service as the HTTP endpoints, without the
authorizer: server-only kinds (agora chat_app) and elevated roles (zoom host)
are allowed. Prints the credential as JSON, or only the token with --plain.

Providers and kinds:
  tencent  usersig, privatemapkey (room; roles subscriber, publisher)
  agora    rtc (room; roles subscriber, publisher), rtm, chat, chat_app
  zoom     video (room = session name; roles participant, host),
           meeting (room = meeting number, optional; roles participant, host)
  zego     token04 (room optional), kit (room; roles subscriber, publisher)
  livekit  room (room; roles subscriber, publisher, admin)
  twilio   video (room), voice, chat, sync

Flags:
  --user ID          vendor user id (required)
  --room NAME        room, channel, session or meeting number
  --role NAME        role within the room (default: the kind's default)
  --ttl DURATION     lifetime, e.g. 3600, 90m or 24h (default: the kind's)
  --options JSON     kind options, e.g. '{"id_type":"uid","rtm":true}'
  --name NAME        display name (zoom userName, zego kit userName)
  --plain            print the token only
  --app-id ID        application id / SDK key (overrides the variable)
  --secret VALUE     primary secret (overrides the variable; visible to
                     other local users in the process list: prefer the
                     variable or --secret-file)
  --secret-file PATH file holding the primary secret

Exit codes: 0 issued, 1 failure, 2 usage error or invalid request,
5 configuration error.
`

func (c *cli) issue(ctx context.Context, args []string) int {
	fs := newFlags("issue")
	var (
		keys                      keyFlags
		user, room, role, ttlText string
		options, name             string
		plain                     bool
	)
	fs.StringVar(&user, "user", "", "")
	fs.StringVar(&room, "room", "", "")
	fs.StringVar(&role, "role", "", "")
	fs.StringVar(&ttlText, "ttl", "", "")
	fs.StringVar(&options, "options", "", "")
	fs.StringVar(&name, "name", "", "")
	fs.BoolVar(&plain, "plain", false, "")
	keys.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return c.flagError("issue", issueUsage, err)
	}
	if len(pos) != 2 {
		return c.usageError("issue", "want <provider> <kind>, got %d arguments", len(pos))
	}
	provider, kind := pos[0], pos[1]
	if !slices.Contains(vendors, provider) {
		return c.usageError("issue", "unknown provider %q (one of %s)", provider, strings.Join(vendors, ", "))
	}
	if user == "" {
		return c.usageError("issue", "--user is required")
	}
	if err := keys.check(); err != nil {
		return c.usageError("issue", "%v", err)
	}
	ttl, err := parseTTL(ttlText)
	if err != nil {
		return c.usageError("issue", "--ttl: %v", err)
	}
	if options != "" && !json.Valid([]byte(options)) {
		return c.usageError("issue", "--options is not valid JSON")
	}

	cfg, err := c.loadVendor(provider, keys, nil)
	if err != nil {
		return c.configError("issue", err)
	}
	svc, err := c.newService(cfg, true)
	if err != nil {
		return c.configError("issue", err)
	}
	cred, err := svc.IssueServer(ctx, core.Identity{UserID: user, DisplayName: name}, core.Request{
		Provider: provider, Kind: kind, Room: room, Role: role, TTL: ttl,
		Options: json.RawMessage(options),
	})
	if err != nil {
		if errors.Is(err, core.ErrConfig) {
			return c.configError("issue", err)
		}
		fmt.Fprintf(c.stderr, "rtctoken issue: %v\n", err)
		if core.CodeOf(err) == core.CodeInternal {
			return exitSignature
		}
		return exitUsage
	}
	if plain {
		fmt.Fprintln(c.stdout, cred.Token)
		return exitOK
	}
	return c.writeJSON(cred)
}

// newService builds the configured providers into a service on the cli's
// clock. With vendorMax (issue: an operator at the command line) every
// kind's maximum TTL is raised from the Service's 30-day default to the
// vendor's limit; serve keeps the default, because its callers are clients.
func (c *cli) newService(cfg *config.Config, vendorMax bool) (*core.Service, error) {
	providers, err := cfg.Providers()
	if err != nil {
		return nil, err
	}
	opts := []core.Option{core.WithClock(c.now)}
	for _, p := range providers {
		for _, k := range p.Kinds() {
			if vendorMax {
				opts = append(opts, core.WithTTL(p.Name(), k.Kind, 0, k.MaxTTL))
			}
		}
	}
	return core.NewService(providers, opts...)
}

// parseTTL reads a lifetime as whole seconds ("3600") or a Go duration
// ("90m"). Empty means the kind's default.
func parseTTL(s string) (time.Duration, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		if n <= 0 || n > int64(365*24*time.Hour/time.Second) {
			return 0, errors.New("must be between 1 second and a year")
		}
		return time.Duration(n) * time.Second, nil
	}
	d, err := time.ParseDuration(s)
	if err != nil || d <= 0 {
		return 0, errors.New("must be a number of seconds or a duration such as 90m")
	}
	return d, nil
}

// configError prints a configuration problem and returns exitConfig.
// Configuration errors name variables and flags, never values.
func (c *cli) configError(cmd string, err error) int {
	fmt.Fprintf(c.stderr, "rtctoken %s: %v\n", cmd, err)
	return exitConfig
}

func (c *cli) writeJSON(v any) int {
	enc := json.NewEncoder(c.stdout)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		fmt.Fprintf(c.stderr, "rtctoken: %v\n", err)
		return exitSignature
	}
	return exitOK
}
