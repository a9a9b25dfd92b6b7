package openapi

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// writeFiles writes files (name → text) into a new directory and returns
// the path of the first name given as root.
func writeFiles(t *testing.T, root string, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return filepath.Join(dir, root)
}

// loadWithin loads file, failing the test if Load has not returned after
// 2 minutes (a blocked open or an exponential expansion; generous for a
// loaded machine under -race).
func loadWithin(t *testing.T, file string) (*Document, error) {
	t.Helper()
	type result struct {
		d   *Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		d, err := Load(file)
		done <- result{d, err}
	}()
	select {
	case r := <-done:
		return r.d, r.err
	case <-time.After(2 * time.Minute):
		t.Fatalf("Load(%s) still running after 2 minutes", file)
		return nil, nil
	}
}

const docHead = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n"

// branchingDocument is issue 21's T7: 6 KB whose schemas each name the
// next one twice (as properties, or as allOf members), 40 levels deep:
// 2^40 nodes inlined.
func branchingDocument(allOf bool) string {
	var b strings.Builder
	b.WriteString(docHead + "paths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n" +
		"          content: {application/json: {schema: {$ref: '#/components/schemas/L0'}}}\ncomponents:\n  schemas:\n")
	for i := 0; i < 40; i++ {
		if allOf {
			fmt.Fprintf(&b, "    L%d: {allOf: [{$ref: '#/components/schemas/L%d'}, {$ref: '#/components/schemas/L%d'}]}\n", i, i+1, i+1)
		} else {
			fmt.Fprintf(&b, "    L%d: {type: object, properties: {a: {$ref: '#/components/schemas/L%d'}, b: {$ref: '#/components/schemas/L%d'}}}\n", i, i+1, i+1)
		}
	}
	b.WriteString("    L40: {type: string}\n")
	return b.String()
}

// TestLoad_BranchingRefs: T7 — inlining every $ref copy had no budget
// (2.2 GB, then out of memory); now the load stops at the schema budget
// with one line naming the file and the operation's pointer.
func TestLoad_BranchingRefs(t *testing.T) {
	t.Parallel()
	for _, allOf := range []bool{false, true} {
		t.Run(fmt.Sprintf("allOf=%v", allOf), func(t *testing.T) {
			file := writeFiles(t, "bomb.yaml", map[string]string{"bomb.yaml": branchingDocument(allOf)})
			_, err := loadWithin(t, file)
			var e *Error
			if !errors.As(err, &e) || e.Pointer != "/paths/~1x/get" || !strings.Contains(e.Msg, "inline to more than") ||
				strings.Contains(err.Error(), "\n") || !strings.HasPrefix(err.Error(), file+": ") {
				t.Fatalf("err = %v, want one line naming %s and /paths/~1x/get", err, file)
			}
		})
	}
}

// TestLoad_RecursiveSchema: a schema that contains itself (a tree of
// comments, each with replies) loads, cut where it recurs.
func TestLoad_RecursiveSchema(t *testing.T) {
	t.Parallel()
	file := writeFiles(t, "doc.yaml", map[string]string{"doc.yaml": docHead + `paths:
  /c:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/C'}}}}
components:
  schemas:
    C: {type: object, properties: {text: {type: string}, replies: {type: array, items: {$ref: '#/components/schemas/C'}}, parent: {$ref: '#/components/schemas/C'}}}
`})
	d, err := loadWithin(t, file)
	if err != nil {
		t.Fatal(err)
	}
	s := find(t, d, "GET /c").Responses["200"].Schema
	items := s["properties"].(map[string]any)["replies"].(map[string]any)["items"].(map[string]any)
	if len(items) != 0 {
		t.Errorf("recursion not cut where it recurs: items = %v", items)
	}
}

