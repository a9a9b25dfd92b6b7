package cmd

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/net/http/httpguts"
	"golang.org/x/net/http/httpproxy"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/reporters"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// runFlags are the engine flags run shares (demo uses a subset).
type runFlags struct {
	Suites      []string
	Skip        []string
	MaxRequests int
	Concurrency int
	Timeout     time.Duration
	MaxBody     int64
	Headers     []string
	Public      []string // --public-header: sent like --header, printed in full
	DryRun      bool
	Verbose     bool
	Quiet       bool
	MaxDuration time.Duration
	Rate        string
	Follow      bool
	Insecure    bool
	CACert      string
	Cert, Key   string

	tls  *tls.Config // built by validate from --insecure and --ca-cert
	rate float64     // requests per second, parsed by validate from --rate
	// onProgress, when set (tests), also receives the engine's progress.
	onProgress func(checks.Progress)
}

func addRunFlags(fs *pflag.FlagSet, f *runFlags) {
	addSelectFlags(fs, f)
	fs.IntVar(&f.MaxRequests, "max-requests", wire.DefaultMaxRequests, "hard ceiling on requests sent, the burst included")
	fs.IntVar(&f.Concurrency, "concurrency", wire.DefaultConcurrency, "probes run at once")
	fs.DurationVar(&f.Timeout, "timeout", wire.DefaultTimeout, "per-request timeout")
	fs.Int64Var(&f.MaxBody, "max-body", wire.DefaultMaxBody, "bytes of each response body read at most")
	fs.StringArrayVar(&f.Headers, "header", nil, "extra request header `K:V` (repeatable); the value is masked in every output")
	fs.StringArrayVar(&f.Public, "public-header", nil, "extra request header `K:V` (repeatable) whose value is printed in full")
	fs.DurationVar(&f.MaxDuration, "max-duration", 0, "ceiling on the whole run's time (0: none); on expiry sending stops, created\nresources are deleted and the results so far are reported and gated like a\nfinished run (not exit 130), with a note that the run was cut short; exit 4\nwhen no check ran before it")
	fs.StringVar(&f.Rate, "rate", "", "pace every request but the burst's to `N/s` or N/m (default: the profile's\nrate_limit.rate, else unpaced)")
	fs.BoolVar(&f.Follow, "follow-redirects", false, "follow redirects within the base URL's scheme and host (never elsewhere: the key\nstays with the base URL's host)")
	fs.BoolVar(&f.Insecure, "insecure", false, "do not verify the server's TLS certificate")
	fs.StringVar(&f.CACert, "ca-cert", "", "trust the PEM certificates in `FILE` (as well as the system's) for TLS")
	fs.StringVar(&f.Cert, "cert", "", "TLS client certificate `FILE` (PEM) for mutual TLS, with --key (wins over auth.tls)")
	fs.StringVar(&f.Key, "key", "", "private key `FILE` (PEM) of the --cert client certificate")
	fs.BoolVar(&f.DryRun, "dry-run", false, "print every request it would send (keys masked) and send none")
	addOutputFlags(fs, f)
}

// addSelectFlags registers --suite and --skip.
func addSelectFlags(fs *pflag.FlagSet, f *runFlags) {
	fs.StringSliceVar(&f.Suites, "suite", nil, "run only these suites or check IDs (comma-separated or repeated)")
	fs.StringSliceVar(&f.Skip, "skip", nil, "skip these suites or check IDs (comma-separated or repeated)")
}

// addOutputFlags registers -v and --quiet.
func addOutputFlags(fs *pflag.FlagSet, f *runFlags) {
	fs.BoolVarP(&f.Verbose, "verbose", "v", false, "print each exchange on stderr as it happens")
	fs.BoolVarP(&f.Quiet, "quiet", "q", false, "print only failures and the summary")
}

// validate checks the flags that can be wrong before anything is sent.
func (f *runFlags) validate() error {
	switch {
	case f.MaxRequests < 1:
		return usageError(fmt.Errorf("--max-requests %d: want at least 1", f.MaxRequests))
	case f.Concurrency < 1:
		return usageError(fmt.Errorf("--concurrency %d: want at least 1", f.Concurrency))
	case f.Timeout <= 0:
		return usageError(fmt.Errorf("--timeout %s: want a positive duration", f.Timeout))
	case f.MaxBody < 1:
		return usageError(fmt.Errorf("--max-body %d: want at least 1", f.MaxBody))
	case f.MaxDuration < 0:
		return usageError(fmt.Errorf("--max-duration %s: want a positive duration (or 0 for none)", f.MaxDuration))
	}
	if f.Rate != "" {
		r, err := schemas.ParseRate(f.Rate)
		if err != nil {
			return usageError(fmt.Errorf("--rate %w", err))
		}
		f.rate = r
	}
	if _, _, err := f.headers(); err != nil {
		return err
	}
	tc, err := tlsConfig(f.Insecure, f.CACert)
	if err != nil {
		return usageError(err)
	}
	if f.Cert != "" || f.Key != "" {
		if f.Cert == "" || f.Key == "" {
			return usageError(errors.New("--cert and --key go together: give both"))
		}
		if tc, err = wire.ClientTLS(tc, f.Cert, f.Key, ""); err != nil {
			return usageError(fmt.Errorf("--cert/--key: %w", err))
		}
	}
	f.tls = tc
	return nil
}

