package reporters

import (
	"net/http"
	"testing"

	"github.com/errprobe/errprobe/report"
)

func TestCurl_Reproductions(t *testing.T) {
	type testCase struct {
		name string
		req  report.Request
		want string
	}
	run := func(t *testing.T, tc testCase) {
		if got := Curl(tc.req); got != tc.want {
			t.Errorf("Curl =\n%s\nwant\n%s", got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{
			name: "get",
			req:  report.Request{Method: "GET", URL: "http://h/v1/calls"},
			want: "curl -sS -i \\\n  http://h/v1/calls",
		},
		{
			name: "bearer key keeps its scheme",
			req: report.Request{Method: "DELETE", URL: "http://h/v1/calls/1", KeyHeader: "Authorization", KeyEnv: "ERRPROBE_API_KEY",
				Header: http.Header{"Authorization": {"Bearer ****"}}},
			want: "curl -sS -i \\\n  -X DELETE \\\n  http://h/v1/calls/1 \\\n  -H \"Authorization: Bearer $ERRPROBE_API_KEY\"",
		},
		{
			name: "head as -I (curl -X HEAD hangs waiting for a body)",
			req:  report.Request{Method: "HEAD", URL: "http://h/v1/calls/1"},
			want: "curl -sS -I \\\n  http://h/v1/calls/1",
		},
		{
			name: "basic credential as curl -u",
			req: report.Request{URL: "http://h/", KeyHeader: "Authorization", KeyEnv: "ERRPROBE_USERNAME:$ERRPROBE_PASSWORD",
				Header: http.Header{"Authorization": {"Basic ****"}}},
			want: "curl -sS -i \\\n  http://h/ \\\n  -u \"$ERRPROBE_USERNAME:$ERRPROBE_PASSWORD\"",
		},
		{
			name: "bare key header",
			req: report.Request{URL: "http://h/", KeyHeader: "x-api-key", KeyEnv: "VOICE_KEY",
				Header: http.Header{"X-Api-Key": {"****"}}},
			want: "curl -sS -i \\\n  http://h/ \\\n  -H \"X-Api-Key: $VOICE_KEY\"",
		},
		{
			name: "key without env is shown as recorded",
			req: report.Request{URL: "http://h/", KeyHeader: "Authorization",
				Header: http.Header{"Authorization": {"Bearer garbage$`\"x"}}},
			want: "curl -sS -i \\\n  http://h/ \\\n  -H 'Authorization: Bearer garbage$`\"x'",
		},
		{
			name: "key in the query",
			req:  report.Request{URL: "http://h/v1?a=1&api_key=****&b=$x", KeyHeader: "query:api_key", KeyEnv: "K"},
			want: "curl -sS -i \\\n  \"http://h/v1?a=1&b=\\$x&api_key=$K\"",
		},
		{
			name: "single quotes in body",
			req:  report.Request{Method: "POST", URL: "http://h/", Body: `{"n":"it's"}`},
			want: "curl -sS -i \\\n  -X POST \\\n  http://h/ \\\n  --data-binary '{\"n\":\"it'\\''s\"}'",
		},
		{
			name: "control bytes and invalid utf-8 use ansi-c quoting",
			req:  report.Request{Method: "POST", URL: "http://h/", Body: "a\x00b\nc'\xff"},
			want: "curl -sS -i \\\n  -X POST \\\n  http://h/ \\\n  --data-binary $'a\\x00b\\nc\\'\\xff'",
		},
		{
			name: "content-length and host are curl's",
			req:  report.Request{URL: "http://h/", Header: http.Header{"Content-Length": {"3"}, "Host": {"h"}, "Accept": {"*/*"}}},
			want: "curl -sS -i \\\n  http://h/ \\\n  -H 'Accept: */*'",
		},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
