package cmd

import (
	"context"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/schemas"
)

func TestRunDemo_AuthModes(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name string
		args []string
		code int
	}
	run := func(t *testing.T, tc testCase) {
		code, out, errOut := errprobe(t, nil, append([]string{"demo"}, tc.args...)...)
		if code != tc.code {
			t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
		}
	}
	var cases []testCase
	for _, m := range []string{fixtures.AuthBasic, fixtures.AuthOAuth2, fixtures.AuthMTLS} {
		cases = append(cases,
			testCase{name: m, args: []string{"--auth", m}, code: ExitOK},
			testCase{name: m + " missing-key-200", args: []string{"--auth", m, "--fault", "missing-key-200"}, code: ExitFailed})
	}
	cases = append(cases, testCase{name: "unknown mode", args: []string{"--auth", "kerberos"}, code: ExitUsage},
		testCase{name: "suite", args: []string{"--auth", "basic", "--suite", "auth"}, code: ExitOK},
		// jsonapi's RFC 6750 Bearer challenge rules give way to Basic ones.
		testCase{name: "jsonapi basic", args: []string{"--profile", "jsonapi", "--auth", "basic"}, code: ExitOK})
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { t.Parallel(); run(t, tc) })
	}
}

// TestServe_WriteProfile: serve --auth MODE --write-profile writes a profile
// that runs clean against it with the exported variables, and holds none
// of their values.
func TestServe_WriteProfile(t *testing.T) {
	t.Parallel()
	for _, mode := range []string{fixtures.AuthBasic, fixtures.AuthOAuth2, fixtures.AuthMTLS} {
		t.Run(mode, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.yaml")
			io, out, _ := serveIO()
			ctx, cancel := context.WithCancel(context.Background())
			done := make(chan error, 1)
			go func() {
				done <- runServe(ctx, io, &serveOptions{Profile: "erzycall", Addr: "127.0.0.1:0", Rate: "100/1s", Auth: mode, WriteProfile: path})
			}()
			defer func() { cancel(); <-done }()
			_, env := servedAt(t, out)
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for name, v := range env {
				if strings.Contains(string(src), v) {
					t.Errorf("the profile holds the value of %s", name)
				}
			}
			code, stdout, stderr := errprobe(t, env, "run", "-p", path, "--json", filepath.Join(t.TempDir(), "r.json"))
			if code != ExitOK {
				t.Fatalf("run with the written profile: exit %d\n%s%s", code, stdout, stderr)
			}
			for name, v := range env {
				if len(v) >= 8 && !strings.HasPrefix(v, "/") && strings.Contains(stdout+stderr, v) {
					t.Errorf("the value of %s appears in the run's output", name)
				}
			}
		})
	}
}

