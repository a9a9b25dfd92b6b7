package cmd

import (
	"context"
	"fmt"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

// serveOptions are `errprobe serve`'s flags.
type serveOptions struct {
	Profile    string
	Addr       string
	Rate       string
	Faults     []string
	ListFaults bool
}

func newServeCmd(io *IO) *cobra.Command { return serveCmd(io, runServe) }

// serveCmd builds the command around runF, which tests replace to see the
// options the flags produce.
func serveCmd(io *IO, runF func(context.Context, *IO, *serveOptions) error) *cobra.Command {
	o := &serveOptions{}
	c := &cobra.Command{
		Use:   "serve",
		Short: "Run the reference API server for a built-in profile (optionally with faults)",
		Long: `serve runs errprobe's reference API in the foreground: a small API that keeps a
built-in profile's error contract exactly, for trying errprobe out and for its
own tests. --fault switches on a named defect (repeatable); --list-faults lists
them. It prints the base URL and the generated API keys, and stops on Ctrl-C.`,
		Example: `  errprobe serve --profile erzycall
  errprobe serve --profile problem --addr 127.0.0.1:9090 --rate-limit 100/1s
  errprobe serve --profile erzycall --fault wrong-status --fault no-rate-limit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), io, o)
		},
	}
	fs := c.Flags()
	fs.StringVar(&o.Profile, "profile", "erzycall", "built-in profile to serve: "+strings.Join(schemas.BuiltinNames(), "|"))
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&o.Rate, "rate-limit", "20/2s", "requests per API key per fixed window, N/WINDOW")
	fs.StringArrayVar(&o.Faults, "fault", nil, "switch on a fault by name (repeatable; see --list-faults)")
	fs.BoolVar(&o.ListFaults, "list-faults", false, "list the faults, one a line, and exit")
	return c
}

func runServe(ctx context.Context, io *IO, o *serveOptions) error {
	if o.ListFaults {
		return listFaults(io)
	}
	p, err := schemas.Builtin(o.Profile, io.Getenv)
	if err != nil {
		return usageError(fmt.Errorf("--profile: %w", err))
	}
	n, window, err := fixtures.ParseRate(o.Rate)
	if err != nil {
		return usageError(fmt.Errorf("--rate-limit: %w", err))
	}
	for _, f := range o.Faults {
		if !knownFault(f) {
			return usageError(fmt.Errorf("--fault: unknown fault %q (errprobe serve --list-faults lists them)", f))
		}
	}
	srv, err := fixtures.Start(ctx, o.Addr, p, fixtures.WithFaults(o.Faults...),
		fixtures.WithRateLimit(n, window), fixtures.WithClock(io.Now))
	if err != nil {
		return err
	}
	defer srv.Close()
	printServing(io, o, srv, n, window)
	<-ctx.Done()
	fmt.Fprintln(io.Err, "errprobe serve: stopped")
	return nil
}

func printServing(io *IO, o *serveOptions, srv *fixtures.Running, n int, window time.Duration) {
	faults := "none"
	if len(o.Faults) > 0 {
		faults = strings.Join(o.Faults, ", ")
	}
	fmt.Fprintf(io.Out, "errprobe reference server: profile %s at %s\n", o.Profile, srv.URL)
	fmt.Fprintf(io.Out, "rate limit %d per %s per key; faults: %s\n\n", n, window, faults)
	fmt.Fprintf(io.Out, "# API keys (generated for this run; paste into your shell):\n")
	for _, v := range srv.Keys.Vars() {
		fmt.Fprintf(io.Out, "export %s=%s\n", v.Name, v.Value)
	}
	fmt.Fprintf(io.Out, "\n# then: errprobe run --profile %s %s\n", o.Profile, srv.URL)
	fmt.Fprintln(io.Err, "Press Ctrl-C to stop.")
}

func listFaults(io *IO) error {
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	for _, f := range fixtures.Faults() {
		fmt.Fprintf(tw, "%s\t%s\n", f.Name, f.Breaks)
	}
	return tw.Flush()
}

func knownFault(name string) bool {
	for _, f := range fixtures.Faults() {
		if f.Name == name {
			return true
		}
	}
	return false
}
