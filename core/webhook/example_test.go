package webhook_test

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/webhook"
)

// A receiver for Agora's notifications: joins are handled, every other
// event is acknowledged and counted. An adapter serves it, e.g.
// mux.Handle("/webhooks/agora", nethttp.Webhook(rc)).
func ExampleNew() {
	scheme, err := webhook.Agora(webhook.AgoraConfig{Secret: core.NewSecret("ncs-secret-from-the-console")})
	if err != nil {
		panic(err)
	}
	rc, err := webhook.New(webhook.Config{
		Scheme: scheme,
		Handlers: map[string]webhook.Handler{
			"1:103": webhook.HandlerFunc(func(ctx context.Context, ev webhook.Event) error {
				// ev.Payload is the raw, verified body.
				return nil
			}),
		},
		Logger: slog.Default(),
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(rc.Vendor(), rc.MaxBody())
	// Output: agora 1048576
}

// Zoom's endpoint challenge is answered by the scheme, after its signature
// verified.
func ExampleZoom() {
	const secret = "zoom-secret-token"
	scheme, err := webhook.Zoom(webhook.ZoomConfig{Secret: core.NewSecret(secret)})
	if err != nil {
		panic(err)
	}
	rc, err := webhook.New(webhook.Config{Scheme: scheme, Logger: slog.New(slog.DiscardHandler), Now: func() time.Time { return time.Unix(1796169600, 0) }})
	if err != nil {
		panic(err)
	}
	body := `{"event":"endpoint.url_validation","payload":{"plainToken":"abc"},"event_ts":1796169600000}`
	r := newRequest(map[string]string{
		"x-zm-request-timestamp": "1796169600",
		"x-zm-signature":         signZoom(secret, "1796169600", []byte(body)),
	}, "")
	resp := rc.Serve(r, strings.NewReader(body))
	fmt.Println(resp.Status, string(resp.Body))
	// Output: 200 {"plainToken":"abc","encryptedToken":"e35f3205d293600b15e8525e94cffce96d874886559447ffdfb46eaee13d381b"}
}
