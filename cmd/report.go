package cmd

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/pflag"

	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/reporters"
)

// reportOptions are the report and gate flags shared by run and demo.
type reportOptions struct {
	JUnit, JSON, Markdown string // file paths; "-" is stdout
	HAR                   string // HAR 1.2 file path; "-" is stdout
	MarkdownAppend        bool   // append the Markdown report to its file
	Format                string // text|json|junit|markdown|har, what goes to stdout
	FailOn                string // error|warning|security|never
	Baseline              string
	WriteBaseline         string
	NoColor               bool
	Verbose               bool // set by run/demo's -v
	Quiet                 bool // set by run/demo's --quiet

	baseline *gate.Baseline // loaded by validate
	checked  bool
}

// addReportFlags registers the report flags; defaultFailOn is "error" for run
// and "warning" for demo.
func addReportFlags(fs *pflag.FlagSet, o *reportOptions, defaultFailOn string) {
	onceStringVar(fs, &o.JUnit, "junit", "", "also write a JUnit XML report to `FILE` (- for stdout)")
	onceStringVar(fs, &o.JSON, "json", "", "also write a JSON report to `FILE` (- for stdout)")
	onceStringVar(fs, &o.Markdown, "markdown", "", "also write a Markdown summary to `FILE` (- for stdout); appended to when FILE is\n$GITHUB_STEP_SUMMARY and exists")
	fs.BoolVar(&o.MarkdownAppend, "markdown-append", false, "append the Markdown summary to its file instead of replacing it")
	onceStringVar(fs, &o.HAR, "har", "", "also write every exchange as an HTTP Archive (HAR 1.2) to `FILE` (- for stdout),\nkeys masked, the burst sampled")
	onceStringVar(fs, &o.Format, "format", "text", "report written to stdout: "+strings.Join(reporters.Names(), "|"))
	onceStringVar(fs, &o.FailOn, "fail-on", defaultFailOn, "what fails the run: error|warning (the lowest severity), security (only checks\ntagged security) or never")
	onceStringVar(fs, &o.Baseline, "baseline", "", "treat failures listed in `FILE` as known: reported, not failing")
	onceStringVar(fs, &o.WriteBaseline, "write-baseline", "", "write the current failures to `FILE` (.json, or .yaml/.yml)")
	fs.BoolVar(&o.NoColor, "no-color", false, "never color the terminal report (also NO_COLOR=1, TERM=dumb)")
}

// validate checks the report flags and loads the baseline, so a bad flag or
// baseline ends the command (exit 2) before any request is sent. run/demo
// call it before running; writeReports calls it if they did not.
func (o *reportOptions) validate() error {
	if o.checked {
		return nil
	}
	if _, err := gate.ParseFailOn(o.FailOn); err != nil {
		return usageError(err)
	}
	if _, err := reporters.ByName(o.Format); err != nil {
		return usageError(fmt.Errorf("invalid --format: %w", err))
	}
	if o.Verbose && o.Quiet {
		return usageError(errors.New("-v and --quiet cannot be used together"))
	}
	if _, err := o.outputs(); err != nil {
		return usageError(err)
	}
	if o.Baseline != "" {
		b, err := gate.LoadBaseline(o.Baseline)
		if err != nil {
			return usageError(err)
		}
		o.baseline = b
	}
	o.checked = true
	return nil
}

// output is one report to write: a format and a file ("-" is stdout).
type output struct {
	format, path string
}

