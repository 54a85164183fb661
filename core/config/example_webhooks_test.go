package config_test

import (
	"fmt"
	"log"

	"github.com/rtctoken/rtctoken/core/config"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// ExampleLoadWebhooks builds a receiver for each webhook configured in the
// environment, to mount at /webhooks/<vendor>.
func ExampleLoadWebhooks() {
	env := map[string]string{ // os.LookupEnv in a deployment
		"RTCTOKEN_ZOOM_WEBHOOK_SECRET":  "the app's Secret Token",
		"RTCTOKEN_AGORA_NCS_SECRET":     "the NCS secret",
		"RTCTOKEN_AGORA_NCS_WINDOW":     "2m",
		"RTCTOKEN_ZEGO_CALLBACK_WINDOW": "", // empty counts as unset
	}
	hooks, err := config.LoadWebhooks(func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	if err != nil {
		log.Fatal(err) // names each faulty variable, never its value
	}
	schemes, err := hooks.Schemes()
	if err != nil {
		log.Fatal(err)
	}
	for _, vendor := range hooks.Enabled() {
		rc, err := webhook.New(webhook.Config{Scheme: schemes[vendor]})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println("/webhooks/"+vendor, rc.Vendor())
	}
	// Output:
	// /webhooks/agora agora
	// /webhooks/zoom zoom
}
