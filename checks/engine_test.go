package checks_test

import (
	"testing"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

func TestRun_CleanProfiles(t *testing.T) {
	t.Parallel()
	for _, name := range schemas.BuiltinNames() {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			rep := run(t, target(t, name))
			if _, f, _ := rep.Counts(); f > 0 || rep.Interrupted {
				t.Errorf("%s", summary(rep))
			}
			for _, res := range rep.Results {
				if res.Status == report.StatusSkip {
					t.Logf("skipped %s [%s]: %s", res.Check, res.Probe, res.Message)
				}
			}
			if len(rep.Leftovers) > 0 {
				t.Errorf("leftovers: %v", rep.Leftovers)
			}
			t.Logf("%s", summary(rep))
		})
	}
}
