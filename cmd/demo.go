package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/clock"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/reporters"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// The demo server's rate limit and the cap on the waits keep a demo run to
// a few seconds, even with a rate-limit fault. The window is 3 s: with
// whole-second delta resets (IETF), a 429 in the burst says a reset of 3 s at
// most, and the later sample, sent a second before the earliest that reset
// can be, then always has 2 s or less left — so a Retry-After that is the
// constant window (3) shows, however fast the burst ran; with a 2 s window a
// burst spent within its first 50 ms left nothing to tell them apart.
const (
	demoRate    = 200
	demoWindow  = 3 * time.Second
	demoMaxWait = 4 * time.Second
)

// demoOptions are `errprobe demo`'s flags.
type demoOptions struct {
	Profile string
	Faults  []string
	Auth    string
	// RealTime waits the rate-limit windows out on the wall clock.
	RealTime bool
	runFlags
	report reportOptions

	// onServe, when set (tests), receives the reference server's keys.
	onServe func(fixtures.Keys)
}

func newDemoCmd(io *IO) *cobra.Command { return demoCmd(io, runDemo) }

// demoCmd builds `errprobe demo`; tests pass their own runF to see the options.
func demoCmd(io *IO, runF func(context.Context, *IO, *demoOptions) error) *cobra.Command {
	o := &demoOptions{}
	c := &cobra.Command{
		Use:   "demo",
		Short: "Run every suite against the embedded reference server",
		Long: `demo starts errprobe's reference API for a built-in profile on 127.0.0.1 (a
free port), runs every suite against it with the server's keys, prints the
report and stops the server. The reference server keeps its contract, so a
clean demo passes every check; --fault switches on a defect the report must
catch. demo fails on any finding (--fail-on warning).

` + exitCodesHelp,
		Example: `  errprobe demo
  errprobe demo --profile problem
  errprobe demo --fault wrong-status --fault no-rate-limit`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runF(cmd.Context(), io, o)
		},
	}
	fs := c.Flags()
	fs.StringVarP(&o.Profile, "profile", "p", "erzycall", "built-in profile: "+strings.Join(schemas.BuiltinNames(), "|"))
	fs.StringArrayVar(&o.Faults, "fault", nil, "switch on a reference-server fault (repeatable; errprobe serve --profile NAME --list-faults)")
	fs.StringVar(&o.Auth, "auth", fixtures.AuthKey, "how the reference server authenticates: "+strings.Join(fixtures.AuthModes(), "|"))
	fs.BoolVar(&o.RealTime, "real-time", false, "wait out the rate-limit windows on the wall clock (default: skip the waits; the server shares errprobe's clock)")
	addSelectFlags(fs, &o.runFlags)
	addOutputFlags(fs, &o.runFlags)
	addReportFlags(fs, &o.report, "warning")
	return c
}

func runDemo(ctx context.Context, io *IO, o *demoOptions) error {
	o.report.Verbose, o.report.Quiet = o.Verbose, o.Quiet
	if err := o.report.validate(); err != nil {
		return err
	}
	if !schemas.IsBuiltin(o.Profile) {
		return usageError(fmt.Errorf("--profile %q: demo runs a built-in profile (%s)", o.Profile, strings.Join(schemas.BuiltinNames(), ", ")))
	}
	served, err := schemas.Builtin(o.Profile, io.Getenv)
	if err != nil {
		return usageError(err)
	}
	if err := checkFaults(served, o.Faults); err != nil {
		return err
	}
	rep, err := demoReport(ctx, io, o)
	if err != nil {
		return err
	}
	return finish(io, rep, &o.report)
}

// demoReport serves the profile, runs every suite against it and stops the
// server.
func demoReport(ctx context.Context, io *IO, o *demoOptions) (*report.Report, error) {
	served, err := schemas.Builtin(o.Profile, io.Getenv)
	if err != nil {
		return nil, usageError(err)
	}
	clk, skip := demoClock(io, o.RealTime)
	srv, err := fixtures.Start(ctx, "127.0.0.1:0", served, fixtures.WithFaults(o.Faults...),
		fixtures.WithRateLimit(demoRate, demoWindow), fixtures.WithClock(clk.Now), fixtures.WithAuth(o.Auth))
	if err != nil {
		return nil, usageError(fmt.Errorf("--auth: %w", err))
	}
	defer srv.Close()
	if o.onServe != nil {
		o.onServe(srv.Keys)
	}
	p, err := demoProfile(o, srv, io.Getenv)
	if err != nil {
		return nil, err
	}
	srv.Promise(p)
	contract, err := schemas.Compile(p)
	if err != nil {
		return nil, usageError(err)
	}
	progress := reporters.NewProgress(io.Err, io.progressOptions(o.Quiet, o.Verbose, o.report.NoColor))
	o.runFlags.MaxRequests, o.runFlags.Concurrency = wire.DefaultMaxRequests, wire.DefaultConcurrency
	o.runFlags.Timeout, o.runFlags.MaxBody = wire.DefaultTimeout, wire.DefaultMaxBody
	cfg := o.engineConfig(io, colorEnabled(io, o.report.NoColor), progress)
	cfg.Contract, cfg.BaseURL, cfg.MaxWait, cfg.Proxy, cfg.Clock = contract, srv.URL, demoMaxWait, nil, clk
	allowWindDown(ctx, checks.WindDown+signalGrace)
	rep, err := checks.Run(ctx, cfg)
	progress.Done()
	if err != nil {
		return nil, runError(err)
	}
	if skip != nil && skip.Skipped() > 0 && !o.Quiet {
		fmt.Fprintf(io.Err, "demo: %.1fs of rate-limit waits skipped: the reference server shares errprobe's clock (--real-time waits them out)\n",
			skip.Skipped().Seconds())
	}
	return rep, nil
}

// demoClock is the clock the demo's server and run share: the wall clock
// with --real-time, io's when set (tests), else the wall clock with the
// waits skipped (returned too, to say how much was skipped). The server is
// in-process, so a skipped wait passes for both: the burst's window resets
// at once, and the requests still take their real time.
func demoClock(io *IO, realTime bool) (clock.Clock, *clock.Skip) {
	switch {
	case realTime && io.Now != nil:
		return clock.Func(io.Now), nil
	case realTime:
		return clock.Real, nil
	case io.Clock != nil:
		return io.Clock, nil
	}
	skip := &clock.Skip{}
	return skip, skip
}

// demoProfile is the client's profile: the built-in itself in the default
// auth mode, else the profile `serve --write-profile` would write.
func demoProfile(o *demoOptions, srv *fixtures.Running, getenv func(string) string) (*schemas.Profile, error) {
	if o.Auth == "" || o.Auth == fixtures.AuthKey {
		p, err := schemas.Builtin(o.Profile, srv.Keys.Getenv(getenv))
		if err != nil {
			return nil, usageError(err)
		}
		return p, nil
	}
	dir, err := os.MkdirTemp("", "errprobe-demo-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "errprobe.yaml")
	if err := os.WriteFile(path, []byte(srv.ClientProfile()), 0o600); err != nil {
		return nil, err
	}
	p, err := schemas.Load(path, srv.Keys.Getenv(getenv))
	if err != nil {
		return nil, usageError(err)
	}
	return p, nil
}
