// Package learn infers an API's error contract from a few live responses:
// `errprobe init --learn BASE_URL` sends a small, bounded set of
// error-provoking requests (an unknown route with no key, with the key in
// each usual header, with a garbage key; with a known collection path: an
// unknown id, malformed JSON and a method it does not take), then writes a
// profile with what it saw quoted in comments.
package learn

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/errprobe/errprobe/wire"
)

// MaxRequests bounds what a learn run sends.
const MaxRequests = 10

// maxBody caps each response body read.
const maxBody = 64 << 10

// Options are a learn run's inputs.
type Options struct {
	// BaseURL is where requests go; a user:password in it is sent (as
	// Basic) but never written or printed: Shown drops it.
	BaseURL string
	// Key is the valid key (from the environment); KeyEnv names its variable.
	Key, KeyEnv string
	// Path is a known collection path ("/v1/contacts"); optional.
	Path string
	// Client sends the requests (its Timeout bounds each one).
	Client *http.Client
}

// Shown is BaseURL as profiles and messages show it: without any
// user:password.
func (o Options) Shown() string {
	u, err := url.Parse(o.BaseURL)
	if err != nil {
		return wire.RedactURL(o.BaseURL) // cmd checks the URL first: never reached there
	}
	u.User = nil
	return u.String()
}

// masker hides every form of every credential the run sends: the key, the
// header values carrying it, and the URL's user:password — wire's masker,
// the one run uses.
func (o Options) masker() *wire.Masker {
	secrets := []string{o.Key}
	if u, err := url.Parse(o.BaseURL); err == nil {
		secrets = append(secrets, wire.URLSecrets(u)...)
	}
	m := wire.NewMasker(secrets...)
	for _, c := range authCandidates {
		if c.scheme != "" && o.Key != "" {
			m.AddLiteral(wire.Base64Forms(c.scheme + " " + o.Key)...)
		}
	}
	return m
}

// Request is one planned request; Header holds the key masked.
type Request struct {
	Purpose string
	Method  string
	Path    string
	Header  map[string]string
	Body    string
	// keyed: the header carries the key (masked in Header).
	key string
}

// Observation is one request and what came back.
type Observation struct {
	Request
	Status int
	Header http.Header
	Body   []byte
	Err    string
}

const unknownRoute = "/errprobe-no-such-route"

// authCandidates are the key headers learn tries.
var authCandidates = []struct{ name, scheme string }{{"X-API-Key", ""}, {"Authorization", "Bearer"}}

// Plan lists the requests a learn run sends, in order (the auth
// candidates first; the rest use whichever candidate worked).
func Plan(o Options) []Request {
	rs := []Request{{Purpose: "unknown route, no key", Method: "GET", Path: unknownRoute}}
	for _, c := range authCandidates {
		rs = append(rs, keyed(Request{Purpose: "unknown route, key in " + c.name, Method: "GET", Path: unknownRoute}, c.name, c.scheme, o.Key))
	}
	rs = append(rs, Request{Purpose: "unknown route, garbage key", Method: "GET", Path: unknownRoute, key: "garbage"})
	if p := strings.TrimRight(o.Path, "/"); p != "" {
		rs = append(rs,
			Request{Purpose: "the collection, with the key", Method: "GET", Path: p, key: "valid"},
			Request{Purpose: "an unknown id", Method: "GET", Path: p + "/errprobe-unknown-id-0000", key: "valid"},
			Request{Purpose: "malformed JSON", Method: "POST", Path: p, Body: `{"errprobe":`, key: "valid",
				Header: map[string]string{"Content-Type": "application/json"}},
			Request{Purpose: "a method it does not take", Method: "PATCH", Path: p, key: "valid"})
	}
	return rs
}

func keyed(r Request, name, scheme, key string) Request {
	v := "…"
	if scheme != "" {
		v = scheme + " …"
	}
	r.Header = map[string]string{name: v}
	r.key = "candidate"
	return r
}

// Run sends the plan and returns what it saw. The auth candidate that was
// not refused is used for the keyed requests.
func Run(ctx context.Context, o Options) ([]Observation, error) {
	plan := Plan(o)
	m := o.masker()
	var obs []Observation
	var auth *struct{ name, scheme string }
	for i, r := range plan {
		if i >= MaxRequests {
			break
		}
		h := http.Header{"Accept": {"application/json"}, "User-Agent": {"errprobe-learn"}}
		for k, v := range r.Header {
			h.Set(k, v)
		}
		switch r.key {
		case "candidate":
			c := authCandidates[i-1]
			h.Set(c.name, strings.TrimSpace(c.scheme+" "+o.Key))
		case "valid", "garbage":
			key := o.Key
			if r.key == "garbage" {
				key = "errprobe_garbage_0000000000000000"
			}
			if auth != nil {
				h.Set(auth.name, strings.TrimSpace(auth.scheme+" "+key))
				r.Header = map[string]string{auth.name: strings.TrimSpace(auth.scheme + " …")}
			}
		}
		ob := mask(send(ctx, o, r, h), m)
		if i == 0 && ob.Err != "" {
			return nil, fmt.Errorf("%s: %s", o.Shown(), ob.Err)
		}
		obs = append(obs, ob)
		if r.key == "candidate" && auth == nil && ob.Err == "" && ob.Status != http.StatusUnauthorized && ob.Status != http.StatusForbidden {
			c := authCandidates[i-1]
			auth = &c
		}
	}
	return obs, nil
}

func send(ctx context.Context, o Options, r Request, h http.Header) Observation {
	ob := Observation{Request: r}
	var body io.Reader
	if r.Body != "" {
		body = strings.NewReader(r.Body)
	}
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, r.Method, strings.TrimRight(o.BaseURL, "/")+r.Path, body)
	if err != nil {
		ob.Err = err.Error()
		return ob
	}
	req.Header = h
	resp, err := o.Client.Do(req)
	if err != nil {
		ob.Err = strings.ReplaceAll(err.Error(), "\n", " ")
		return ob
	}
	defer resp.Body.Close()
	ob.Status, ob.Header = resp.StatusCode, resp.Header
	ob.Body, _ = io.ReadAll(io.LimitReader(resp.Body, maxBody))
	return ob
}

// mask removes every form of every credential from what is kept: the
// body, the header values and the error (a status line can quote a key).
func mask(ob Observation, m *wire.Masker) Observation {
	ob.Body = []byte(m.String(string(ob.Body)))
	ob.Err = m.String(ob.Err)
	for k, vs := range ob.Header {
		for i, v := range vs {
			ob.Header[k][i] = m.String(v)
		}
	}
	return ob
}