// TestLoad_FIFORef: T8 — a $ref to a FIFO blocked forever in open; now
// it is refused at once as not a regular file.
func TestLoad_FIFORef(t *testing.T) {
	t.Parallel()
	file := writeFiles(t, "doc.yaml", map[string]string{"doc.yaml": docHead + `paths:
  /x:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: 'fifo.yaml'}}}}
`})
	fifo := filepath.Join(filepath.Dir(file), "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	_, err := loadWithin(t, file)
	if err == nil || !strings.Contains(err.Error(), "fifo.yaml: cannot read the document: not a regular file (a named pipe)") || strings.Contains(err.Error(), "\n") {
		t.Fatalf("err = %v, want fifo.yaml refused as not a regular file", err)
	}
	_, err = loadWithin(t, fifo)
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Fatalf("the document itself a FIFO: err = %v", err)
	}
}

// TestLoad_RefsWhereOpenAPIAllowsNone: DigitalOcean's document (2,900
// files) was refused after 19 s: it writes $refs in descriptions, for
// whole operations, for a map of properties, in discriminator mappings
// and a maximum too large for an int64. All of it now loads.
func TestLoad_RefsWhereOpenAPIAllowsNone(t *testing.T) {
	t.Parallel()
	file := writeFiles(t, "spec/root.yaml", map[string]string{
		"spec/root.yaml": docHead + `tags:
  - name: intro
    description: {$ref: 'description.yml#/introduction'}
paths:
  /v2/things:
    post: {$ref: 'resources/things/create.yml'}
  /v2/things/{id}:
    get: {$ref: 'resources/things/get.yml'}
`,
		"spec/description.yml": "introduction: Welcome to the API.\n",
		"spec/resources/things/create.yml": `operationId: create_thing
description: {$ref: '../../description.yml#/introduction'}
requestBody:
  content:
    application/json:
      schema:
        oneOf: [{$ref: 'models/thing_types.yml#/a'}, {$ref: 'models/thing_types.yml#/b'}]
        discriminator: {propertyName: type, mapping: {a: 'models/thing_types.yml#/a', b: 'models/thing_types.yml#/b'}}
responses:
  '201': {description: created, content: {application/json: {schema: {$ref: 'models/thing.yml'}}}}
  default: {$ref: '../../shared/responses/unexpected_error.yml'}
`,
		"spec/resources/things/get.yml": `operationId: get_thing
parameters: [{$ref: 'parameters.yml#/thing_id'}]
responses:
  '200': {description: ok, content: {application/json: {schema: {$ref: 'models/thing.yml'}}}}
  '404': {$ref: '../../shared/responses/not_found.yml'}
`,
		"spec/resources/things/parameters.yml": "thing_id: {name: id, in: path, required: true, schema: {type: string}}\n",
		"spec/resources/things/models/thing.yml": `type: object
properties:
  $ref: 'thing_props.yml'
`,
		"spec/resources/things/models/thing_props.yml": `id: {type: string}
description: {type: string, description: a property called description}
size: {type: integer, maximum: 18446744073709552000}
`,
		"spec/resources/things/models/thing_types.yml": "a: {type: object, properties: {type: {type: string}}}\nb: {type: object, properties: {type: {type: string}}}\n",
		"spec/shared/responses/unexpected_error.yml":   "description: unexpected\ncontent: {application/json: {schema: {$ref: '../models/error.yml'}}}\n",
		"spec/shared/responses/not_found.yml":          "description: {$ref: '../../description.yml#/nothing'}\ncontent: {application/json: {schema: {$ref: '../models/error.yml'}}}\n",
		"spec/shared/models/error.yml":                 "type: object\nrequired: [id, message]\nproperties: {id: {type: string}, message: {type: string}}\n",
	})
	d, err := loadWithin(t, file)
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Operations) != 2 {
		t.Fatalf("%d operations, want 2", len(d.Operations))
	}
	get := find(t, d, "GET /v2/things/{id}")
	if len(get.Params) != 1 || get.Params[0].Name != "id" {
		t.Errorf("parameters = %+v", get.Params)
	}
	props, _ := get.Responses["200"].Schema["properties"].(map[string]any)
	if props["size"] == nil || props["description"] == nil {
		t.Errorf("properties from their own file not read: %v", get.Responses["200"].Schema)
	}
	if e := get.Responses["404"]; e == nil || e.Schema["required"] == nil {
		t.Errorf("404 across files: %+v", e)
	}
	post := find(t, d, "POST /v2/things")
	if def := post.Responses["default"]; def == nil || def.Description != "unexpected" || def.Schema["properties"] == nil {
		t.Errorf("default response across files: %+v", def)
	}
	if post.Body == nil || len(post.Body.Schema["oneOf"].([]any)) != 2 {
		t.Errorf("oneOf body: %+v", post.Body)
	}
}

