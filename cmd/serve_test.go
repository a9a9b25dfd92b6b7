package cmd

import (
	"bytes"
	"cmp"
	"context"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

// syncBuffer is a bytes.Buffer safe to read while serve writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func serveIO() (*IO, *syncBuffer, *syncBuffer) {
	out, errb := &syncBuffer{}, &syncBuffer{}
	return &IO{Out: out, Err: errb, Getenv: func(string) string { return "" }, Now: time.Now}, out, errb
}

func TestServeCmd_Flags(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name string
		args []string
		want serveOptions
	}
	cases := []testCase{
		{"defaults", nil, serveOptions{Profile: "erzycall", Addr: "127.0.0.1:8080", Rate: "20/2s"}},
		{"all", []string{"--profile", "problem", "--addr", ":0", "--rate-limit", "5/1s", "--fault", "wrong-status", "--fault", "no-rate-limit"},
			serveOptions{Profile: "problem", Addr: ":0", Rate: "5/1s", Faults: []string{"wrong-status", "no-rate-limit"}}},
		{"list", []string{"--list-faults"}, serveOptions{Profile: "erzycall", Addr: "127.0.0.1:8080", Rate: "20/2s", ListFaults: true}},
	}
	run := func(t *testing.T, tc testCase) {
		io, _, _ := serveIO()
		var got *serveOptions
		c := serveCmd(io, func(_ context.Context, _ *IO, o *serveOptions) error { got = o; return nil })
		c.SetArgs(tc.args)
		if err := c.Execute(); err != nil || got == nil {
			t.Fatalf("execute: %v", err)
		}
		if got.Profile != tc.want.Profile || got.Addr != tc.want.Addr || got.Rate != tc.want.Rate ||
			got.ListFaults != tc.want.ListFaults || strings.Join(got.Faults, ",") != strings.Join(tc.want.Faults, ",") {
			t.Errorf("options %+v, want %+v", *got, tc.want)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestServeCmd_ListFaults(t *testing.T) {
	t.Parallel()
	type testCase struct {
		profile    string
		has, lacks string
	}
	cases := []testCase{
		{"", "unknown-code", "status-not-string"},
		{"erzycall", "idempotency-race", "json-content-type"},
		{"problem", "status-mismatch", "status-not-string"},
		{"jsonapi", "bearer-no-error-param", "error-object"},
	}
	run := func(t *testing.T, tc testCase) {
		io, out, _ := serveIO()
		if err := runServe(context.Background(), io, &serveOptions{Profile: tc.profile, ListFaults: true}); err != nil {
			t.Fatal(err)
		}
		name := cmp.Or(tc.profile, "erzycall")
		p, err := schemas.Builtin(name, func(string) string { return "" })
		if err != nil {
			t.Fatal(err)
		}
		faults, err := fixtures.FaultsFor(p)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimRight(out.String(), "\n"), "\n")
		if len(lines) != len(faults) || len(faults) < 19 {
			t.Fatalf("%d lines for %d faults", len(lines), len(faults))
		}
		for i, f := range faults {
			if !strings.HasPrefix(lines[i], f.Name+" ") || !strings.HasSuffix(lines[i], f.Breaks) {
				t.Errorf("line %d %q, want %s … %s", i, lines[i], f.Name, f.Breaks)
			}
		}
		if !strings.Contains(out.String(), "\n"+tc.has+" ") || strings.Contains(out.String(), "\n"+tc.lacks+" ") {
			t.Errorf("%s: want %s listed and %s not:\n%s", name, tc.has, tc.lacks, out)
		}
	}
	for _, tc := range cases {
		t.Run(cmp.Or(tc.profile, "default"), func(t *testing.T) { run(t, tc) })
	}
}

func TestServeCmd_UsageErrors(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name string
		o    serveOptions
		want string
	}
	cases := []testCase{
		{"unknown fault", serveOptions{Profile: "erzycall", Rate: "20/2s", Faults: []string{"nope"}}, `--fault: unknown fault "nope"`},
		{"fault of another style", serveOptions{Profile: "erzycall", Rate: "20/2s", Faults: []string{"status-not-string"}},
			`--fault: fault "status-not-string" does not apply to profile erzycall`},
		{"unknown profile", serveOptions{Profile: "nope", Rate: "20/2s"}, "--profile"},
		{"bad rate", serveOptions{Profile: "erzycall", Rate: "fast"}, "--rate-limit"},
	}
	run := func(t *testing.T, tc testCase) {
		io, _, _ := serveIO()
		err := runServe(context.Background(), io, &tc.o)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("err %v, want %q", err, tc.want)
		}
		if code := exitStatus(io, err); code != ExitUsage {
			t.Errorf("exit %d, want %d", code, ExitUsage)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestServeCmd_ServesUntilCancelled starts serve on a free port, reads the
// URL and key it prints, makes a request, and stops it like Ctrl-C does.
func TestServeCmd_ServesUntilCancelled(t *testing.T) {
	t.Parallel()
	io, out, _ := serveIO()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- runServe(ctx, io, &serveOptions{Profile: "erzycall", Addr: "127.0.0.1:0", Rate: "20/2s"})
	}()
	base, env := servedAt(t, out)
	key := env["ERRPROBE_API_KEY"]
	r, _ := http.NewRequest("GET", base+"/api/v1/contacts", nil)
	r.Header.Set("X-API-Key", key)
	resp, err := http.DefaultClient.Do(r)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("GET contacts with the printed key: %d", resp.StatusCode)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve returned %v after cancel", err)
	}
}

