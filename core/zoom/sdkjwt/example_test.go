package sdkjwt_test

import (
	"fmt"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/zoom/sdkjwt"
)

// The signer: claims in, token out, with no clock involved.
func ExampleSignVideo() {
	tok, err := sdkjwt.SignVideo("Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j", sdkjwt.VideoClaims{
		AppKey: "VIDEO_SDK_KEY_TEST", RoleType: 0, Topic: "s",
		IssuedAt: 1700000000, ExpiresAt: 1700000000 + 7200,
	})
	if err != nil {
		panic(err)
	}
	j, err := sdkjwt.Authenticate(tok, core.NewSecret("Z8xYqL3mN0pR5sT7vW9aB2cD4eF6gH1j"))
	if err != nil {
		panic(err)
	}
	fmt.Println(j.Video.Topic, j.Video.ExpiresAt-j.Video.IssuedAt, j.Validate())
	// Output:
	// s 7200 <nil>
}