// TestLoad_AliasBudget: a document's YAML aliases are bounded relative to
// its size (four nodes a byte) — an error response shared by anchor on 4
// statuses of 250 operations (over 100,000 nodes from 28 KB, which the
// fixed 100,000 refused) loads, a billion-laughs bomb does not.
func TestLoad_AliasBudget(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(docHead + "x-shared:\n  err: &err {description: error, content: {application/json: {schema: {type: object, properties: {")
	for i := 0; i < 12; i++ {
		fmt.Fprintf(&b, "f%d: {type: string, description: field %d, maxLength: 64}, ", i, i)
	}
	b.WriteString("details: {type: array, items: {type: object, properties: {field: {type: string}, issue: {type: string}}}}}}}}}\npaths:\n")
	for i := 0; i < 250; i++ {
		fmt.Fprintf(&b, "  /r%d:\n    get: {responses: {'200': {description: ok}, '400': *err, '401': *err, '404': *err, '500': *err}}\n", i)
	}
	file := writeFiles(t, "anchors.yaml", map[string]string{"anchors.yaml": b.String()})
	d, err := loadWithin(t, file)
	if err != nil {
		t.Fatalf("legitimate anchors refused: %v", err)
	}
	if len(d.Operations) != 250 {
		t.Fatalf("%d operations", len(d.Operations))
	}
	bomb := docHead + "paths: {}\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
	for i := 1; i < 9; i++ {
		bomb += fmt.Sprintf("a%d: &a%d [%s*a%d]\n", i, i, strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 9), i-1)
	}
	file = writeFiles(t, "bomb.yaml", map[string]string{"bomb.yaml": bomb})
	if _, err := loadWithin(t, file); err == nil || !strings.Contains(err.Error(), "YAML aliases expand to more than") {
		t.Fatalf("alias bomb: err = %v", err)
	}
}

// TestLoad_GeneratedLarge: a generated 1,100-operation document without
// a single alias tripped the 100,000-node alias guard.
func TestLoad_GeneratedLarge(t *testing.T) {
	t.Parallel()
	d, err := loadWithin(t, largeDocument(t, 1100))
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Operations) != 1100 {
		t.Fatalf("%d operations", len(d.Operations))
	}
}

// TestLoad_NestedAnchors: an alias to an anchor defined inside another
// anchor's value (PyYAML writes them so for shared schemas; a Box document
// converted that way) came out null from the YAML library the loader used,
// and the document was refused as "invalid schema". Documents are now read
// through a parser whose aliases are pointers, expanded within the budget.
func TestLoad_NestedAnchors(t *testing.T) {
	t.Parallel()
	file := writeFiles(t, "doc.yaml", map[string]string{"doc.yaml": docHead + `paths:
  /files:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: &file
                type: object
                properties:
                  created_by:
                    allOf:
                    - &user {type: object, properties: {id: {type: string}}}
                  modified_by:
                    allOf:
                    - *user
  /folders:
    get:
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: object, properties: {item: *file}}}}}
`})
	d, err := loadWithin(t, file)
	if err != nil {
		t.Fatal(err)
	}
	s := find(t, d, "GET /folders").Responses["200"].Schema
	item := s["properties"].(map[string]any)["item"].(map[string]any)
	mod := item["properties"].(map[string]any)["modified_by"].(map[string]any)["allOf"].([]any)[0].(map[string]any)
	if mod["properties"] == nil {
		t.Fatalf("alias to a nested anchor lost: %v", mod)
	}
}
