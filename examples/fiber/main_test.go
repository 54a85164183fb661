package main

import (
	"net"
	"testing"

	"github.com/rtctoken/rtctoken/internal/demo"
	"github.com/rtctoken/rtctoken/internal/demo/demotest"
)

func start(t *testing.T, env *demo.Env) string {
	app, err := newApp(env)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	return "http://" + ln.Addr().String()
}

func TestExample(t *testing.T) { demotest.Run(t, start) }

func TestBrowser(t *testing.T) { demotest.RunBrowser(t, start) }
