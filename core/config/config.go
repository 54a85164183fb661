package config

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/agora"
	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
	"github.com/rtctoken/rtctoken/core/livekit"
	"github.com/rtctoken/rtctoken/core/tencent"
	"github.com/rtctoken/rtctoken/core/twilio"
	"github.com/rtctoken/rtctoken/core/zego"
	"github.com/rtctoken/rtctoken/core/zoom"
)

// Config holds the vendor configurations found in the environment. A nil
// field means the vendor is not configured.
type Config struct {
	Tencent *tencent.Config
	Agora   *agora.Config
	Zoom    *zoom.Config
	Zego    *zego.Config
	LiveKit *livekit.Config
	Twilio  *twilio.Config
}

// VarError reports a missing or malformed variable. It never contains the
// variable's value.
type VarError struct {
	// Var is the variable's name (with FileSuffix for the file twin).
	Var string
	// Problem says what is wrong ("is required", "is not a number").
	Problem string
}

// Error implements error.
func (e *VarError) Error() string { return "config: " + e.Var + " " + e.Problem }

// Unwrap returns core.ErrConfig.
func (e *VarError) Unwrap() error { return core.ErrConfig }

// FromEnv is Load(os.LookupEnv).
func FromEnv() (*Config, error) { return Load(os.LookupEnv) }

// Load reads the configuration through lookup, which has the shape of
// os.LookupEnv. A vendor is enabled when any of its variables is set; it
// must then be complete. An empty variable counts as unset. A secret is
// read either from its variable or from the file its <NAME>_FILE twin
// names (trailing newlines are trimmed); setting both is an error.
//
// Each enabled vendor's configuration is checked by its provider's
// constructor, so a key of the wrong length is reported here, by the
// variable it came from. All problems of all vendors are reported
// together, missing variables and rejected values alike; each is a
// *VarError (find one with errors.As) and wraps core.ErrConfig. No error
// contains a value.
func Load(lookup func(string) (string, bool)) (*Config, error) {
	c, _, err := load(lookup)
	return c, err
}

// load is Load that also returns the providers it built to check the
// configuration, so that NewAPI builds each of them once.
func load(lookup func(string) (string, bool)) (*Config, []core.Provider, error) {
	if lookup == nil {
		return nil, nil, fmt.Errorf("%w: config: nil lookup function", core.ErrConfig)
	}
	r := &reader{lookup: lookup}
	c := &Config{}
	if r.enabled("tencent") {
		c.Tencent = &tencent.Config{
			SDKAppID:     r.uint(tencentSDKAppID, 32),
			Key:          r.secret(tencentKey),
			SecondaryKey: r.secret(tencentKeySecondary),
			Admins:       r.tencentAdmins(tencentAdmins),
		}
	}
	if r.enabled("agora") {
		c.Agora = &agora.Config{
			AppID:                r.text(agoraAppID),
			AppCertificate:       r.secret(agoraAppCertificate),
			SecondaryCertificate: r.secret(agoraCertificateSecondary),
			Compression:          r.agoraCompression(agoraCompression),
		}
	}
	if r.enabled("zoom") {
		c.Zoom = &zoom.Config{
			SDKKey:          r.text(zoomSDKKey),
			SDKSecret:       r.secret(zoomSDKSecret),
			SecondarySecret: r.secret(zoomSecretSecondary),
			Kinds:           r.zoomKinds(zoomKinds),
		}
	}
	if r.enabled("zego") {
		c.Zego = &zego.Config{
			AppID:           uint32(r.uint(zegoAppID, 32)),
			ServerSecret:    r.secret(zegoServerSecret),
			SecondarySecret: r.secret(zegoSecretSecondary),
			Mode:            r.zegoMode(zegoMode),
		}
	}
	r.loadLiveKit(c)
	r.loadTwilio(c)
	ps, errs := c.build(r.rejected)
	errs = append(r.errs, errs...)
	if len(errs) > 0 {
		return nil, nil, errors.Join(errs...)
	}
	return c, ps, nil
}

// Enabled lists the configured vendors in the order Providers builds them.
func (c *Config) Enabled() []string {
	var out []string
	for _, v := range c.vendors() {
		out = append(out, v.name)
	}
	return out
}

