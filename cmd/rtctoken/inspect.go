package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

const inspectUsage = `Usage: rtctoken inspect [flags] TOKEN
       rtctoken inspect [flags] -          (reads the token from stdin)

Tells the format of a token (Tencent UserSig or PrivateMapKey, Agora
AccessToken2 007 or legacy 006, Zoom Video SDK or Meeting SDK JWT, ZEGO
Token04 or UIKit Kit Token), prints its claims, its issue and expiry times in
local time and UTC and how long it remains valid, and runs every check it can:

  signature  with the provider's secrets (RTCTOKEN_* variables or flags):
             the primary, then the secondary; a ZEGO token is encrypted, so
             only the secret reveals its content
  app id     against --app-id or the provider's variable
  user       against --user
  room       against --room
  claims     the authentic token is consistent (a Kit Token's kit part agrees
             with its Token04, a Zoom JWT follows Zoom's rules...)
  expiry     at the current time, or --at

Without a secret the claims are decoded but not authenticated. Secrets are
never printed.

Flags:
  --user ID          expected user
  --room NAME        expected room, channel, session or meeting number
  --at TIME          check expiry at TIME (RFC 3339 or unix seconds)
  --json             print a JSON report
  --app-id ID        expected application id / SDK key
  --secret VALUE     the provider's secret (prefer the variable or
                     --secret-file: flags show in the process list)
  --secret-file PATH file holding the secret

Exit codes (when several checks fail, the first in this list wins):
  2  malformed token, or usage error
  5  configuration error (a secret variable or flag is invalid)
  1  bad signature: signed with another secret
  3  mismatch: another app id, user or room, or inconsistent claims
  4  expired
  0  valid, or decoded with nothing failing
`

// Check names and results.
const (
	resultOK      = "ok"
	resultFailed  = "failed"
	resultSkipped = "skipped"
)

// check is one verdict of inspect.
type check struct {
	Name   string `json:"name"`
	Result string `json:"result"`
	Detail string `json:"detail,omitempty"`
	code   int
}

// report is inspect's output.
type report struct {
	Format           string         `json:"format,omitempty"`
	Provider         string         `json:"provider,omitempty"`
	Kind             string         `json:"kind,omitempty"`
	AppID            string         `json:"app_id,omitempty"`
	UserID           string         `json:"user_id,omitempty"`
	Room             string         `json:"room,omitempty"`
	IssuedAt         *time.Time     `json:"issued_at,omitempty"`
	ExpiresAt        *time.Time     `json:"expires_at,omitempty"`
	CheckedAt        time.Time      `json:"checked_at"`
	RemainingSeconds *int64         `json:"remaining_seconds,omitempty"`
	Header           map[string]any `json:"header,omitempty"`
	Claims           map[string]any `json:"claims,omitempty"`
	Notes            []string       `json:"notes,omitempty"`
	Checks           []check        `json:"checks"`
	Result           string         `json:"result"`
	ExitCode         int            `json:"exit_code"`
}

// results names the outcome of each exit code, in the order of precedence.
var results = []struct {
	code int
	name string
}{
	{exitUsage, "malformed"},
	{exitConfig, "config_error"},
	{exitSignature, "bad_signature"},
	{exitMismatch, "mismatch"},
	{exitExpired, "expired"},
}

func (r *report) add(c check) { r.Checks = append(r.Checks, c) }

// finish sets the result from the checks.
func (r *report) finish() {
	r.Result, r.ExitCode = "valid", exitOK
	for _, c := range r.Checks {
		if c.Name == "signature" && c.Result != resultOK {
			r.Result = "decoded"
		}
	}
	for _, res := range results {
		for _, c := range r.Checks {
			if c.Result == resultFailed && c.code == res.code {
				r.Result, r.ExitCode = res.name, res.code
				return
			}
		}
	}
}

type inspectOptions struct {
	keys       keyFlags
	user, room string
	at         time.Time
}

func (c *cli) inspect(_ context.Context, args []string) int {
	fs := newFlags("inspect")
	var (
		o      inspectOptions
		atText string
		asJSON bool
	)
	fs.StringVar(&o.user, "user", "", "")
	fs.StringVar(&o.room, "room", "", "")
	fs.StringVar(&atText, "at", "", "")
	fs.BoolVar(&asJSON, "json", false, "")
	o.keys.register(fs)
	pos, err := parseArgs(fs, args)
	if err != nil {
		return c.flagError("inspect", inspectUsage, err)
	}
	if len(pos) != 1 {
		return c.usageError("inspect", "want one TOKEN (or - for stdin), got %d arguments", len(pos))
	}
	if err := o.keys.check(); err != nil {
		return c.usageError("inspect", "%v", err)
	}
	o.at = c.now()
	if atText != "" {
		if o.at, err = parseTime(atText); err != nil {
			return c.usageError("inspect", "--at: %v", err)
		}
	}
	tok := pos[0]
	if tok == "-" {
		b, err := io.ReadAll(io.LimitReader(c.stdin, maxTokenLen+1))
		if err != nil {
			fmt.Fprintf(c.stderr, "rtctoken inspect: reading stdin: %v\n", err)
			return exitUsage
		}
		tok = string(b)
	}
	r := c.examine(strings.TrimSpace(tok), o)
	if asJSON {
		if code := c.writeJSON(r); code != exitOK {
			return code
		}
	} else {
		c.printReport(r)
	}
	return r.ExitCode
}

