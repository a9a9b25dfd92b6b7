package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/schemas"
)

func TestBenchBurst_ReportsRate(t *testing.T) {
	t.Parallel()
	p, err := schemas.Builtin("erzycall", nil)
	if err != nil {
		t.Fatal(err)
	}
	// A window of an hour cannot roll over during the burst, so exactly the
	// requests past the limit are answered 429.
	srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", p, fixtures.WithRateLimit(100, time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { srv.Close() })
	io, out, _ := serveIO()
	c := newBenchBurstCmd(io)
	c.SetArgs([]string{srv.URL + "/api/v1/contacts", "--header", "X-API-Key:" + srv.Keys.Valid, "-n", "300", "-c", "4"})
	if err := c.Execute(); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"requests/s: ", "sent: 300", "status_429: 200"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}
