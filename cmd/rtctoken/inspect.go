package main

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
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
Token04 or UIKit Kit Token, LiveKit or Twilio access token), prints its claims, its issue and expiry times in
local time and UTC and how long it remains valid, and runs every check it can:

  signature  with the provider's secrets (RTCTOKEN_* variables or flags):
             the primary, then the secondary; a ZEGO token is encrypted, so
             only the secret reveals its content
  app id     against --app-id or the provider's variable
  user       against --user
  room       against --room
  claims     the authentic token is consistent (a Kit Token's kit part agrees
             with its Token04, a Zoom JWT follows Zoom's rules, a LiveKit or
             Twilio token names the API key of its secret...)
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

// decoded is what inspect reads from a token, before or after checking it.
// IssuedAt and ExpiresAt are zero when the token does not say.
type decoded struct {
	Format    string         `json:"format,omitempty"`
	Provider  string         `json:"provider,omitempty"`
	Kind      string         `json:"kind,omitempty"`
	AppID     string         `json:"app_id,omitempty"`
	UserID    string         `json:"user_id,omitempty"`
	Room      string         `json:"room,omitempty"`
	IssuedAt  time.Time      `json:"issued_at,omitzero"`
	ExpiresAt time.Time      `json:"expires_at,omitzero"`
	Header    map[string]any `json:"header,omitempty"`
	Claims    map[string]any `json:"claims,omitempty"`
	Notes     []string       `json:"notes,omitempty"`
	// expiredAtExp: the expiry instant itself is expired (Zoom, ZEGO: now >=
	// exp), not the last valid second (Tencent, Agora: now > exp). anyUser:
	// an Agora uid 0 token, which any uid may join with. anyRoom: a Twilio
	// video grant without a room, which opens every room. roomRequired:
	// a missing room does not match (a Kit Token). foldRoom: rooms compare
	// case-insensitively (Zoom session names). sealed: the content is
	// encrypted (ZEGO).
	expiredAtExp, anyUser, anyRoom, roomRequired, foldRoom, sealed bool
	// userCRC and roomCRC: the token holds only CRC32s (Agora 006).
	userCRC, roomCRC *uint32
	// keyID is the API key the token names as its signer (LiveKit,
	// Twilio: iss).
	keyID string
}

