package main

import (
	"testing"

	"github.com/gin-gonic/gin"
	"github.com/rtctoken/rtctoken/internal/demo"
	"github.com/rtctoken/rtctoken/internal/demo/demotest"
)

func start(t *testing.T, env *demo.Env) string {
	gin.SetMode(gin.TestMode)
	app, err := newApp(env)
	if err != nil {
		t.Fatal(err)
	}
	return demotest.ServeHTTP(t, app)
}

func TestExample(t *testing.T) { demotest.Run(t, start) }

func TestBrowser(t *testing.T) { demotest.RunBrowser(t, start) }