// parseTime reads RFC 3339 or unix seconds.
func parseTime(s string) (time.Time, error) {
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.Unix(n, 0), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, errors.New("want RFC 3339 (2026-01-02T15:04:05Z) or unix seconds")
	}
	return t, nil
}

// examine decodes tok and runs every check the options allow.
func (c *cli) examine(tok string, o inspectOptions) *report {
	r := &report{CheckedAt: o.at.UTC()}
	f, d, err := detect(tok)
	if err != nil {
		r.add(check{Name: "format", Result: resultFailed, Detail: describe(err), code: exitUsage})
		r.finish()
		return r
	}
	w := want{user: o.user, room: o.room}
	expectApp := c.configuredAppID(d.Provider, o.keys)
	if c.hasSecret(d.Provider, o.keys) {
		// The configuration's form of the app id is canonical ("01" is 1).
		if appID := c.checkSignature(r, f, tok, d, o, w); appID != "" && expectApp != "" {
			expectApp = appID
		}
	} else {
		vv, _ := varsOf(d.Provider)
		r.add(check{Name: "signature", Result: resultSkipped,
			Detail: fmt.Sprintf("no secret: set %s (or %s%s), or give --secret-file", vv.secret, vv.secret, "_FILE")})
	}
	r.fill(d)
	if d.IssuedAt.After(o.at.Add(time.Minute)) {
		r.Notes = append(r.Notes, "issued "+human(d.IssuedAt.Sub(o.at))+" in the future: is a clock wrong?")
	}
	checkAppID(r, d, expectApp)
	if o.user != "" {
		r.add(compareID("user", d.UserID, o.user, d.noUser, d.anyUser, false, d.userCRC, d.sealed))
	}
	if o.room != "" {
		r.add(compareID("room", d.Room, o.room, d.noRoom, false, d.foldRoom, d.roomCRC, d.sealed))
	}
	r.add(checkExpiry(d, o.at))
	r.finish()
	return r
}

// checkSignature loads the provider's keys and verifies the token with
// them, recording the signature check and, for an authentic token, the
// consistency of its claims. It returns the configured app id.
func (c *cli) checkSignature(r *report, f *tokenFormat, tok string, d *decoded, o inspectOptions, w want) string {
	// config.Load wants an application id; the token's own (or any valid
	// one, for a sealed ZEGO token) stands in when none is configured, and
	// the app id check is then skipped.
	fallback := d.AppID
	if fallback == "" {
		fallback = "1"
	}
	cfg, err := c.loadVendor(d.Provider, o.keys, fallback)
	if err != nil {
		r.add(check{Name: "signature", Result: resultFailed, Detail: err.Error(), code: exitConfig})
		return ""
	}
	appID, secrets := vendorKeys(cfg, d.Provider)
	i, err := f.verify(tok, d, secrets, w)
	var skip skipError
	switch {
	case errors.As(err, &skip):
		r.add(check{Name: "signature", Result: resultSkipped, Detail: skip.reason})
	case i < 0 && errors.Is(err, core.ErrMalformed):
		r.add(check{Name: "format", Result: resultFailed, Detail: describe(err), code: exitUsage})
	case i < 0:
		which := "the configured secret"
		if len(secrets) > 1 {
			which = "either configured secret (primary or secondary)"
		}
		r.add(check{Name: "signature", Result: resultFailed, code: exitSignature,
			Detail: "signed with another secret: " + which + " does not match"})
	default:
		r.add(check{Name: "signature", Result: resultOK, Detail: "signed with the " + [...]string{"primary", "secondary"}[i] + " secret"})
		switch {
		case errors.Is(err, core.ErrMalformed):
			r.add(check{Name: "claims", Result: resultFailed, Detail: describe(err), code: exitUsage})
		case err != nil:
			r.add(check{Name: "claims", Result: resultFailed, Detail: describe(err), code: exitMismatch})
		default:
			r.add(check{Name: "claims", Result: resultOK})
		}
	}
	return appID
}

// describe returns an error's message without the sentinels' "rtctoken: "
// wording repeated in front.
func describe(err error) string {
	msg := err.Error()
	for _, s := range []error{core.ErrMalformed, core.ErrSignature, core.ErrMismatch, core.ErrExpired} {
		if p := s.Error() + ": "; strings.Contains(msg, p) {
			return strings.Replace(msg, p, strings.TrimPrefix(s.Error(), "rtctoken: ")+": ", 1)
		}
	}
	return msg
}

