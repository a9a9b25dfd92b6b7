package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/reporters"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// runOptions are `errprobe run`'s flags and argument.
type runOptions struct {
	BaseURL string
	Profile string
	// OpenAPI is a document whose operations get per-operation probes and
	// against which every response is checked; Operations filters them.
	OpenAPI    string
	Operations []string
	runFlags
	report reportOptions

	loaded *schemas.Profile // the profile, once loaded (for a failed run's report)
}

func newRunCmd(io *IO) *cobra.Command { return runCmd(io, runRun) }

// runCmd builds `errprobe run`; tests pass their own runF to see the options.
func runCmd(io *IO, runF func(context.Context, *IO, *runOptions) error) *cobra.Command {
	o := &runOptions{}
	c := &cobra.Command{
		Use:   "run [BASE_URL]",
		Short: "Probe a live API and check every error response against its profile",
		Long: `run sends errprobe's probes to BASE_URL (or the profile's base_url): malformed
bodies, missing, bad and revoked keys, unknown and foreign ids, invalid bodies,
replayed idempotency keys and, last and alone, a bounded rate-limit burst.
Every error response is checked against the profile's envelope and code table.
BASE_URL defaults to $ERRPROBE_BASE_URL, then the profile's base_url.
Keys come from the environment variables the profile names (ERRPROBE_API_KEY,
…); probes that need a key that is not set are skipped, with the reason.
The profile's auth may instead give HTTP Basic credentials, an OAuth2
client-credentials grant, a token_command or a TLS client certificate
(--cert/--key).
Resources the probes create are deleted at the end.

` + exitCodesHelp,
		Example: `  export ERRPROBE_API_KEY=ek_live_…
  errprobe run https://api.example.com --profile erzycall
  errprobe run --profile ./errprobe.yaml --suite auth,envelope --junit report.xml
  errprobe run https://staging.example.com --dry-run`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				o.BaseURL = args[0]
			}
			return runF(cmd.Context(), io, o)
		},
	}
	fs := c.Flags()
	fs.StringVarP(&o.Profile, "profile", "p", "", "built-in profile `NAME` or profile FILE (default $ERRPROBE_PROFILE, else\nerrprobe.yaml or errprobe.yml in this directory or the nearest parent up to\nthe repository root)")
	addRunFlags(fs, &o.runFlags)
	addReportFlags(fs, &o.report, "error")
	fs.StringVar(&o.OpenAPI, "openapi", "", "OpenAPI 3.0/3.1 `FILE` or URL on the base URL's host (/openapi.json): probe every operation and check every response against it")
	fs.StringSliceVar(&o.Operations, "operations", nil, "with --openapi: only these operations, by `path`, \"METHOD /path\", tag or path prefix (/v1/contacts*)")
	return c
}

func runRun(ctx context.Context, io *IO, o *runOptions) error {
	o.report.Verbose, o.report.Quiet = o.Verbose, o.Quiet
	if err := o.report.validate(); err != nil {
		return err // no report can be named: nothing to write
	}
	started := io.Now()
	rep, err := o.probe(ctx, io)
	if err != nil {
		return failed(io, o, started, err)
	}
	return finish(io, rep, &o.report)
}

// probe loads the profile (and OpenAPI document) and runs the probes.
func (o *runOptions) probe(ctx context.Context, io *IO) (*report.Report, error) {
	if err := o.validate(); err != nil {
		return nil, err
	}
	contract, err := loadContract(io, o.Profile)
	if err != nil {
		return nil, err
	}
	o.loaded = contract.Profile()
	color := colorEnabled(io, o.report.NoColor)
	progress := reporters.NewProgress(io.Err, io.progressOptions(o.Quiet, o.Verbose, o.report.NoColor))
	cfg := o.engineConfig(io, color, progress)
	cfg.Contract, cfg.BaseURL = contract, o.baseURL(io)
	if err := o.checkBase(io, contract.Profile()); err != nil {
		return nil, err
	}
	if isURL(o.OpenAPI) {
		fetched, err := fetchOpenAPI(ctx, "--openapi", o.OpenAPI, cmp.Or(cfg.BaseURL, contract.Profile().BaseURL), &o.runFlags, io)
		if err != nil {
			return nil, err
		}
		if cfg.OpenAPI, err = planOpenAPI(fetched.doc, o.Operations); err != nil {
			return nil, err
		}
		cfg.Sent = fetched.sent
	} else if cfg.OpenAPI, err = loadOpenAPI(o.OpenAPI, o.Operations); err != nil {
		return nil, err
	}
	announceBase(io, cfg.BaseURL, contract.Profile())
	if cfg.OpenAPI != nil {
		cfg.Probes = append(cfg.Probes, cfg.OpenAPI.Probes...)
	}
	allowWindDown(ctx, checks.WindDown+signalGrace) // a second for the reports
	rep, err := checks.Run(ctx, cfg)
	progress.Done()
	if err != nil {
		return nil, runError(err)
	}
	return rep, nil
}

func (o *runOptions) baseURL(io *IO) string { return cmp.Or(o.BaseURL, io.Getenv("ERRPROBE_BASE_URL")) }

