package agora

import "github.com/rtctoken/rtctoken/core"

// Vendor limits on names, from the Agora documentation.
const (
	// MaxChannelLen: a channel name is shorter than 64 bytes.
	MaxChannelLen = 63
	// MaxAccountLen: an RTC user account is at most 255 bytes.
	MaxAccountLen = 255
	// MaxRTMUserLen: an RTM user id is at most 64 bytes.
	MaxRTMUserLen = 64
	// MaxChatUserLen: a Chat user id is at most 64 bytes.
	MaxChatUserLen = 64
)

// nameChars is Agora's documented character set for channel names, user
// accounts and RTM user ids: letters, digits, space and
// !#$%&()+-:;<=.>?@[]^_{|}~,
var nameChars = charset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 !#$%&()+-:;<=.>?@[]^_{|}~,")

// chatChars is Agora Chat's user id character set.
var chatChars = charset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.")

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
	if s == "" || len(s) > MaxChannelLen || !only(s, &nameChars) {
		return core.Errorf(core.CodeInvalidRoom, "room", "an Agora channel name is 1 to %d bytes of letters, digits, space and !#$%%&()+-:;<=.>?@[]^_{|}~,", MaxChannelLen)
	}
	return nil
}

func checkAccount(s string) error {
	if s == "" || len(s) > MaxAccountLen || !only(s, &nameChars) {
		return core.Errorf(core.CodeInvalidUser, "user_id", "an Agora user account is 1 to %d bytes of letters, digits, space and !#$%%&()+-:;<=.>?@[]^_{|}~,", MaxAccountLen)
	}
	return nil
}

func checkRTMUser(s string) error {
	if s == "" || len(s) > MaxRTMUserLen || !only(s, &nameChars) || s[0] == ' ' || s[len(s)-1] == ' ' || s == "null" {
		return core.Errorf(core.CodeInvalidUser, "user_id", "an Agora RTM user id is 1 to %d bytes of letters, digits, space and !#$%%&()+-:;<=.>?@[]^_{|}~, without leading or trailing spaces, and not \"null\"", MaxRTMUserLen)
	}
	return nil
}

func checkChatUser(s string) error {
	if s == "" || len(s) > MaxChatUserLen || !only(s, &chatChars) {
		return core.Errorf(core.CodeInvalidUser, "user_id", "an Agora Chat user id is 1 to %d bytes of letters, digits, '_', '-' and '.'", MaxChatUserLen)
	}
	return nil
}
