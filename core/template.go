package core

import (
	"errors"
	"time"
)

// Keys are the secrets a vendor token is verified with: the primary and,
// during a rotation, the secondary. Every vendor package's top-level Verify
// takes them.
type Keys struct {
	Primary, Secondary Secret
}

// List returns the configured secrets, primary first, leaving out empty
// ones.
func (k Keys) List() []Secret {
	out := make([]Secret, 0, 2)
	for _, s := range []Secret{k.Primary, k.Secondary} {
		if !s.IsZero() {
			out = append(out, s)
		}
	}
	return out
}

// Expect is what a token must match to verify, for every vendor package's
// top-level Verify. Empty fields are not checked; At is the time at which
// the token must be valid.
type Expect struct {
	// Kind is the credential kind the token must be (e.g. "rtc").
	Kind string
	// AppID is the application id or SDK key the token must be issued for.
	AppID string
	// UserID and Room are the user and room the token must carry.
	UserID, Room string
	// At is the verification time. Zero means the token's time window is
	// not checked (for inspection tools that report expiry themselves).
	At time.Time
}

// ConfigError is the configuration error of a vendor Config: it names the
// Config field at fault (e.g. "AppCertificate"), so that a caller such as
// core/config can name the setting behind it. It matches ErrConfig with
// errors.Is. Messages never contain a secret.
type ConfigError struct {
	// Provider is the vendor's name ("agora").
	Provider string
	// Field is the Config field at fault.
	Field string
	// Message says what is wrong with it.
	Message string
}

// Error implements error.
func (e *ConfigError) Error() string {
	return ErrConfig.Error() + ": " + e.Provider + ": " + e.Field + ": " + e.Message
}

// Is makes errors.Is(err, ErrConfig) true.
func (e *ConfigError) Is(target error) bool { return target == ErrConfig }

// ConfigField returns the Config field named by a *ConfigError in err's
// chain, or "".
func ConfigField(err error) string {
	var ce *ConfigError
	if errors.As(err, &ce) {
		return ce.Field
	}
	return ""
}