func TestDiscoverProfile(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name  string
		files []string // created under the temp root ("d/" for a directory)
		from  string
		want  string // relative to the root; "" for none
	}
	run := func(t *testing.T, tc testCase) {
		root := t.TempDir()
		for _, f := range tc.files {
			p := filepath.Join(root, f)
			if strings.HasSuffix(f, "/") {
				os.MkdirAll(p, 0o755)
				continue
			}
			os.MkdirAll(filepath.Dir(p), 0o755)
			os.WriteFile(p, []byte("extends: erzycall\n"), 0o644)
		}
		from := filepath.Join(root, tc.from)
		os.MkdirAll(from, 0o755)
		got := discoverProfile(from)
		want := ""
		if tc.want != "" {
			want = filepath.Join(root, tc.want)
		}
		if got != want {
			t.Errorf("discoverProfile(%s) = %q, want %q", tc.from, got, want)
		}
	}
	for _, tc := range []testCase{
		{name: "here yaml", files: []string{"errprobe.yaml"}, from: ".", want: "errprobe.yaml"},
		{name: "here yml", files: []string{"errprobe.yml"}, from: ".", want: "errprobe.yml"},
		{name: "yaml before yml", files: []string{"errprobe.yaml", "errprobe.yml"}, from: ".", want: "errprobe.yaml"},
		{name: "parent in repo", files: []string{"repo/.git/", "repo/errprobe.yml"}, from: "repo/a/b", want: "repo/errprobe.yml"},
		{name: "nearest parent", files: []string{"repo/.git/", "repo/errprobe.yml", "repo/a/errprobe.yaml"}, from: "repo/a/b", want: "repo/a/errprobe.yaml"},
		{name: "not above the repo root", files: []string{"errprobe.yaml", "repo/.git/"}, from: "repo/a"},
		{name: "outside a repo only here", files: []string{"errprobe.yaml"}, from: "a/b"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestRunRun_ProfileFromEnvironment: ERRPROBE_PROFILE and ERRPROBE_BASE_URL
// stand in for --profile and BASE_URL; the flags win.
func TestRunRun_ProfileFromEnvironment(t *testing.T) {
	t.Parallel()
	url, env := serveFor(t, "erzycall")
	env["ERRPROBE_PROFILE"] = "erzycall"
	env["ERRPROBE_BASE_URL"] = url
	code, out, errOut := errprobe(t, env, "run", "--dry-run")
	if code != ExitOK || !strings.Contains(out, url) {
		t.Fatalf("ERRPROBE_PROFILE/ERRPROBE_BASE_URL: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = errprobe(t, env, "run", "--dry-run", "-p", "./nope.yaml")
	if code != ExitUsage || !strings.Contains(errOut, "nope.yaml") {
		t.Errorf("--profile does not win over ERRPROBE_PROFILE: exit %d %s", code, errOut)
	}
	code, out, _ = errprobe(t, env, "run", "--dry-run", "http://127.0.0.1:9")
	if code != ExitOK || !strings.Contains(out, "http://127.0.0.1:9") || strings.Contains(out, url+"/") {
		t.Errorf("BASE_URL does not win over ERRPROBE_BASE_URL: exit %d", code)
	}
}

func TestComplete_FlagValues(t *testing.T) {
	t.Parallel()
	type testCase struct {
		args []string
		want string
	}
	run := func(t *testing.T, tc testCase) {
		out, _, _ := execute(t, nil, append([]string{"__complete"}, tc.args...)...)
		if !regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(tc.want) + `$`).MatchString(out) {
			t.Errorf("__complete %v offers no %q:\n%s", tc.args, tc.want, out)
		}
	}
	for _, tc := range []testCase{
		{args: []string{"demo", "--fault", ""}, want: "wrong-status"},
		{args: []string{"serve", "--fault", ""}, want: "missing-key-200"},
		{args: []string{"run", "--suite", ""}, want: "auth"},
		{args: []string{"demo", "--skip", ""}, want: "ratelimit.reached"},
		{args: []string{"run", "--profile", ""}, want: "erzycall"},
		{args: []string{"serve", "-p", ""}, want: "problem"},
		{args: []string{"run", "--format", ""}, want: "json"},
		{args: []string{"demo", "--fail-on", ""}, want: "warning"},
		{args: []string{"serve", "--auth", ""}, want: "oauth2"},
		{args: []string{"run", "--fail-on", ""}, want: "security"},
		{args: []string{"probes", "--format", ""}, want: "markdown"},
		{args: []string{"run", "--suite", "auth,"}, want: "auth,envelope"},
		{args: []string{"demo", "--skip", "auth,envelope,"}, want: "auth,envelope,malformed"},
	} {
		t.Run(strings.Join(tc.args, " "), func(t *testing.T) { run(t, tc) })
	}
}

// Every value completion offers is one the command accepts, and nothing
// it rejects is offered (probes --format once offered har and junit).
func TestComplete_OffersOnlyAccepted(t *testing.T) {
	t.Parallel()
	values := func(args ...string) []string {
		out, _, _ := execute(t, nil, append([]string{"__complete"}, args...)...)
		var vs []string
		for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
			if !strings.HasPrefix(l, ":") && l != "" {
				vs = append(vs, l)
			}
		}
		return vs
	}
	for _, v := range values("probes", "--format", "") {
		if _, errOut, code := execute(t, nil, "probes", "--format", v); code != ExitOK {
			t.Errorf("probes --format %s offered but refused: %s", v, errOut)
		}
	}
	for _, cmd := range []string{"run", "demo"} {
		for _, v := range values(cmd, "--fail-on", "") {
			if _, err := gate.ParseFailOn(v); err != nil {
				t.Errorf("%s --fail-on %s offered but refused: %v", cmd, v, err)
			}
		}
	}
	if got := values("run", "--suite", "auth,"); slices.Contains(got, "auth,auth") || slices.Contains(got, "auth,auth.empty-key") ||
		!slices.Contains(got, "auth,envelope.json") || len(got) == 0 {
		t.Errorf("--suite auth, offers %v: want the others after the comma, not auth or its checks again", got)
	}
}

func TestRoot_VersionFlagOnly(t *testing.T) {
	t.Parallel()
	out, _, code := execute(t, nil, "--version")
	if code != ExitOK || !strings.HasPrefix(out, "errprobe version ") {
		t.Errorf("--version: exit %d %q", code, out)
	}
	// -v is run's --verbose, also before the subcommand.
	code2, out2, errOut := errprobe(t, map[string]string{"ERRPROBE_API_KEY": "k"}, "-v", "run", "http://127.0.0.1:9", "-p", "erzycall", "--dry-run")
	if code2 != ExitOK {
		t.Errorf("errprobe -v run …: exit %d %s%s", code2, out2, errOut)
	}
}

func TestVersion_CommandMatchesFlag(t *testing.T) {
	t.Parallel()
	flag, _, code := execute(t, nil, "--version")
	cmd, _, code2 := execute(t, nil, "version")
	if code != ExitOK || code2 != ExitOK || flag != cmd || flag != versionText() {
		t.Errorf("--version (exit %d) %q, version (exit %d) %q: want the same text %q", code, flag, code2, cmd, versionText())
	}
}

func TestBuildVersion(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name string
		bi   *debug.BuildInfo
		want string
	}
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, tc := range []testCase{
		{name: "module version", bi: &debug.BuildInfo{Main: debug.Module{Version: "v1.2.3"}}, want: "v1.2.3"},
		{name: "revision", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "false")}, want: "dev-0123456789ab"},
		{name: "dirty", bi: &debug.BuildInfo{Settings: vcs("0123456789abcdef0123", "true")}, want: "dev-0123456789ab-dirty"},
		{name: "nothing", bi: &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, want: ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := buildVersion(tc.bi, true); got != tc.want {
				t.Errorf("buildVersion = %q, want %q", got, tc.want)
			}
		})
	}
}

