// Package vendorcheck holds no code: its tests hand the tokens rtctoken's
// LiveKit and Twilio providers issue to the vendors' own Go modules
// (github.com/livekit/protocol and github.com/twilio/twilio-go) and the
// tokens those modules make to rtctoken's verifiers, and compare what each
// side reads. LiveKit webhooks go both ways too: LiveKit's own notifier
// posts to rtctoken's receiver over loopback HTTP, and requests signed as
// rtctoken's conformance suite signs them pass LiveKit's webhook.Receive. It is a module of its own, so that rtctoken itself does not
// require the vendor modules.
package vendorcheck