// outputs lists the requested reports, files first, stdout last. Only one
// report can go to stdout: a "-" file replaces --format.
func (o *reportOptions) outputs() ([]output, error) {
	var files []output
	stdout := output{format: o.Format, path: "-"}
	var toStdout []string
	for _, f := range []output{{"junit", o.JUnit}, {"json", o.JSON}, {"markdown", o.Markdown}, {"har", o.HAR}} {
		switch f.path {
		case "":
		case "-":
			toStdout = append(toStdout, "--"+f.format+" -")
			stdout.format = f.format
		default:
			files = append(files, f)
		}
	}
	if len(toStdout) > 1 || (len(toStdout) == 1 && o.Format != "text" && o.Format != stdout.format) {
		if o.Format != "text" {
			toStdout = append(toStdout, "--format "+o.Format)
		}
		return nil, fmt.Errorf("only one report can go to stdout: %s", strings.Join(toStdout, ", "))
	}
	if err := o.distinctFiles(files); err != nil {
		return nil, err
	}
	return append(files, stdout), nil
}

// textToStdout reports whether the terminal (text) report goes to stdout.
func (o *reportOptions) textToStdout() bool {
	outs, err := o.outputs()
	return err == nil && outs[len(outs)-1].format == "text"
}

// distinctFiles refuses two outputs on one file (one would silently
// overwrite the other); --write-baseline counts, "-" is stdout.
func (o *reportOptions) distinctFiles(files []output) error {
	if o.WriteBaseline == "-" {
		return errors.New("--write-baseline -: the baseline goes to a file, not stdout")
	}
	if o.WriteBaseline != "" {
		files = append(files, output{format: "write-baseline", path: o.WriteBaseline})
	}
	seen := map[string]string{}
	for _, f := range files {
		key := filepath.Clean(f.path)
		if abs, err := filepath.Abs(key); err == nil {
			key = abs
		}
		if prev, ok := seen[key]; ok {
			return fmt.Errorf("--%s and --%s both write %s: give each report its own file", prev, f.format, f.path)
		}
		seen[key] = f.format
	}
	return nil
}

// writeReports judges the report through the gate, writes every requested
// report (also when the run was interrupted) and returns the exit code the
// run ends with: 130 when interrupted, 1 when the gate failed, else 0. Its
// errors (bad flag or baseline, a report that could not be written) carry
// exit code 2 and are one line naming the flag or file.
func writeReports(ios *IO, r *report.Report, o *reportOptions) (int, error) {
	if err := o.validate(); err != nil {
		return ExitUsage, err
	}
	failOn, _ := gate.ParseFailOn(o.FailOn)
	opts := reporters.Options{
		Color:    colorEnabled(ios, o.NoColor),
		Verbose:  o.Verbose,
		Quiet:    o.Quiet,
		Width:    ios.outWidth(),
		FailOn:   failOn,
		Verdict:  gate.Decide(r, failOn, o.baseline),
		Hostname: hostname(),
		WorkDir:  ios.wd(),
	}
	outs, _ := o.outputs()
	var errs []error
	switch {
	case o.WriteBaseline == "":
	case r.Interrupted:
		// A partial run would drop the entries of checks that did not run.
		fmt.Fprintf(ios.Err, "errprobe: not writing baseline %s: the run was interrupted\n", o.WriteBaseline)
	case r.DryRun:
		fmt.Fprintf(ios.Err, "errprobe: not writing baseline %s: nothing was sent in a dry run\n", o.WriteBaseline)
	default:
		errs = append(errs, writeBaseline(ios, o.WriteBaseline, r))
	}
	if ios.Getenv("GITHUB_ACTIONS") == "true" {
		errs = append(errs, writeAnnotations(ios, r, outs))
	}
	for _, out := range outs {
		errs = append(errs, writeReport(ios, out, r, opts, o.appends(ios, out)))
	}
	if err := firstError(errs); err != nil {
		return ExitUsage, usageError(err)
	}
	return exitCode(r, opts.Verdict), nil
}

