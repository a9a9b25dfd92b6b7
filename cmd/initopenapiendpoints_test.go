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

// createItemDocument has a POST create and a GET item and no GET
// collection (as Swagger Petstore 3's /pet).
const createItemDocument = `openapi: 3.0.3
info: {title: create-item, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
    Thing:
      type: object
      required: [name]
      properties:
        id: {type: integer}
        name: {type: string, maxLength: 40}
security: [{key: []}]
paths:
  /things:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Thing"}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "401": {description: no key, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /things/{thingId}:
    get:
      parameters:
        - {name: thingId, in: path, required: true, schema: {type: integer}}
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
        "400": {description: bad id, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "401": {description: no key, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "404": {description: none, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
`

// rpcDocument is POST-only, RPC style: no GET anywhere, no path parameters.
const rpcDocument = `openapi: 3.0.3
info: {title: rpc, version: "1"}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
security: [{key: []}]
paths:
  /rpc/notes.create:
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title]
              properties:
                title: {type: string, maxLength: 20}
      responses:
        "200": {description: created, content: {application/json: {schema: {type: object}}}}
        "400": {description: invalid, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
        "401": {description: no key, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
  /rpc/notes.count:
    post:
      responses:
        "200": {description: count, content: {application/json: {schema: {type: object}}}}
        "401": {description: no key, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
`

// nestedDocument has its every collection under a parent parameter, the
// caller's own account, items written P/{x}.json beside P.json and a
// form-encoded create (as Twilio's 2010 API).
const nestedDocument = `openapi: 3.0.3
info: {title: nested, version: "1"}
components:
  securitySchemes:
    basic: {type: http, scheme: basic}
  parameters:
    AccountSid:
      {name: AccountSid, in: path, required: true, schema: {type: string, pattern: "^AC[0-9a-f]{32}$"}}
  schemas:
    Error:
      type: object
      required: [message]
      properties:
        message: {type: string}
    Note:
      type: object
      required: [title]
      properties:
        sid: {type: string, pattern: "^NT[0-9a-f]{32}$"}
        title: {type: string, maxLength: 20}
  responses:
    Error: {description: error, content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
security: [{basic: []}]
paths:
  /2010-04-01/Accounts/{AccountSid}/Notes.json:
    parameters: [{$ref: "#/components/parameters/AccountSid"}]
    get:
      responses:
        "200": {description: list, content: {application/json: {schema: {type: array, items: {$ref: "#/components/schemas/Note"}}}}}
        "401": {$ref: "#/components/responses/Error"}
    post:
      requestBody:
        required: true
        content: {application/x-www-form-urlencoded: {schema: {$ref: "#/components/schemas/Note"}}}
      responses:
        "201": {description: created, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
        "400": {$ref: "#/components/responses/Error"}
        "401": {$ref: "#/components/responses/Error"}
  /2010-04-01/Accounts/{AccountSid}/Notes/{Sid}.json:
    parameters:
      - {$ref: "#/components/parameters/AccountSid"}
      - {name: Sid, in: path, required: true, schema: {type: string, pattern: "^NT[0-9a-f]{32}$"}}
    get:
      responses:
        "200": {description: one, content: {application/json: {schema: {$ref: "#/components/schemas/Note"}}}}
        "401": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
    delete:
      responses:
        "204": {description: deleted}
        "401": {$ref: "#/components/responses/Error"}
        "404": {$ref: "#/components/responses/Error"}
`

