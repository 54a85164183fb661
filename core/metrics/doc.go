// Package metrics exports rtctoken issuance as Prometheus metrics. A
// *Metrics implements httpapi.Observer: give it to httpapi.Config.Observer
// and register it with the host's registry (nothing is registered globally
// unless the host asks):
//
//	svc, _ := core.NewService(providers)
//	m := metrics.New(metrics.WithService(svc))
//	reg := prometheus.NewRegistry()
//	if err := m.Register(reg); err != nil {
//		return err
//	}
//	api, err := httpapi.New(httpapi.Config{Service: svc, Resolver: r, Observer: m})
//	// serve promhttp.HandlerFor(reg, promhttp.HandlerOpts{}) at /metrics
//
// The metrics, with the default namespace "rtctoken":
//
//	rtctoken_issue_requests_total{provider,kind,outcome}  counter
//	rtctoken_issue_duration_seconds{provider,kind}        histogram, 10µs to 1s
//	rtctoken_rate_limited_total{provider,kind}            counter
//	rtctoken_resolver_failures_total                      counter
//	rtctoken_webhook_events_total{vendor,type,outcome}    counter
//	rtctoken_webhook_duration_seconds{vendor,outcome}     histogram, 100µs to 10s
//
// outcome is "ok" when a credential was issued, otherwise the error code
// ("invalid_room", "forbidden", ...). Providers and kinds come from request
// paths, which clients choose, so only the providers and kinds of the
// service given with WithService become label values; anything else is
// counted as "other", as is an error code rtctoken does not define. The
// number of series is therefore bounded by the configuration.
//
// A *Metrics is also a webhook.Observer (webhook.Config.Observer). Its
// vendor and outcome labels are those core/webhook defines, anything else
// "other"; type is an event type with a handler of its own (at most
// MaxWebhookTypes per vendor), "other", or "none" for a callback that did
// not verify.
//
// Recording a request for a configured provider and kind takes two map
// lookups and no allocation: the label children are created in New.
package metrics
