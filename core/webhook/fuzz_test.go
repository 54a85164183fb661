package webhook_test

import (
	"errors"
	"testing"

	"github.com/rtctoken/rtctoken/core/webhook"
)

// fuzzVerify checks that a scheme's Verify never panics and that every
// refusal is one of the three classes. The fuzzer varies the body and two
// inputs that place puts where the vendor sends its signature and time.
func fuzzVerify(f *testing.F, vendor string, place func(a, b string) *fakeRequest, seed func(r *fakeRequest) (a, b string)) {
	var sd sender
	for _, s := range senders {
		if s.vendor == vendor {
			sd = s
		}
	}
	s := sd.must(f, "primarySecret1", "secondarySecret2", 0)
	r, body := sd.sign("primarySecret1", t0, "m")
	a, b := seed(r)
	f.Add(body, a, b)
	f.Add([]byte(`{}`), "", "")
	f.Add([]byte(`[`), a, "x")
	f.Add([]byte(`{"a":1e400,"b":"\ud800"}`), a+"0", b+"9")
	for _, v := range vectors(f, vendor) {
		a, b := seed(v.request())
		f.Add(v.body(f), a, b)
	}
	f.Fuzz(func(t *testing.T, body []byte, a, b string) {
		v, err := s.Verify(place(a, b), body, t0)
		if err != nil {
			if classOf(err) == "" || !(errors.Is(err, webhook.ErrMalformed) || errors.Is(err, webhook.ErrSignature) || errors.Is(err, webhook.ErrStale)) {
				t.Fatalf("unclassified error %v", err)
			}
			return
		}
		if string(v.Event.Payload) != string(body) || v.Event.Vendor != vendor {
			t.Fatalf("verified event %+v does not carry the body", v.Event)
		}
	})
}

func FuzzAgoraVerify(f *testing.F) {
	fuzzVerify(f, "agora",
		func(a, b string) *fakeRequest {
			return newRequest(map[string]string{"Agora-Signature-V2": a, "Agora-Signature": b}, "")
		},
		func(r *fakeRequest) (string, string) {
			return r.Header("Agora-Signature-V2"), r.Header("Agora-Signature")
		})
}

func FuzzTencentChatVerify(f *testing.F) {
	fuzzVerify(f, "tencent_chat",
		func(a, b string) *fakeRequest { return newRequest(nil, a+b) },
		func(r *fakeRequest) (string, string) { return r.RawQuery(), "" })
}

func FuzzTRTCVerify(f *testing.F) {
	fuzzVerify(f, "trtc",
		func(a, b string) *fakeRequest { return newRequest(map[string]string{"Sign": a, "SdkAppId": b}, "") },
		func(r *fakeRequest) (string, string) { return r.Header("Sign"), r.Header("SdkAppId") })
}

func FuzzZoomVerify(f *testing.F) {
	fuzzVerify(f, "zoom",
		func(a, b string) *fakeRequest {
			return newRequest(map[string]string{"x-zm-signature": a, "x-zm-request-timestamp": b}, "")
		},
		func(r *fakeRequest) (string, string) {
			return r.Header("x-zm-signature"), r.Header("x-zm-request-timestamp")
		})
}

func FuzzZegoVerify(f *testing.F) {
	fuzzVerify(f, "zego",
		func(a, b string) *fakeRequest { return newRequest(map[string]string{"Content-Type": a}, "") },
		func(r *fakeRequest) (string, string) { return r.Header("Content-Type"), "" })
}

func FuzzLiveKitVerify(f *testing.F) {
	fuzzVerify(f, "livekit",
		func(a, b string) *fakeRequest { return newRequest(map[string]string{"Authorization": a + b}, "") },
		func(r *fakeRequest) (string, string) { return r.Header("Authorization"), "" })
}
