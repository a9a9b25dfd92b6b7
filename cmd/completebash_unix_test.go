//go:build unix

package cmd

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestCompletionBash_WithoutPackage runs the script `errprobe completion
// bash` writes in a bash that has no bash-completion package loaded, TAB
// simulated on three lines: flag values complete (after "=" and after a
// comma too) and nothing says "_get_comp_words_by_ref: command not found".
func TestCompletionBash_WithoutPackage(t *testing.T) {
	t.Parallel()
	bash, err := exec.LookPath("bash")
	if err != nil {
		t.Skip("bash not installed")
	}
	script, _, code := execute(t, nil, "completion", "bash")
	if code != ExitOK || !strings.Contains(script, bashWordsFallback) {
		t.Fatalf("completion bash: exit %d, the fallback word split not in the script", code)
	}
	dir := t.TempDir()
	// errprobe on PATH is this test binary running mainArgs (TestMain_SignalHelper).
	wrapper := "#!/bin/sh\nargs=''; sep=''\nfor a in \"$@\"; do args=\"$args$sep$a\"; sep=$(printf '\\037'); done\n" +
		"ERRPROBE_TEST_MAIN=1 ERRPROBE_TEST_ARGS=\"$args\" exec '" + os.Args[0] + "' -test.run='^TestMain_SignalHelper$'\n"
	if err := os.WriteFile(filepath.Join(dir, "errprobe"), []byte(wrapper), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "errprobe.bash"), []byte(script), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ line, want string }{
		{"errprobe run --fail-on ", "security"},
		{"errprobe run --fail-on=w", "warning"},
		{"errprobe run --suite auth,", "auth,envelope"},
	} {
		t.Run(tc.line, func(t *testing.T) {
			t.Parallel()
			c := exec.Command(bash, "--norc", "--noprofile", "-c",
				`source ./errprobe.bash; COMP_LINE="$LINE"; COMP_POINT=${#COMP_LINE}; __start_errprobe errprobe; printf '%s\n' "${COMPREPLY[@]}"`)
			c.Dir = dir
			c.Env = append(os.Environ(), "PATH="+dir+string(os.PathListSeparator)+os.Getenv("PATH"), "LINE="+tc.line)
			var stderr strings.Builder
			c.Stderr = &stderr
			out, err := c.Output()
			if err != nil || strings.Contains(stderr.String(), "command not found") {
				t.Fatalf("bash: %v\n%s", err, stderr.String())
			}
			if got := strings.Fields(string(out)); !slices.Contains(got, tc.want) {
				t.Errorf("TAB after %q offers %v, want %q among them\n%s", tc.line, got, tc.want, stderr.String())
			}
		})
	}
}
