package cmd

import (
	"bytes"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/schemas"
)

// -update rewrites golden files; registered in init so that another test
// file's own `flag.Bool("update", …)` (a package var, set up first) wins.
func init() {
	if flag.Lookup("update") == nil {
		flag.Bool("update", false, "rewrite the golden files under testdata/")
	}
}

func updateGolden() bool {
	f := flag.Lookup("update")
	return f != nil && f.Value.String() == "true"
}

// golden compares got with cmd/testdata/name, or rewrites it under -update.
func goldenFile(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updateGolden() {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (go test ./cmd -update to accept):\n--- got\n%s", path, got)
	}
}

// execute runs errprobe with args against buffers and returns stdout,
// stderr and the exit code.
func execute(t *testing.T, env map[string]string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	io := &IO{Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] },
		Now: func() time.Time { return time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC) }}
	root := NewRootCmd(io)
	root.SetArgs(args)
	code = exitStatus(io, root.Execute())
	return out.String(), errb.String(), code
}

func TestProfiles_ListsBuiltins(t *testing.T) {
	t.Parallel()
	out, errOut, code := execute(t, nil, "profiles")
	if code != ExitOK || errOut != "" {
		t.Fatalf("exit %d, stderr %q", code, errOut)
	}
	goldenFile(t, "profiles.golden", []byte(out))
}

func TestProfiles_Help(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"profiles", "--help"}, {"profiles", "show", "--help"}} {
		out, _, code := execute(t, nil, args...)
		if code != ExitOK {
			t.Fatalf("%v: exit %d", args, code)
		}
		goldenFile(t, strings.Join(args[:len(args)-1], "-")+"-help.golden", []byte(out))
	}
}

func TestProfilesShow(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name     string
		args     []string
		wantCode int
		wantErr  string
	}
	run := func(t *testing.T, tc testCase) {
		out, errOut, code := execute(t, nil, tc.args...)
		if code != tc.wantCode || !strings.Contains(errOut, tc.wantErr) {
			t.Fatalf("exit %d stderr %q; want exit %d and %q", code, errOut, tc.wantCode, tc.wantErr)
		}
		if tc.wantCode != ExitOK {
			return
		}
		src, _ := schemas.BuiltinSource(tc.args[2])
		if out != string(src) {
			t.Error("show does not print the embedded source verbatim")
		}
		path := filepath.Join(t.TempDir(), "p.yaml")
		if err := os.WriteFile(path, []byte(out), 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := schemas.Load(path, func(string) string { return "" }); err != nil {
			t.Errorf("shown profile does not load back: %v", err)
		}
	}
	var cases []testCase
	for _, name := range schemas.BuiltinNames() {
		cases = append(cases, testCase{name: name, args: []string{"profiles", "show", name}})
	}
	cases = append(cases,
		testCase{name: "unknown", args: []string{"profiles", "show", "nosuch"}, wantCode: ExitUsage,
			wantErr: `errprobe: no built-in profile "nosuch" (built-ins: erzycall, jsonapi, messaging, plain, problem, voiceagent)`},
		testCase{name: "no name", args: []string{"profiles", "show"}, wantCode: ExitUsage, wantErr: "profiles show: give a profile NAME (or -p NAME)"},
	)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestProfiles_ProfileErrorIsUsage(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(path, []byte("extends: erzycall\ncodes:\n  NOT_FOUND: \"four-oh-four\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err := schemas.Load(path, nil)
	var pe *schemas.ProfileError
	if !errors.As(err, &pe) {
		t.Fatalf("err = %v, want *schemas.ProfileError", err)
	}
	if code := exitStatus(&IO{Err: &bytes.Buffer{}}, usageError(err)); code != ExitUsage {
		t.Errorf("exit %d, want %d", code, ExitUsage)
	}
	if !strings.HasPrefix(err.Error(), path+":3:3: codes: NOT_FOUND must be a mapping") {
		t.Errorf("error %q lacks file:line:col", err)
	}
}

// profiles show --resolved with no name resolves the profile run would use:
// the discovered errprobe.yaml.
func TestProfiles_ShowResolvedDiscovers(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "errprobe.yaml"), []byte("extends: erzycall\n"), 0o644)
	var out, errb bytes.Buffer
	io := &IO{Out: &out, Err: &errb, Getenv: func(string) string { return "" }, Getwd: func() (string, error) { return dir, nil }}
	root := NewRootCmd(io)
	root.SetArgs([]string{"profiles", "show", "--resolved"})
	if code := exitStatus(io, root.Execute()); code != ExitOK || !strings.Contains(out.String(), "errprobe.yaml over builtin:erzycall") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
}
