package accesstoken_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/rtctoken/rtctoken/core/agora/accesstoken"
)

// The vendor-style builder, with the issue time and salt of the vendor's
// own test (issueTs 1111111, salt 1).
func ExampleBuilder_RTCWithUID() {
	b := accesstoken.Builder{
		AppID:       "970CA35de60c44645bbae8a215061b33",
		Certificate: "5CFd2fd1755d40ecb72977518be15d3b",
		Now:         time.Unix(1111111, 0),
		Rand:        strings.NewReader("\x00\x00\x00\x00"), // salt 1
	}
	tok, err := b.RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, accesstoken.RolePublisher, 600, 600)
	if err != nil {
		panic(err)
	}
	fmt.Println(tok)
	// Output:
	// 007eJxTYDhuGCT90E3Yo2+N3efJV5hX1K1MZAqae/Sa8UP9VXvOhfArMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgYmBgZABhRgYWBkYwnwlMMoNJFjCpwGCeYm5kbGaammRpYWxiYWpsaZ5qnGqcZpliYmaQlJKSyMVgZGFhZGxiaGRuDACosyXL
}

// CompressZlib gives the bytes of the vendor's Go generator: here the
// token of its own test.
func ExampleCompression() {
	b := accesstoken.Builder{
		AppID:       "970CA35de60c44645bbae8a215061b33",
		Certificate: "5CFd2fd1755d40ecb72977518be15d3b",
		Now:         time.Unix(1111111, 0),
		Rand:        strings.NewReader("\x00\x00\x00\x00"), // salt 1
		Compression: accesstoken.CompressZlib,
	}
	tok, err := b.RTCWithUID("7d72365eb983485397e3e3f9d460bdda", 2882341273, accesstoken.RolePublisher, 600, 600)
	if err != nil {
		panic(err)
	}
	fmt.Println(tok)
	// Output:
	// 007eJxSYDhuGCT90E3Yo2+N3efJV5hX1K1MZAqae/Sa8UP9VXvOhfArMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgYmBgZABhRgYWBkYwnwlMMoNJFjCpwGCeYm5kbGaammRpYWxiYWpsaZ5qnGqcZpliYmaQlJKSyMVgZGFhZGxiaGRuDAgAAP//qLMlyw==
}

func ExampleVerify() {
	tok := "007eJxSYDhuGCT90E3Yo2+N3efJV5hX1K1MZAqae/Sa8UP9VXvOhfArMFiaGzg7GpumpJoZJJuYmJmYJiUlplokGhmaGpgZJhkbu38RYIhgYmBgZABhRgYWBkYwnwlMMoNJFjCpwGCeYm5kbGaammRpYWxiYWpsaZ5qnGqcZpliYmaQlJKSyMVgZGFhZGxiaGRuDAgAAP//qLMlyw=="
	d, err := accesstoken.Verify(tok, accesstoken.VerifyParams{
		AppID:        "970CA35de60c44645bbae8a215061b33",
		Certificates: []string{"5CFd2fd1755d40ecb72977518be15d3b"},
		Now:          time.Unix(1111200, 0),
	})
	if err != nil {
		panic(err)
	}
	rtc, _ := d.Service(accesstoken.ServiceRTC)
	fmt.Println(rtc.Channel, rtc.UID, len(rtc.Privileges))
	_, err = accesstoken.Verify(tok, accesstoken.VerifyParams{
		AppID:        "970CA35de60c44645bbae8a215061b33",
		Certificates: []string{"5CFd2fd1755d40ecb72977518be15d3b"},
		Now:          time.Unix(1111712, 0),
	})
	fmt.Println(err)
	// Output:
	// 7d72365eb983485397e3e3f9d460bdda 2882341273 4
	// rtctoken: token expired: agora: the token expired
}
