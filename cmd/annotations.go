package cmd

import (
	"regexp"
	"strings"

	"github.com/errprobe/errprobe/infile"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/reporters"
	"github.com/errprobe/errprobe/schemas"
)

// writeAnnotations prints GitHub Actions workflow commands, one per cause:
// on stdout, or on stderr when stdout carries a machine-readable report.
func writeAnnotations(ios *IO, r *report.Report, outs []output) error {
	w := ios.Out
	for _, out := range outs {
		if out.path == "-" && out.format != "text" {
			w = ios.Err
		}
	}
	return reporters.Annotations(w, r, profileLocator(r.ProfileFile))
}

// profileLocator finds the profile line a failure comes from: the entry of
// a custom probe named like the result's probe, else the code-table entry
// of the code the result expected. Built-in profiles have no file.
func profileLocator(file string) reporters.Locate {
	if file == "" || strings.HasPrefix(file, "builtin:") {
		return nil
	}
	src, err := infile.Read(file, schemas.MaxInputBytes)
	if err != nil {
		return nil
	}
	lines := strings.Split(string(src), "\n")
	find := func(re *regexp.Regexp) int {
		for i, l := range lines {
			if re.MatchString(l) {
				return i + 1
			}
		}
		return 0
	}
	return func(res report.Result) (string, int) {
		if res.Probe != "" {
			if n := find(regexp.MustCompile(`^\s*(-\s*)?name:\s*["']?` + regexp.QuoteMeta(res.Probe) + `["']?\s*(#.*)?$`)); n > 0 {
				return file, n
			}
		}
		for _, word := range strings.Fields(res.Expected) {
			if !codeWord.MatchString(word) {
				continue
			}
			if n := find(regexp.MustCompile(`^\s*["']?` + regexp.QuoteMeta(word) + `["']?\s*:`)); n > 0 {
				return file, n
			}
		}
		return file, 0
	}
}

// codeWord is what an error code in an expectation looks like: UPPER_CASE
// or snake_case (so "status" or "an" never match a profile key).
var codeWord = regexp.MustCompile(`^([A-Z][A-Z0-9_]{2,}|[a-z][a-z0-9]*(_[a-z0-9]+)+)$`)