func TestRunRun_ClientCertFlags(t *testing.T) {
	t.Parallel()
	bad := filepath.Join(t.TempDir(), "bad.pem")
	os.WriteFile(bad, []byte("not a certificate"), 0o600)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--cert", bad}, "errprobe: --cert and --key go together: give both"},
		{[]string{"--cert", bad, "--key", bad}, "errprobe: --cert/--key: "},
	} {
		code, _, errOut := errprobe(t, nil, append([]string{"run", "http://127.0.0.1:9", "-p", "erzycall"}, tc.args...)...)
		if code != ExitUsage || !strings.HasPrefix(errOut, tc.want) || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d %q, want exit 2 and one line %q…", tc.args, code, errOut, tc.want)
		}
	}
}

// TestRunRun_MutualTLS: without a client certificate the mTLS server is
// unreachable (exit 3, one line saying what it wants); with --cert/--key
// the run is clean.
func TestRunRun_MutualTLS(t *testing.T) {
	t.Parallel()
	p, _ := schemas.Builtin("erzycall", nil)
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", p, fixtures.WithAuth(fixtures.AuthMTLS), fixtures.WithRateLimit(100, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	env := map[string]string{}
	for _, v := range srv.Keys.Vars() {
		env[v.Name] = v.Value
	}
	args := []string{"run", srv.URL, "-p", "erzycall", "--ca-cert", srv.Keys.CAFile}
	code, out, errOut := errprobe(t, env, args...)
	if code != ExitUnreachable || !strings.Contains(errOut, "client certificate") || strings.Count(errOut, "\n") != 1 {
		t.Errorf("no client certificate: exit %d, stderr %q", code, errOut)
	}
	code, out, errOut = errprobe(t, env, append(args, "--cert", srv.Keys.CertFile, "--key", srv.Keys.KeyFile)...)
	if code != ExitOK {
		t.Errorf("with --cert/--key: exit %d\n%s%s", code, out, errOut)
	}
}