// TestServeCmd_ProfileFile: serve --profile FILE answers the file's code
// table, routes included (NOT_FOUND is 410 on GET of an item), so a run
// with the same file against it is clean; the built-in it extends answers
// 404 there, which that run fails.
func TestServeCmd_ProfileFile(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "routed.yaml")
	src := "extends: erzycall\ncodes:\n  NOT_FOUND: {status: 404, routes: {'GET /api/v1/contacts/{id}': 410}}\n"
	if err := os.WriteFile(path, []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		served string
		want   int
	}{{path, ExitOK}, {"erzycall", ExitFailed}} {
		io, out, _ := serveIO()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() {
			done <- runServe(ctx, io, &serveOptions{Profile: tc.served, Addr: "127.0.0.1:0", Rate: "1000/1s"})
		}()
		base, env := servedAt(t, out)
		code, stdout, stderr := errprobe(t, env, "run", "--profile", path, "--skip", "ratelimit", base)
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve %s: %v", tc.served, err)
		}
		if code != tc.want {
			t.Errorf("run against serve --profile %s: exit %d, want %d\n%s%s", tc.served, code, tc.want, stdout, stderr)
		}
	}
}

// servedAt polls serve's output until it has printed everything (the
// "# then:" line) and returns the base URL and the credentials it exports.
func servedAt(t *testing.T, out *syncBuffer) (string, map[string]string) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(out.String(), "# then:") {
		if time.Now().After(deadline) {
			t.Fatalf("serve printed no credentials: %q", out.String())
		}
		time.Sleep(5 * time.Millisecond)
	}
	env := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^export (\w+)=(\S+)$`).FindAllStringSubmatch(out.String(), -1) {
		env[m[1]] = m[2]
	}
	url := regexp.MustCompile(` at (\S+)\n`).FindStringSubmatch(out.String())
	if url == nil {
		t.Fatalf("serve printed no URL: %q", out.String())
	}
	return url[1], env
}

// A busy port is one line naming the address once, not the fixtures
// package and the address twice.
func TestServeCmd_PortInUse(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	addr := ln.Addr().String()
	code, out, errOut := errprobe(t, nil, "serve", "--addr", addr)
	want := "errprobe: --addr " + addr + ": the port is in use"
	if code != ExitUsage || !strings.HasPrefix(errOut, want) || strings.Count(errOut, addr) != 1 || strings.Count(errOut, "\n") != 1 || out != "" {
		t.Errorf("exit %d, stdout %q, stderr %q: want exit 2 and one line starting %q", code, out, errOut, want)
	}
}
