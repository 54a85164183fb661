package httpapitest

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"io"
	"net/http"
	"runtime"
	"sync"
	"testing"

	"github.com/rtctoken/rtctoken/core/httpapi"
)

// bombSize is how large the JSON inside the compression bomb is once fully
// inflated.
const bombSize = 64 << 20

// BombEncoding is the Content-Encoding sent with the bomb, listing its
// layers from the outside in, the order in which fiber's c.Body() undoes
// them.
const BombEncoding = "gzip, gzip, deflate"

// MaxBombGrowth bounds what the whole process may allocate while the
// contract answers one bomb.
const MaxBombGrowth = 4 << 20

var bombOnce = sync.OnceValues(func() ([]byte, error) {
	// A JSON object with a 64 MiB room, deflated, then gzipped twice:
	// under a kilobyte on the wire.
	var json bytes.Buffer
	json.WriteString(`{"room":"`)
	json.Write(bytes.Repeat([]byte{'a'}, bombSize-len(`{"room":""}`)))
	json.WriteString(`"}`)
	layer := json.Bytes()
	for _, wrap := range []func(io.Writer) (io.WriteCloser, error){
		func(w io.Writer) (io.WriteCloser, error) { return zlib.NewWriterLevel(w, zlib.BestCompression) },
		func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriterLevel(w, gzip.BestCompression) },
		func(w io.Writer) (io.WriteCloser, error) { return gzip.NewWriterLevel(w, gzip.BestCompression) },
	} {
		var out bytes.Buffer
		w, err := wrap(&out)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(layer); err != nil {
			return nil, err
		}
		if err := w.Close(); err != nil {
			return nil, err
		}
		layer = out.Bytes()
	}
	return layer, nil
})

// Bomb returns the compression bomb the suite sends: under a kilobyte,
// sent with Content-Encoding BombEncoding, that inflates to a 64 MiB JSON
// object. The contract must refuse it unread (415); a host route that reads
// its own body through httpapi.API.ReadBody must too.
func Bomb() ([]byte, error) { return bombOnce() }

func mustBomb(t testing.TB) []byte {
	t.Helper()
	b, err := bombOnce()
	must(t, err)
	return b
}

func gzipped(t testing.TB, s string) []byte {
	t.Helper()
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	_, err := io.WriteString(w, s)
	must(t, err)
	must(t, w.Close())
	return out.Bytes()
}

// bodyCases are the table rows about how request bodies are sent: the
// contract reads the raw body and refuses any Content-Encoding but
// identity, and every POST, an empty one included, must be
// application/json, so that neither a compression bomb nor a cross-site
// form can reach the resolver or the rate budget. Both hold whether the
// caller is signed in or not.
func bodyCases(t testing.TB) []Case {
	encoding := func(v string) [][2]string { return [][2]string{{"Content-Encoding", v}} }
	victim := &http.Cookie{Name: sessionCookie, Value: validSession}
	const usersig = "/rtc/tencent/usersig"
	return []Case{
		// Content-Encoding.
		{Name: "compression bomb anonymous", Method: "POST", Path: "/rtc/agora/rtc", RawBody: mustBomb(t), HeaderLines: encoding(BombEncoding), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "compression bomb signed in", Method: "POST", Path: "/rtc/agora/rtc", RawBody: mustBomb(t), HeaderLines: encoding(BombEncoding), Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "compression bomb in a batch", Method: "POST", Path: "/rtc/batch", RawBody: mustBomb(t), HeaderLines: encoding(BombEncoding), Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "gzip body", Method: "POST", Path: usersig, RawBody: gzipped(t, `{}`), HeaderLines: encoding("gzip"), Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "encoding on a second header line", Method: "POST", Path: usersig, RawBody: gzipped(t, `{}`), HeaderLines: [][2]string{{"Content-Encoding", "identity"}, {"Content-Encoding", "gzip"}}, Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "encoding in upper case", Method: "POST", Path: usersig, RawBody: gzipped(t, `{}`), HeaderLines: encoding("GZIP"), Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "brotli refused unread", Method: "POST", Path: usersig, Body: `{}`, HeaderLines: encoding("br"), Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "encoding on an empty body", Method: "POST", Path: usersig, HeaderLines: encoding("gzip"), Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Encoding"},
		{Name: "identity encoding", Method: "POST", Path: usersig, Body: `{}`, HeaderLines: encoding("identity"), Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "empty encoding", Method: "POST", Path: usersig, Body: `{}`, HeaderLines: encoding(""), Headers: alice(), Status: 200, WantUser: "alice"},

		// Content-Type on every POST, an empty body included.
		{Name: "empty body without content type anonymous", Method: "POST", Path: usersig, ContentType: "-", Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "empty body without content type signed in", Method: "POST", Path: usersig, ContentType: "-", Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "empty body as JSON with charset", Method: "POST", Path: usersig, ContentType: "application/json; charset=utf-8", Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "empty body as a +json type", Method: "POST", Path: usersig, ContentType: "application/vnd.example+json", Headers: alice(), Status: 200, WantUser: "alice"},
		{Name: "cross-site empty form with the victim's cookie", Method: "POST", Path: usersig, ContentType: "application/x-www-form-urlencoded", Cookie: victim, Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "cross-site text/plain with the victim's cookie", Method: "POST", Path: usersig, Body: `{}`, ContentType: "text/plain", Cookie: victim, Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "cross-site multipart with the victim's cookie", Method: "POST", Path: usersig, ContentType: "multipart/form-data; boundary=x", Cookie: victim, Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "cross-site empty batch with the victim's cookie", Method: "POST", Path: "/rtc/batch", ContentType: "text/plain", Cookie: victim, Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "content type sent twice", Method: "POST", Path: usersig, Body: `{}`, HeaderLines: [][2]string{{"Content-Type", "text/plain"}}, Headers: alice(), Status: 415, Code: httpapi.CodeUnsupportedMedia, Field: "Content-Type"},
		{Name: "the victim's cookie with JSON", Method: "POST", Path: usersig, ContentType: "application/json", Cookie: victim, Status: 200, WantUser: "carol"},
	}
}

// bodyChecks sends the compression bomb over real HTTP, anonymous and
// signed in, and measures what the whole process allocates while it is
// answered: the contract must refuse it without inflating it.
func bodyChecks(t *testing.T, api *httpapi.API, client *http.Client, base string) {
	for _, tc := range []struct {
		name    string
		headers map[string]string
	}{{"anonymous", nil}, {"signed in", alice()}} {
		t.Run("compression bomb memory "+tc.name, func(t *testing.T) {
			c := Case{Method: "POST", Path: "/rtc/agora/rtc", RawBody: mustBomb(t), HeaderLines: [][2]string{{"Content-Encoding", BombEncoding}}, Headers: tc.headers}
			var status int
			grown := AllocatedBy(func() { status, _, _ = Do(t, client, base, c) })
			t.Logf("%d-byte bomb (%d MiB inflated): %d, process allocated %.1f KiB", len(c.RawBody), bombSize>>20, status, float64(grown)/1024)
			if status != http.StatusUnsupportedMediaType {
				t.Fatalf("status %d, want 415", status)
			}
			if grown > MaxBombGrowth {
				t.Fatalf("the process allocated %d bytes answering a %d-byte request (bound %d)", grown, len(c.RawBody), MaxBombGrowth)
			}
		})
	}
}

// AllocatedBy reports how many bytes the whole process allocated while f
// ran (runtime.MemStats.TotalAlloc, which counts what was collected too).
func AllocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