// TestRunRun_Keyless: without a valid key every report says that only the
// keyless probes ran.
func TestRunRun_Keyless(t *testing.T) {
	t.Parallel()
	url, _ := serveFor(t, "erzycall")
	dir := t.TempDir()
	js, md := filepath.Join(dir, "r.json"), filepath.Join(dir, "r.md")
	code, out, errOut := errprobe(t, nil, "run", url, "-p", "erzycall", "--json", js, "--markdown", md, "--no-color")
	if code != ExitOK {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	j, _ := os.ReadFile(js)
	m, _ := os.ReadFile(md)
	for name, got := range map[string]string{
		"text":     out,
		"stderr":   errOut,
		"json":     string(j),
		"markdown": strings.ReplaceAll(string(m), `\_`, "_"),
	} {
		if !strings.Contains(got, "$ERRPROBE_API_KEY") || !strings.Contains(got, "need no key") && name != "json" {
			t.Errorf("%s does not say the run was keyless:\n%s", name, got)
		}
	}
	if !strings.Contains(string(j), `"keyless": "keys.valid not set ($ERRPROBE_API_KEY is empty)"`) {
		t.Errorf("JSON report has no keyless field")
	}
}

// TestRunRun_CredentialErrors: a credential that cannot be had stops the
// run with one line naming the profile key, never the secret; exit 2, or 3
// when the token endpoint cannot be reached.
func TestRunRun_CredentialErrors(t *testing.T) {
	t.Parallel()
	p, _ := schemas.Builtin("erzycall", nil)
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", p, fixtures.WithAuth(fixtures.AuthOAuth2))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	dir := t.TempDir()
	write := func(name, src string) string {
		path := filepath.Join(dir, name)
		os.WriteFile(path, []byte(src), 0o600)
		return path
	}
	good := write("oauth2.yaml", srv.ClientProfile())
	closed := write("closed.yaml", strings.Replace(srv.ClientProfile(), srv.PlainURL+fixtures.TokenPath, "http://127.0.0.1:1/token", 1))
	failing := write("cmd.yaml", "extends: erzycall\nauth:\n  token_command: 'echo ek_live_printed_then_failed; exit 7'\n")
	empty := write("empty.yaml", "extends: erzycall\nauth:\n  token_command: 'printf \"\\n\"'\n")
	env := map[string]string{}
	for _, v := range srv.Keys.Vars() {
		env[v.Name] = v.Value
	}
	wrong := map[string]string{"ERRPROBE_CLIENT_ID": srv.Keys.ClientID, "ERRPROBE_CLIENT_SECRET": "cs_wrong_secret_0123456789abcdef"}
	for _, tc := range []struct {
		name    string
		env     map[string]string
		profile string
		code    int
		line    string
	}{
		{"wrong client secret", wrong, good, ExitUsage, "errprobe: auth.oauth2.token_url: the token endpoint answered 401 Unauthorized (invalid_client)"},
		{"token endpoint unreachable", env, closed, ExitUnreachable, "errprobe: auth.oauth2.token_url: target unreachable: "},
		{"token_command fails", env, failing, ExitUsage, "errprobe: auth.token_command: exited with status 7"},
		{"token_command prints nothing", env, empty, ExitUsage, "errprobe: auth.token_command: printed no token on standard output"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, errOut := errprobe(t, tc.env, "run", srv.URL, "-p", tc.profile)
			if code != tc.code || !strings.HasPrefix(errOut, tc.line) || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("exit %d, stderr %q; want exit %d and one line %q…\n%s", code, errOut, tc.code, tc.line, out)
			}
			for _, secret := range []string{srv.Keys.ClientSecret, wrong["ERRPROBE_CLIENT_SECRET"], "ek_live_printed_then_failed"} {
				if strings.Contains(out+errOut, secret) {
					t.Errorf("a secret is in the output")
				}
			}
		})
	}
}

func TestProfilesShow_ProfileFlag(t *testing.T) {
	t.Parallel()
	byArg, _, _ := execute(t, nil, "profiles", "show", "problem")
	byFlag, _, code := execute(t, nil, "profiles", "show", "-p", "problem")
	if code != ExitOK || byFlag != byArg {
		t.Errorf("profiles show -p problem: exit %d, differs from profiles show problem", code)
	}
	if _, errOut, code := execute(t, nil, "profiles", "show", "-p", "problem", "erzycall"); code != ExitUsage || !strings.Contains(errOut, "not both") {
		t.Errorf("argument and -p: exit %d %q", code, errOut)
	}
}

