package main

import (
	"cmp"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
)

// vendors are the providers config.Load knows, in its order.
var vendors = []string{"tencent", "agora", "zoom", "zego", "livekit", "twilio"}

// vendorVars names a vendor's application id, primary secret and secondary
// secret variables, as config.Vars describes them, and the other required
// plain variables: the API key of the secret (Twilio's API key SID; LiveKit's
// API key is its application id) and LiveKit's server URL.
type vendorVars struct {
	appID, secret, secondary string
	keyID, serverURL         string
}

// varsOf finds a vendor's variables in config.Vars: the first required plain
// variable is the application id, the required secret the primary key and
// the optional secret the secondary one.
func varsOf(vendor string) (vendorVars, bool) {
	var vv vendorVars
	for _, v := range config.Vars() {
		if v.Vendor != vendor {
			continue
		}
		switch {
		case v.Field == "ServerURL":
			vv.serverURL = v.Name
		case v.Required && !v.Secret && vv.appID != "":
			vv.keyID = v.Name
		case v.Required && !v.Secret:
			vv.appID = v.Name
		case v.Required && v.Secret:
			vv.secret = v.Name
		case v.Secret:
			vv.secondary = v.Name
		}
	}
	return vv, vv.appID != "" && vv.secret != ""
}

// keyFlags are the flags that override a vendor's variables for one
// command: --app-id, --secret and --secret-file.
type keyFlags struct {
	appID, secret, secretFile string
}

func (k *keyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.appID, "app-id", "", "")
	fs.StringVar(&k.secret, "secret", "", "")
	fs.StringVar(&k.secretFile, "secret-file", "", "")
}

func (k *keyFlags) check() error {
	if k.secret != "" && k.secretFile != "" {
		return errors.New("give --secret or --secret-file, not both")
	}
	return nil
}

// vendorLookup returns an environment lookup that sees only the vendor's
// RTCTOKEN_<VENDOR>_* variables, with the key flags taking precedence, so
// that a half-configured other vendor does not get in the way. The
// fallbacks stand in for variables set nowhere else.
func (c *cli) vendorLookup(vendor string, k keyFlags, fallbacks map[string]string) func(string) (string, bool) {
	vv, _ := varsOf(vendor)
	prefix := "RTCTOKEN_" + strings.ToUpper(vendor) + "_"
	return func(name string) (string, bool) {
		if !strings.HasPrefix(name, prefix) {
			return "", false
		}
		switch name {
		case vv.appID:
			if k.appID != "" {
				return k.appID, true
			}
		case vv.secret:
			if k.secret != "" {
				return k.secret, true
			}
			if k.secretFile != "" {
				return "", false
			}
		case vv.secret + config.FileSuffix:
			if k.secretFile != "" {
				return k.secretFile, true
			}
			if k.secret != "" {
				return "", false
			}
		}
		v, ok := c.env(name)
		if f := fallbacks[name]; v == "" && f != "" {
			return f, true
		}
		return v, ok
	}
}

// hasSecret reports whether a primary secret for the vendor is given by a
// flag or a variable.
func (c *cli) hasSecret(vendor string, k keyFlags) bool {
	vv, _ := varsOf(vendor)
	lookup := c.vendorLookup(vendor, k, nil)
	v1, _ := lookup(vv.secret)
	v2, _ := lookup(vv.secret + config.FileSuffix)
	return v1 != "" || v2 != ""
}

// configuredAppID is the vendor's application id from --app-id or its
// variable, "" when neither is set.
func (c *cli) configuredAppID(vendor string, k keyFlags) string {
	vv, _ := varsOf(vendor)
	v, _ := c.vendorLookup(vendor, k, nil)(vv.appID)
	return strings.TrimSpace(v)
}

// loadVendor reads one vendor's configuration. Errors wrap core.ErrConfig
// and name the flag or variable at fault, never a value.
func (c *cli) loadVendor(vendor string, k keyFlags, fallbacks map[string]string) (*config.Config, error) {
	cfg, err := config.Load(c.vendorLookup(vendor, k, fallbacks))
	if err != nil {
		return nil, flagNames(vendor, k, err)
	}
	return cfg, nil
}

// flagNames rewrites the variable names of err that a key flag overrode,
// so that the message points at what the user typed.
func flagNames(vendor string, k keyFlags, err error) error {
	vv, _ := varsOf(vendor)
	var pairs []string
	if k.appID != "" {
		pairs = append(pairs, vv.appID, "--app-id")
	}
	if k.secret != "" {
		pairs = append(pairs, vv.secret, "--secret")
	}
	if k.secretFile != "" {
		pairs = append(pairs, vv.secret+config.FileSuffix, "--secret-file")
	}
	if len(pairs) == 0 {
		return err
	}
	return fmt.Errorf("%w: %s", core.ErrConfig, strings.NewReplacer(pairs...).Replace(err.Error()))
}

// signingKey is one secret of a vendor and the API key it belongs to
// (LiveKit, Twilio: the iss of the tokens it signs; "" for the others).
type signingKey struct {
	id     string
	secret core.Secret
}

// vendorKeys returns the application id and the secrets (primary first) of
// a vendor's configuration.
func vendorKeys(cfg *config.Config, vendor string) (appID string, keys []signingKey) {
	var ids [2]string
	var secrets [2]core.Secret
	switch {
	case vendor == "tencent" && cfg.Tencent != nil:
		appID, secrets = strconv.FormatUint(cfg.Tencent.SDKAppID, 10), [2]core.Secret{cfg.Tencent.Key, cfg.Tencent.SecondaryKey}
	case vendor == "agora" && cfg.Agora != nil:
		appID, secrets = cfg.Agora.AppID, [2]core.Secret{cfg.Agora.AppCertificate, cfg.Agora.SecondaryCertificate}
	case vendor == "zoom" && cfg.Zoom != nil:
		appID, secrets = cfg.Zoom.SDKKey, [2]core.Secret{cfg.Zoom.SDKSecret, cfg.Zoom.SecondarySecret}
	case vendor == "zego" && cfg.Zego != nil:
		appID, secrets = strconv.FormatUint(uint64(cfg.Zego.AppID), 10), [2]core.Secret{cfg.Zego.ServerSecret, cfg.Zego.SecondarySecret}
	case vendor == "livekit" && cfg.LiveKit != nil:
		l := cfg.LiveKit
		appID, ids, secrets = l.APIKey, [2]string{l.APIKey, cmp.Or(l.SecondaryAPIKey, l.APIKey)}, [2]core.Secret{l.APISecret, l.SecondaryAPISecret}
	case vendor == "twilio" && cfg.Twilio != nil:
		tw := cfg.Twilio
		appID, ids, secrets = tw.AccountSID, [2]string{tw.APIKeySID, cmp.Or(tw.SecondaryAPIKeySID, tw.APIKeySID)}, [2]core.Secret{tw.APIKeySecret, tw.SecondaryAPIKeySecret}
	}
	for i, s := range secrets {
		if !s.IsZero() {
			keys = append(keys, signingKey{ids[i], s})
		}
	}
	return appID, keys
}
