package jsonscan_test

import (
	"errors"
	"fmt"

	"github.com/rtctoken/rtctoken/internal/jsonscan"
)

func Example() {
	body := []byte(`{"room":"caf\u00e9","ttl":60,"options":{"a":[1,2]},"room":"x"}`)
	s := jsonscan.New(body, jsonscan.Options{MaxDepth: 8})
	err := s.Object(func(key []byte) error {
		switch string(key) {
		case "room":
			v, err := s.String(nil)
			fmt.Printf("room %s\n", v)
			return err
		case "ttl":
			n, err := s.Number()
			fmt.Printf("ttl %s\n", n)
			return err
		}
		raw, err := s.Skip()
		fmt.Printf("%s %s\n", key, raw)
		return err
	})
	var dup *jsonscan.DuplicateKeyError
	if errors.As(err, &dup) {
		fmt.Printf("duplicate %q\n", dup.Key)
	}
	// Output:
	// room café
	// ttl 60
	// options {"a":[1,2]}
	// duplicate "room"
}
