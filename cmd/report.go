package cmd

import (
	"fmt"

	"github.com/spf13/pflag"

	"github.com/errprobe/errprobe/checks"
)

// SCAFFOLD: replaced by the reporters owner. The signatures stay.

// reportOptions are the report and gate flags shared by run and demo.
type reportOptions struct {
	JUnit, JSON, Markdown string // file paths; "-" is stdout
	Format                string // text|json|junit|markdown, what goes to stdout
	FailOn                string // error|warning|never
	Baseline              string
	WriteBaseline         string
	NoColor               bool
	Verbose               bool
	Quiet                 bool
}

// addReportFlags registers the report flags; defaultFailOn is "error" for run
// and "warning" for demo.
func addReportFlags(fs *pflag.FlagSet, o *reportOptions, defaultFailOn string) {
	fs.StringVar(&o.FailOn, "fail-on", defaultFailOn, "lowest severity that fails the run: error|warning|never")
}

// writeReports judges the report through the gate, writes every requested
// report and returns the exit code the run ends with.
func writeReports(io *IO, r *checks.Report, o *reportOptions) (int, error) {
	p, f, s := r.Counts()
	fmt.Fprintf(io.Out, "%d passed, %d failed, %d skipped\n", p, f, s)
	if f > 0 {
		return ExitFailed, nil
	}
	return ExitOK, nil
}
