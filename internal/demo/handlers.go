package demo

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/rtctoken/rtctoken/core"
	"github.com/rtctoken/rtctoken/core/httpapi"
	"github.com/rtctoken/rtctoken/core/resolve"
)

// CookieName is the session cookie's name.
const CookieName = "rtcdemo_session"

// JSON returns a JSON response with the contract's headers.
func JSON(status int, v any) httpapi.Response {
	b, err := json.Marshal(v)
	if err != nil {
		return errorResponse(core.Errorf(core.CodeInternal, "", "internal error"))
	}
	return httpapi.Response{Status: status, Header: httpapi.JSONHeader(), Body: b}
}

// errorResponse renders a client error in the contract's error envelope.
func errorResponse(e *core.Error) httpapi.Response {
	type detail struct {
		Code    core.Code `json:"code"`
		Message string    `json:"message"`
		Field   string    `json:"field,omitempty"`
	}
	b, _ := json.Marshal(map[string]detail{"error": {e.Code, e.Message, e.Field}})
	return httpapi.Response{Status: httpapi.Status(e.Code), Header: httpapi.JSONHeader(), Body: b}
}

// Error renders err in the error envelope, as the token endpoints do:
// internal details go to the log, never to the client.
func (e *Env) Error(ctx context.Context, err error) httpapi.Response {
	return e.API.ErrorResponse(ctx, err)
}

// readJSON strictly decodes a small JSON object body into dst, after the
// contract's body rules (Content-Type, no Content-Encoding, MaxBody).
func (e *Env) readJSON(r httpapi.Request, body io.Reader, dst any) error {
	raw, err := e.API.ReadBody(r, body)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil || dec.More() {
		return core.Errorf(core.CodeInvalidRequest, "", "request body must be a JSON object with the documented fields")
	}
	return nil
}

// Cookie returns the session cookie to set for a session, or the one that
// deletes it when sess is nil. Secure is set when the request came over
// TLS, so the demo also works on plain http://127.0.0.1.
func Cookie(sess *Session, secure bool) *http.Cookie {
	c := &http.Cookie{
		Name: CookieName, Path: "/", HttpOnly: true, Secure: secure, SameSite: http.SameSiteLaxMode,
		Expires: time.Unix(0, 0), MaxAge: -1,
	}
	if sess != nil {
		c.Value, c.Expires = sess.ID, sess.Expires
		c.MaxAge = int(time.Until(sess.Expires) / time.Second)
	}
	return c
}

type loginBody struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

// Login handles POST /login: it checks the JSON body {"username",
// "password"}, opens a session and answers {"user", "rtc"} with the preset
// credentials. The cookie to set is nil when sign-in failed.
//
// body must be the raw request body (see httpapi.API.ReadBody).
func (e *Env) Login(r httpapi.Request, body io.Reader, secure bool) (httpapi.Response, *http.Cookie) {
	ctx := r.Context()
	u, err := e.CheckLogin(r, body)
	if err != nil {
		return e.Error(ctx, err), nil
	}
	sess, err := e.Sessions.Create(ctx, u)
	if err != nil {
		if errors.Is(err, ErrTooManySessions) {
			err = core.Errorf(core.CodeUnavailable, "", "too many sessions, try again later")
		}
		return e.Error(ctx, err), nil
	}
	bundle, err := e.API.Login(ctx, u.RTCIdentity())
	if err != nil {
		_ = e.Sessions.Delete(ctx, sess.ID)
		return e.Error(ctx, err), nil
	}
	return JSON(http.StatusOK, me{User: u, RTC: bundle}), Cookie(&sess, secure)
}

// CheckLogin reads the JSON body {"username", "password"} of POST /login
// and returns the demo user it names, or an error for the envelope. Login
// starts with it; an example that keeps its sessions in its framework's
// session library calls it, then API.Login, and answers with Me.
func (e *Env) CheckLogin(r httpapi.Request, body io.Reader) (User, error) {
	var in loginBody
	if err := e.readJSON(r, body, &in); err != nil {
		return User{}, err
	}
	u, ok := e.Users.Check(in.Username, in.Password)
	if !ok {
		return User{}, core.Errorf(core.CodeUnauthenticated, "", "wrong user name or password")
	}
	return u, nil
}

// Logout handles POST /logout: it ends the request's session, if any,
// drops the user's cached preset credentials (API.Forget), so that the
// next sign-in is issued fresh ones, and returns the cookie that deletes
// the session.
func (e *Env) Logout(r resolve.Request, secure bool) (httpapi.Response, *http.Cookie) {
	ctx := r.Context()
	if id, ok := r.Cookie(CookieName); ok && id != "" {
		u, err := e.Sessions.Get(ctx, id)
		if err != nil && !errors.Is(err, ErrNoSession) {
			return e.Error(ctx, err), nil
		}
		if err := e.Sessions.Delete(ctx, id); err != nil {
			return e.Error(ctx, err), nil
		}
		if u.ID != "" {
			e.API.Forget(u.ID)
		}
	}
	return SignedOut(), Cookie(nil, secure)
}

