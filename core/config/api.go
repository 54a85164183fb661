package config

import (
	"errors"
	"fmt"
	"os"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
)

// NewAPI is the common case in one call: the vendors configured in the
// environment (FromEnv, each provider built once), a core.Service over
// them with opts, and an httpapi.API on top with api, ready to mount with
// an adapter. api.Resolver is required and api.Service must be left nil:
// NewAPI fills it.
//
// Every problem is reported at once, joined: each faulty or missing
// variable by name (never its value), and the API's own configuration.
func NewAPI(api httpapi.Config, opts ...core.Option) (*httpapi.API, error) {
	var errs []error
	if api.Service != nil {
		errs = append(errs, fmt.Errorf("%w: config: NewAPI builds the Service; leave httpapi.Config.Service nil", core.ErrConfig))
	}
	if api.Resolver == nil {
		errs = append(errs, fmt.Errorf("%w: config: httpapi.Config.Resolver is required", core.ErrConfig))
	}
	_, providers, err := load(os.LookupEnv)
	if err != nil {
		errs = append(errs, err)
	} else if len(providers) == 0 {
		errs = append(errs, fmt.Errorf("%w: config: no vendor is configured (set the RTCTOKEN_* variables of at least one)", core.ErrConfig))
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	svc, err := core.NewService(providers, opts...)
	if err != nil {
		return nil, err
	}
	api.Service = svc
	return httpapi.New(api)
}
