package checks

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os/exec"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/errprobe/errprobe/infile"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// tokenCommandTimeout bounds one run of auth.token_command.
const tokenCommandTimeout = 60 * time.Second

// maxTokenOutput caps what auth.token_command may print: a token is a
// header value, and servers refuse headers past a few dozen KB.
const maxTokenOutput = 64 << 10

// tokenEarly renews a token this long before it expires.
const tokenEarly = 10 * time.Second

// credential is the run's valid key when it is not simply keys.valid: an
// OAuth2 access token (cached until shortly before it expires) or
// auth.token_command's output, both fetched again when a response says the
// key expired. Every value it fetches is masked from then on.
type credential struct {
	source string // profile key, for messages: auth.oauth2.token_url, auth.token_command
	fetch  func(ctx context.Context) (string, time.Time, error)
	now    func() time.Time
	onNew  func(string)

	mu      sync.Mutex
	value   string
	fetched time.Time
	expiry  time.Time // zero: valid until a response says otherwise
	// refused: the value was fetched because its predecessor was refused
	// as expired; if it is refused too, the server refuses fresh tokens and
	// fetching more would only spend the budget.
	refused bool
}

// newCredential returns the fetched credential for p's auth, or nil when the
// valid key is keys.valid or Basic's username:password. Token requests go
// through budget (the run's request budget, counted at the wire) and a
// host guard pinned to the token URL, and follow no redirect.
func newCredential(p *schemas.Profile, cfg Config, budget http.RoundTripper) (*credential, error) {
	a := p.Auth
	switch {
	case a.OAuth2 != nil:
		u, err := tokenURL(a.OAuth2.TokenURL)
		if err != nil {
			return nil, err
		}
		client := wire.CredentialClient(budget, u, cfg.Timeout)
		// One auth style: the library's default tries Basic, then on any
		// failure sends the request again with client_secret in the body
		// (two requests, two timeouts, the secret in a second form).
		cc := &clientcredentials.Config{ClientID: a.OAuth2.ClientID, ClientSecret: a.OAuth2.ClientSecret,
			TokenURL: a.OAuth2.TokenURL, Scopes: a.OAuth2.Scopes, AuthStyle: oauth2.AuthStyleInHeader}
		return &credential{source: "auth.oauth2.token_url", now: cfg.Now,
			fetch: func(ctx context.Context) (string, time.Time, error) {
				tok, err := cc.Token(context.WithValue(ctx, oauth2.HTTPClient, client))
				if err != nil {
					return "", time.Time{}, tokenError(err)
				}
				return tok.AccessToken, tok.Expiry, nil
			}}, nil
	case a.TokenCommand != "":
		run := cfg.RunCommand
		if run == nil {
			run = runShell
		}
		return &credential{source: "auth.token_command", now: cfg.Now,
			fetch: func(ctx context.Context) (string, time.Time, error) {
				out, err := run(ctx, a.TokenCommand)
				if err != nil {
					return "", time.Time{}, err
				}
				tok, _, _ := strings.Cut(strings.TrimSpace(string(out)), "\n")
				if tok = strings.TrimSpace(tok); tok == "" {
					return "", time.Time{}, errors.New("printed no token on standard output")
				}
				return tok, time.Time{}, nil
			}}, nil
	}
	return nil, nil
}

// tokenURL checks auth.oauth2.token_url: http(s) with a host, and https
// unless the host is this machine — the client secret travels in every
// token request, and over http anyone on the path reads it.
func tokenURL(raw string) (*url.URL, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, errors.New("auth.oauth2.token_url: want an http(s) URL with a host")
	}
	if u.Scheme == "http" && !wire.IsLoopback(u.Hostname()) {
		return nil, fmt.Errorf("auth.oauth2.token_url %s: refused: over http the client secret would cross the network in clear; use https", u.Redacted())
	}
	return u, nil
}

// runShell runs command with sh -c and returns its standard output. Its
// error says how it ended, never what it printed (that may be a secret).
func runShell(ctx context.Context, command string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, tokenCommandTimeout)
	defer cancel()
	out := &infile.Capped{Max: maxTokenOutput}
	c := exec.CommandContext(ctx, "sh", "-c", command)
	c.Stdout = out
	c.WaitDelay = time.Second // a child still holding stdout does not keep us waiting
	err := c.Run()
	if out.Over() {
		return nil, fmt.Errorf("printed more than %s on standard output: not a token", infile.Size(maxTokenOutput))
	}
	if err != nil {
		var exit *exec.ExitError
		switch {
		case ctx.Err() != nil:
			return nil, fmt.Errorf("did not finish within %s", tokenCommandTimeout)
		case errors.As(err, &exit):
			return nil, fmt.Errorf("exited with status %d", exit.ExitCode())
		}
		return nil, fmt.Errorf("could not run: %w", err)
	}
	return out.Bytes(), nil
}

// tokenError describes a failed token request without its body or the
// client secret: the endpoint's status and OAuth2 error code, or why it
// could not be reached (ErrUnreachable).
func tokenError(err error) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		msg := "the token endpoint answered"
		if re.Response != nil {
			msg += " " + re.Response.Status
		}
		if re.ErrorCode != "" {
			msg += " (" + re.ErrorCode + ")"
		}
		return errors.New(msg)
	}
	if wire.IsDialError(err) || wire.IsCertError(err) {
		return fmt.Errorf("%w: %s", ErrUnreachable, wire.ErrorLine(err))
	}
	return errors.New(strings.TrimPrefix(wire.ErrorLine(err), "oauth2: "))
}

// get returns the current value, fetching one when there is none yet or
// the one held is about to expire.
func (c *credential) get(ctx context.Context) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.value != "" && (c.expiry.IsZero() || c.now().Add(c.early()).Before(c.expiry)) {
		return c.value, nil
	}
	c.refused = false
	return c.fetchLocked(ctx)
}

// early is how long before its expiry a token is renewed: tokenEarly, or
// half its lifetime for a short-lived one, so a token of one second is
// used for half a second rather than fetched again for every request.
func (c *credential) early() time.Duration {
	return min(tokenEarly, c.expiry.Sub(c.fetched)/2)
}

// refresh fetches a new value: stale is the one a response refused as
// expired (a concurrent refresh may already have replaced it).
func (c *credential) refresh(ctx context.Context, stale string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.value != stale {
		return c.value, nil
	}
	if c.refused {
		return "", fmt.Errorf("%s: a freshly fetched token was refused as expired too: not fetched again", c.source)
	}
	v, err := c.fetchLocked(ctx)
	c.refused = err == nil
	return v, err
}

func (c *credential) fetchLocked(ctx context.Context) (string, error) {
	v, exp, err := c.fetch(ctx)
	if err != nil {
		return "", fmt.Errorf("%s: %w", c.source, err)
	}
	if v != c.value && c.onNew != nil {
		c.onNew(v)
	}
	c.value, c.fetched, c.expiry = v, c.now(), exp
	return v, nil
}
