//go:build unix

package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRunRun_InputsThatNeverEnd (T2, T5): a FIFO or a device named as a
// profile, an extends, an envelope schema, a baseline, a certificate, a
// key or a CA is refused at once with one line and exit 2 — before, open
// blocked forever on a FIFO and /dev/zero was read until memory ran out.
// Root causes: os.Open/os.ReadFile on whatever path was named (no regular
// file check, no cap); tls.LoadX509KeyPair reads without a cap.
func TestRunRun_InputsThatNeverEnd(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	ext := write("ext.yaml", "extends: ./fifo.yaml\n")
	schema := write("schema.yaml", "extends: erzycall\nenvelope: {schema: ./fifo.yaml}\n")
	tlsProfile := write("tls.yaml", "extends: erzycall\nauth: {tls: {cert: /dev/zero, key: /dev/zero}}\n")
	env := map[string]string{"ERRPROBE_API_KEY": "SEKRETkey-0123456789abcdef"}
	type testCase struct {
		name, want string
		args       []string
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		start := time.Now()
		code, _, errOut := errprobe(t, env, append([]string{"run", "http://127.0.0.1:9", "--dry-run"}, tc.args...)...)
		if code != ExitUsage || !strings.Contains(errOut, tc.want) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("exit %d, stderr %q; want 2 and one line with %q", code, errOut, tc.want)
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Errorf("took %s", d)
		}
	}
	for _, tc := range []testCase{
		{"profile FIFO", "not a regular file (a named pipe)", []string{"-p", fifo}},
		{"extends FIFO", "not a regular file (a named pipe)", []string{"-p", ext}},
		{"envelope schema FIFO", "not a regular file (a named pipe)", []string{"-p", schema}},
		{"baseline FIFO", "not a regular file (a named pipe)", []string{"-p", "erzycall", "--baseline", fifo}},
		{"cert and key /dev/zero", "/dev/zero: not a regular file (a character device)", []string{"-p", "erzycall", "--cert", "/dev/zero", "--key", "/dev/zero"}},
		{"ca-cert /dev/zero", "/dev/zero: not a regular file", []string{"-p", "erzycall", "--ca-cert", "/dev/zero"}},
		{"ca-cert FIFO", "not a regular file (a named pipe)", []string{"-p", "erzycall", "--ca-cert", fifo}},
		{"auth.tls on /dev/zero", "not a regular file", []string{"-p", tlsProfile}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