// tlsConfig builds the client's TLS configuration from --insecure and
// --ca-cert; nil when neither is given (the system's roots).
func tlsConfig(insecure bool, caFile string) (*tls.Config, error) {
	if !insecure && caFile == "" {
		return nil, nil
	}
	tc := &tls.Config{InsecureSkipVerify: insecure} //nolint:gosec // opted in with --insecure
	if caFile == "" {
		return tc, nil
	}
	pool, err := wire.CAPool(nil, caFile)
	if err != nil {
		return nil, fmt.Errorf("--ca-cert %w", err)
	}
	tc.RootCAs = pool
	return tc, nil
}

// headers reads --header and --public-header into the headers to send and
// the names whose values may be printed.
func (f *runFlags) headers() (http.Header, []string, error) {
	out := http.Header{}
	if err := parseHeaders(out, "--header", f.Headers); err != nil {
		return nil, nil, err
	}
	public := http.Header{}
	if err := parseHeaders(public, "--public-header", f.Public); err != nil {
		return nil, nil, err
	}
	var names []string
	for k, vs := range public {
		if _, ok := out[k]; ok {
			return nil, nil, usageError(fmt.Errorf("--public-header %s: also given as --header (secret); give it once", k))
		}
		out[k] = vs
		names = append(names, k)
	}
	return out, names, nil
}

// parseHeaders reads repeated K:V flags into out, refusing what net/http
// could not send: an invalid name (RFC 9110 token) or a value with CR, LF
// or another control character.
func parseHeaders(out http.Header, flag string, hs []string) error {
	for _, h := range hs {
		k, v, ok := strings.Cut(h, ":")
		k, v = strings.TrimSpace(k), strings.TrimSpace(v)
		switch {
		case !ok || k == "":
			return usageError(fmt.Errorf("%s %q: want NAME:VALUE", flag, h))
		case !httpguts.ValidHeaderFieldName(k):
			return usageError(fmt.Errorf("%s %q: invalid header name %q (letters, digits and !#$%%&'*+-.^_`|~ only)", flag, h, k))
		case !httpguts.ValidHeaderFieldValue(v):
			return usageError(fmt.Errorf("%s %s: the value holds a control character (CR, LF, …)", flag, k))
		}
		out.Add(k, v)
	}
	return nil
}

// engineConfig turns the flags into the engine's Config; the outside world
// (clock, proxy variables, progress line, exchange log) comes from io.
func (f *runFlags) engineConfig(io *IO, color bool, progress *reporters.Progress) checks.Config {
	headers, public, _ := f.headers()
	cfg := checks.Config{
		Suites: f.Suites, Skip: f.Skip,
		MaxRequests: f.MaxRequests, Concurrency: f.Concurrency, Timeout: f.Timeout, MaxBody: f.MaxBody,
		Headers: headers, PublicHeaders: public, DryRun: f.DryRun,
		MaxDuration: f.MaxDuration, FollowRedirects: f.Follow, TLS: f.tls, Rate: f.rate,
		Proxy:    proxyFrom(io.Getenv),
		Now:      io.Now,
		Clock:    io.Clock,
		Progress: progress.Update,
		Version:  version(),
	}
	if hook := f.onProgress; hook != nil {
		cfg.Progress = func(p checks.Progress) { progress.Update(p); hook(p) }
	}
	if f.Verbose {
		cfg.Log = reporters.ExchangeLog(io.Err, color)
	}
	return cfg
}

// proxyFrom reads HTTP_PROXY, HTTPS_PROXY and NO_PROXY (either case)
// through getenv.
func proxyFrom(getenv func(string) string) func(*http.Request) (*url.URL, error) {
	env := func(names ...string) string {
		for _, n := range names {
			if v := getenv(n); v != "" {
				return v
			}
		}
		return ""
	}
	pc := &httpproxy.Config{
		HTTPProxy:  env("HTTP_PROXY", "http_proxy"),
		HTTPSProxy: env("HTTPS_PROXY", "https_proxy"),
		NoProxy:    env("NO_PROXY", "no_proxy"),
	}
	if pc.HTTPProxy == "" && pc.HTTPSProxy == "" {
		return nil
	}
	fn := pc.ProxyFunc()
	return func(r *http.Request) (*url.URL, error) { return fn(r.URL) }
}
