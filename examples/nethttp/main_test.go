package main

import (
	"testing"

	"github.com/rtctoken/rtctoken/internal/demo"
	"github.com/rtctoken/rtctoken/internal/demo/demotest"
)

func start(t *testing.T, env *demo.Env) string {
	h, err := newApp(env)
	if err != nil {
		t.Fatal(err)
	}
	return demotest.ServeHTTP(t, h)
}

func TestExample(t *testing.T) { demotest.Run(t, start) }

func TestBrowser(t *testing.T) { demotest.RunBrowser(t, start) }
