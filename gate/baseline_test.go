package gate

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestNewBaseline_SortedFailuresOnly(t *testing.T) {
	r := &report.Report{Results: []report.Result{
		{Check: "b.check", Probe: "p2", Status: report.StatusFail, Message: "secret ek_live_123"},
		{Check: "a.check", Probe: "p1", Status: report.StatusPass},
		{Check: "a.check", Probe: "p9", Status: report.StatusFail, Known: true},
		{Check: "a.check", Probe: "p3", Status: report.StatusFail},
		{Check: "b.check", Probe: "p2", Status: report.StatusFail},
		{Check: "c.check", Probe: "p1", Status: report.StatusSkip},
	}}
	got := NewBaseline(r).Entries
	want := []BaselineEntry{{"a.check", "p3"}, {"a.check", "p9"}, {"b.check", "p2"}}
	if len(got) != len(want) {
		t.Fatalf("entries = %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("entries = %v, want %v", got, want)
		}
	}
}

func TestBaseline_RoundTrip(t *testing.T) {
	type testCase struct {
		name  string
		write func(*Baseline, *bytes.Buffer) error
	}
	run := func(t *testing.T, tc testCase) {
		b := &Baseline{Entries: []BaselineEntry{{"auth.revoked-key", "revoked-key"}, {"envelope.schema", "unknown-id"}}}
		var buf bytes.Buffer
		if err := tc.write(b, &buf); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(buf.String(), "message") {
			t.Errorf("baseline holds more than check and probe:\n%s", buf.String())
		}
		got, err := ParseBaseline("b", buf.Bytes())
		if err != nil {
			t.Fatalf("ParseBaseline: %v\n%s", err, buf.String())
		}
		if len(got.Entries) != 2 || got.Entries[0] != b.Entries[0] || got.Entries[1] != b.Entries[1] {
			t.Errorf("round trip = %v, want %v", got.Entries, b.Entries)
		}
	}
	for _, tc := range []testCase{
		{name: "json", write: func(b *Baseline, w *bytes.Buffer) error { return b.Write(w) }},
		{name: "yaml", write: func(b *Baseline, w *bytes.Buffer) error { return b.WriteYAML(w) }},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestBaseline_WriteEmpty(t *testing.T) {
	var buf bytes.Buffer
	if err := NewBaseline(&report.Report{}).Write(&buf); err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"version\": 1,\n  \"known\": []\n}\n"
	if buf.String() != want {
		t.Errorf("empty baseline = %q, want %q", buf.String(), want)
	}
}

func TestLoadBaseline_Errors(t *testing.T) {
	type testCase struct {
		name, content, want string
	}
	run := func(t *testing.T, tc testCase) {
		path := filepath.Join(t.TempDir(), "base.yaml")
		if err := os.WriteFile(path, []byte(tc.content), 0o600); err != nil {
			t.Fatal(err)
		}
		_, err := LoadBaseline(path)
		if err == nil {
			t.Fatal("LoadBaseline succeeded")
		}
		msg := err.Error()
		if strings.Contains(msg, "\n") {
			t.Errorf("error is not one line: %q", msg)
		}
		if !strings.HasPrefix(msg, path+tc.want) {
			t.Errorf("error = %q, want prefix %q", msg, path+tc.want)
		}
	}
	for _, tc := range []testCase{
		{name: "empty", content: "\n", want: ": empty baseline file"},
		{name: "syntax", content: "version: 1\nknown:\n  - check: a\n   probe: [b\n", want: ":4:"},
		{name: "json syntax", content: "{\"version\": 1,\n \"known\": [}\n", want: ":2:"},
		{name: "unknown field", content: "version: 1\nknwon: []\n", want: ":2:"},
		{name: "wrong version", content: "version: 7\nknown: []\n", want: ": unsupported baseline version 7"},
		{name: "missing probe", content: "version: 1\nknown:\n  - check: a\n", want: ": known[0]: check and probe"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
	if _, err := LoadBaseline(filepath.Join(t.TempDir(), "missing.json")); err == nil || !strings.Contains(err.Error(), "missing.json") {
		t.Errorf("missing file error = %v, want it to name the file", err)
	}
}

// TestLoadBaseline_HostileFiles: a baseline 100,000 levels deep, an alias
// bomb or /dev/zero is refused at once, in little memory, naming the file.
func TestLoadBaseline_HostileFiles(t *testing.T) {
	dir := t.TempDir()
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	for i, c := range "bcdefgh" {
		prev := string("abcdefgh"[i])
		bomb += string(c) + ": &" + string(c) + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n"
	}
	files := map[string]string{
		"deep.yaml": "version: 1\nknown: " + strings.Repeat("[", 100_000),
		"deep.json": strings.Repeat(`{"a":`, 100_000),
		"bomb.yaml": bomb,
	}
	type testCase struct{ path, want string }
	run := func(t *testing.T, tc testCase) {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, err := LoadBaseline(tc.path)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), tc.path) {
			t.Fatalf("error %v, want %s: …%s…", err, tc.path, tc.want)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
			t.Errorf("allocated %d MiB refusing it", alloc>>20)
		}
	}
	cases := []testCase{
		{filepath.Join(dir, "deep.yaml"), ":2:136: nested more than 128 levels deep"},
		{filepath.Join(dir, "deep.json"), "nested more than 128 levels deep"},
		{filepath.Join(dir, "bomb.yaml"), "YAML aliases expand to more than"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		cases = append(cases, testCase{"/dev/zero", "baseline: not a regular file (a character device)"})
	}
	for name, src := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range cases {
		t.Run(filepath.Base(tc.path), func(t *testing.T) { run(t, tc) })
	}
}
