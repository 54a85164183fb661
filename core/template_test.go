package core_test

import (
	"errors"
	"fmt"
	"testing"

	"github.com/rtctoken/rtctoken/core"
)

func TestKeysList(t *testing.T) {
	k := core.Keys{Secondary: core.NewSecret("b")}
	if l := k.List(); len(l) != 1 || l[0].Reveal() != "b" {
		t.Fatalf("secondary only: %d keys", len(l))
	}
	k.Primary = core.NewSecret("a")
	if l := k.List(); len(l) != 2 || l[0].Reveal() != "a" || l[1].Reveal() != "b" {
		t.Fatalf("both: %d keys", len(l))
	}
	if l := (core.Keys{}).List(); len(l) != 0 {
		t.Fatalf("none: %d keys", len(l))
	}
}

func TestConfigError(t *testing.T) {
	err := fmt.Errorf("building: %w", &core.ConfigError{Provider: "agora", Field: "AppID", Message: "must be 32 hex characters"})
	if !errors.Is(err, core.ErrConfig) {
		t.Fatal("a ConfigError does not match ErrConfig")
	}
	if f := core.ConfigField(err); f != "AppID" {
		t.Fatalf("field %q", f)
	}
	if f := core.ConfigField(core.ErrConfig); f != "" {
		t.Fatalf("field %q of a plain ErrConfig", f)
	}
	if got := err.Error(); got != "building: rtctoken: invalid configuration: agora: AppID: must be 32 hex characters" {
		t.Fatalf("message %q", got)
	}
}