// checkBase refuses a base URL that cannot work before anything is read or
// sent, in one line naming where it came from: the BASE_URL argument,
// ERRPROBE_BASE_URL, or the profile's base_url. No base URL at all is left
// to the engine, which says how to give one.
func (o *runOptions) checkBase(io *IO, p *schemas.Profile) error {
	name, base := "BASE_URL", o.BaseURL
	switch {
	case base != "":
	case io.Getenv("ERRPROBE_BASE_URL") != "":
		name, base = "ERRPROBE_BASE_URL", io.Getenv("ERRPROBE_BASE_URL")
	case p.BaseURL != "":
		name, base = "base_url in "+p.Source, p.BaseURL
	default:
		return nil
	}
	if _, err := wire.CheckBaseURL(name, base); err != nil {
		return usageError(err)
	}
	return nil
}

// failed writes the file reports of a run that could not be made (a usage
// or profile error, exit 2; the target unreachable, exit 3) — one error
// each says why — and returns err to be printed once with its exit code.
func failed(io *IO, o *runOptions, started time.Time, err error) error {
	kind := "usage"
	var ee *exitError
	if errors.As(err, &ee) && ee.code == ExitUnreachable {
		kind = "unreachable"
	}
	r := &report.Report{
		Tool: "errprobe", Version: version(), Started: started, Finished: io.Now(),
		Profile: o.Profile, BaseURL: wire.RedactURL(o.baseURL(io)),
		Error: err.Error(), ErrorKind: kind,
	}
	if p := o.loaded; p != nil {
		r.Profile, r.ProfileFile = p.Name, p.Source
		r.BaseURL = wire.RedactURL(cmp.Or(o.baseURL(io), p.BaseURL))
	}
	if werr := writeErrorReports(io, r, &o.report); werr != nil {
		fmt.Fprintf(io.Err, "errprobe: %v\n", werr)
	}
	return err
}

// announceBase prints, before anything is sent, a base URL the user did not
// give on the command line or in ERRPROBE_BASE_URL: the profile's base_url
// (perhaps written from an OpenAPI document's servers) receives the keys.
func announceBase(io *IO, given string, p *schemas.Profile) {
	if given != "" || p.BaseURL == "" {
		return
	}
	fmt.Fprintf(io.Err, "errprobe: base URL %s from the profile's base_url (%s), not from the command line or ERRPROBE_BASE_URL\n",
		wire.RedactURL(p.BaseURL), p.Source)
}

// loadContract resolves --profile (else $ERRPROBE_PROFILE, else the
// errprobe.yaml or errprobe.yml discovered from the working directory) and
// compiles it.
func loadContract(io *IO, name string) (*schemas.Contract, error) {
	if name == "" {
		name = io.Getenv("ERRPROBE_PROFILE")
	}
	if name == "" {
		name = relativeTo(io.wd(), discoverProfile(io.wd()))
	}
	if name == "" {
		return nil, usageError(errors.New("no profile: give --profile NAME|FILE, set ERRPROBE_PROFILE, or create ./errprobe.yaml (errprobe init)"))
	}
	p, err := schemas.Resolve(name, io.Getenv)
	if err != nil {
		return nil, usageError(err)
	}
	for _, w := range p.Warnings {
		fmt.Fprintln(io.Err, "errprobe: warning: "+w)
	}
	c, err := schemas.Compile(p)
	if err != nil {
		return nil, usageError(fmt.Errorf("%s: %w", p.Source, err))
	}
	return c, nil
}

// relativeTo names path relative to dir when it lies within it, so reports
// and annotations name a discovered profile as -p would ("errprobe.yaml",
// "../errprobe.yaml"); path unchanged otherwise.
func relativeTo(dir, path string) string {
	if dir == "" || path == "" || !filepath.IsAbs(path) {
		return path
	}
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return path
	}
	return rel
}

// runError maps the engine's set-up errors to exit codes.
func runError(err error) error {
	if errors.Is(err, checks.ErrUnreachable) {
		return withCode(ExitUnreachable, err)
	}
	return usageError(err)
}

// finish writes the reports and turns the verdict into the exit code.
func finish(io *IO, rep *report.Report, o *reportOptions) error {
	// The text report on a terminal says these itself; on stderr they are
	// for a stdout that is a file, a pipe or a machine-readable report.
	notes := !(io.OutTTY && o.textToStdout())
	if rep.Keyless != "" && notes {
		fmt.Fprintf(io.Err, "errprobe: no valid key: %s; %s\n", rep.Keyless, reporters.KeylessDid(rep))
	}
	if rep.Stopped != "" && notes {
		fmt.Fprintf(io.Err, "errprobe: stopped early: %s; results so far are reported and gated\n", rep.Stopped)
	}
	code, err := writeReports(io, rep, o)
	if err != nil {
		return err
	}
	if code == ExitNotRun && notes {
		fmt.Fprintf(io.Err, "errprobe: %s; exit %d\n", rep.NothingTested, ExitNotRun)
	}
	if code != ExitOK {
		return withCode(code, nil)
	}
	return nil
}
