package agora

import "github.com/rtctoken/rtctoken/core"

// Vendor limits on names, from the Agora documentation.
const (
	// maxChannelLen: a channel name is shorter than 64 bytes.
	maxChannelLen = 63
	// maxAccountLen: an RTC user account is at most 255 bytes.
	maxAccountLen = 255
	// maxRTMUserLen: an RTM user id is at most 64 bytes.
	maxRTMUserLen = 64
	// maxChatUserLen: a Chat user id is at most 64 bytes.
	maxChatUserLen = 64
)

// nameChars is Agora's documented character set for channel names, user
// accounts and RTM user ids: letters, digits, space and
// !#$%&()+-:;<=.>?@[]^_{|}~,
var nameChars = charset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{|}~,")

// chatChars is Agora Chat's user id character set.
var chatChars = charset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")

// hexChars are the digits of an app id or certificate, either case.
var hexChars = charset("0123456789abcdefABCDEF")

// isHex32 reports whether s has the shape of an app id or certificate.
func isHex32(s string) bool { return len(s) == 32 && only(s, &hexChars) }

func charset(s string) (t [256]bool) {
	for i := 0; i < len(s); i++ {
		t[s[i]] = true
	}
	return t
}

func only(s string, set *[256]bool) bool {
	for i := 0; i < len(s); i++ {
		if !set[s[i]] {
			return false
		}
	}
	return true
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

func checkChannel(s string) error {
	if s == "" || len(s) > maxChannelLen || !only(s, &nameChars) {
		return core.Errorf(core.CodeInvalidRoom, "room", "an Agora channel name is 1 to %d bytes of letters, digits, space and !#$%%&()+-:;<=.>?@[]^_{|}~,", maxChannelLen)
	}
	return nil
}

func checkAccount(s string) error {
	if s == "" || len(s) > maxAccountLen || !only(s, &nameChars) {
		return core.Errorf(core.CodeInvalidUser, "user_id", "an Agora user account is 1 to %d bytes of letters, digits, space and !#$%%&()+-:;<=.>?@[]^_{|}~,", maxAccountLen)
	}
	return nil
}

func checkRTMUser(s string) error {
	if s == "" || len(s) > maxRTMUserLen || !only(s, &nameChars) || s[0] == ' ' || s[len(s)-1] == ' ' || s == "null" {
		return core.Errorf(core.CodeInvalidUser, "user_id", "an Agora RTM user id is 1 to %d bytes of letters, digits, space and !#$%%&()+-:;<=.>?@[]^_{|}~, without leading or trailing spaces, and not \"null\"", maxRTMUserLen)
	}
	return nil
}

func checkChatUser(s string) error {
	if s == "" || len(s) > maxChatUserLen || !only(s, &chatChars) {
		return core.Errorf(core.CodeInvalidUser, "user_id", "an Agora Chat user id is 1 to %d bytes of letters, digits, '_', '-' and '.'", maxChatUserLen)
	}
	return nil
}
