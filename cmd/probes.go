package cmd

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/checks"
)

// probesOptions are `errprobe probes`'s flags.
type probesOptions struct {
	Markdown bool
}

func newProbesCmd(ios *IO) *cobra.Command {
	o := &probesOptions{}
	c := &cobra.Command{
		Use:   "probes",
		Short: "List every check: ID, severity and what passes, by suite",
		Long: `probes lists the check catalogue: every check's stable ID (suite.name), its
severity (error: the contract or an RFC requires it; warning: good practice)
and a one-line description, grouped by suite. --markdown prints the table the
README embeds.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runProbes(ios, o)
		},
	}
	c.Flags().BoolVar(&o.Markdown, "markdown", false, "print a Markdown table")
	return c
}

func runProbes(ios *IO, o *probesOptions) error {
	if o.Markdown {
		return writeCatalogueMarkdown(ios.Out, checks.Catalogue())
	}
	return writeCatalogueText(ios.Out, checks.Catalogue())
}

func writeCatalogueText(w io.Writer, cat []checks.Check) error {
	idw, sevw := 0, 0
	for _, c := range cat {
		idw, sevw = max(idw, len(c.ID)), max(sevw, len(c.Severity))
	}
	var b strings.Builder
	suite := ""
	for _, c := range cat {
		if c.Suite != suite {
			if suite != "" {
				b.WriteString("\n")
			}
			suite = c.Suite
			b.WriteString(suite + "\n")
		}
		fmt.Fprintf(&b, "  %-*s  %-*s  %s\n", idw, c.ID, sevw, c.Severity, c.Description)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCatalogueMarkdown(w io.Writer, cat []checks.Check) error {
	var b strings.Builder
	b.WriteString("| Suite | Check | Severity | Passes when |\n|---|---|---|---|\n")
	for _, c := range cat {
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s |\n", c.Suite, c.ID, c.Severity, strings.ReplaceAll(c.Description, "|", `\|`))
	}
	_, err := io.WriteString(w, b.String())
	return err
}
