package cmd

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/reporters"
	"github.com/errprobe/errprobe/schemas"
)

// flagValues lists the values a flag completes to in bash, zsh and fish
// (cobra's `errprobe completion SHELL`), by flag name.
var flagValues = map[string]func(cmd *cobra.Command) []string{
	"fault":   func(*cobra.Command) []string { return faultNames() },
	"suite":   func(*cobra.Command) []string { return suitesAndChecks() },
	"skip":    func(*cobra.Command) []string { return suitesAndChecks() },
	"format":  formatValues,
	"fail-on": func(*cobra.Command) []string { return failOnValues },
	"auth":    func(*cobra.Command) []string { return fixtures.AuthModes() },
	"profile": profileValues,
}

// listFlags take comma-separated values: completion offers the next value
// after the last comma ("--suite auth," → "auth,envelope", …).
var listFlags = map[string]bool{"suite": true, "skip": true}

// failOnValues are --fail-on's values, in the order --help gives them.
var failOnValues = []string{string(gate.FailOnError), string(gate.FailOnWarning), string(gate.FailOnSecurity), string(gate.FailOnNever)}

// formatValues are the formats the command's --format accepts: probes
// lists its catalogue as text, markdown or json; run and demo take every
// reporter.
func formatValues(cmd *cobra.Command) []string {
	if cmd.Name() == "probes" {
		return probesFormats
	}
	return reporters.Names()
}

// registerCompletions gives every flag of c (and its subcommands) listed in
// flagValues its value completion.
func registerCompletions(c *cobra.Command) {
	for name, values := range flagValues {
		if c.Flags().Lookup(name) == nil {
			continue
		}
		values, list := values, listFlags[name]
		_ = c.RegisterFlagCompletionFunc(name, func(cmd *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
			if list {
				return afterComma(values(cmd), toComplete), cobra.ShellCompDirectiveNoFileComp | cobra.ShellCompDirectiveNoSpace
			}
			return values(cmd), cobra.ShellCompDirectiveNoFileComp
		})
	}
	for _, sub := range c.Commands() {
		registerCompletions(sub)
	}
}

// afterComma completes the last element of a comma-separated value: each
// value not given yet (nor a check of a suite given), prefixed with what
// precedes the last comma.
func afterComma(values []string, toComplete string) []string {
	i := strings.LastIndex(toComplete, ",")
	if i < 0 {
		return values
	}
	head := toComplete[:i+1]
	given := map[string]bool{}
	for _, v := range strings.Split(toComplete[:i], ",") {
		given[v] = true
	}
	var out []string
	for _, v := range values {
		suite, _, _ := strings.Cut(v, ".")
		if !given[v] && !given[suite] { // a check of a suite already given adds nothing
			out = append(out, head+v)
		}
	}
	return out
}

func faultNames() []string {
	var names []string
	for _, f := range fixtures.Faults() {
		names = append(names, f.Name)
	}
	return names
}

func suitesAndChecks() []string {
	out := report.Suites()
	for _, c := range report.Catalogue() {
		out = append(out, c.ID)
	}
	return out
}

// profileValues are the built-in profiles and, where the command reads
// files (run), the *.yaml and *.yml files in the working directory.
func profileValues(cmd *cobra.Command) []string {
	out := schemas.BuiltinNames()
	if cmd.Name() != "run" {
		return out
	}
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	sort.Strings(files)
	for _, f := range files {
		if !strings.HasPrefix(filepath.Base(f), ".") {
			out = append(out, f)
		}
	}
	return out
}