// TestInitOpenAPI_EndpointsWithoutCollection: init --from-openapi reads
// each resource's create and item from the document when there is no GET
// collection (and a POST-only RPC document), never writes a route the
// document lacks (no "GET /"), says why a key is left unset, and a run of
// that profile against serve --openapi on the document is clean.
func TestInitOpenAPI_EndpointsWithoutCollection(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name, doc string
		want      []string // lines the profile holds
		unset     []string // comments saying why a key is unset
		ran       []string // checks that ran (passed) on the clean server
	}{
		{"create-item", createItemDocument,
			[]string{`path: "/things"`, `method: "POST"`, `item: "/things/{id}"`, `missing_id: "999999999"`, `invalid_field: "id"`,
				// code-less: the expect table by the statuses the operations document
				"missing_key: {status: 401}", "malformed_json: {status: 400}", "validation: {status: 400}",
				"not_found: {status: 404}", "invalid_id: {status: [400, 404]}"},
			[]string{"list is left unset: the document has no GET /things", "Left unset, so their probes are skipped with that reason: conflict"},
			[]string{"resources.unknown-id", "resources.malformed-id", "malformed.method", "auth.www-authenticate",
				"auth.missing-key", "auth.garbage-key", "malformed.truncated-json", "validation.rejected"}},
		{"rpc", rpcDocument,
			[]string{`path: "/rpc/notes.create"`, `method: "POST"`, `list: "POST /rpc/notes.count"`},
			[]string{"The document has no GET /rpc/notes.create and no item route", "item is left unset"},
			[]string{"malformed.method", "malformed.method-allow", "auth.www-authenticate", "negative.rejected"}},
		{"nested", nestedDocument,
			[]string{`list: "GET /2010-04-01/Accounts/AC11111111111111111111111111111111/Notes.json"`,
				`path: "/2010-04-01/Accounts/AC11111111111111111111111111111111/Notes.json"`,
				`item: "/2010-04-01/Accounts/AC11111111111111111111111111111111/Notes/{id}.json"`,
				`delete: "DELETE /2010-04-01/Accounts/AC11111111111111111111111111111111/Notes/{id}.json"`,
				`missing_id: "NT00000000000000000000000000000000"`,
				`content_type: "application/x-www-form-urlencoded"`, `body: "title=errprobe"`, `invalid_body: "sid=12345&title=errprobe"`},
			[]string{"{AccountSid} names the caller's own account"},
			[]string{"resources.unknown-id", "resources.malformed-id", "validation.rejected", "resources.delete",
				"auth.missing-key", "malformed.truncated-json", "malformed.method"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			doc := filepath.Join(dir, "openapi.yaml")
			if err := os.WriteFile(doc, []byte(tc.doc), 0o644); err != nil {
				t.Fatal(err)
			}
			prof, text := importedProfile(t, doc, dir)
			for _, w := range append(tc.want, tc.unset...) {
				if !strings.Contains(text, w) {
					t.Errorf("profile lacks %q:\n%s", w, text)
				}
			}
			if strings.Contains(text, `"GET /"`) || tc.name == "create-item" && strings.Contains(text, "\n  list:") {
				t.Errorf("profile names a list route the document does not have:\n%s", text)
			}
			d, err := openapi.Load(doc)
			if err != nil {
				t.Fatal(err)
			}
			srv, err := docserver.New(d, docserver.WithKey("good"))
			if err != nil {
				t.Fatal(err)
			}
			ts := httptest.NewServer(srv)
			t.Cleanup(ts.Close)
			out := filepath.Join(dir, "r.json")
			stdout, _, code := execute(t, map[string]string{"ERRPROBE_API_KEY": "good"}, "run", ts.URL, "-p", prof, "--openapi", doc, "--json", out, "-q")
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
			passed := map[string]bool{}
			for _, r := range rep.Results {
				if r.Status == "fail" {
					t.Errorf("clean run: %s failed: %s", r.Check, r.Message)
				}
				if r.Status == "pass" {
					passed[r.Check] = true
				}
			}
			for _, c := range tc.ran {
				if !passed[c] {
					t.Errorf("clean run: %s did not pass (it needs the endpoints init read from the document)", c)
				}
			}
			if code != ExitOK {
				t.Errorf("clean run exit %d\n%s", code, stdout)
			}
		})
	}
}
