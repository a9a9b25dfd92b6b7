package cmd

import "testing"

func TestRunDemoProbes_Golden(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name string
		args []string
	}
	run := func(t *testing.T, tc testCase) {
		code, out, errOut := errprobe(t, nil, tc.args...)
		if code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		goldenFile(t, tc.name, []byte(out))
	}
	for _, tc := range []testCase{
		{"run-help.golden", []string{"run", "--help"}},
		{"demo-help.golden", []string{"demo", "--help"}},
		{"probes-help.golden", []string{"probes", "--help"}},
		{"probes.golden", []string{"probes"}},
		{"probes-markdown.golden", []string{"probes", "--markdown"}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
