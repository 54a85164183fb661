package accesstoken

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"
)

// Role is an RTC role of the vendor's builders.
type Role int

// RTC roles. A publisher gets the join and the three publish privileges, a
// subscriber the join privilege only.
const (
	RolePublisher  Role = 1
	RoleSubscriber Role = 2
)

// RTCPrivileges holds the expire of each RTC privilege, in seconds after
// the issue time (0: no limit of its own).
type RTCPrivileges struct {
	Join, PublishAudio, PublishVideo, PublishData uint32
}

// SamePrivileges returns RTCPrivileges with every expire set to expire.
func SamePrivileges(expire uint32) RTCPrivileges {
	return RTCPrivileges{expire, expire, expire, expire}
}

// UID returns the token form of a numeric uid: its decimal digits, or ""
// for uid 0, which lets any uid join.
func UID(uid uint32) string {
	if uid == 0 {
		return ""
	}
	return strconv.FormatUint(uint64(uid), 10)
}

// RTCService returns an RTC service for a channel and a uid string (see
// [UID]; a user account is used verbatim). A publisher gets all four
// privileges, any other role joinChannel only.
func RTCService(channel, uid string, role Role, p RTCPrivileges) Service {
	s := Service{Type: ServiceRTC, Channel: channel, UID: uid}
	if role == RolePublisher {
		s.Privileges = []Privilege{
			{PrivilegeJoinChannel, p.Join}, {PrivilegePublishAudioStream, p.PublishAudio},
			{PrivilegePublishVideoStream, p.PublishVideo}, {PrivilegePublishDataStream, p.PublishData},
		}
	} else {
		s.Privileges = []Privilege{{PrivilegeJoinChannel, p.Join}}
	}
	return s
}

// RTMService returns an RTM service with the login privilege.
func RTMService(userID string, expire uint32) Service {
	return Service{Type: ServiceRTM, UserID: userID, Privileges: []Privilege{{PrivilegeLogin, expire}}}
}

// ChatUserService returns a Chat service with the user privilege.
func ChatUserService(userID string, expire uint32) Service {
	return Service{Type: ServiceChat, UserID: userID, Privileges: []Privilege{{PrivilegeChatUser, expire}}}
}

// ChatAppService returns the Chat service of an app token: no user, the
// app privilege.
func ChatAppService(expire uint32) Service {
	return Service{Type: ServiceChat, Privileges: []Privilege{{PrivilegeChatApp, expire}}}
}

// Builder issues tokens the way the vendor's builders do. Now and Rand are
// the issue time and the salt source (crypto/rand.Reader in production);
// they are explicit so that tests can pin them. A Builder is a small value:
// make one per token.
type Builder struct {
	AppID string
	// Certificate is the App Certificate, 32 hex characters; its ASCII
	// text is the key (it is not hex-decoded).
	Certificate string
	Now         time.Time
	Rand        io.Reader
	// Compression is the token's deflate encoder (default CompressFast;
	// CompressZlib for the vendor's Go generator's bytes).
	Compression Compression
}

// Build issues a token with the given services and token expire (seconds
// after Now).
func (b Builder) Build(expire uint32, services ...Service) (string, error) {
	ts, err := IssueTs(b.Now)
	if err != nil {
		return "", err
	}
	s := getScratch()
	defer putScratch(s)
	salt, err := s.newSalt(b.Rand)
	if err != nil {
		return "", err
	}
	t := AccessToken2{AppID: b.AppID, IssueTs: ts, Expire: expire, Salt: salt, Services: services}
	return t.build(s, b.Certificate, b.Compression)
}

// RTCWithUID is the vendor's BuildTokenWithUid: an RTC token for a numeric
// uid (0: any uid). tokenExpire and privilegeExpire count seconds after
// Now; Agora allows at most 86400.
func (b Builder) RTCWithUID(channel string, uid uint32, role Role, tokenExpire, privilegeExpire uint32) (string, error) {
	return b.Build(tokenExpire, RTCService(channel, UID(uid), role, SamePrivileges(privilegeExpire)))
}

