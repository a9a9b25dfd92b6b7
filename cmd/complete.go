package cmd

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/fixtures"
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
	"format":  func(*cobra.Command) []string { return reporters.Names() },
	"fail-on": func(*cobra.Command) []string { return []string{"error", "warning", "never"} },
	"auth":    func(*cobra.Command) []string { return fixtures.AuthModes() },
	"profile": profileValues,
}

// registerCompletions gives every flag of c (and its subcommands) listed in
// flagValues its value completion.
func registerCompletions(c *cobra.Command) {
	for name, values := range flagValues {
		if c.Flags().Lookup(name) == nil {
			continue
		}
		values := values
		_ = c.RegisterFlagCompletionFunc(name, func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
			return values(cmd), cobra.ShellCompDirectiveNoFileComp
		})
	}
	for _, sub := range c.Commands() {
		registerCompletions(sub)
	}
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
