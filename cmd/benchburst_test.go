package cmd

import (
	"strings"
	"testing"
)

func TestBenchBurst_ReportsRate(t *testing.T) {
	url, env := serveFor(t, "erzycall")
	io, out, _ := serveIO()
	c := newBenchBurstCmd(io)
	c.SetArgs([]string{url + "/api/v1/contacts", "--header", "X-API-Key:" + env["ERRPROBE_API_KEY"], "-n", "300", "-c", "4"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"requests/s: ", "sent: 300", "status_429: 200"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