// SignedOut is the answer of POST /logout once the session has ended.
func SignedOut() httpapi.Response {
	return JSON(http.StatusOK, map[string]bool{"signed_out": true})
}

// Authenticate returns the signed-in user of a request, or an
// unauthenticated error for the error envelope.
func (e *Env) Authenticate(r resolve.Request) (User, error) {
	id, ok := r.Cookie(CookieName)
	if !ok || id == "" {
		return User{}, core.Errorf(core.CodeUnauthenticated, "", "sign in first")
	}
	u, err := e.Sessions.Get(r.Context(), id)
	if errors.Is(err, ErrNoSession) {
		return User{}, core.Errorf(core.CodeUnauthenticated, "", "session is not valid")
	}
	return u, err
}

type me struct {
	User User            `json:"user"`
	RTC  *httpapi.Bundle `json:"rtc"`
}

// Me handles GET /api/me: the user and the credentials Attach attached.
func (e *Env) Me(u User, b *httpapi.Bundle) httpapi.Response {
	return JSON(http.StatusOK, me{User: u, RTC: b})
}

// Kinds handles GET /api/kinds: what each configured kind takes, for the
// demo page's forms.
func (e *Env) Kinds() httpapi.Response {
	return httpapi.Response{Status: http.StatusOK, Header: httpapi.JSONHeader(), Body: e.kinds}
}

type decodeBody struct {
	Provider string `json:"provider"`
	Kind     string `json:"kind"`
	Token    string `json:"token"`
}

// ServeDecode handles POST /api/decode {"provider","kind","token"}; body
// is the raw request body.
func (e *Env) ServeDecode(r httpapi.Request, body io.Reader) httpapi.Response {
	ctx := r.Context()
	var in decodeBody
	if err := e.readJSON(r, body, &in); err != nil {
		return e.Error(ctx, err)
	}
	d, err := e.Decode(ctx, in.Provider, in.Kind, in.Token)
	if err != nil {
		return e.Error(ctx, err)
	}
	return JSON(http.StatusOK, d)
}

// Decoded is what the demo page shows of a token: whether it verifies with
// the configured keys now, and what it says.
type Decoded struct {
	Valid bool `json:"valid"`
	// Reason is why it does not verify: "malformed", "signature",
	// "expired" or "mismatch".
	Reason    string         `json:"reason,omitempty"`
	Provider  string         `json:"provider"`
	Kind      string         `json:"kind"`
	AppID     string         `json:"app_id,omitempty"`
	UserID    string         `json:"user_id,omitempty"`
	Room      string         `json:"room,omitempty"`
	IssuedAt  *time.Time     `json:"issued_at,omitempty"`
	ExpiresAt *time.Time     `json:"expires_at,omitempty"`
	Claims    map[string]any `json:"claims,omitempty"`
}

var reasons = []struct {
	err    error
	reason string
}{
	{core.ErrMalformed, "malformed"},
	{core.ErrSignature, "signature"},
	{core.ErrExpired, "expired"},
	{core.ErrMismatch, "mismatch"},
}

// Decode verifies token as a credential of the provider's kind with the
// provider's own Verify and returns its claims. A token that does not
// verify is not an error: the result says why. Unknown providers and kinds
// are errors for the envelope.
//
// The endpoint is for the demo page: it lets any signed-in user check any
// token against the server's keys, which a production service has no need
// to offer.
func (e *Env) Decode(ctx context.Context, provider, kind, token string) (*Decoded, error) {
	if _, err := e.Service.Kind(provider, kind); err != nil {
		return nil, err
	}
	if token == "" {
		return nil, core.Errorf(core.CodeInvalidRequest, "token", "token is required")
	}
	p, _ := e.Service.Provider(provider)
	d := &Decoded{Provider: provider, Kind: kind}
	v, err := p.Verify(ctx, kind, token, e.Service.Now())
	if err != nil {
		for _, r := range reasons {
			if errors.Is(err, r.err) {
				d.Reason = r.reason
				return d, nil
			}
		}
		return nil, err
	}
	d.Valid, d.AppID, d.UserID, d.Room, d.Claims = true, v.AppID, v.UserID, v.Room, v.Claims
	d.IssuedAt, d.ExpiresAt = &v.IssuedAt, &v.ExpiresAt
	return d, nil
}
