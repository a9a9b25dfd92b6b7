package cmd

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/goccy/go-yaml"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

// action is the part of action.yml GitHub reads.
type action struct {
	Name        string                       `yaml:"name"`
	Description string                       `yaml:"description"`
	Inputs      map[string]map[string]string `yaml:"inputs"`
	Outputs     map[string]map[string]string `yaml:"outputs"`
	Runs        struct {
		Using string `yaml:"using"`
		Steps []struct {
			Uses string            `yaml:"uses"`
			Run  string            `yaml:"run"`
			Env  map[string]string `yaml:"env"`
		} `yaml:"steps"`
	} `yaml:"runs"`
}

// TestAction_File: action.yml is a composite action with the documented
// inputs and outputs whose run step calls scripts/action.sh with INPUT_*.
func TestAction_File(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("../action.yml")
	if err != nil {
		t.Fatal(err)
	}
	var a action
	if err := yaml.Unmarshal(raw, &a); err != nil {
		t.Fatalf("action.yml: %v", err)
	}
	if a.Name == "" || a.Description == "" || a.Runs.Using != "composite" {
		t.Errorf("action.yml: name %q, description %q, runs.using %q", a.Name, a.Description, a.Runs.Using)
	}
	for _, in := range []string{"profile", "base-url", "args", "fail-on"} {
		if _, ok := a.Inputs[in]; !ok {
			t.Errorf("action.yml has no input %s", in)
		}
	}
	if !strings.Contains(a.Outputs["junit"]["value"], "steps.run.outputs.junit") {
		t.Errorf("output junit = %q, want the run step's junit output", a.Outputs["junit"]["value"])
	}
	var run string
	var env map[string]string
	for _, s := range a.Runs.Steps {
		if s.Run != "" {
			run, env = s.Run, s.Env
		}
	}
	if !strings.Contains(run, "$GITHUB_ACTION_PATH/scripts/action.sh") {
		t.Errorf("the run step %q does not call $GITHUB_ACTION_PATH/scripts/action.sh", run)
	}
	for _, v := range []string{"INPUT_PROFILE", "INPUT_BASE_URL", "INPUT_ARGS", "INPUT_FAIL_ON"} {
		if env[v] == "" {
			t.Errorf("the run step does not set %s", v)
		}
	}
}

// TestAction_Script runs scripts/action.sh as GitHub would against the
// reference server: it builds errprobe, passes, appends the summary and
// names the JUnit file in GITHUB_OUTPUT; with a fault it fails with exit 1.
func TestAction_Script(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds errprobe")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	src, _ := filepath.Abs("..")
	type testCase struct {
		name   string
		faults []string
		args   string
		code   int
	}
	run := func(t *testing.T, tc testCase) {
		p, _ := schemas.Builtin("erzycall", nil)
		srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", p, fixtures.WithFaults(tc.faults...), fixtures.WithRateLimit(100, time.Second))
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		ws := t.TempDir()
		summary, output := filepath.Join(ws, "summary.md"), filepath.Join(ws, "output.txt")
		ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
		defer cancel()
		c := exec.CommandContext(ctx, "bash", filepath.Join(src, "scripts", "action.sh"))
		c.Dir = ws
		c.Env = append(os.Environ(), "GITHUB_ACTIONS=true", "GITHUB_ACTION_PATH="+src, "GITHUB_WORKSPACE="+ws,
			"RUNNER_TEMP="+t.TempDir(), "GITHUB_STEP_SUMMARY="+summary, "GITHUB_OUTPUT="+output,
			"INPUT_PROFILE=erzycall", "INPUT_BASE_URL="+srv.URL, "INPUT_ARGS="+tc.args, "INPUT_FAIL_ON=error")
		for _, v := range srv.Keys.Vars() {
			c.Env = append(c.Env, v.Name+"="+v.Value)
		}
		out, err := c.CombinedOutput()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		if code != tc.code {
			t.Fatalf("exit %d, want %d\n%s", code, tc.code, out)
		}
		if b, _ := os.ReadFile(summary); len(b) == 0 {
			t.Error("no step summary appended")
		}
		outputs, _ := os.ReadFile(output)
		m := regexp.MustCompile(`(?m)^junit=(.+)$`).FindSubmatch(outputs)
		if m == nil {
			t.Fatalf("GITHUB_OUTPUT %q has no junit=", outputs)
		}
		if b, err := os.ReadFile(string(m[1])); err != nil || !strings.Contains(string(b), "<testsuites") {
			t.Errorf("junit=%s is not a JUnit report (%v)", m[1], err)
		}
		if !strings.Contains(string(outputs), "exit-code="+string(rune('0'+tc.code))) {
			t.Errorf("GITHUB_OUTPUT %q lacks exit-code=%d", outputs, tc.code)
		}
	}
	for _, tc := range []testCase{
		{name: "clean", args: "--suite auth,envelope", code: 0},
		{name: "fault", faults: []string{"wrong-status"}, args: "--suite envelope", code: 1},
	} {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestAction_ReleaseBinary: from a release tag the script runs the release
// archive's binary once its checksum matches checksums.txt (no go build),
// and passes its exit code through.
func TestAction_ReleaseBinary(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "tar", "sha256sum"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("no " + tool)
		}
	}
	t.Parallel()
	src, _ := filepath.Abs("..")
	rel := t.TempDir()
	tagDir := filepath.Join(rel, "v9.9.9")
	os.MkdirAll(tagDir, 0o755)
	stage := t.TempDir()
	fake := "#!/bin/sh\necho released-binary \"$@\"\nexit 4\n"
	os.WriteFile(filepath.Join(stage, "errprobe"), []byte(fake), 0o755)
	name := "errprobe_9.9.9_linux_amd64.tar.gz"
	if out, err := exec.Command("tar", "-czf", filepath.Join(tagDir, name), "-C", stage, "errprobe").CombinedOutput(); err != nil {
		t.Fatalf("tar: %v %s", err, out)
	}
	sum, err := exec.Command("sha256sum", filepath.Join(tagDir, name)).Output()
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(tagDir, "checksums.txt"), []byte(strings.Fields(string(sum))[0]+"  "+name+"\n"), 0o644)
	ws := t.TempDir()
	output := filepath.Join(ws, "output.txt")
	c := exec.Command("bash", filepath.Join(src, "scripts", "action.sh"))
	c.Dir = ws
	c.Env = append(os.Environ(), "GITHUB_ACTION_PATH="+src, "GITHUB_WORKSPACE="+ws, "RUNNER_TEMP="+t.TempDir(),
		"GITHUB_OUTPUT="+output, "GITHUB_ACTION_REF=v9.9.9", "RUNNER_OS=Linux", "RUNNER_ARCH=X64",
		"ERRPROBE_RELEASE_BASE=file://"+rel, "INPUT_PROFILE=erzycall", "INPUT_FAIL_ON=security", "PATH=/usr/bin:/bin")
	out, err := c.CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 4 || !strings.Contains(string(out), "released-binary run --profile erzycall --fail-on security") {
		t.Fatalf("exit %v, want 4 from the release binary\n%s", err, out)
	}
	if b, _ := os.ReadFile(output); !strings.Contains(string(b), "exit-code=4") {
		t.Errorf("GITHUB_OUTPUT %q lacks exit-code=4", b)
	}
}
