package cmd

import (
	"encoding/json"
	"encoding/pem"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

// referenceHandler is the reference server as a handler (to serve over
// TLS or wrap), with the key environment to run against it.
func referenceHandler(t *testing.T, profile string, faults ...string) (http.Handler, map[string]string) {
	t.Helper()
	p, err := schemas.Builtin(profile, nil)
	if err != nil {
		t.Fatal(err)
	}
	srv, err := fixtures.New(p, fixtures.WithFaults(faults...), fixtures.WithRateLimit(100, time.Second))
	if err != nil {
		t.Fatal(err)
	}
	env := map[string]string{}
	for _, v := range srv.Keys().Vars() {
		env[v.Name] = v.Value
	}
	return srv, env
}

// certFile writes the TLS test server's certificate to a PEM file.
func certFile(t *testing.T, srv *httptest.Server) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "ca.pem")
	b := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: srv.Certificate().Raw})
	if err := os.WriteFile(path, b, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestRunRun_TLS: an untrusted (self-signed) certificate ends the run
// with one line and exit 3; --ca-cert and --insecure opt in; an HTTP/2-only
// server is spoken to in HTTP/2.
func TestRunRun_TLS(t *testing.T) {
	t.Parallel()
	h, env := referenceHandler(t, "erzycall")
	var h1, h2 atomic.Int64
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ProtoMajor != 2 {
			h1.Add(1)
			http.Error(w, "HTTP/2 only", http.StatusHTTPVersionNotSupported)
			return
		}
		h2.Add(1)
		h.ServeHTTP(w, r)
	}))
	srv.EnableHTTP2 = true
	srv.Config.ErrorLog = log.New(io.Discard, "", 0) // the refused handshakes
	srv.StartTLS()
	srv.TLS.NextProtos = []string{"h2"} // no http/1.1 offered
	t.Cleanup(srv.Close)
	ca := certFile(t, srv)
	notPEM := filepath.Join(t.TempDir(), "not.pem")
	os.WriteFile(notPEM, []byte("not a certificate"), 0o600)

	type testCase struct {
		name    string
		args    []string
		code    int
		errLine string
	}
	run := func(t *testing.T, tc testCase) {
		h1.Store(0)
		h2.Store(0)
		args := append([]string{"run", srv.URL, "--profile", "erzycall", "--suite", "auth", "-q"}, tc.args...)
		code, out, errOut := errprobe(t, env, args...)
		if code != tc.code {
			t.Fatalf("exit %d, want %d\n%s%s", code, tc.code, out, errOut)
		}
		if tc.errLine != "" && (!strings.Contains(errOut, tc.errLine) || strings.Count(errOut, "\n") != 1) {
			t.Errorf("stderr %q, want one line with %q", errOut, tc.errLine)
		}
		if tc.code == ExitOK && (h2.Load() == 0 || h1.Load() != 0) {
			t.Errorf("requests over HTTP/2: %d, over HTTP/1.x: %d; want all over HTTP/2", h2.Load(), h1.Load())
		}
	}
	for _, tc := range []testCase{
		{name: "self-signed", code: ExitUnreachable,
			errLine: "errprobe: target unreachable: " + srv.URL + ": TLS: tls: failed to verify certificate: x509: certificate signed by unknown authority (trust it with --ca-cert FILE, or skip verification with --insecure)"},
		{name: "ca-cert over h2", args: []string{"--ca-cert", ca}, code: ExitOK},
		{name: "insecure over h2", args: []string{"--insecure"}, code: ExitOK},
		{name: "ca-cert not PEM", args: []string{"--ca-cert", notPEM}, code: ExitUsage, errLine: "errprobe: --ca-cert " + notPEM + ": no PEM certificate in the file"},
		{name: "ca-cert missing", args: []string{"--ca-cert", notPEM + ".nope"}, code: ExitUsage, errLine: "errprobe: --ca-cert " + notPEM + ".nope: no such file or directory"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestRunRun_MaxDuration: a target that stops answering is cut off by
// --max-duration: results so far, reported and gated (exit 0 here, not
// 130), with a note on stderr and the cut-short probes skipped; created
// resources are still deleted.
func TestRunRun_MaxDuration(t *testing.T) {
	t.Parallel()
	h, env := referenceHandler(t, "erzycall")
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) > 30 && r.Method != http.MethodDelete {
			io.Copy(io.Discard, r.Body) // so the server sees the client hang up
			<-r.Context().Done()        // hangs from the 31st request on, clean-up aside
			return
		}
		h.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	jsonPath := filepath.Join(t.TempDir(), "r.json")
	start := time.Now()
	code, out, errOut := errprobe(t, env, "run", srv.URL, "--profile", "erzycall", "--timeout", "20s",
		"--max-duration", "700ms", "--json", jsonPath, "-q")
	if d := time.Since(start); d > 15*time.Second { // under --timeout 20s: the limit, not the timeout, ended it
		t.Errorf("run took %s with --max-duration 700ms", d)
	}
	if code != ExitOK {
		t.Fatalf("exit %d, want 0 (results so far pass)\n%s%s", code, out, errOut)
	}
	if want := "errprobe: stopped early: run time limit reached (--max-duration); results so far are reported and gated\n"; errOut != want {
		t.Errorf("stderr %q, want %q", errOut, want)
	}
	var rep struct {
		Interrupted bool     `json:"interrupted"`
		Leftovers   []string `json:"leftovers"`
		Results     []struct {
			Status, Message string
		} `json:"results"`
	}
	b, _ := os.ReadFile(jsonPath)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var passed, cut int
	for _, r := range rep.Results {
		switch {
		case r.Status == "pass":
			passed++
		case r.Status == "skip" && strings.Contains(r.Message, "--max-duration"):
			cut++
		}
	}
	// The JSON writer (reporters) does not carry Report.Stopped yet: the
	// note on stderr and the cut-short results say it.
	if rep.Interrupted || len(rep.Leftovers) != 0 || passed == 0 || cut == 0 {
		t.Errorf("interrupted %v, leftovers %v, %d passed, %d cut short", rep.Interrupted, rep.Leftovers, passed, cut)
	}
}

// TestRunRun_MaxBody: --max-body caps what is read of a huge body; the
// finding shows the capped, truncated body; exit 1.
func TestRunRun_MaxBody(t *testing.T) {
	t.Parallel()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusUnauthorized)
		chunk := strings.Repeat("x", 1<<20)
		for range 100 { // 100 MiB unless the client hangs up
			if _, err := io.WriteString(w, chunk); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	jsonPath := filepath.Join(t.TempDir(), "r.json")
	env := map[string]string{"ERRPROBE_API_KEY": "ek_live_maxbody0123456789ab"}
	code, out, errOut := errprobe(t, env, "run", srv.URL, "--profile", "erzycall", "--suite", "auth.missing-key,envelope.json",
		"--skip", "malformed,resources,validation,idempotency", "--max-body", "4096", "--json", jsonPath, "-q")
	if code != ExitFailed {
		t.Fatalf("exit %d, want %d\n%s%s", code, ExitFailed, out, errOut)
	}
	var rep struct {
		Results []struct {
			Check, Probe, Status, Message string
			Exchange                      *int
		}
		Exchanges []struct {
			Response *struct {
				Body       string
				Truncated  bool
				BodyLength int `json:"body_length"`
			}
		}
	}
	b, _ := os.ReadFile(jsonPath)
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	for _, r := range rep.Results {
		if r.Check != "envelope.json" || r.Probe != "missing-key" {
			continue
		}
		if r.Status != "fail" || !strings.HasPrefix(r.Message, "body is not JSON: invalid character 'x'") || r.Exchange == nil {
			t.Fatalf("envelope.json [missing-key] = %s %q, want a failure over the 4096 bytes read", r.Status, r.Message)
		}
		// The JSON report keeps 4096 bytes read in full (under its 16 KiB cap).
		if resp := rep.Exchanges[*r.Exchange].Response; resp == nil || len(resp.Body) != 4096 || resp.BodyLength != 4096 || !resp.Truncated {
			t.Errorf("envelope.json [missing-key] = %s %q, want a failure over the 4096 bytes read", r.Status, r.Message)
		}
		return
	}
	t.Error("no envelope.json result for missing-key")
}