// A single-valued report flag given twice is a usage error naming it, not
// a silent choice of the last value.
func TestRun_RepeatedReportFlag(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	for _, args := range [][]string{
		{"--junit", filepath.Join(dir, "a.xml"), "--junit", filepath.Join(dir, "b.xml")},
		{"--fail-on", "error", "--fail-on", "never"},
		{"--format", "json", "--format", "text"},
	} {
		code, _, errOut := errprobe(t, nil, append([]string{"run", "http://127.0.0.1:9", "-p", "erzycall", "--dry-run"}, args...)...)
		if code != ExitUsage || !strings.Contains(errOut, args[0]+" given twice") || strings.Count(errOut, "\n") != 1 {
			t.Errorf("%v: exit %d %q, want exit 2 and one line naming %s", args, code, errOut, args[0])
		}
	}
}

// Every report is written on every exit code: an unreachable target (3)
// and a profile error (2) leave a JUnit with one error testcase, Markdown
// and JSON saying why, so CI finds a report either way.
func TestRunRun_ReportsOnFailedRun(t *testing.T) {
	t.Parallel()
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	closed := "http://" + ln.Addr().String()
	ln.Close()
	for _, tc := range []struct {
		name string
		args []string
		code int
		kind string
	}{
		{name: "unreachable", args: []string{closed, "-p", "erzycall"}, code: ExitUnreachable, kind: "unreachable"},
		{name: "profile error", args: []string{closed, "-p", "./nosuch.yaml"}, code: ExitUsage, kind: "usage"},
		{name: "bad flag value", args: []string{closed, "-p", "erzycall", "--max-requests", "0"}, code: ExitUsage, kind: "usage"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			xmlPath, md, js := filepath.Join(dir, "r.xml"), filepath.Join(dir, "r.md"), filepath.Join(dir, "r.json")
			code, out, errOut := errprobe(t, nil, append([]string{"run", "--junit", xmlPath, "--markdown", md, "--json", js}, tc.args...)...)
			if code != tc.code || strings.Count(errOut, "\n") != 1 {
				t.Fatalf("exit %d, want %d and one stderr line\n%s%s", code, tc.code, out, errOut)
			}
			x, _ := os.ReadFile(xmlPath)
			m, _ := os.ReadFile(md)
			j, _ := os.ReadFile(js)
			if !strings.Contains(string(x), `errors="1"`) || !strings.Contains(string(x), `<error message=`) || !strings.Contains(string(x), `type="`+tc.kind+`"`) {
				t.Errorf("JUnit has no error testcase:\n%s", x)
			}
			if !strings.Contains(string(m), "Could not run") {
				t.Errorf("Markdown does not say the run could not be made:\n%s", m)
			}
			if !strings.Contains(string(j), `"error_kind": "`+tc.kind+`"`) || !strings.Contains(string(j), `"verdict": "error"`) {
				t.Errorf("JSON has no error:\n%s", j)
			}
		})
	}
}

// gitHead reads a checkout's commit from .git's files (no git process):
// a loose ref, a packed ref, a detached HEAD and a worktree's .git file.
func TestGitHead(t *testing.T) {
	t.Parallel()
	const id = "0123456789abcdef0123456789abcdef01234567"
	write := func(path, s string) {
		t.Helper()
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	loose, packed, detached, wt := t.TempDir(), t.TempDir(), t.TempDir(), t.TempDir()
	write(filepath.Join(loose, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(filepath.Join(loose, ".git", "refs", "heads", "main"), id+"\n")
	write(filepath.Join(packed, ".git", "HEAD"), "ref: refs/heads/main\n")
	write(filepath.Join(packed, ".git", "packed-refs"), "# pack-refs with: peeled\n"+id+" refs/heads/main\n")
	write(filepath.Join(detached, ".git", "HEAD"), id+"\n")
	wtGit := filepath.Join(loose, ".git", "worktrees", "wt")
	write(filepath.Join(wtGit, "HEAD"), "ref: refs/heads/main\n")
	write(filepath.Join(wtGit, "commondir"), "../..\n")
	write(filepath.Join(wt, ".git"), "gitdir: "+wtGit+"\n")
	for name, dir := range map[string]string{"loose": loose, "packed": packed, "detached": detached, "worktree": wt} {
		if got := gitHead(dir); got != id {
			t.Errorf("%s: gitHead = %q, want %q", name, got, id)
		}
	}
	if got := gitHead(t.TempDir()); got != "" {
		t.Errorf("no repository: gitHead = %q", got)
	}
}
