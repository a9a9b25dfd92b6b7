package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/report"
)

// probesOptions are `errprobe probes`'s flags.
type probesOptions struct {
	Markdown bool
	Format   string // text|markdown|json
}

func newProbesCmd(ios *IO) *cobra.Command {
	o := &probesOptions{}
	c := &cobra.Command{
		Use:   "probes",
		Short: "List every check: ID, severity and what passes, by suite",
		Long: `probes lists the check catalogue: every check's stable ID (suite.name), its
severity (error: the contract or an RFC requires it; warning: good practice)
and a one-line description, grouped by suite. --markdown prints the table the
README embeds; --format json lists every check with its suite, severity,
tags (security) and references (OWASP API Security Top 10 2023, RFCs).`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			return runProbes(ios, o)
		},
	}
	c.Flags().BoolVar(&o.Markdown, "markdown", false, "print a Markdown table (same as --format markdown)")
	c.Flags().StringVar(&o.Format, "format", "text", "output format: text|markdown|json")
	return c
}

// probesFormats are the formats `probes --format` accepts.
var probesFormats = []string{"text", "markdown", "json"}

func runProbes(ios *IO, o *probesOptions) error {
	format := o.Format
	if o.Markdown {
		format = "markdown"
	}
	switch format {
	case "markdown":
		return writeCatalogueMarkdown(ios.Out, report.Catalogue())
	case "json":
		return writeCatalogueJSON(ios.Out, report.Catalogue())
	case "text":
		return writeCatalogueText(ios.Out, report.Catalogue())
	}
	return usageError(fmt.Errorf("--format %q: want text, markdown or json", o.Format))
}

// catalogueEntry is one check in `probes --format json`.
type catalogueEntry struct {
	ID          string   `json:"id"`
	Suite       string   `json:"suite"`
	Severity    string   `json:"severity"`
	Description string   `json:"description"`
	Tags        []string `json:"tags"`
	References  []string `json:"references"`
}

func writeCatalogueJSON(w io.Writer, cat []report.Check) error {
	out := make([]catalogueEntry, 0, len(cat))
	for _, c := range cat {
		e := catalogueEntry{ID: c.ID, Suite: c.Suite, Severity: string(c.Severity), Description: c.Description,
			Tags: report.Tags(c.ID), References: report.References(c.ID)}
		if e.Tags == nil {
			e.Tags = []string{}
		}
		if e.References == nil {
			e.References = []string{}
		}
		out = append(out, e)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(map[string]any{"checks": out})
}

func writeCatalogueText(w io.Writer, cat []report.Check) error {
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
		desc := c.Description
		if sec := securityCell(c.ID); sec != "" {
			desc += "  [security" + strings.TrimPrefix(sec, "yes") + "]"
		}
		fmt.Fprintf(&b, "  %-*s  %-*s  %s\n", idw, c.ID, sevw, c.Severity, desc)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeCatalogueMarkdown(w io.Writer, cat []report.Check) error {
	var b strings.Builder
	b.WriteString("| Suite | Check | Severity | Passes when | Security |\n|---|---|---|---|---|\n")
	for _, c := range cat {
		fmt.Fprintf(&b, "| %s | `%s` | %s | %s | %s |\n", c.Suite, c.ID, c.Severity, strings.ReplaceAll(c.Description, "|", `\|`), securityCell(c.ID))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// securityCell marks a security check with its OWASP API Security Top 10
// 2023 id ("API1:2023").
func securityCell(id string) string {
	if !report.IsSecurity(id) {
		return ""
	}
	for _, ref := range report.References(id) {
		if f := strings.Fields(ref); len(f) > 1 && f[0] == "OWASP" {
			return "yes, " + f[1]
		}
	}
	return "yes"
}
