package cmd

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/fixtures"
)

// allOutputs are the flags that turn on every output errprobe writes, the
// files under dir.
func allOutputs(dir string) []string {
	return []string{"-v",
		"--json", filepath.Join(dir, "report.json"),
		"--junit", filepath.Join(dir, "report.xml"),
		"--markdown", filepath.Join(dir, "report.md"),
		"--write-baseline", filepath.Join(dir, "baseline.yaml")}
}

// written is every byte a run wrote: stdout, stderr and every file in dir.
func written(t *testing.T, dir, stdout, stderr string) map[string]string {
	t.Helper()
	out := map[string]string{"stdout": stdout, "stderr": stderr}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out[e.Name()] = string(b)
	}
	return out
}

// assertNoSecret fails for every output that holds one of the secrets.
func assertNoSecret(t *testing.T, outputs map[string]string, secrets map[string]string) {
	t.Helper()
	for name, s := range secrets {
		if s == "" {
			t.Fatalf("secret %s is empty: the test would prove nothing", name)
		}
		for out, text := range outputs {
			if strings.Contains(text, s) {
				i := strings.Index(text, s)
				t.Errorf("%s: key %s leaked: …%s…", out, name, text[max(0, i-60):min(len(text), i+len(s)+20)])
			}
		}
	}
}

func keySecrets(k fixtures.Keys) map[string]string {
	return map[string]string{"Valid": k.Valid, "Revoked": k.Revoked, "Expired": k.Expired,
		"NoScope": k.NoScope, "OtherTenant": k.OtherTenant, "NoCredit": k.NoCredit}
}

// TestRunDemo_NoKeyInAnyOutput runs the real demo command with every
// output on and searches every byte written for each of the reference
// server's keys.
func TestRunDemo_NoKeyInAnyOutput(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name  string
		args  []string
		code  int
		color bool
	}
	run := func(t *testing.T, tc testCase) {
		dir := t.TempDir()
		out, errb := &syncBuffer{}, &syncBuffer{}
		env := map[string]string{}
		if tc.color {
			env["CLICOLOR_FORCE"] = "1"
		}
		io := &IO{Out: out, Err: errb, Getenv: func(k string) string { return env[k] }, Now: time.Now, Clock: testClock()}
		var keys fixtures.Keys
		c := demoCmd(io, func(ctx context.Context, io *IO, o *demoOptions) error {
			o.onServe = func(k fixtures.Keys) { keys = k }
			return runDemo(ctx, io, o)
		})
		c.SilenceErrors, c.SilenceUsage = true, true // as under the root command
		c.SetArgs(append(tc.args, allOutputs(dir)...))
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if code := exitStatus(io, c.ExecuteContext(ctx)); code != tc.code {
			t.Fatalf("exit %d, want %d\n%s", code, tc.code, errb.String())
		}
		outputs := written(t, dir, out.String(), errb.String())
		if len(outputs) != 6 || !strings.Contains(outputs["stderr"], "→") && !strings.Contains(outputs["stderr"], "GET") {
			t.Fatalf("not every output was written (%d) or -v logged nothing", len(outputs))
		}
		assertNoSecret(t, outputs, keySecrets(keys))
	}
	for _, tc := range []testCase{
		{name: "clean", code: ExitOK},
		{name: "problem profile", args: []string{"--profile", "problem"}, code: ExitOK},
		// Faults that accept wrong keys put exchanges carrying every key
		// into the reports, reproductions and logs.
		{name: "key faults", color: true, code: ExitFailed, args: []string{
			"--fault", "missing-key-200", "--fault", "garbage-key-accepted", "--fault", "wrong-scheme-accepted",
			"--fault", "revoked-key-accepted", "--fault", "expired-key-accepted", "--fault", "scope-ignored",
			"--fault", "query-key-accepted", "--fault", "cross-tenant-200", "--fault", "stack-trace-500"}},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestRunRun_EchoedKeyMasked: a target that echoes the key back — in its
// error bodies, in a URL inside them and in a Location header — does not
// get it into any output.
func TestRunRun_EchoedKeyMasked(t *testing.T) {
	t.Parallel()
	const key = "ek_live_echo0123456789abcdef42"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("Authorization") + " " + r.URL.Query().Get("api_key")
		w.Header().Set("Location", "/login?api_key="+r.URL.Query().Get("api_key")+"&next="+r.URL.String())
		w.Header().Set("X-Echo", got)
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		w.Write([]byte(`{"error":{"code":"UNAUTHORIZED","message":"bad key ` + got + ` see https://docs.example.com/keys?key=` + key + `"}}`))
	}))
	t.Cleanup(srv.Close)
	dir := t.TempDir()
	env := map[string]string{"ERRPROBE_API_KEY": key}
	args := append([]string{"run", srv.URL, "--profile", "erzycall", "--suite", "auth", "--fail-on", "never"}, allOutputs(dir)...)
	code, out, errOut := errprobe(t, env, args...)
	if code != ExitOK {
		t.Fatalf("exit %d\n%s", code, errOut)
	}
	outputs := written(t, dir, out, errOut)
	if !strings.Contains(outputs["report.json"], "****") {
		t.Error("the JSON report shows no masked key: the echo was not recorded")
	}
	assertNoSecret(t, outputs, map[string]string{"Valid": key})
}
