package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"
)

// Exit codes. inspect uses all of them; issue and serve use 0, 1, 2 and 5.
const (
	exitOK        = 0 // valid (inspect), issued, or a clean shutdown
	exitSignature = 1 // inspect: bad signature; others: any other failure
	exitUsage     = 2 // usage error, invalid request, malformed token
	exitMismatch  = 3 // inspect: another app id, user, room or kind
	exitExpired   = 4 // inspect: expired
	exitConfig    = 5 // configuration error (environment or flags)
)

const usage = `rtctoken issues, inspects and serves real-time-communication credentials
(Tencent UserSig, Agora AccessToken2, Zoom SDK JWTs, ZEGO Token04 and Kit Tokens).

Usage:
  rtctoken issue <provider> <kind> --user ID [flags]   mint a credential
  rtctoken inspect [flags] TOKEN|-                     decode and verify a token
  rtctoken serve                                       run the token endpoints
  rtctoken version                                     print the version
  rtctoken help [command]                              show a command's help

Keys come from the RTCTOKEN_* environment variables (see "rtctoken help serve");
issue and inspect also take --app-id, --secret and --secret-file.

Exit codes:
  0  success; inspect: valid (or decoded, when no check could fail)
  1  inspect: bad signature (signed with another secret); other commands: failure
  2  usage error, invalid request or malformed token
  3  inspect: mismatch (another app id, user, room, or inconsistent claims)
  4  inspect: expired
  5  configuration error (missing or invalid variables, no provider configured)
`

// cli holds everything a command touches outside its arguments, so that
// tests run commands in-process with a pinned clock and listener.
type cli struct {
	env    func(string) (string, bool)
	stdin  io.Reader
	stdout io.Writer
	stderr io.Writer
	// now is the clock of issue, inspect and serve.
	now func() time.Time
	// loc is the zone inspect shows local times in.
	loc *time.Location
	// listen opens serve's listener.
	listen func(network, addr string) (net.Listener, error)
	// shutdownTimeout bounds serve's graceful shutdown.
	shutdownTimeout time.Duration
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.LookupEnv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns the process exit code. env has
// the shape of os.LookupEnv.
func run(ctx context.Context, args []string, env func(string) (string, bool), stdin io.Reader, stdout, stderr io.Writer) int {
	c := &cli{
		env: env, stdin: stdin, stdout: stdout, stderr: stderr,
		now: time.Now, loc: time.Local, listen: net.Listen,
		shutdownTimeout: 15 * time.Second,
	}
	return c.run(ctx, args)
}

func (c *cli) run(ctx context.Context, args []string) int {
	if len(args) == 0 {
		fmt.Fprint(c.stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "issue":
		return c.issue(ctx, args[1:])
	case "inspect":
		return c.inspect(ctx, args[1:])
	case "serve":
		return c.serve(ctx, args[1:])
	case "version":
		fmt.Fprintln(c.stdout, "rtctoken", version())
		return exitOK
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			if text, ok := commandUsage(args[1]); ok {
				fmt.Fprint(c.stdout, text)
				return exitOK
			}
			fmt.Fprintf(c.stderr, "rtctoken: unknown command %q\n", args[1])
			return exitUsage
		}
		fmt.Fprint(c.stdout, usage)
		return exitOK
	default:
		fmt.Fprintf(c.stderr, "rtctoken: unknown command %q\n\n%s", args[0], usage)
		return exitUsage
	}
}

func commandUsage(name string) (string, bool) {
	switch name {
	case "issue":
		return issueUsage, true
	case "inspect":
		return inspectUsage, true
	case "serve":
		return serveUsage(), true
	}
	return "", false
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}

// parseArgs parses fs over args, letting flags and positional arguments
// mix ("issue agora rtc --user u" as well as "issue --user u agora rtc").
// It returns the positional arguments.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// newFlags returns a silent flag set: commands print their own usage.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	return fs
}

// flagError reports a flag parsing error: the usage on stdout for -h,
// the error on stderr otherwise.
func (c *cli) flagError(cmd, text string, err error) int {
	if errors.Is(err, flag.ErrHelp) {
		fmt.Fprint(c.stdout, text)
		return exitOK
	}
	return c.usageError(cmd, "%v", err)
}

// usageError prints a usage problem and returns exitUsage.
func (c *cli) usageError(cmd, format string, args ...any) int {
	fmt.Fprintf(c.stderr, "rtctoken %s: %s\nRun 'rtctoken help %s' for usage.\n", cmd, fmt.Sprintf(format, args...), cmd)
	return exitUsage
}
