package cmd

import (
	"bytes"
	"log"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRunRun_UsageErrorsExit2: flags and base URLs that cannot work end
// the command before anything is sent, with exit 2 and one line naming
// the flag or URL.
func TestRunRun_UsageErrorsExit2(t *testing.T) {
	t.Parallel()
	env := map[string]string{"ERRPROBE_API_KEY": "SEKRETkey-0123456789abcdef"}
	dir := t.TempDir()
	same := filepath.Join(dir, "same")
	type testCase struct {
		name    string
		args    []string
		errLine string
	}
	run := func(t *testing.T, tc testCase) {
		code, out, errOut := errprobe(t, env, append([]string{"run", "-p", "erzycall", "--dry-run"}, tc.args...)...)
		if code != ExitUsage {
			t.Fatalf("exit %d, want 2\nstdout: %s\nstderr: %s", code, out, errOut)
		}
		if !strings.Contains(errOut, tc.errLine) || strings.Count(strings.TrimSpace(errOut), "\n") > 0 {
			t.Errorf("stderr %q, want one line with %q", errOut, tc.errLine)
		}
		if strings.Contains(out+errOut, "PASSWORDsekret") {
			t.Errorf("password printed: %s%s", out, errOut)
		}
	}
	for _, tc := range []testCase{
		{"header name", []string{"http://127.0.0.1:9", "--header", "X(A):v"}, `invalid header name "X(A)"`},
		{"header name with a space", []string{"http://127.0.0.1:9", "--header", "X A:v"}, "invalid header name"},
		{"header value with CR LF", []string{"http://127.0.0.1:9", "--header", "X-A: v\r\nX-Injected: 1"}, "--header X-A: the value holds a control character"},
		{"public header name", []string{"http://127.0.0.1:9", "--public-header", "X[1]:v"}, "--public-header"},
		{"header both public and secret", []string{"http://127.0.0.1:9", "--header", "X-A:1", "--public-header", "x-a:2"}, "also given as --header"},
		{"query", []string{"http://127.0.0.1:9/api?x=1"}, "a query string is not allowed"},
		{"fragment", []string{"http://127.0.0.1:9/api#x"}, "a fragment"},
		{"port", []string{"http://admin:PASSWORDsekret@127.0.0.1:99999"}, "port 99999 is out of range"},
		{"json and junit on one file", []string{"http://127.0.0.1:9", "--json", same, "--junit", same}, "--junit and --json both write"},
		{"one file by two spellings", []string{"http://127.0.0.1:9", "--markdown", same, "--json", dir + "/./same"}, "both write"},
		{"report and baseline on one file", []string{"http://127.0.0.1:9", "--json", same, "--write-baseline", same}, "--json and --write-baseline both write"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
	if _, err := os.Stat(same); err == nil {
		t.Error("a refused run wrote a report")
	}
}

// TestMain_StdLogSilenced: net/http logs through the standard logger
// (an unsolicited response on an idle connection quotes the bytes a
// target sent, a key echo included); errprobe's main never lets it
// reach the terminal.
func TestMain_StdLogSilenced(t *testing.T) {
	const key = "SEKRETkey-0123456789abcdef"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go shortBodyEcho(c, key)
		}
	}()
	var logged bytes.Buffer
	log.SetOutput(&logged)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	var out, errb syncBuffer
	env := map[string]string{"ERRPROBE_API_KEY": key}
	io := &IO{Out: &out, Err: &errb, Getenv: func(k string) string { return env[k] }, Now: time.Now}
	mainArgs(io, []string{"run", "http://" + ln.Addr().String(), "-p", "erzycall", "-q", "--suite", "auth,envelope", "--max-requests", "40", "--timeout", "2s"})
	all := logged.String() + out.String() + errb.String()
	for _, part := range []string{key, key[:12], key[len(key)-12:]} {
		if strings.Contains(all, part) {
			t.Errorf("%q reached the output: %s", part, all[:min(len(all), 400)])
		}
	}
}

// shortBodyEcho answers each request with a body shorter than what it
// sends: the key follows the 2 bytes Content-Length announces.
func shortBodyEcho(c net.Conn, key string) {
	defer c.Close()
	buf := make([]byte, 64<<10)
	for {
		n, err := c.Read(buf)
		if err != nil || n == 0 {
			return
		}
		if bytes.Contains(buf[:n], []byte("\r\n\r\n")) {
			c.Write([]byte("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}" + strings.Repeat(key, 4)))
		}
	}
}
