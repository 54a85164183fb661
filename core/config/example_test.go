package config_test

import (
	"fmt"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/config"
)

func Example() {
	// In a real host: cfg, err := config.FromEnv()
	vars := map[string]string{
		"RTCTOKEN_AGORA_APP_ID":          "0123456789abcdef0123456789abcdef",
		"RTCTOKEN_AGORA_APP_CERTIFICATE": "fedcba9876543210fedcba9876543210",
		"RTCTOKEN_ZEGO_APP_ID":           "123456789",
		// A mounted secret file works too: RTCTOKEN_ZEGO_SERVER_SECRET_FILE.
		"RTCTOKEN_ZEGO_SERVER_SECRET": "0123456789abcdef0123456789abcdef",
	}
	cfg, err := config.Load(func(k string) (string, bool) { v, ok := vars[k]; return v, ok })
	if err != nil {
		fmt.Println(err)
		return
	}
	providers, err := cfg.Providers()
	if err != nil {
		fmt.Println(err)
		return
	}
	svc, err := core.NewService(providers)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, p := range svc.Providers() {
		fmt.Println(p.Provider, p.AppID)
	}

	// A partial configuration is refused, naming what is missing.
	_, err = config.Load(func(k string) (string, bool) {
		return map[string]string{"RTCTOKEN_ZOOM_SDK_KEY": "key"}[k], k == "RTCTOKEN_ZOOM_SDK_KEY"
	})
	fmt.Println(err)
	// Output:
	// agora 0123456789abcdef0123456789abcdef
	// zego 123456789
	// config: RTCTOKEN_ZOOM_SDK_SECRET is required (or RTCTOKEN_ZOOM_SDK_SECRET_FILE)
}

// ExampleVars prints the reference table of the variables.
func ExampleVars() {
	for _, v := range config.Vars() {
		if v.Vendor != "zego" {
			continue
		}
		fmt.Printf("%s required=%t secret=%t\n", v.Name, v.Required, v.Secret)
	}
	// Output:
	// RTCTOKEN_ZEGO_APP_ID required=true secret=false
	// RTCTOKEN_ZEGO_SERVER_SECRET required=true secret=true
	// RTCTOKEN_ZEGO_SERVER_SECRET_SECONDARY required=false secret=true
	// RTCTOKEN_ZEGO_MODE required=false secret=false
}
