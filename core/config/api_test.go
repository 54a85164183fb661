package config_test

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
	"github.com/rtctoken/rtctoken/nethttp"
)

type userKey struct{}

// clearEnv unsets every rtctoken variable for the test, so that only what
// it sets counts.
func clearEnv(t *testing.T) {
	for _, v := range config.Vars() {
		t.Setenv(v.Name, "")
		if v.Secret {
			t.Setenv(v.Name+config.FileSuffix, "")
		}
	}
}

func TestNewAPI(t *testing.T) {
	clearEnv(t)
	t.Setenv("RTCTOKEN_AGORA_APP_ID", "970ca35de60c44645bbae8a215061b33")
	t.Setenv("RTCTOKEN_AGORA_APP_CERTIFICATE", "5cfd2fd1755d40ecb72977518be15d3b")
	api, err := config.NewAPI(httpapi.Config{Resolver: resolve.FromValue(userKey{}), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	nethttp.Mount(mux, "/rtc", api)
	req := httptest.NewRequest("POST", "/rtc/agora/rtm", strings.NewReader(`{}`))
	req.Header.Set("Content-Type", "application/json")
	req = req.WithContext(context.WithValue(req.Context(), userKey{}, "alice"))
	rec := httptest.NewRecorder()
	mux.ServeHTTP(rec, req)
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), `"user_id":"alice"`) {
		t.Fatalf("issue: %d %s", rec.Code, rec.Body)
	}
}

// TestNewAPIErrorsTogether: a value a vendor rejects, a missing variable
// and a missing resolver are all reported by one call.
func TestNewAPIErrorsTogether(t *testing.T) {
	clearEnv(t)
	t.Setenv("RTCTOKEN_AGORA_APP_ID", "not-hex")
	t.Setenv("RTCTOKEN_AGORA_APP_CERTIFICATE", "5cfd2fd1755d40ecb72977518be15d3b")
	t.Setenv("RTCTOKEN_ZEGO_APP_ID", "12")
	_, err := config.NewAPI(httpapi.Config{})
	if !errors.Is(err, core.ErrConfig) {
		t.Fatalf("error %v does not match ErrConfig", err)
	}
	for _, want := range []string{"RTCTOKEN_AGORA_APP_ID", "RTCTOKEN_ZEGO_SERVER_SECRET", "Resolver is required"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error does not mention %s: %v", want, err)
		}
	}
	if strings.Contains(err.Error(), "not-hex") {
		t.Errorf("error echoes a value: %v", err)
	}
}

// TestNewAPIBadValue: a value the vendor refuses is named by its variable,
// never shown.
func TestNewAPIBadValue(t *testing.T) {
	clearEnv(t)
	t.Setenv("RTCTOKEN_AGORA_APP_ID", "not-hex")
	t.Setenv("RTCTOKEN_AGORA_APP_CERTIFICATE", "5cfd2fd1755d40ecb72977518be15d3b")
	_, err := config.NewAPI(httpapi.Config{Resolver: resolve.FromValue(userKey{})})
	if !errors.Is(err, core.ErrConfig) || !strings.Contains(err.Error(), "RTCTOKEN_AGORA_APP_ID") || strings.Contains(err.Error(), "not-hex") {
		t.Fatalf("error %v", err)
	}
}

func TestNewAPINothingConfigured(t *testing.T) {
	clearEnv(t)
	if _, err := config.NewAPI(httpapi.Config{Resolver: resolve.FromValue(userKey{})}); err == nil || !strings.Contains(err.Error(), "no vendor") {
		t.Fatalf("error %v", err)
	}
}
