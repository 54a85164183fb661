package demo

import (
	"crypto/sha256"
	"crypto/subtle"

	"github.com/rtctoken/rtctoken/core"
)

// User is a signed-in demo user.
type User struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// RTCIdentity returns the identity rtctoken issues credentials for.
func (u User) RTCIdentity() core.Identity {
	return core.Identity{UserID: u.ID, DisplayName: u.Name}
}

// DemoUser is a documented demo account: its password is public.
type DemoUser struct {
	User
	Password string
}

// DemoUsers are the accounts of the demo user store.
var DemoUsers = []DemoUser{
	{User{ID: "alice", Name: "Alice"}, "alice-password"},
	{User{ID: "bob", Name: "Bob"}, "bob-password"},
}

// Users is a fixed, in-memory user store. It keeps SHA-256 hashes of the
// passwords and compares them in constant time, which is enough for
// documented demo passwords and nothing else: a real application stores
// passwords with a slow, salted hash (bcrypt, scrypt, argon2id) in its own
// user database.
type Users struct {
	byName map[string]userRecord
}

type userRecord struct {
	user User
	hash [sha256.Size]byte
}

// NewUsers returns a store holding the given accounts.
func NewUsers(accounts []DemoUser) *Users {
	u := &Users{byName: make(map[string]userRecord, len(accounts))}
	for _, a := range accounts {
		u.byName[a.ID] = userRecord{user: a.User, hash: sha256.Sum256([]byte(a.Password))}
	}
	return u
}

// unknownHash is compared against for unknown users, so that a wrong user
// name costs the same as a wrong password.
var unknownHash = sha256.Sum256([]byte("no such user"))

// Check returns the user with that name and password.
func (u *Users) Check(username, password string) (User, bool) {
	rec, found := u.byName[username]
	want := unknownHash
	if found {
		want = rec.hash
	}
	got := sha256.Sum256([]byte(password))
	match := subtle.ConstantTimeCompare(got[:], want[:]) == 1
	if !found || !match {
		return User{}, false
	}
	return rec.user, true
}