// writeErrorReports writes the requested reports of a run that could not be
// made (r.Error): every file report, and stdout's when it is not the text
// report (the error line on stderr says it). No baseline, no annotations.
func writeErrorReports(ios *IO, r *report.Report, o *reportOptions) error {
	failOn, _ := gate.ParseFailOn(o.FailOn)
	opts := reporters.Options{FailOn: failOn, Hostname: hostname(), WorkDir: ios.wd()}
	outs, err := o.outputs()
	if err != nil {
		return err
	}
	var errs []error
	for _, out := range outs {
		if out.path == "-" && out.format == "text" {
			continue
		}
		errs = append(errs, writeReport(ios, out, r, opts, o.appends(ios, out)))
	}
	return firstError(errs)
}

func exitCode(r *report.Report, v gate.Verdict) int {
	switch {
	case r.Interrupted:
		return ExitInterrupted
	case v.Failed:
		return ExitFailed
	case r.NothingTested != "" && !r.DryRun:
		return ExitNotRun
	}
	return ExitOK
}

// appends reports whether out is added to its file rather than replacing
// it: the Markdown report with --markdown-append, or when its file is
// GitHub's step summary and exists (earlier steps' lines stay).
func (o *reportOptions) appends(ios *IO, out output) bool {
	if out.format != "markdown" || out.path == "-" {
		return false
	}
	if o.MarkdownAppend {
		return true
	}
	summary := ios.Getenv("GITHUB_STEP_SUMMARY")
	if summary == "" || !samePath(summary, out.path) {
		return false
	}
	_, err := os.Stat(out.path)
	return err == nil
}

func samePath(a, b string) bool {
	if a == b {
		return true
	}
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}

func writeReport(ios *IO, out output, r *report.Report, opts reporters.Options, appending bool) error {
	render, err := reporters.ByName(out.format)
	if err != nil {
		return err
	}
	if out.format != "text" {
		opts.Color = false
	}
	if out.path != "-" {
		opts.Width = 0 // a file is read at any width
	}
	write := writeTo
	if appending {
		write = appendTo
	}
	err = write(ios, out.path, func(w io.Writer) error { return render(w, r, opts) })
	if err != nil {
		return fmt.Errorf("failed to write %s report: %w", out.format, err)
	}
	return nil
}

func writeBaseline(ios *IO, path string, r *report.Report) error {
	b := gate.NewBaseline(r)
	write := b.Write
	if ext := strings.ToLower(filepath.Ext(path)); ext == ".yaml" || ext == ".yml" {
		write = b.WriteYAML
	}
	if err := writeTo(ios, path, write); err != nil {
		return fmt.Errorf("failed to write baseline: %w", err)
	}
	return nil
}

// writeTo writes to stdout for "-", else creates the file.
func writeTo(ios *IO, path string, write func(io.Writer) error) error {
	if path == "-" {
		return write(ios.Out)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// appendTo adds to the end of the file (creating it if need be), after a
// blank line when it already holds something.
func appendTo(_ *IO, path string, write func(io.Writer) error) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	if st, err := f.Stat(); err == nil && st.Size() > 0 {
		if _, err := io.WriteString(f, "\n"); err != nil {
			f.Close()
			return fmt.Errorf("%s: %w", path, err)
		}
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

func firstError(errs []error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// colorEnabled decides once whether the stdout report is colored.
func colorEnabled(ios *IO, noColor bool) bool {
	return colorOn(ios.Getenv, ios.OutTTY, noColor)
}

// colorOn: --no-color, NO_COLOR and TERM=dumb turn color off,
// CLICOLOR_FORCE (not "0") turns it on without a terminal, and otherwise
// whether the stream is a terminal decides.
func colorOn(getenv func(string) string, tty, noColor bool) bool {
	if noColor || getenv("NO_COLOR") != "" {
		return false
	}
	if f := getenv("CLICOLOR_FORCE"); f != "" && f != "0" {
		return true
	}
	if getenv("TERM") == "dumb" {
		return false
	}
	return tty
}

// hostname names this machine in JUnit reports; tests replace it.
var hostname = func() string {
	h, err := os.Hostname()
	if err != nil {
		return "localhost"
	}
	return h
}
