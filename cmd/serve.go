package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"syscall"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

// serveOptions are `errprobe serve`'s flags.
type serveOptions struct {
	Profile      string
	Addr         string
	Rate         string
	Faults       []string
	ListFaults   bool
	Auth         string
	WriteProfile string
	OpenAPI      string
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
built-in profile's error contract exactly (or a profile file's that extends
one: its code table, routes included), for trying errprobe out and for its
own tests. --fault switches on a named defect (repeatable); --list-faults lists
those that apply to the profile's style (a code-less profile has no code to
get wrong). It prints the base URL and the generated API keys, and stops on
Ctrl-C.`,
		Example: `  errprobe serve --profile erzycall
  errprobe serve --profile problem --addr 127.0.0.1:9090 --rate-limit 100/1s
  errprobe serve --profile erzycall --fault wrong-status --fault no-rate-limit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), io, o)
		},
	}
	fs := c.Flags()
	fs.StringVarP(&o.Profile, "profile", "p", "erzycall", "profile to serve: a built-in ("+strings.Join(schemas.BuiltinNames(), "|")+")\nor a profile file extending one (its codes, e.g. codes.X.routes, are answered)")
	fs.StringVar(&o.Addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&o.Rate, "rate-limit", "20/2s", "requests per API key per fixed window, N/WINDOW")
	fs.StringArrayVar(&o.Faults, "fault", nil, "switch on a fault by name (repeatable; see --list-faults)")
	fs.BoolVar(&o.ListFaults, "list-faults", false, "list the faults that apply to --profile, one a line, and exit")
	fs.StringVar(&o.Auth, "auth", fixtures.AuthKey, "how clients authenticate: "+strings.Join(fixtures.AuthModes(), "|")+
		"\n(basic: username:password; oauth2: Bearer tokens from POST "+fixtures.TokenPath+";\nmtls: https with a client certificate from a generated CA)")
	fs.StringVar(&o.OpenAPI, "openapi", "", "serve an OpenAPI `DOC` instead of a profile: every operation answered as documented\n(--list-faults lists the faults it has)")
	fs.StringVar(&o.WriteProfile, "write-profile", "", "write a profile `FILE` that runs against this server in its auth mode\n(credentials as ${VAR}, never values)")
	return c
}

func runServe(ctx context.Context, io *IO, o *serveOptions) error {
	if o.OpenAPI != "" {
		return runServeOpenAPI(ctx, io, o)
	}
	if o.Profile == "" {
		o.Profile = "erzycall"
	}
	p, err := schemas.Resolve(o.Profile, io.Getenv)
	if err != nil {
		return usageError(fmt.Errorf("--profile: %w", err))
	}
	if o.ListFaults {
		return listFaults(io, p)
	}
	n, window, err := fixtures.ParseRate(o.Rate)
	if err != nil {
		return usageError(fmt.Errorf("--rate-limit: %w", err))
	}
	if err := checkFaults(p, o.Faults); err != nil {
		return err
	}
	srv, err := fixtures.Start(ctx, o.Addr, p, fixtures.WithFaults(o.Faults...),
		fixtures.WithRateLimit(n, window), fixtures.WithClock(io.Now), fixtures.WithAuth(o.Auth))
	if err != nil {
		return listenError(o.Addr, err)
	}
	defer srv.Close()
	if o.WriteProfile != "" {
		if err := os.WriteFile(o.WriteProfile, []byte(srv.ClientProfile()), 0o644); err != nil {
			return usageError(fmt.Errorf("--write-profile: %w", err))
		}
	}
	printServing(io, o, srv, n, window)
	<-ctx.Done()
	fmt.Fprintln(io.Err, "errprobe serve: stopped")
	return nil
}

// listenError says why serve could not listen on --addr in one line that
// names the address once: the port in use, else the system's reason.
func listenError(addr string, err error) error {
	var op *net.OpError
	if !errors.As(err, &op) {
		return err
	}
	if errors.Is(err, syscall.EADDRINUSE) {
		return usageError(fmt.Errorf("--addr %s: the port is in use (is another errprobe serve running?); give another --addr, or 127.0.0.1:0 for a free port", addr))
	}
	reason := op.Err.Error()
	var se *os.SyscallError
	if errors.As(op.Err, &se) {
		reason = se.Err.Error()
	}
	return usageError(fmt.Errorf("--addr %s: cannot listen: %s", addr, reason))
}

func printServing(io *IO, o *serveOptions, srv *fixtures.Running, n int, window time.Duration) {
	faults := "none"
	if len(o.Faults) > 0 {
		faults = strings.Join(o.Faults, ", ")
	}
	fmt.Fprintf(io.Out, "errprobe reference server: profile %s at %s\n", o.Profile, srv.URL)
	fmt.Fprintf(io.Out, "rate limit %d per %s per key; faults: %s; auth: %s\n", n, window, faults, cmp.Or(o.Auth, fixtures.AuthKey))
	switch o.Auth {
	case fixtures.AuthOAuth2:
		fmt.Fprintf(io.Out, "token endpoint (client credentials): POST %s%s\n", srv.URL, fixtures.TokenPath)
	case fixtures.AuthMTLS:
		fmt.Fprintf(io.Out, "https needs a client certificate signed by $ERRPROBE_CA_CERT; plain %s answers too\n", srv.PlainURL)
	}
	fmt.Fprintf(io.Out, "\n# Credentials (generated for this run; paste into your shell):\n")
	for _, v := range srv.Keys.Vars() {
		fmt.Fprintf(io.Out, "export %s=%s\n", v.Name, v.Value)
	}
	switch {
	case o.WriteProfile != "":
		fmt.Fprintf(io.Out, "\n# then: errprobe run --profile %s\n", o.WriteProfile)
	case cmp.Or(o.Auth, fixtures.AuthKey) != fixtures.AuthKey:
		fmt.Fprintf(io.Out, "\n# then: errprobe serve … --write-profile FILE writes the profile for this mode\n")
	default:
		fmt.Fprintf(io.Out, "\n# then: errprobe run --profile %s %s\n", o.Profile, srv.URL)
	}
	fmt.Fprintln(io.Err, "Press Ctrl-C to stop.")
}

// listFaults lists the faults that apply to p's reference server.
func listFaults(io *IO, p *schemas.Profile) error {
	faults, err := fixtures.FaultsFor(p)
	if err != nil {
		return usageError(fmt.Errorf("--profile: %w", err))
	}
	tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
	for _, f := range faults {
		fmt.Fprintf(tw, "%s\t%s\n", f.Name, f.Breaks)
	}
	return tw.Flush()
}

// checkFaults refuses, as a usage error naming the flag, a fault the server
// does not know or one that does not apply to p.
func checkFaults(p *schemas.Profile, names []string) error {
	applies, err := fixtures.FaultsFor(p)
	if err != nil {
		return usageError(fmt.Errorf("--profile: %w", err))
	}
	for _, name := range names {
		switch {
		case slices.ContainsFunc(applies, func(f fixtures.Fault) bool { return f.Name == name }):
		case slices.ContainsFunc(fixtures.Faults(), func(f fixtures.Fault) bool { return f.Name == name }):
			return usageError(fmt.Errorf("--fault: fault %q does not apply to profile %s (errprobe serve --profile %s --list-faults lists those that do)", name, p.Name, p.Name))
		default:
			return usageError(fmt.Errorf("--fault: unknown fault %q (errprobe serve --list-faults lists them)", name))
		}
	}
	return nil
}
