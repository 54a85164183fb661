package demotest

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromium returns the path of a Chromium or Chrome binary, or "".
func chromium() string {
	for _, name := range []string{"/usr/bin/chromium", "chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Timeouts of the browser test: the whole session, and each step.
const (
	browserBudget = 45 * time.Second
	stepBudget    = 10 * time.Second
)

// RunBrowser drives the demo page of the app start serves in headless
// Chromium: sign in as alice, request an Agora RTC credential for a
// channel, check the claims the server decoded, the live countdown, and
// that Renew replaces the token; then sign out. It skips when no Chromium
// is installed. The browser only ever loads the app on 127.0.0.1.
func RunBrowser(t *testing.T, start Start) {
	exe := chromium()
	if exe == "" {
		if os.Getenv("RTCTOKEN_REQUIRE_CHROMIUM") != "" {
			t.Fatal("no chromium binary found, and RTCTOKEN_REQUIRE_CHROMIUM is set")
		}
		t.Skip("no chromium binary found (looked for /usr/bin/chromium, chromium, chromium-browser, google-chrome)")
	}
	base := start(t, NewEnv(t))

	ctx, cancel := context.WithTimeout(context.Background(), browserBudget)
	defer cancel()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Resolve nothing but the loopback address the app listens on.
		chromedp.Flag("host-resolver-rules", "MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	defer cancelAlloc()
	bctx, cancelBrowser := chromedp.NewContext(actx)
	defer cancelBrowser()

	// Collect the page's errors (exceptions, console errors, CSP
	// violations) while the test runs.
	var mu sync.Mutex
	var pageErrors []string
	messages := chromedp.Console(bctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			// The page asks GET /api/me on load to learn whether it
			// is signed in: its 401 is expected, not an error.
			anonymous := m.Source == "network" && strings.HasSuffix(m.URL, "/api/me") && strings.Contains(m.Text, "401")
			if (m.IsException() || m.Type == "error") && !anonymous {
				mu.Lock()
				pageErrors = append(pageErrors, m.String())
				mu.Unlock()
			}
		}
	}()

	// Start the browser on the session's context: it lives as long as the
	// context of the first call, so the steps' shorter ones come after.
	if err := chromedp.Do(bctx); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	b := &browser{t: t, ctx: bctx}
	b.do("open the page", chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("#login-form")))
	b.do("sign in",
		chromedp.SendKeys(chromedp.CSS("#username"), "alice"),
		chromedp.SendKeys(chromedp.CSS("#password"), "alice-password"),
		chromedp.Click(chromedp.CSS("#login-submit")),
		chromedp.WaitVisible(chromedp.CSS("#app")),
		// The presets issued at login are shown and decoded.
		chromedp.WaitVisible(chromedp.CSS(`#cred-agora-rtm[data-decoded="valid"]`)),
	)
	if who := b.text("#whoami"); !strings.Contains(who, "alice") {
		t.Fatalf("signed in as %q", who)
	}
	if banner := b.text("#demo-banner"); !strings.Contains(banner, "no vendor accepts them") {
		t.Fatalf("demo banner %q", banner)
	}

	const form = `form.kind[data-provider="agora"][data-kind="rtc"]`
	const card = "#cred-agora-rtc"
	b.do("request an Agora RTC credential",
		chromedp.SetValue(chromedp.CSS(form+` input[name="room"]`), "chan1"),
		chromedp.SetValue(chromedp.CSS(form+` select[name="role"]`), "publisher"),
		chromedp.Click(chromedp.CSS(form+` button[data-action="issue"]`)),
		chromedp.WaitVisible(chromedp.CSS(card+`[data-decoded="valid"]`)),
	)
	for field, want := range map[string]string{
		"verified": "valid", "decoded-user": "alice", "decoded-room": "chan1",
		"user": "alice", "room": "chan1", "role": "publisher",
	} {
		if got := b.text(card + ` [data-field="` + field + `"]`); got != want {
			t.Errorf("%s: %q, want %q", field, got, want)
		}
	}
	if claims := b.textContent(card + ` [data-field="claims"]`); !strings.Contains(claims, `"channel_name": "chan1"`) {
		t.Errorf("claims do not name the channel: %s", claims)
	}
	if join := b.textContent(card + ` [data-field="join"]`); !strings.Contains(join, `"channel": "chan1"`) {
		t.Errorf("join parameters: %s", join)
	}

	// The countdown to renew_after is shown and ticks.
	countdown := card + ` [data-field="countdown"]`
	first := b.text(countdown)
	if !regexp.MustCompile(`^(\d+h )?\d+m \d+s$`).MatchString(first) {
		t.Fatalf("countdown %q", first)
	}
	b.poll("the countdown ticks", `document.querySelector(`+jsString(countdown)+`).textContent !== `+jsString(first))

	token := b.attr(card+` [data-field="token"]`, "data-token")
	if !strings.HasPrefix(token, "007") {
		t.Fatalf("token %q", token)
	}
	if shown := b.text(card + ` [data-field="token"]`); len(shown) >= len(token) || !strings.HasPrefix(token, strings.TrimSuffix(shown[:20], "…")) {
		t.Errorf("token shown as %q", shown)
	}
	b.do("renew", chromedp.Click(chromedp.CSS(card+` button[data-action="renew"]`)))
	b.poll("the token is replaced", `document.querySelector(`+jsString(card+` [data-field="token"]`)+`).dataset.token !== `+jsString(token))
	b.do("the new token is decoded", chromedp.WaitVisible(chromedp.CSS(card+`[data-decoded="valid"]`)))
	if n := b.text(card + ` [data-field="renewals"]`); n != "1" {
		t.Errorf("renewals %q", n)
	}
	if got := b.text(card + ` [data-field="decoded-room"]`); got != "chan1" {
		t.Errorf("renewed credential's room %q", got)
	}

	b.do("sign out", chromedp.Click(chromedp.CSS("#logout")), chromedp.WaitVisible(chromedp.CSS("#login-form")))
	if n := b.count(".credential"); n != 0 {
		t.Errorf("%d credentials left on the page after sign-out", n)
	}

	mu.Lock()
	defer mu.Unlock()
	for _, e := range pageErrors {
		t.Errorf("page error: %s", e)
	}
}

// browser runs bounded steps in one tab.
type browser struct {
	t   *testing.T
	ctx context.Context
}

func (b *browser) do(step string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepBudget)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("%s: %v", step, err)
	}
}

func run[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, stepBudget)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

func (b *browser) text(sel string) string {
	b.t.Helper()
	return strings.TrimSpace(run(b, "text of "+sel, chromedp.Text(chromedp.CSS(sel))))
}

func (b *browser) textContent(sel string) string {
	b.t.Helper()
	return run(b, "text of "+sel, chromedp.TextContent(chromedp.CSS(sel)))
}

func (b *browser) attr(sel, name string) string {
	b.t.Helper()
	return run(b, name+" of "+sel, chromedp.AttributeValue(chromedp.CSS(sel), name)).Value
}

func (b *browser) count(sel string) int {
	b.t.Helper()
	return run(b, "count of "+sel, chromedp.Evaluate[int](`document.querySelectorAll(`+jsString(sel)+`).length`))
}

func (b *browser) poll(what, expr string) {
	b.t.Helper()
	run(b, what, chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(stepBudget)))
}

func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}
