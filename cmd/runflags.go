package cmd

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/spf13/pflag"
	"golang.org/x/net/http/httpproxy"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/reporters"
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
	DryRun      bool
	Verbose     bool
	Quiet       bool
}

func addRunFlags(fs *pflag.FlagSet, f *runFlags) {
	fs.StringSliceVar(&f.Suites, "suite", nil, "run only these suites or check IDs (comma-separated or repeated)")
	fs.StringSliceVar(&f.Skip, "skip", nil, "skip these suites or check IDs (comma-separated or repeated)")
	fs.IntVar(&f.MaxRequests, "max-requests", checks.DefaultMaxRequests, "hard ceiling on requests sent, the burst included")
	fs.IntVar(&f.Concurrency, "concurrency", checks.DefaultConcurrency, "probes run at once")
	fs.DurationVar(&f.Timeout, "timeout", checks.DefaultTimeout, "per-request timeout")
	fs.Int64Var(&f.MaxBody, "max-body", checks.DefaultMaxBody, "bytes of each response body read at most")
	fs.StringArrayVar(&f.Headers, "header", nil, "extra request header `K:V` (repeatable)")
	fs.BoolVar(&f.DryRun, "dry-run", false, "print every request it would send (keys masked) and send none")
	addOutputFlags(fs, f)
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
	}
	_, err := parseHeaders(f.Headers)
	return err
}

// parseHeaders reads repeated --header K:V flags.
func parseHeaders(hs []string) (http.Header, error) {
	out := http.Header{}
	for _, h := range hs {
		k, v, ok := strings.Cut(h, ":")
		k = strings.TrimSpace(k)
		if !ok || k == "" || strings.ContainsAny(k, " \t") {
			return nil, usageError(fmt.Errorf("--header %q: want KEY:VALUE", h))
		}
		out.Add(k, strings.TrimSpace(v))
	}
	return out, nil
}

// engineConfig turns the flags into the engine's Config; the outside world
// (clock, proxy variables, progress line, exchange log) comes from io.
func (f *runFlags) engineConfig(io *IO, color bool, progress *reporters.Progress) checks.Config {
	headers, _ := parseHeaders(f.Headers)
	cfg := checks.Config{
		Suites: f.Suites, Skip: f.Skip,
		MaxRequests: f.MaxRequests, Concurrency: f.Concurrency, Timeout: f.Timeout, MaxBody: f.MaxBody,
		Headers: headers, DryRun: f.DryRun,
		Proxy:    proxyFrom(io.Getenv),
		Now:      io.Now,
		Progress: progress.Update,
		Version:  Version,
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
