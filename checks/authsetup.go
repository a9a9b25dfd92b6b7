package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// notSentNoKey starts the error of a request whose key is not set; its
// probe is skipped with the rest of the message as the reason.
const notSentNoKey = "not sent: "

// authSecrets are the profile's credentials besides keys.*: Basic's
// password and username:password, OAuth2's client secret.
func authSecrets(p *schemas.Profile) []string {
	var out []string
	if b := p.Auth.Basic; b != nil {
		out = append(out, b.Password, b.Username+":"+b.Password)
	}
	if o := p.Auth.OAuth2; o != nil {
		out = append(out, o.ClientSecret)
	}
	return out
}

// startCredential sets keys' valid key: fetched from the credential when
// one supplies it (a placeholder in a dry run, which fetches nothing). A
// missing key stays missing in a dry run too: the plan lists what the run
// would send with the credentials it has now, and says once (Keyless) what
// is left out.
func startCredential(ctx context.Context, p *schemas.Profile, cfg Config, budget http.RoundTripper, keys map[role]string) (*credential, error) {
	cred, err := newCredential(p, cfg, budget)
	if err != nil {
		return nil, err
	}
	switch {
	case cred != nil && cfg.DryRun:
		keys[roleValid] = "<token from " + cred.source + ">"
	case cred != nil:
		tok, err := cred.get(ctx)
		if err != nil {
			return nil, err
		}
		keys[roleValid] = tok
	}
	return cred, nil
}

// profileTLS adds auth.tls (paths relative to the profile) to the flags'
// TLS configuration; a client certificate or CA given by flag wins.
func profileTLS(p *schemas.Profile, base *tls.Config) (*tls.Config, error) {
	t := p.Auth.TLS
	cert, key, ca := rel(p, t.Cert), rel(p, t.Key), rel(p, t.CACert)
	if base != nil && len(base.Certificates) > 0 {
		cert, key = "", ""
	}
	if base != nil && base.RootCAs != nil {
		ca = ""
	}
	tc, err := wire.ClientTLS(base, cert, key, ca)
	if err != nil {
		field := "auth.tls.cert"
		if cert == "" {
			field = "auth.tls.ca_cert"
		}
		return nil, fmt.Errorf("%s: %w", field, err)
	}
	return tc, nil
}

func rel(p *schemas.Profile, path string) string {
	if path == "" || filepath.IsAbs(path) || p.Dir == "" {
		return path
	}
	return filepath.Join(p.Dir, path)
}

// reproEnv names the variable a reproduction reads role's key from; none
// when the key is built or fetched (Basic, OAuth2, token_command), so the
// curl line carries the masked value instead of a wrong variable.
func (s *session) reproEnv(r role) string {
	if b := s.p.Auth.Basic; b != nil && r == roleValid {
		if b.UsernameEnv == "" || b.PasswordEnv == "" {
			return ""
		}
		return b.UsernameEnv + ":$" + b.PasswordEnv // curl -u "$USER:$PASSWORD"
	}
	if r == roleValid && s.p.Auth.Credential() != "" {
		return ""
	}
	return keyEnv(s.p, r)
}

// expiredToken reports a fetched valid key refused as expired: worth one
// refresh and retry.
func (s *session) expiredToken(c call, ex *report.Exchange) bool {
	if s.cred == nil || c.key != roleValid || ex.Response == nil || ex.Response.Status != http.StatusUnauthorized {
		return false
	}
	code := s.p.ExpectCode(schemas.ExpectExpiredKey)
	return code != "" && s.code(ex) == code
}

// maskedError is a set-up error with its secrets masked; it still reports
// ErrUnreachable.
type maskedError struct {
	msg         string
	unreachable bool
}

func newMaskedError(err error, m *wire.Masker) error {
	return maskedError{msg: m.String(err.Error()), unreachable: errors.Is(err, ErrUnreachable)}
}

func (e maskedError) Error() string { return e.msg }

func (e maskedError) Is(target error) bool { return e.unreachable && target == ErrUnreachable }

// tokenRequest is the OAuth2 token request a run would send first, for the
// dry run's plan: the client authenticates with Basic, shown masked.
func tokenRequest(o *schemas.OAuth2) report.Request {
	body := "grant_type=client_credentials"
	if len(o.Scopes) > 0 {
		body += "&scope=" + url.QueryEscape(strings.Join(o.Scopes, " "))
	}
	return report.Request{Method: http.MethodPost, URL: o.TokenURL, Body: body, Header: http.Header{
		"Authorization": {"Basic ****"}, // client_id:client_secret
		"Content-Type":  {"application/x-www-form-urlencoded"},
	}}
}
