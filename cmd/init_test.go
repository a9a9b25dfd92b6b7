package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/schemas"
)

func TestInit_Flags(t *testing.T) {
	t.Parallel()
	cmd := newInitCmd(&IO{})
	if err := cmd.ParseFlags([]string{"--profile", "problem", "--force", "-o", "x.yaml"}); err != nil {
		t.Fatal(err)
	}
	f := cmd.Flags()
	for flag, want := range map[string]string{"profile": "problem", "force": "true", "output": "x.yaml"} {
		if got := f.Lookup(flag).Value.String(); got != want {
			t.Errorf("--%s = %q, want %q", flag, got, want)
		}
	}
	d := newInitCmd(&IO{}).Flags()
	if d.Lookup("profile").DefValue != "erzycall" || d.Lookup("output").DefValue != "errprobe.yaml" || d.Lookup("force").DefValue != "false" {
		t.Error("defaults changed")
	}
}

func TestInit_Help(t *testing.T) {
	t.Parallel()
	out, _, code := execute(t, nil, "init", "--help")
	if code != ExitOK {
		t.Fatalf("exit %d", code)
	}
	goldenFile(t, "init-help.golden", []byte(out))
}

func TestInit(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name     string
		existing string // content already at the path; "" for none
		args     []string
		wantCode int
		wantErr  string
		wantKept bool // the existing file is untouched
	}
	run := func(t *testing.T, tc testCase) {
		path := filepath.Join(t.TempDir(), "errprobe.yaml")
		if tc.existing != "" {
			if err := os.WriteFile(path, []byte(tc.existing), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		out, errOut, code := execute(t, nil, append([]string{"init", "-o", path}, tc.args...)...)
		if code != tc.wantCode || !strings.Contains(errOut, tc.wantErr) {
			t.Fatalf("exit %d stderr %q; want exit %d and %q", code, errOut, tc.wantCode, tc.wantErr)
		}
		got, _ := os.ReadFile(path)
		if tc.wantKept {
			if string(got) != tc.existing {
				t.Error("init overwrote the existing file")
			}
			return
		}
		if tc.wantCode != ExitOK {
			return
		}
		if !strings.Contains(out, "wrote "+path) {
			t.Errorf("stdout %q", out)
		}
		p, err := schemas.Load(path, func(k string) string { return "val-" + k })
		if err != nil {
			t.Fatalf("written file does not load: %v", err)
		}
		if p.Extends == "" || p.Auth.Keys.Valid != "val-ERRPROBE_API_KEY" || p.KeyEnv(schemas.KeyValid) != "ERRPROBE_API_KEY" {
			t.Errorf("loaded: extends %q valid key %q", p.Extends, p.Auth.Keys.Valid)
		}
	}
	for _, tc := range []testCase{
		{name: "default profile"},
		{name: "each built-in: problem", args: []string{"--profile", "problem"}},
		{name: "each built-in: voiceagent", args: []string{"-p", "voiceagent"}},
		{name: "each built-in: messaging", args: []string{"-p", "messaging"}},
		{name: "refuses to overwrite", existing: "mine\n", wantCode: ExitUsage, wantErr: "already exists; use --force to overwrite it", wantKept: true},
		{name: "force overwrites", existing: "mine\n", args: []string{"--force"}},
		{name: "unknown profile", args: []string{"--profile", "nosuch"}, wantCode: ExitUsage, wantErr: `no built-in profile "nosuch"`},
		{name: "stray argument", args: []string{"extra"}, wantCode: ExitUsage, wantErr: "unknown command"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestInit_StarterGolden(t *testing.T) {
	t.Parallel()
	src, err := schemas.Starter("erzycall")
	if err != nil {
		t.Fatal(err)
	}
	goldenFile(t, "init-erzycall.golden.yaml", src)
}
