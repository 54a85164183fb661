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
	"github.com/rtctoken/rtctoken/core/tencent"
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
// constructor, so a key of the wrong length is reported here. All problems
// are reported together; each is a *VarError (find one with errors.As)
// and wraps core.ErrConfig. No error contains a value.
func Load(lookup func(string) (string, bool)) (*Config, error) {
	if lookup == nil {
		return nil, fmt.Errorf("%w: config: nil lookup function", core.ErrConfig)
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
	if len(r.errs) > 0 {
		return nil, errors.Join(r.errs...)
	}
	if err := c.check(r); err != nil {
		return nil, err
	}
	return c, nil
}

// Enabled lists the configured vendors in the order Providers builds them.
func (c *Config) Enabled() []string {
	var out []string
	for _, b := range c.builders(nil) {
		out = append(out, b.vendor)
	}
	return out
}

// Option passes options to a vendor's constructor.
type Option interface{ apply(*options) }

type options struct{}

// Providers builds a provider for every configured vendor, for
// core.NewService. It is an error if no vendor is configured. Errors wrap
// core.ErrConfig and never contain a secret.
func (c *Config) Providers(opts ...Option) ([]core.Provider, error) {
	var o options
	for _, opt := range opts {
		if opt != nil {
			opt.apply(&o)
		}
	}
	bs := c.builders(&o)
	if len(bs) == 0 {
		return nil, fmt.Errorf("%w: config: no provider is configured; set the RTCTOKEN_<VENDOR>_ variables of at least one vendor", core.ErrConfig)
	}
	out := make([]core.Provider, 0, len(bs))
	for _, b := range bs {
		p, err := b.build(true)
		if err != nil {
			return nil, fmt.Errorf("config: %s: %w", b.vendor, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// builder constructs one vendor's provider, with or without its secondary
// secret.
type builder struct {
	vendor    string
	primary   []string // the variables the primary configuration comes from
	secondary string   // the secondary secret's variable, "" when unset
	build     func(withSecondary bool) (core.Provider, error)
}

// builders returns the builders of the configured vendors, using the
// constructor options in o (none when o is nil).
func (c *Config) builders(o *options) []builder {
	if o == nil {
		o = &options{}
	}
	var bs []builder
	if c.Agora != nil {
		bs = append(bs, newBuilder("agora", *c.Agora, []string{agoraAppID, agoraAppCertificate},
			agoraCertificateSecondary, func(c *agora.Config) *core.Secret { return &c.SecondaryCertificate },
			func(c agora.Config, _ ...struct{}) (*agora.Provider, error) { return agora.New(c) }, nil))
	}
	if c.Tencent != nil {
		bs = append(bs, newBuilder("tencent", *c.Tencent, []string{tencentSDKAppID, tencentKey},
			tencentKeySecondary, func(c *tencent.Config) *core.Secret { return &c.SecondaryKey },
			func(c tencent.Config, _ ...struct{}) (*tencent.Provider, error) { return tencent.New(c) }, nil))
	}
	if c.Zego != nil {
		bs = append(bs, newBuilder("zego", *c.Zego, []string{zegoAppID, zegoServerSecret},
			zegoSecretSecondary, func(c *zego.Config) *core.Secret { return &c.SecondarySecret },
			func(c zego.Config, _ ...struct{}) (*zego.Provider, error) { return zego.New(c) }, nil))
	}
	if c.Zoom != nil {
		bs = append(bs, newBuilder("zoom", *c.Zoom, []string{zoomSDKKey, zoomSDKSecret},
			zoomSecretSecondary, func(c *zoom.Config) *core.Secret { return &c.SecondarySecret },
			func(c zoom.Config, _ ...struct{}) (*zoom.Provider, error) { return zoom.New(c) }, nil))
	}
	return bs
}

// newBuilder returns the builder of one vendor: cfg is a copy of its
// configuration, secondary points at the secondary secret of a
// configuration, and construct is the vendor's New.
func newBuilder[C any, P core.Provider, O any](vendor string, cfg C, primary []string, secondaryName string,
	secondary func(*C) *core.Secret, construct func(C, ...O) (P, error), opts []O) builder {
	b := builder{vendor: vendor, primary: primary}
	if !secondary(&cfg).IsZero() {
		b.secondary = secondaryName
	}
	b.build = func(withSecondary bool) (core.Provider, error) {
		c := cfg
		if !withSecondary {
			*secondary(&c) = core.Secret{}
		}
		p, err := construct(c, opts...)
		if err != nil {
			return nil, err
		}
		return p, nil
	}
	return b
}

// check runs each vendor's constructor and reports a failure against the
// variables it came from: the secondary secret's variable when the
// configuration is valid without it, else the primary variables. The
// constructors' messages never contain a secret.
func (c *Config) check(r *reader) error {
	var errs []error
	for _, b := range c.builders(nil) {
		_, err := b.build(true)
		if err == nil {
			continue
		}
		names := make([]string, 0, len(b.primary))
		for _, n := range b.primary {
			names = append(names, r.source(n))
		}
		name := strings.Join(names, " or ")
		if b.secondary != "" {
			if _, err2 := b.build(false); err2 == nil {
				name = r.source(b.secondary)
			}
		}
		errs = append(errs, &VarError{Var: name, Problem: "rejected: " + providerMessage(err)})
	}
	return errors.Join(errs...)
}

// providerMessage strips the core.ErrConfig prefix from a constructor error.
func providerMessage(err error) string {
	return strings.TrimPrefix(err.Error(), core.ErrConfig.Error()+": ")
}

// reader reads variables and collects every problem.
type reader struct {
	lookup   func(string) (string, bool)
	errs     []error
	fromFile map[string]bool // secrets read through their file twin
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
func (r *reader) enabled(vendor string) bool {
	for _, v := range vars {
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
	switch s := r.text(name); strings.ToLower(s) {
	case "", "cbc":
		return zego.ModeCBC
	case "gcm":
		return zego.ModeGCM
	default:
		r.fail(name, `must be "cbc" or "gcm"`)
		return zego.ModeCBC
	}
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
