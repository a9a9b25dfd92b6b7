package cmd

import (
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/fixtures/docserver"
	"github.com/errprobe/errprobe/openapi"
)

// messageOnlyDocument: the error schema has a message and no member for
// the field (as Twilio, DigitalOcean and the museum example document
// theirs), so only the message can name the field an error is about.
const messageOnlyDocument = `openapi: 3.0.3
info: {title: message-only, version: "1"}
components:
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
paths:
  /notes:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title, body]
              properties:
                title: {type: string, maxLength: 20}
                body: {type: string}
      responses:
        "201": {description: created, content: {application/json: {schema: {type: object}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
`

// TestRun_OpenAPIFieldInMessageOnly: where the error schema gives the
// field no member, negative.details-field fails only on what the exchange
// shows — the serve --openapi oracle's wrong-field fault blames a member
// the request sent valid — and the clean oracle, naming the broken field
// in its message, passes.
func TestRun_OpenAPIFieldInMessageOnly(t *testing.T) {
	t.Parallel()
	_, doc, prof := importDocument(t, messageOnlyDocument)
	d, err := openapi.Load(doc)
	if err != nil {
		t.Fatal(err)
	}
	run := func(t *testing.T, faults ...string) (int, map[string]string, string) {
		srv, err := docserver.New(d, docserver.WithKey("good"), docserver.WithFaults(faults...))
		if err != nil {
			t.Fatal(err)
		}
		ts := httptest.NewServer(srv)
		t.Cleanup(ts.Close)
		out := filepath.Join(t.TempDir(), "r.json")
		stdout, _, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "good"}, "run", ts.URL, "-p", prof, "--openapi", doc, "--suite", "negative", "--json", out, "-q")
		var rep struct {
			Results []struct{ Check, Status, Message string }
		}
		b, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, &rep); err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, r := range rep.Results {
			if _, seen := got[r.Status]; r.Check == "negative.details-field" && !seen {
				got[r.Status] = r.Message
			}
		}
		return code, got, stdout
	}
	t.Run("clean", func(t *testing.T) {
		t.Parallel()
		code, got, out := run(t)
		_, passed := got["pass"]
		if _, failed := got["fail"]; code != ExitOK || failed || !passed {
			t.Errorf("clean oracle: exit %d, details-field %v\n%s", code, got, out)
		}
	})
	t.Run("fault=wrong-field", func(t *testing.T) {
		t.Parallel()
		code, got, out := run(t, "wrong-field")
		if code != ExitFailed || !strings.Contains(got["fail"], "which the request sent valid") {
			t.Errorf("wrong-field: exit %d, details-field %v\n%s", code, got, out)
		}
	})
}