func (r *report) fill(d *decoded) {
	r.Format, r.Provider, r.Kind, r.AppID, r.UserID, r.Room = d.Format, d.Provider, d.Kind, d.AppID, d.UserID, d.Room
	r.Header, r.Claims, r.Notes = d.Header, d.Claims, d.Notes
	if !d.IssuedAt.IsZero() {
		t := d.IssuedAt.UTC()
		r.IssuedAt = &t
	}
	if !d.ExpiresAt.IsZero() {
		t := d.ExpiresAt.UTC()
		r.ExpiresAt = &t
		left := int64(d.ExpiresAt.Sub(r.CheckedAt) / time.Second)
		r.RemainingSeconds = &left
	}
}

func checkAppID(r *report, d *decoded, expect string) {
	switch {
	case expect == "":
		r.add(check{Name: "app id", Result: resultSkipped, Detail: "no app id configured (--app-id or the provider's variable)"})
	case d.AppID == "" && d.sealed:
		r.add(check{Name: "app id", Result: resultSkipped, Detail: "the content is encrypted"})
	case d.AppID != expect:
		r.add(check{Name: "app id", Result: resultFailed, code: exitMismatch,
			Detail: fmt.Sprintf("the token is for app id %q, not %q", d.AppID, expect)})
	default:
		r.add(check{Name: "app id", Result: resultOK})
	}
}

// compareID compares the token's user or room with the expected one.
func compareID(name, got, expect string, none, anyone, fold bool, crc *uint32, sealed bool) check {
	c := check{Name: name, Result: resultOK}
	switch {
	case sealed && got == "":
		c.Result, c.Detail = resultSkipped, "the content is encrypted"
	case crc != nil:
		if name == "user" {
			expect = agoraUID(expect)
		}
		if crc32Of(expect) != *crc {
			c.Result, c.code = resultFailed, exitMismatch
			c.Detail = fmt.Sprintf("the token is for another %s than %q (CRC32 differs)", name, expect)
		}
	case none:
		c.Result, c.Detail = resultSkipped, "the token names no "+name
	case anyone:
		c.Detail = "the token is for uid 0: any uid may use it"
	case got == expect || (fold && strings.EqualFold(got, expect)):
	default:
		c.Result, c.code = resultFailed, exitMismatch
		c.Detail = fmt.Sprintf("the token is for %s %q, not %q", name, got, expect)
	}
	return c
}

func checkExpiry(d *decoded, now time.Time) check {
	c := check{Name: "expiry", Result: resultOK}
	exp := d.ExpiresAt
	switch {
	case exp.IsZero():
		c.Result, c.Detail = resultSkipped, "the token has no expiry of its own"
	case !d.IssuedAt.IsZero() && !exp.After(d.IssuedAt):
		c.Result, c.code, c.Detail = resultFailed, exitExpired, "the token expires when it is issued"
	case now.After(exp) || (d.expiredAtExp && !now.Before(exp)):
		c.Result, c.code = resultFailed, exitExpired
		c.Detail = "expired " + human(now.Sub(exp)) + " ago"
	default:
		c.Detail = "valid for " + human(exp.Sub(now))
	}
	return c
}

// human writes a duration in whole seconds, with days for long ones.
func human(d time.Duration) string {
	d = d.Round(time.Second)
	if d < 24*time.Hour {
		return d.String()
	}
	days := d / (24 * time.Hour)
	return strconv.FormatInt(int64(days), 10) + "d" + (d - days*24*time.Hour).String()
}

// printReport writes the human-readable report.
func (c *cli) printReport(r *report) {
	var b bytes.Buffer
	if r.Format != "" {
		fmt.Fprintf(&b, "%s\n", r.Format)
		row := func(k, v string) {
			if v != "" {
				fmt.Fprintf(&b, "  %-9s %s\n", k, v)
			}
		}
		row("provider", r.Provider)
		row("kind", r.Kind)
		row("app id", r.AppID)
		row("user", r.UserID)
		row("room", r.Room)
		if r.IssuedAt != nil {
			row("issued", c.when(*r.IssuedAt))
		}
		if r.ExpiresAt != nil {
			left := time.Duration(*r.RemainingSeconds) * time.Second
			state := "valid for " + human(left)
			if !r.ExpiresAt.After(r.CheckedAt) {
				state = "expired " + human(-left) + " ago"
			}
			row("expires", c.when(*r.ExpiresAt)+", "+state)
		}
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "  note: %s\n", n)
		}
		if r.Header != nil {
			fmt.Fprintf(&b, "header:\n  %s\n", indentJSON(r.Header))
		}
		if len(r.Claims) > 0 {
			fmt.Fprintf(&b, "claims:\n  %s\n", indentJSON(r.Claims))
		}
	}
	fmt.Fprintf(&b, "checks:\n")
	for _, ch := range r.Checks {
		line := fmt.Sprintf("  %-9s  %-7s  %s", ch.Name, ch.Result, ch.Detail)
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	fmt.Fprintf(&b, "result: %s (exit %d)\n", r.Result, r.ExitCode)
	_, _ = c.stdout.Write(b.Bytes())
}

// when writes t in local time and in UTC.
func (c *cli) when(t time.Time) string {
	return t.In(c.loc).Format("2006-01-02 15:04:05 MST") + " (" + t.UTC().Format("2006-01-02 15:04:05 UTC") + ")"
}

func indentJSON(v any) string {
	b, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}