// Providers builds a provider for every configured vendor, for
// core.NewService. It is an error if no vendor is configured. Every
// vendor's problem is reported, joined; each wraps the constructor's
// *core.ConfigError (core.ConfigField names the field) and core.ErrConfig,
// and none contains a secret.
func (c *Config) Providers() ([]core.Provider, error) {
	if len(c.vendors()) == 0 {
		return nil, fmt.Errorf("%w: config: no provider is configured; set the RTCTOKEN_<VENDOR>_ variables of at least one vendor", core.ErrConfig)
	}
	ps, errs := c.build(func(_ string, err error) error { return fmt.Errorf("config: %w", err) })
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return ps, nil
}

// vendor is one configured vendor and its provider's constructor.
type vendor = constructor[core.Provider]

// vendors returns the configured vendors, in the order Providers builds
// them.
func (c *Config) vendors() []vendor {
	var vs []vendor
	if c.Agora != nil {
		vs = append(vs, vendor{"agora", func() (core.Provider, error) { return provider(agora.New(*c.Agora)) }})
	}
	if c.LiveKit != nil {
		vs = append(vs, vendor{"livekit", func() (core.Provider, error) { return provider(livekit.New(*c.LiveKit)) }})
	}
	if c.Tencent != nil {
		vs = append(vs, vendor{"tencent", func() (core.Provider, error) { return provider(tencent.New(*c.Tencent)) }})
	}
	if c.Twilio != nil {
		vs = append(vs, vendor{"twilio", func() (core.Provider, error) { return provider(twilio.New(*c.Twilio)) }})
	}
	if c.Zego != nil {
		vs = append(vs, vendor{"zego", func() (core.Provider, error) { return provider(zego.New(*c.Zego)) }})
	}
	if c.Zoom != nil {
		vs = append(vs, vendor{"zoom", func() (core.Provider, error) { return provider(zoom.New(*c.Zoom)) }})
	}
	return vs
}

// provider turns a constructor's result into a core.Provider, nil on error.
func provider[P core.Provider](p P, err error) (core.Provider, error) {
	if err != nil {
		return nil, err
	}
	return p, nil
}

// build calls each configured vendor's constructor once. It returns the
// providers when all succeed, and otherwise the errors report makes of the
// failures (report may return nil to drop one).
func (c *Config) build(report func(vendor string, err error) error) ([]core.Provider, []error) {
	return buildEach(c.vendors(), report)
}

// reader reads variables and collects every problem.
type reader struct {
	lookup   func(string) (string, bool)
	errs     []error
	fromFile map[string]bool // secrets read through their file twin

	tencentAppIDRead bool   // callbackAppID read RTCTOKEN_TENCENT_SDKAPPID
	tencentAppID     uint64 // what it read
}

// rejected reports a constructor error of vendor against the variable the
// faulty Config field was read from (its file twin for a secret read from
// a file). It drops the error when that variable is already reported, as
// missing or malformed: its field then holds no value read from it.
func (r *reader) rejected(vendor string, err error) error {
	var ce *core.ConfigError
	i := -1
	if errors.As(err, &ce) {
		i = slices.IndexFunc(vars, func(v Var) bool { return v.Vendor == vendor && v.Field == ce.Field })
	}
	if i < 0 {
		return fmt.Errorf("config: %s: %w", vendor, err)
	}
	name := r.source(vars[i].Name)
	for _, e := range r.errs {
		if ve, ok := e.(*VarError); ok && ve.Var == name {
			return nil
		}
	}
	return &VarError{Var: name, Problem: fmt.Sprintf("is rejected (%s.Config.%s: %s)", vendor, ce.Field, ce.Message)}
}

// source returns the variable a value was read from: name or its file twin.
func (r *reader) source(name string) string {
	if r.fromFile[name] {
		return name + FileSuffix
	}
	return name
}

func (r *reader) fail(name, problem string) {
	r.errs = append(r.errs, &VarError{Var: name, Problem: problem})
}

// get returns a variable's value; "" counts as unset.
func (r *reader) get(name string) (string, bool) {
	v, ok := r.lookup(name)
	return v, ok && v != ""
}

// enabled reports whether any variable of the vendor, or a file twin, is set.
func (r *reader) enabled(vendor string) bool { return r.anySet(vars, vendor) }

// anySet reports whether any variable of table for vendor, or a file twin,
// is set.
func (r *reader) anySet(table []Var, vendor string) bool {
	for _, v := range table {
		if v.Vendor != vendor {
			continue
		}
		if _, ok := r.get(v.Name); ok {
			return true
		}
		if v.Secret {
			if _, ok := r.get(v.Name + FileSuffix); ok {
				return true
			}
		}
	}
	return false
}

// required reports whether the variable must be set.
func required(name string) bool {
	for _, v := range vars {
		if v.Name == name {
			return v.Required
		}
	}
	return false
}

