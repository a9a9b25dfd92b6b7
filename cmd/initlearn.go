package cmd

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/errprobe/errprobe/learn"
)

// initLearn runs `init --learn BASE_URL`: a bounded set of error-provoking
// requests, then the profile they suggest.
func initLearn(o *initOptions) error {
	u, err := url.Parse(o.Learn)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError(fmt.Errorf("--learn %q: want http(s)://host[:port][/prefix]", o.Learn))
	}
	if o.Path != "" && !strings.HasPrefix(o.Path, "/") {
		return usageError(fmt.Errorf("--path %q: want a path like /v1/contacts", o.Path))
	}
	opts := learn.Options{BaseURL: strings.TrimRight(o.Learn, "/"), Key: o.IO.Getenv("ERRPROBE_API_KEY"), KeyEnv: "ERRPROBE_API_KEY",
		Path: o.Path, Client: &http.Client{Timeout: 10 * time.Second,
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if o.DryRun {
		for _, r := range learn.Plan(opts) {
			fmt.Fprintf(o.IO.Out, "%-6s %s%s  (%s)%s\n", r.Method, opts.BaseURL, r.Path, r.Purpose, headerText(r.Header))
		}
		fmt.Fprintf(o.IO.Out, "dry run: %d requests planned, none sent, nothing written\n", len(learn.Plan(opts)))
		return nil
	}
	if opts.Key == "" {
		fmt.Fprintln(o.IO.Err, "errprobe: ERRPROBE_API_KEY is not set: learning from unauthenticated answers only")
	}
	obs, err := learn.Run(context.Background(), opts)
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
	fmt.Fprintf(o.IO.Out, "wrote %s from %d responses of %s; read its comments, then: errprobe run --profile %s\n",
		o.Output, len(obs), opts.BaseURL, o.Output)
	return nil
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
