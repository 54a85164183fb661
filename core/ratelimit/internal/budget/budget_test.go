package budget

import (
	"errors"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

func TestSelect(t *testing.T) {
	c := New()
	c.SetScope("user", 1, 5)
	c.SetKind("agora", "rtc", 2, 6, nil)
	c.SetKind("zoom", "", 3, 7, []string{"user"})
	c.SetKind("zoom", "", 4, 8, []string{"user"}) // replaces the previous one
	c.SetPer(Provider)
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		key  httpapi.LimitKey
		want Bucket
	}{
		{httpapi.LimitKey{Scope: "user", Subject: "a", Provider: "agora", Kind: "rtc"}, Bucket{Budget{2, 6}, "user", "agora", "rtc"}},
		{httpapi.LimitKey{Scope: "user", Subject: "a", Provider: "agora", Kind: "rtm"}, Bucket{Budget{1, 5}, "user", "agora", "*"}},
		{httpapi.LimitKey{Scope: "user", Subject: "a", Provider: "zoom", Kind: "video"}, Bucket{Budget{4, 8}, "user", "zoom", "*"}},
		{httpapi.LimitKey{Scope: "ip", Subject: "a", Provider: "zoom", Kind: "video"}, Bucket{DefaultIP, "ip", "zoom", "*"}},
		{httpapi.LimitKey{Scope: "ip", Subject: "a", Provider: "agora", Kind: "rtc"}, Bucket{Budget{2, 6}, "ip", "agora", "rtc"}},
		{httpapi.LimitKey{Scope: "ip", Subject: "a", Provider: "a:b", Kind: "*"}, Bucket{DefaultIP, "ip", "a%3Ab", "*"}},
	}
	for _, tt := range tests {
		got, err := c.Select(tt.key)
		if err != nil || got != tt.want {
			t.Errorf("Select(%+v) = %+v, %v; want %+v", tt.key, got, err, tt.want)
		}
	}
	if _, err := c.Select(httpapi.LimitKey{Scope: "tenant"}); core.CodeOf(err) != core.CodeInternal {
		t.Errorf("unknown scope: %v", err)
	}
}

func TestFirstErrorKept(t *testing.T) {
	c := New()
	c.SetScope("user", 0, 1)
	c.SetScope("", 1, 1)
	err := c.Err()
	if !errors.Is(err, core.ErrConfig) || !strings.Contains(err.Error(), "rate must be positive") {
		t.Fatalf("got %v", err)
	}
}

func TestEscapeAndKey(t *testing.T) {
	for in, want := range map[string]string{
		"agora":  "agora",
		"rtc_v2": "rtc_v2",
		"a:b":    "a%3Ab",
		"*":      "%2A",
		"%":      "%25",
		"é":      "%C3%A9",
		"":       "",
	} {
		if got := Escape(in); got != want {
			t.Errorf("Escape(%q) = %q, want %q", in, got, want)
		}
	}
	long := strings.Repeat("k", maxName+1)
	if got := Escape(long); len(got) != 33 || got[0] != '#' || got == Escape(long+"x") {
		t.Errorf("Escape(long) = %q", got)
	}
	if n := testing.AllocsPerRun(100, func() { _ = Escape("agora") }); n != 0 {
		t.Errorf("Escape of a plain name allocates %v times", n)
	}
	b := Bucket{Scope: "user", Provider: "*", Kind: "*"}
	if got := string(b.AppendKey([]byte("p:"), "alice:x")); got != "p:user:*:*:alice:x" {
		t.Errorf("AppendKey = %q", got)
	}
	if got := b.AppendKey(nil, strings.Repeat("u", maxSubject+1)); len(got) != len("user:*:*:")+33 {
		t.Errorf("AppendKey(long subject) = %q", got)
	}
}

func TestInterval(t *testing.T) {
	for r, want := range map[rate.Limit]time.Duration{
		rate.Every(time.Hour): time.Hour,
		3:                     333333333,
		1e12:                  1,
	} {
		if got := (Budget{Rate: r, Burst: 1}).Interval(); got != want {
			t.Errorf("Interval(%v) = %v, want %v", r, got, want)
		}
	}
}