// RTCWithAccount is the vendor's BuildTokenWithUserAccount: an RTC token
// for a string user account.
func (b Builder) RTCWithAccount(channel, account string, role Role, tokenExpire, privilegeExpire uint32) (string, error) {
	return b.Build(tokenExpire, RTCService(channel, account, role, SamePrivileges(privilegeExpire)))
}

// RTCWithUIDAndPrivileges is the vendor's BuildTokenWithUidAndPrivilege:
// all four RTC privileges, each with its own expire.
func (b Builder) RTCWithUIDAndPrivileges(channel string, uid uint32, tokenExpire uint32, p RTCPrivileges) (string, error) {
	return b.Build(tokenExpire, RTCService(channel, UID(uid), RolePublisher, p))
}

// RTCWithAccountAndPrivileges is RTCWithUIDAndPrivileges for a user account.
func (b Builder) RTCWithAccountAndPrivileges(channel, account string, tokenExpire uint32, p RTCPrivileges) (string, error) {
	return b.Build(tokenExpire, RTCService(channel, account, RolePublisher, p))
}

// RTCWithRTM is the vendor's BuildTokenWithRtm: an RTC token for an account
// plus an RTM service for the same account, whose login privilege lasts
// tokenExpire.
func (b Builder) RTCWithRTM(channel, account string, role Role, tokenExpire, privilegeExpire uint32) (string, error) {
	return b.Build(tokenExpire,
		RTCService(channel, account, role, SamePrivileges(privilegeExpire)),
		RTMService(account, tokenExpire))
}

// RTM is the vendor's rtmtokenbuilder2.BuildToken.
func (b Builder) RTM(userID string, expire uint32) (string, error) {
	return b.Build(expire, RTMService(userID, expire))
}

// ChatUser is the vendor's BuildChatUserToken. Agora Chat expects the
// user's uuid here.
func (b Builder) ChatUser(userID string, expire uint32) (string, error) {
	return b.Build(expire, ChatUserService(userID, expire))
}

// ChatApp is the vendor's BuildChatAppToken, the server's token for the
// Chat REST API.
func (b Builder) ChatApp(expire uint32) (string, error) {
	return b.Build(expire, ChatAppService(expire))
}

// IssueTs converts an issue time to the token's u32 unix seconds.
func IssueTs(now time.Time) (uint32, error) {
	u := now.Unix()
	if u <= 0 || u > 1<<32-1 {
		return 0, fmt.Errorf("%w: the issue time %d is outside the token's range", ErrBuild, u)
	}
	return uint32(u), nil
}

// Salt bounds: the salt is uniform in 1..MaxSalt, the range of the vendor's
// Python and Node generators.
const MaxSalt = 99999999

// errRand is returned when the randomness source fails or is missing.
var errRand = errors.New("agora: cannot read the salt from the randomness source")

// NewSalt draws a uniform salt in 1..MaxSalt from r. A reader that yields
// the little-endian bytes of n (n < MaxSalt) gives the salt n+1.
func NewSalt(r io.Reader) (uint32, error) {
	s := getScratch()
	defer putScratch(s)
	return s.newSalt(r)
}

func (s *scratch) newSalt(r io.Reader) (uint32, error) {
	if r == nil {
		return 0, errRand
	}
	const limit = (1 << 32) / MaxSalt * MaxSalt
	for range 16 {
		if _, err := io.ReadFull(r, s.salt[:]); err != nil {
			return 0, fmt.Errorf("%w: %v", errRand, err)
		}
		v := uint32(s.salt[0]) | uint32(s.salt[1])<<8 | uint32(s.salt[2])<<16 | uint32(s.salt[3])<<24
		if v < limit {
			return v%MaxSalt + 1, nil
		}
	}
	return 0, errRand
}
