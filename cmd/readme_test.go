package cmd

import (
	"os"
	"strings"
	"testing"

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
