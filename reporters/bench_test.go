package reporters

import (
	"fmt"
	"io"
	"testing"

	"github.com/errprobe/errprobe/report"
)

// bigReport is a 500-result report built from the fixed set.
func bigReport() *report.Report {
	r := fixedReport()
	base := r.Results
	r.Results = make([]report.Result, 0, 500)
	for i := 0; len(r.Results) < 500; i++ {
		res := base[i%len(base)]
		res.Probe = fmt.Sprintf("%s-%d", res.Probe, i)
		r.Results = append(r.Results, res)
	}
	return r
}

func BenchmarkReporters(b *testing.B) {
	for _, name := range Names() {
		b.Run(name, func(b *testing.B) {
			f, _ := ByName(name)
			r := bigReport()
			o := gated(r, Options{})
			b.ReportAllocs()
			for b.Loop() {
				if err := f(io.Discard, r, o); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
