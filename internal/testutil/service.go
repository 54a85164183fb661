package testutil

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rtctoken/rtctoken/core"
)

// PinnedService is a core.Service over p whose clock stands at now, with
// opts.
func PinnedService(t testing.TB, now time.Time, p core.Provider, opts ...core.Option) *core.Service {
	t.Helper()
	svc, err := core.NewService([]core.Provider{p}, append([]core.Option{core.WithClock(func() time.Time { return now })}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return svc
}

// TextPieces are what RandText makes texts of: JSON and HTML specials,
// non-ASCII, a no-break space and a character outside the BMP.
var TextPieces = []string{"a", "Z", "7", " ", "-", "_", "\"", "\\", "/", "<", ">", "&", "'", "é", "会", "😀", "\u00a0"}

// RandText returns min to max pieces of TextPieces.
func RandText(r *rand.Rand, min, max int) string {
	var b strings.Builder
	for range min + r.IntN(max-min+1) {
		b.WriteString(TextPieces[r.IntN(len(TextPieces))])
	}
	return b.String()
}
