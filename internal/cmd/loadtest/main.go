// Command loadtest measures each adapter's token endpoint beside a bare
// handler of the same framework returning a static JSON body of the same
// size, over real HTTP on 127.0.0.1, in one run:
//
//	go run ./internal/cmd/loadtest -n 50000 -c 32
//	go run ./internal/cmd/loadtest -path /agora/rtc -body '{"room":"chan1"}'
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"time"

	"github.com/rtctoken/rtctoken/internal/loadtest"
)

func main() {
	n := flag.Int("n", 20000, "requests per target")
	c := flag.Int("c", 32, "concurrent clients")
	d := flag.Duration("max", 60*time.Second, "maximum duration per target")
	path := flag.String("path", "/tencent/usersig", "token endpoint below /rtc")
	body := flag.String("body", "{}", "JSON request body")
	asJSON := flag.Bool("json", false, "print JSON")
	flag.Parse()
	rs, err := loadtest.Run(context.Background(), loadtest.Config{Requests: *n, Concurrency: *c, MaxDuration: *d, Path: *path, Body: *body})
	if err != nil {
		fmt.Fprintln(os.Stderr, "loadtest:", err)
		os.Exit(1)
	}
	if *asJSON {
		b, _ := loadtest.JSON(rs)
		fmt.Println(string(b))
		return
	}
	for _, r := range rs {
		fmt.Println(r)
	}
	for fw, ratio := range loadtest.Ratio(rs) {
		fmt.Printf("%-8s token/bare = %.0f%%\n", fw, ratio*100)
	}
}
