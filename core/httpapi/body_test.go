package httpapi

import (
	"bytes"
	"errors"
	"io"
	"strings"
	"testing"
	"testing/iotest"
)

// TestReadLimited reads as io.ReadAll(io.LimitReader(r, limit)) does,
// whatever the reader's chunks and the buffer it starts from.
func TestReadLimited(t *testing.T) {
	for _, n := range []int{0, 1, 511, 512, 513, 4096, 20000} {
		body := strings.Repeat("x", n)
		for _, limit := range []int64{0, 1, 512, 513, 16 << 10, 1 << 20} {
			want, _ := io.ReadAll(io.LimitReader(strings.NewReader(body), limit))
			for name, r := range map[string]io.Reader{
				"whole":    strings.NewReader(body),
				"one byte": iotest.OneByteReader(strings.NewReader(body)),
				"half":     iotest.HalfReader(strings.NewReader(body)),
				"data eof": iotest.DataErrReader(strings.NewReader(body)),
			} {
				got, err := readLimited(make([]byte, 0, 3), r, limit)
				if err != nil || !bytes.Equal(got, want) {
					t.Errorf("%s n=%d limit=%d: %d bytes, %v; want %d bytes", name, n, limit, len(got), err, len(want))
				}
			}
		}
	}
	boom := errors.New("boom")
	if _, err := readLimited(nil, iotest.ErrReader(boom), 10); err != boom {
		t.Errorf("error %v, want %v", err, boom)
	}
}

// TestReadBodyCopies hands out a body that no later request overwrites.
func TestReadBodyCopies(t *testing.T) {
	a := &API{maxBody: DefaultMaxBody}
	first, err := a.readBody(strings.NewReader(`{"room":"a"}`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.readBody(strings.NewReader(`{"room":"b"}`)); err != nil {
		t.Fatal(err)
	}
	if string(first) != `{"room":"a"}` {
		t.Errorf("first body now %q", first)
	}
}
