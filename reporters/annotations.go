package reporters

import (
	"fmt"
	"io"
	"strings"

	"github.com/errprobe/errprobe/report"
)

// Locate says where in the profile a failure comes from (an expectation,
// a custom probe): its file and line, or "" and 0 when it comes from no
// profile line.
type Locate func(res report.Result) (file string, line int)

// Annotations writes one GitHub Actions workflow command per cause of new
// failures: ::error for errors, ::warning for warnings, titled with the
// check, pointing at the profile line the failure comes from where there is
// one. Security causes come first, as in every report.
func Annotations(w io.Writer, r *report.Report, locate Locate) error {
	p := &printer{w: w}
	for _, g := range r.Groups() {
		if g.Known {
			continue
		}
		res := r.Results[g.Results[0]]
		level := "error"
		if g.Severity == report.SeverityWarning {
			level = "warning"
		}
		title := "errprobe " + g.Check
		if n := len(g.Checks); n > 1 {
			title += fmt.Sprintf(" and %d more", n-1)
		}
		if g.Security {
			title += " (security)"
		}
		props := []string{"title=" + ghProperty(title)}
		if locate != nil {
			if file, line := locate(res); file != "" {
				props = append(props, "file="+ghProperty(file))
				if line > 0 {
					props = append(props, fmt.Sprintf("line=%d", line))
				}
			}
		}
		msg := fmt.Sprintf("%s · %s · %s: %s", causeName(g), causeChecks(g), plural(len(g.Results), "failure"), causeProbes(r, g))
		if g.Message != "" {
			msg += " — " + g.Message
		}
		p.line("::" + level + " " + strings.Join(props, ",") + "::" + ghData(oneLine(msg)))
	}
	return p.err
}

// ghData escapes a workflow command's message.
func ghData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// ghProperty escapes a workflow command's property value.
func ghProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(oneLine(s))
}
