package cmd

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/pflag"

	"github.com/errprobe/errprobe/report"
)

const (
	catalogueBegin = "<!-- BEGIN CHECK CATALOGUE -->\n"
	catalogueEnd   = "<!-- END CHECK CATALOGUE -->"
)

// TestREADME_CatalogueMatchesRegistry keeps README's check table generated
// from the registry: `go test ./cmd -run TestREADME -update` rewrites it.
func TestREADME_CatalogueMatchesRegistry(t *testing.T) {
	t.Parallel()
	const path = "../README.md"
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	begin := strings.Index(readme, catalogueBegin)
	end := strings.Index(readme, catalogueEnd)
	if begin < 0 || end < begin {
		t.Fatalf("README.md lacks the %q … %q markers", strings.TrimSpace(catalogueBegin), catalogueEnd)
	}
	var want strings.Builder
	if err := writeCatalogueMarkdown(&want, report.Catalogue()); err != nil {
		t.Fatal(err)
	}
	got := readme[begin+len(catalogueBegin) : end]
	if got == want.String() {
		return
	}
	if updateGolden() {
		readme = readme[:begin+len(catalogueBegin)] + want.String() + readme[end:]
		if err := os.WriteFile(path, []byte(readme), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("README.md's check catalogue differs from `errprobe probes --markdown`; run go test ./cmd -run TestREADME -update")
}

// TestREADME_RunFlagTable: README's `errprobe run` flag table names every
// flag run has (long name, with its shorthand where it has one), and no
// flag run lacks.
func TestREADME_RunFlagTable(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start := strings.Index(readme, "`errprobe run [BASE_URL]` flags:")
	if start < 0 {
		t.Fatal("README.md has no `errprobe run [BASE_URL]` flags: table")
	}
	var rows []string
	for _, line := range strings.Split(readme[start:], "\n")[1:] {
		if strings.HasPrefix(line, "| `") {
			rows = append(rows, strings.SplitN(line, " | ", 2)[0])
		} else if len(rows) > 0 && !strings.HasPrefix(line, "|") {
			break
		}
	}
	inTable := map[string]bool{}
	for _, cell := range rows {
		for _, m := range regexp.MustCompile("`([^`]*)`").FindAllStringSubmatch(cell, -1) {
			for _, word := range strings.Fields(strings.ReplaceAll(m[1], ",", " ")) {
				if strings.HasPrefix(word, "-") {
					inTable[word] = true
				}
			}
		}
	}
	c := runCmd(&IO{}, func(context.Context, *IO, *runOptions) error { return nil })
	known := map[string]bool{}
	c.Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden {
			return
		}
		known["--"+f.Name] = true
		if !inTable["--"+f.Name] {
			t.Errorf("README's run flag table lacks --%s", f.Name)
		}
		if f.Shorthand != "" {
			known["-"+f.Shorthand] = true
			if !inTable["-"+f.Shorthand] {
				t.Errorf("README's run flag table lacks -%s (--%s)", f.Shorthand, f.Name)
			}
		}
	})
	for flag := range inTable {
		if !known[flag] {
			t.Errorf("README's run flag table names %s, which run does not have", flag)
		}
	}
}
