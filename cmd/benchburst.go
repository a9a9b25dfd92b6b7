package cmd

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/burst"
	"github.com/errprobe/errprobe/ratelimit"
	"github.com/errprobe/errprobe/schemas"
)

// benchBurstOptions are the hidden `errprobe bench-burst` command's flags.
type benchBurstOptions struct {
	URL         string
	Profile     string
	Headers     []string
	Requests    int
	Concurrency int
	StopOn429   bool
	Duration    time.Duration
}

// newBenchBurstCmd is a hidden command for `make bench`: it runs the
// rate-limit burst engine (the real code path) against URL and prints its
// rate, so it can be compared with hey and wrk on the same endpoint.
func newBenchBurstCmd(io *IO) *cobra.Command {
	o := &benchBurstOptions{}
	c := &cobra.Command{
		Use:    "bench-burst URL",
		Short:  "Measure the burst engine's requests/s against URL (for make bench)",
		Hidden: true,
		Args:   cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.URL = args[0]
			return runBenchBurst(cmd.Context(), io, o)
		},
	}
	fs := c.Flags()
	fs.StringVarP(&o.Profile, "profile", "p", "erzycall", "built-in profile whose rate-limit headers are parsed on every response")
	fs.StringArrayVar(&o.Headers, "header", nil, "request header `K:V` (repeatable), e.g. the API key")
	fs.IntVarP(&o.Requests, "requests", "n", 20000, "requests to send")
	fs.IntVarP(&o.Concurrency, "concurrency", "c", 8, "workers")
	fs.DurationVarP(&o.Duration, "duration", "d", 0, "stop after this long even if fewer than --requests were sent (0: no limit)")
	fs.BoolVar(&o.StopOn429, "stop-on-429", false, "stop after the first 429 and a small confirmation sample, as a run does")
	return c
}

func runBenchBurst(ctx context.Context, io *IO, o *benchBurstOptions) error {
	u, err := url.Parse(o.URL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return usageError(fmt.Errorf("URL %q: want http(s)://host[:port]/path", o.URL))
	}
	if o.Requests < 1 || o.Concurrency < 1 {
		return usageError(errors.New("--requests and --concurrency must be at least 1"))
	}
	headers := http.Header{}
	if err := parseHeaders(headers, "--header", o.Headers); err != nil {
		return err
	}
	p, err := schemas.Builtin(o.Profile, io.Getenv)
	if err != nil {
		return usageError(fmt.Errorf("--profile: %w", err))
	}
	confirm := -1
	if o.StopOn429 {
		confirm = 0 // the default confirmation sample
	}
	if o.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, o.Duration)
		defer cancel()
	}
	st := burst.Run(ctx, burst.Config{
		Method: http.MethodGet, URL: u.String(), Header: headers,
		MaxRequests: o.Requests, Concurrency: o.Concurrency, Confirm: confirm,
		Format: ratelimit.FormatOf(p), Now: io.Now,
	})
	fmt.Fprintf(io.Out, "requests/s: %.0f\nsent: %d\nstatus_429: %d\nerrors: %d\nelapsed: %s\nlatency_p50: %s\nlatency_p90: %s\nlatency_p99: %s\n",
		st.Rate, st.Sent, st.Status429, st.Errors, st.Elapsed, st.LatencyP50, st.LatencyP90, st.LatencyP99)
	if kb, ok := maxRSSKB(); ok {
		fmt.Fprintf(io.Out, "max_rss_kb: %d\n", kb)
	}
	if st.Sent == 0 {
		return withCode(ExitUnreachable, errors.New("bench-burst: no request got a response"))
	}
	return nil
}
