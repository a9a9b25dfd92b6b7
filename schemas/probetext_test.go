package schemas

import (
	"errors"
	"strings"
	"testing"
)

// TestLoad_ProbeTextRefused (T6, lower): what a custom probe could never
// send is a positioned profile error at load time, as --header is: a
// header value with CR/LF, a path with a control character, a name or
// method past its limit; a framing header cannot be the key header. Root
// causes: header values were free strings in the profile schema (the
// request then failed inside errprobe and was reported as an API failure);
// name and method had no maxLength; auth.header had only a name pattern.
func TestLoad_ProbeTextRefused(t *testing.T) {
	t.Parallel()
	probe := func(req string) string {
		return "extends: erzycall\nprobes:\n  - {name: p, request: " + req + ", expect: {status: 200}}\n"
	}
	type testCase struct{ name, src, want string }
	run := func(t *testing.T, tc testCase) {
		path := writeProfile(t, t.TempDir(), "bad.yaml", tc.src)
		_, err := Load(path, func(k string) string {
			if k == "INJECTED" {
				return "v\r\nX-Injected: 1"
			}
			return testEnv(k)
		})
		var pe *ProfileError
		if !errors.As(err, &pe) || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Fatalf("err = %v, want one positioned line with %q", err, tc.want)
		}
		if strings.Contains(err.Error(), "X-Injected") {
			t.Errorf("the value is quoted: %v", err)
		}
	}
	for _, tc := range []testCase{
		{"CR LF in a header value", probe(`{path: /v1/x, headers: {X-A: "v\r\nX-Injected: 1"}}`),
			"probes[0].request.headers.X-A: the value holds a control character (CR, LF, …)"},
		{"NUL in a path", probe(`{path: "/v1/x\u0000y"}`), "the path holds a control character"},
		{"CR LF from the environment in a header value", probe(`{path: /v1/x, headers: {X-A: "a ${INJECTED}"}}`),
			"bad.yaml:3:48: probes[0].request.headers.X-A: ${INJECTED} holds a control character (CR, LF, …) in the environment"},
		{"CR LF from the environment in a step's path", "extends: erzycall\nprobes:\n  - name: p\n    steps:\n      - {request: {path: '/v1/${INJECTED}'}, expect: {status: 200}}\n",
			"probes[0].steps[0].request.path: ${INJECTED} holds a control character"},
		{"long method", probe(`{method: ` + strings.Repeat("A", 100_000) + `, path: /v1/x}`), "the method is 100000 characters long: at most 32"},
		{"long name", "extends: erzycall\nprobes:\n  - {name: " + strings.Repeat("a", 200_000) + ", request: {path: /x}, expect: {status: 200}}\n",
			"the name is 200000 characters long: at most 100"},
		{"Content-Length as the key header", "extends: erzycall\nauth: {header: Content-Length}\n", "auth.header: Content-Length frames the message"},
		{"Host as the key header", "extends: erzycall\nauth: {header: host}\n", "auth.header: host frames the message"},
		{"Transfer-Encoding as the key header", "extends: erzycall\nauth: {header: Transfer-Encoding}\n", "frames the message"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