// text returns a non-secret variable, reporting it when required and unset.
func (r *reader) text(name string) string {
	v, ok := r.get(name)
	if !ok && required(name) {
		r.fail(name, "is required")
	}
	return v
}

// uint parses a decimal variable between 1 and the largest value of the
// given bit size.
func (r *reader) uint(name string, bits int) uint64 {
	s := r.text(name)
	if s == "" {
		return 0
	}
	n, err := strconv.ParseUint(s, 10, bits)
	if err != nil || n == 0 {
		r.fail(name, fmt.Sprintf("must be a decimal number between 1 and %d", uint64(1)<<bits-1))
		return 0
	}
	return n
}

// list parses a comma-separated list of distinct items, each trimmed and
// passed through norm, reporting problem when an item fails valid or
// repeats. Unset is nil.
func (r *reader) list(name string, norm func(string) string, valid func(string) bool, problem string) []string {
	s := r.text(name)
	if s == "" {
		return nil
	}
	var out []string
	for _, item := range strings.Split(s, ",") {
		item = norm(strings.TrimSpace(item))
		if !valid(item) || slices.Contains(out, item) {
			r.fail(name, problem)
			return nil
		}
		out = append(out, item)
	}
	return out
}

// zoomKinds parses a comma-separated list of distinct Zoom kinds.
func (r *reader) zoomKinds(name string) []string {
	return r.list(name, strings.ToLower,
		func(k string) bool { return k == zoom.KindVideo || k == zoom.KindMeeting },
		fmt.Sprintf("must list %q and/or %q, separated by a comma", zoom.KindVideo, zoom.KindMeeting))
}

// tencentAdmins parses a comma-separated list of distinct Tencent user ids.
// Unset means tencent.DefaultAdmins.
func (r *reader) tencentAdmins(name string) []string {
	return r.list(name, func(s string) string { return s },
		func(id string) bool { return tencent.CheckUserID(id) == nil },
		fmt.Sprintf("must list distinct user ids of 1 to %d letters, digits, '_' or '-', separated by a comma", tencent.MaxUserIDLen))
}

func (r *reader) zegoMode(name string) zego.Mode {
	return choose(r, name, `must be "cbc" or "gcm"`, map[string]zego.Mode{"": zego.ModeCBC, "cbc": zego.ModeCBC, "gcm": zego.ModeGCM})
}

func (r *reader) agoraCompression(name string) accesstoken.Compression {
	return choose(r, name, `must be "fast" or "zlib"`, map[string]accesstoken.Compression{"": accesstoken.CompressFast, "fast": accesstoken.CompressFast, "zlib": accesstoken.CompressZlib})
}

// choose reads one of choices' keys, in any case ("" is unset); any other
// value reports problem and gives the unset value.
func choose[T any](r *reader, name, problem string, choices map[string]T) T {
	v, ok := choices[strings.ToLower(r.text(name))]
	if !ok {
		r.fail(name, problem)
		return choices[""]
	}
	return v
}

// secret returns a secret from its variable or from the file its twin names.
func (r *reader) secret(name string) core.Secret {
	fileVar := name + FileSuffix
	v, direct := r.get(name)
	path, fromFile := r.get(fileVar)
	switch {
	case direct && fromFile:
		r.fail(name, "and "+fileVar+" are both set; set one")
		return core.Secret{}
	case fromFile:
		if r.fromFile == nil {
			r.fromFile = map[string]bool{}
		}
		r.fromFile[name] = true
		s, problem := readSecretFile(path)
		if problem != "" {
			r.fail(fileVar, problem)
		}
		return core.NewSecret(s)
	case !direct && required(name):
		r.fail(name, "is required (or "+fileVar+")")
	}
	return core.NewSecret(v)
}

// readSecretFile reads a secret file and trims trailing newlines. The
// problem it reports names neither the path nor the content: a secret
// pasted into a _FILE variable by mistake must not reach a log.
func readSecretFile(path string) (string, string) {
	f, err := os.Open(path)
	if err != nil {
		return "", fileProblem(err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return "", fileProblem(err)
	}
	if len(b) > MaxFileSize {
		return "", fmt.Sprintf("names a file larger than %d bytes", MaxFileSize)
	}
	s := strings.TrimRight(string(b), "\r\n")
	if s == "" {
		return "", "names an empty file"
	}
	return s, ""
}

func fileProblem(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "names a file that does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "names a file that cannot be read (permission denied)"
	}
	return "names a file that cannot be read"
}
