package schemas

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// allocated runs f and returns the bytes it allocated.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestLoad_DeepNesting: 100,000 levels of nesting (YAML flow, JSON, block
// sequences on one line) are refused with the position, in little memory
// (the parsers used to take gigabytes), while a dozen levels load.
func TestLoad_DeepNesting(t *testing.T) {
	const n = 100_000
	type testCase struct {
		name, src, want string
	}
	run := func(t *testing.T, tc testCase) {
		var err error
		start := time.Now()
		alloc := allocated(func() { _, err = load("deep.yaml", t.TempDir(), []byte(tc.src), nil) })
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("error %v, want it to contain %q", err, tc.want)
		}
		if alloc > 64<<20 {
			t.Errorf("allocated %d MiB refusing it, want under 64", alloc>>20)
		}
		if d := time.Since(start); d > 30*time.Second { // a hang detector, not a speed test
			t.Errorf("took %s", d)
		}
	}
	for _, tc := range []testCase{
		{"yaml flow", strings.Repeat("[", n) + strings.Repeat("]", n), "deep.yaml:1:129: nested more than 128 levels deep"},
		{"json objects", strings.Repeat(`{"a":`, n) + "1" + strings.Repeat("}", n), "nested more than 128 levels deep"},
		{"under a key", "name: x\nenvelope: " + strings.Repeat("[", n), "deep.yaml:2:"},
		{"block sequences", strings.Repeat("- ", n) + "x", "nested more than"},
		{"brackets after an apostrophe", "name: don't " + strings.Repeat("[", n), "nested more than"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
	t.Run("a dozen levels load", func(t *testing.T) {
		src := smallProfile + "x_deep: " + strings.Repeat("[", 12) + strings.Repeat("]", 12) + "\n"
		_, err := load("ok.yaml", t.TempDir(), []byte(src), func(string) string { return "k" })
		if err != nil && strings.Contains(err.Error(), "nested") {
			t.Fatalf("refused: %v", err)
		}
	})
	t.Run("brackets in strings and comments do not count", func(t *testing.T) {
		deep := strings.Repeat("[", 200)
		src := strings.Replace(smallProfile, "name: tiny", "name: tiny # "+deep+"\ndescription: '"+deep+"'\nx_a: \""+deep+"\"", 1)
		if _, err := load("ok.yaml", t.TempDir(), []byte(src), func(string) string { return "k" }); err != nil && strings.Contains(err.Error(), "nested") {
			t.Fatalf("refused: %v", err)
		}
	})
}

// TestLoad_ByteOrderMark: a profile saved with a UTF-8 BOM loads, YAML and JSON.
func TestLoad_ByteOrderMark(t *testing.T) {
	dir := t.TempDir()
	for name, src := range map[string]string{
		"bom.yaml": "\xef\xbb\xbfextends: erzycall\n",
		"bom.json": "\xef\xbb\xbf{\"extends\": \"erzycall\"}",
	} {
		t.Run(name, func(t *testing.T) {
			p, err := Load(writeProfile(t, dir, name, src), testEnv)
			if err != nil {
				t.Fatal(err)
			}
			if p.Name != name { // no name: of its own: named by its file, not the built-in it extends
				t.Errorf("name %q, want %q", p.Name, name)
			}
		})
	}
}

// TestLoad_InputCaps: no input file can exhaust memory: the profile, its
// envelope schema file and a schema's $ref are read at most MaxInputBytes,
// and a schema file's aliases are bounded like the profile's.
func TestLoad_InputCaps(t *testing.T) {
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	dir := t.TempDir()
	bomb := "a: &a [x,x,x,x,x,x,x,x,x,x]\n"
	for i, c := range "bcdefgh" {
		prev := string("abcdefgh"[i])
		bomb += string(c) + ": &" + string(c) + " [" + strings.Repeat("*"+prev+",", 9) + "*" + prev + "]\n"
	}
	writeProfile(t, dir, "bomb.yaml", bomb)
	writeProfile(t, dir, "ref.json", `{"$ref": "file:///dev/zero"}`)
	type testCase struct {
		name, profile, want string
	}
	run := func(t *testing.T, tc testCase) {
		var err error
		alloc := allocated(func() {
			path := tc.profile
			if !strings.HasPrefix(path, "/") {
				path = writeProfile(t, dir, "p.yaml", tc.profile)
			}
			var p *Profile
			if p, err = Load(path, testEnv); err == nil {
				_, err = Compile(p)
			}
		})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("error %v, want it to contain %q", err, tc.want)
		}
		if alloc > 64<<20 {
			t.Errorf("allocated %d MiB refusing it, want under 64", alloc>>20)
		}
	}
	for _, tc := range []testCase{
		{"profile /dev/zero", "/dev/zero", "profile: not a regular file (a character device)"},
		{"schema /dev/zero", "extends: erzycall\nenvelope: {schema: /dev/zero}\n", "not a regular file (a character device)"},
		{"$ref /dev/zero", "extends: erzycall\nenvelope: {schema: ./ref.json}\n", "not a regular file (a character device)"},
		{"schema alias bomb", "extends: erzycall\nenvelope: {schema: ./bomb.yaml}\n", "YAML aliases expand to more than"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// FuzzLoadNested: a profile with any nesting wrapped around any text loads
// or is refused with a *ProfileError, never a panic, and quickly.
func FuzzLoadNested(f *testing.F) {
	f.Add(uint16(200), "[", "x")
	f.Add(uint16(130), "{a: ", "1")
	f.Add(uint16(5000), "- ", "x")
	f.Add(uint16(40), `{"k":`, `"v"`)
	f.Add(uint16(3), "[", "'don't [[[")
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, depth uint16, open, inner string) {
		src := "name: n\nenvelope: " + strings.Repeat(open, int(depth)) + inner + "\n"
		start := time.Now()
		_, err := load("fuzz.yaml", dir, []byte(src), func(string) string { return "k" })
		if err != nil {
			if _, ok := err.(*ProfileError); !ok {
				t.Fatalf("error %T is not a *ProfileError: %v", err, err)
			}
		}
		if d := time.Since(start); d > 10*time.Second {
			t.Fatalf("took %s", d)
		}
	})
}

// FuzzSchemaFile: any bytes as an envelope schema file (YAML or JSON)
// compile or are refused with an error, never a panic.
func FuzzSchemaFile(f *testing.F) {
	f.Add([]byte(`{"type":"object","required":["code"]}`), true)
	f.Add([]byte("type: object\nproperties: {code: {type: string}}\n"), false)
	f.Add([]byte(`{"$ref": "file:///nonexistent.json"}`), true)
	f.Add([]byte("a: &a [x,x]\nb: [*a,*a]\n"), false)
	f.Add([]byte(strings.Repeat("[", 300)), true)
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte, json bool) {
		name := "schema.yaml"
		if json {
			name = "schema.json"
		}
		if err := os.WriteFile(filepath.Join(dir, name), src, 0o600); err != nil {
			t.Fatal(err)
		}
		p, err := load("fuzz.yaml", dir, []byte("extends: erzycall\nenvelope: {schema: ./"+name+"}\n"), func(string) string { return "k" })
		if err == nil {
			_, _ = Compile(p)
		}
	})
}
