// Command loadtest measures each adapter's token endpoints, every kind of
// every vendor, beside a bare handler of the same framework returning a
// static JSON body of the same size, over real HTTP on 127.0.0.1, in one
// run:
//
//	go run ./internal/cmd/loadtest -n 20000 -c 32 -rounds 3
//	go run ./internal/cmd/loadtest -only agora/rtc,tencent/usersig
//
// With -serve it measures rtctoken serve, signed in with a bearer JWT,
// against a bare net/http handler that verifies the same JWT, each in a
// process of its own:
//
//	go build -o /tmp/rtctoken ./cmd/rtctoken && go run ./internal/cmd/loadtest -serve /tmp/rtctoken
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime/pprof"
	"slices"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/internal/loadtest"
)

func main() {
	n := flag.Int("n", 20000, "requests per target and round")
	c := flag.Int("c", 32, "concurrent clients")
	d := flag.Duration("max", 60*time.Second, "maximum duration per target")
	rounds := flag.Int("rounds", 3, "rounds per endpoint, alternating with the bare handler; the median round is kept")
	only := flag.String("only", "", "comma-separated provider/kind list (default: every kind)")
	asJSON := flag.Bool("json", false, "print JSON")
	serveBin := flag.String("serve", "", "path of an rtctoken binary: measure `rtctoken serve` with a bearer JWT against a bare net/http handler verifying the same JWT")
	bareJWT := flag.Bool("bare-jwt", false, "run the bare JWT verifier (started by -serve)")
	cpuProfile := flag.String("cpuprofile", "", "write a CPU profile of the run (clients and servers share the process) to `file`")
	memProfile := flag.String("memprofile", "", "write an allocation profile of the run to `file`")
	flag.Parse()
	if *cpuProfile != "" {
		f, err := os.Create(*cpuProfile)
		if err != nil {
			fail(err)
		}
		if err := pprof.StartCPUProfile(f); err != nil {
			fail(err)
		}
		defer pprof.StopCPUProfile()
	}
	if *memProfile != "" {
		defer writeHeapProfile(*memProfile)
	}
	if *bareJWT {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			fail(err)
		}
		fmt.Println("listening", ln.Addr())
		fail(loadtest.BareJWT(ln))
	}
	if *serveBin != "" {
		self, err := os.Executable()
		if err != nil {
			fail(err)
		}
		s, b, err := loadtest.RunServe(context.Background(), loadtest.ServeConfig{
			Config: loadtest.Config{Requests: *n, Concurrency: *c, MaxDuration: *d, Rounds: *rounds},
			Serve:  []string{*serveBin, "serve"}, Bare: []string{self, "-bare-jwt"},
		})
		if err != nil {
			fail(err)
		}
		fmt.Println(s)
		fmt.Println(b)
		fmt.Printf("rtctoken serve / bare JWT verifier = %.0f%%\n", 100*loadtest.Ratio([]loadtest.Result{s, b})["serve tencent/usersig"])
		return
	}
	cfg := loadtest.Config{Requests: *n, Concurrency: *c, MaxDuration: *d, Rounds: *rounds}
	if *only != "" {
		api, err := loadtest.NewAPI(slog.New(slog.DiscardHandler))
		if err != nil {
			fail(err)
		}
		want := strings.Split(*only, ",")
		for _, t := range loadtest.Targets(api.Service()) {
			if slices.Contains(want, t.Name()) {
				cfg.Targets = append(cfg.Targets, t)
			}
		}
		if len(cfg.Targets) == 0 {
			fail(fmt.Errorf("no kind matches -only %q", *only))
		}
	}
	rs, err := loadtest.Run(context.Background(), cfg)
	if err != nil {
		fail(err)
	}
	if *asJSON {
		b, _ := loadtest.JSON(rs)
		fmt.Println(string(b))
		return
	}
	ratio := loadtest.Ratio(rs)
	for _, r := range rs {
		fmt.Println(r)
		if r.Target == "bare" {
			fmt.Printf("%-8s %-22s token/bare = %.0f%%\n", r.Framework, r.Endpoint, 100*ratio[r.Framework+" "+r.Endpoint])
		}
	}
}

// writeHeapProfile writes the allocation profile (alloc_space and
// alloc_objects count every allocation since the start).
func writeHeapProfile(path string) {
	f, err := os.Create(path)
	if err != nil {
		fail(err)
	}
	defer f.Close()
	if err := pprof.Lookup("allocs").WriteTo(f, 0); err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "loadtest:", err)
	os.Exit(1)
}
