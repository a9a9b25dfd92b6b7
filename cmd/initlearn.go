package cmd

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/errprobe/errprobe/learn"
	"github.com/errprobe/errprobe/wire"
)

// initLearn runs `init --learn BASE_URL`: a bounded set of error-provoking
// requests, then the profile they suggest.
func initLearn(o *initOptions) error {
	u, err := wire.CheckBaseURL("--learn", o.Learn)
	if err != nil {
		return usageError(err)
	}
	if o.Path != "" && !strings.HasPrefix(o.Path, "/") {
		return usageError(fmt.Errorf("--path %q: want a path like /v1/contacts", o.Path))
	}
	opts := learn.Options{BaseURL: strings.TrimRight(o.Learn, "/"), Key: o.IO.Getenv("ERRPROBE_API_KEY"), KeyEnv: "ERRPROBE_API_KEY",
		Path: o.Path, Client: learnClient(u, proxyFrom(o.IO.Getenv))}
	if o.DryRun {
		for _, r := range learn.Plan(opts) {
			fmt.Fprintf(o.IO.Out, "%-6s %s%s  (%s)%s\n", r.Method, opts.Shown(), r.Path, r.Purpose, headerText(r.Header))
		}
		fmt.Fprintf(o.IO.Out, "dry run: %d requests planned, none sent, nothing written\n", len(learn.Plan(opts)))
		return nil
	}
	if opts.Key == "" {
		fmt.Fprintln(o.IO.Err, "errprobe: ERRPROBE_API_KEY is not set: learning from unauthenticated answers only")
	}
	ctx := o.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	obs, err := learn.Run(ctx, opts)
	if err != nil {
		return withCode(ExitUnreachable, err)
	}
	in := learn.Infer(obs)
	if err := writeNew(o, learn.Profile(in, opts)); err != nil {
		return err
	}
	if _, err := loadProfileFile(o); err != nil {
		return usageError(fmt.Errorf("wrote %s, but it does not load (edit it): %w", o.Output, err))
	}
	fmt.Fprintf(o.IO.Out, "wrote %s from %d responses of %s; read its comments, then: %s\n",
		o.Output, len(obs), opts.Shown(), runHint(o.Output))
	return nil
}

// learnClient sends learn's requests as run sends probes: the tuned
// transport (no compression asked, the environment's proxy), a budget of
// learn.MaxRequests counted at the wire, the host guard pinned to the base
// URL, no redirect followed.
func learnClient(base *url.URL, proxy func(*http.Request) (*url.URL, error)) *http.Client {
	tr := wire.NewTransport(wire.TransportOptions{Concurrency: 1, Timeout: 10 * time.Second, Proxy: proxy})
	return wire.CredentialClient(wire.NewBudget(tr, learn.MaxRequests), base, 10*time.Second)
}

func headerText(h map[string]string) string {
	var parts []string
	for k, v := range h {
		parts = append(parts, k+": "+v)
	}
	if len(parts) == 0 {
		return ""
	}
	return "  " + strings.Join(parts, ", ")
}