// report is inspect's output: the token as decoded, and the verdicts.
type report struct {
	decoded
	CheckedAt        time.Time `json:"checked_at"`
	RemainingSeconds *int64    `json:"remaining_seconds,omitempty"`
	Checks           []check   `json:"checks"`
	Result           string    `json:"result"`
	ExitCode         int       `json:"exit_code"`
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

// tokenFormat is how inspect reads one vendor's tokens of one format. match
// tells the format from the token's shape (the first that matches reads
// the token), parse decodes the token without a key, and verify checks it
// with one secret. A verify result is what the secret reveals; an error
// beside it, or one that is neither core.ErrSignature, core.ErrMalformed
// nor a skipError, is a problem of the authentic token.
type tokenFormat struct {
	name   string
	match  func(tok string) bool
	parse  func(tok string) (*decoded, error)
	verify func(tok string, key core.Secret, w want) (*decoded, error)
}

// want is what the user asked inspect to compare the token with, and the
// API key of the secret (LiveKit, Twilio).
type want struct{ user, room, keyID string }

// skipError says a check could not be made, and why.
type skipError struct{ reason string }

func (e skipError) Error() string { return e.reason }

// parseWith decodes with a vendor package's Parse and shows the result
// with render.
func parseWith[T any](parse func(string) (*T, error), render func(*T) *decoded) func(string) (*decoded, error) {
	return func(tok string) (*decoded, error) {
		t, err := parse(tok)
		if err != nil {
			return nil, err
		}
		return render(t), nil
	}
}

// verifyWith checks the signature and the vendor's rules with a vendor
// package's Verify; inspect compares the rest itself.
func verifyWith[T any](verify func(string, core.Keys, core.Expect) (*T, error)) func(string, core.Secret, want) (*decoded, error) {
	return func(tok string, key core.Secret, _ want) (*decoded, error) {
		_, err := verify(tok, core.Keys{Primary: key}, core.Expect{})
		return nil, err
	}
}

// verifyKeyed is verifyWith for a vendor whose verifiers pick the secret by
// the API key in iss: a token signed with a key's secret must name that key.
func verifyKeyed[T any](verify func(string, core.Keys, core.Expect) (*T, error), render func(*T) *decoded) func(string, core.Secret, want) (*decoded, error) {
	return func(tok string, key core.Secret, w want) (*decoded, error) {
		t, err := verify(tok, core.Keys{Primary: key}, core.Expect{})
		if err != nil {
			return nil, err
		}
		if id := render(t).keyID; id != w.keyID {
			return nil, fmt.Errorf("%w: signed with the secret of API key %q, but names API key %q", core.ErrMismatch, w.keyID, id)
		}
		return nil, nil
	}
}

// maxTokenLen bounds what inspect reads: every format is far shorter.
const maxTokenLen = 64 << 10

// detect finds the token's format and decodes it without any secret.
// Errors wrap core.ErrMalformed.
func detect(tok string) (*tokenFormat, *decoded, error) {
	switch {
	case tok == "":
		return nil, nil, fmt.Errorf("%w: empty token", core.ErrMalformed)
	case len(tok) > maxTokenLen:
		return nil, nil, fmt.Errorf("%w: %d bytes is longer than any token", core.ErrMalformed, len(tok))
	}
	for i := range formats {
		f := &formats[i]
		if !f.match(tok) {
			continue
		}
		// The vendor packages' errors wrap core.ErrMalformed.
		d, err := f.parse(tok)
		if err != nil {
			return nil, nil, err
		}
		d.Provider = f.name
		return f, d, nil
	}
	return nil, nil, fmt.Errorf("%w: not a token of a known format (Tencent UserSig, Agora 007 or 006, Zoom SDK JWT, ZEGO Token04 or Kit Token, LiveKit or Twilio access token)", core.ErrMalformed)
}

// firstMatch verifies tok with the secrets in turn and returns the index of
// the first that does not fail with core.ErrSignature, with its error; -1
// when none does or the token is malformed. What the secret reveals
// replaces d.
func (f *tokenFormat) firstMatch(tok string, d *decoded, keys []signingKey, w want) (int, error) {
	var err error
	for i, k := range keys {
		var v *decoded
		w.keyID = k.id
		switch v, err = f.verify(tok, k.secret, w); {
		case v != nil:
			v.Provider = d.Provider
			*d = *v
			return i, err
		case errors.Is(err, core.ErrMalformed):
			return -1, err
		case !errors.Is(err, core.ErrSignature):
			return i, err
		}
	}
	return -1, err
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
	r.decoded = *d
	expectApp := c.configuredAppID(r.Provider, o.keys)
	if c.hasSecret(r.Provider, o.keys) {
		// The configuration's form of the app id is canonical ("01" is 1).
		if appID := c.checkSignature(r, f, tok, o); appID != "" && expectApp != "" {
			expectApp = appID
		}
	} else {
		vv, _ := varsOf(r.Provider)
		r.add(check{Name: "signature", Result: resultSkipped,
			Detail: fmt.Sprintf("no secret: set %s (or %s%s), or give --secret-file", vv.secret, vv.secret, "_FILE")})
	}
	if !r.ExpiresAt.IsZero() {
		left := int64(r.ExpiresAt.Sub(r.CheckedAt) / time.Second)
		r.RemainingSeconds = &left
	}
	if r.IssuedAt.After(o.at.Add(time.Minute)) {
		r.Notes = append(r.Notes, "issued "+human(r.IssuedAt.Sub(o.at))+" in the future: is a clock wrong?")
	}
	checkAppID(r, expectApp)
	if o.user != "" {
		r.add(compareID("user", r.UserID, o.user, false, r.anyUser, false, r.userCRC, r.sealed))
	}
	if o.room != "" {
		r.add(compareID("room", r.Room, o.room, r.roomRequired, r.anyRoom, r.foldRoom, r.roomCRC, r.sealed))
	}
	r.add(checkExpiry(&r.decoded, o.at))
	r.finish()
	return r
}

// checkSignature loads the provider's keys and verifies the token with
// them, recording the signature check and, for an authentic token, the
// consistency of its claims. It returns the configured app id.
func (c *cli) checkSignature(r *report, f *tokenFormat, tok string, o inspectOptions) string {
	// config.Load wants an application id; the token's own (or any valid
	// one, for a sealed ZEGO token) stands in when none is configured, and
	// the app id check is then skipped. So do the token's API key (Twilio)
	// and a server URL (LiveKit), which the signature does not depend on.
	vv, _ := varsOf(r.Provider)
	fallbacks := map[string]string{vv.appID: cmp.Or(r.AppID, "1"), vv.keyID: r.keyID, vv.serverURL: "wss://localhost"}
	cfg, err := c.loadVendor(r.Provider, o.keys, fallbacks)
	if err != nil {
		r.add(check{Name: "signature", Result: resultFailed, Detail: err.Error(), code: exitConfig})
		return ""
	}
	appID, secrets := vendorKeys(cfg, r.Provider)
	i, err := f.firstMatch(tok, &r.decoded, secrets, want{user: o.user, room: o.room})
	if i >= 0 && vv.keyID == "" && secrets[i].id != "" {
		// LiveKit's application id is the API key, of either key pair.
		appID = secrets[i].id
	}
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

func checkAppID(r *report, expect string) {
	switch {
	case expect == "":
		r.add(check{Name: "app id", Result: resultSkipped, Detail: "no app id configured (--app-id or the provider's variable)"})
	case r.AppID == "" && r.sealed:
		r.add(check{Name: "app id", Result: resultSkipped, Detail: "the content is encrypted"})
	case r.AppID != expect:
		r.add(check{Name: "app id", Result: resultFailed, code: exitMismatch,
			Detail: fmt.Sprintf("the token is for app id %q, not %q", r.AppID, expect)})
	default:
		r.add(check{Name: "app id", Result: resultOK})
	}
}

// compareID compares the token's user or room with the expected one. A
// token that names none is not compared, unless required.
func compareID(name, got, expect string, required, anyone, fold bool, crc *uint32, sealed bool) check {
	c := check{Name: name, Result: resultOK}
	switch {
	case sealed && got == "":
		c.Result, c.Detail = resultSkipped, "the content is encrypted"
	case crc != nil:
		if name == "user" {
			expect = agoraUID(expect)
		}
		if crc32.ChecksumIEEE([]byte(expect)) != *crc {
			c.Result, c.code = resultFailed, exitMismatch
			c.Detail = fmt.Sprintf("the token is for another %s than %q (CRC32 differs)", name, expect)
		}
	case anyone && name == "room":
		c.Detail = "the token opens every room"
	case anyone:
		c.Detail = "the token is for uid 0: any uid may use it"
	case got == "" && !required:
		c.Result, c.Detail = resultSkipped, "the token names no "+name
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
		if !r.IssuedAt.IsZero() {
			row("issued", c.when(r.IssuedAt))
		}
		if !r.ExpiresAt.IsZero() {
			left := time.Duration(*r.RemainingSeconds) * time.Second
			state := "valid for " + human(left)
			if !r.ExpiresAt.After(r.CheckedAt) {
				state = "expired " + human(-left) + " ago"
			}
			row("expires", c.when(r.ExpiresAt)+", "+state)
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
