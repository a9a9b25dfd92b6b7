package openapi

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// largeDocument writes an OpenAPI 3.1 document of n operations (n/4
// resources with list, create, get and delete) and returns its path.
func largeDocument(tb testing.TB, n int) string {
	tb.Helper()
	var b strings.Builder
	b.WriteString("openapi: 3.1.0\ninfo: {title: Generated, version: '1'}\nservers: [{url: 'https://gen.example.com'}]\n" +
		"security: [{key: []}]\npaths:\n")
	for i := 0; i < n/4; i++ {
		fmt.Fprintf(&b, `  /r%d:
    get: {tags: [r%d], responses: {'200': {description: ok}, '401': {$ref: '#/components/responses/Error'}}}
    post:
      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/New'}}}}
      responses: {'201': {description: created}, '400': {$ref: '#/components/responses/Error'}}
  /r%d/{id}:
    parameters: [{name: id, in: path, required: true, schema: {type: string, pattern: '^x_[0-9]{8}$'}}]
    get: {responses: {'200': {description: ok}, '404': {$ref: '#/components/responses/Error'}}}
    delete: {responses: {'204': {description: gone}, '404': {$ref: '#/components/responses/Error'}}}
`, i, i, i)
	}
	b.WriteString(`components:
  securitySchemes: {key: {type: apiKey, in: header, name: X-Key}}
  schemas:
    New: {type: object, required: [name], properties: {name: {type: string, pattern: '^[a-z]+$'}}}
    Error: {type: object, required: [code, message], properties: {code: {type: string}, message: {type: string}}}
  responses:
    Error: {description: error, content: {application/json: {schema: {$ref: '#/components/schemas/Error'}}}}
`)
	file := filepath.Join(tb.TempDir(), fmt.Sprintf("gen-%d.yaml", n))
	if err := os.WriteFile(file, []byte(b.String()), 0o600); err != nil {
		tb.Fatal(err)
	}
	return file
}

// BenchmarkPlan loads a generated document and plans its probes: the
// time `run --openapi` spends before sending anything. 10,000 operations
// (1.6 MB) must load and plan in under 5 s on 2 cores, and cost must grow
// linearly.
func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{100, 1000, 10000} {
		file := largeDocument(b, n)
		b.Run(fmt.Sprintf("ops=%d", n), func(b *testing.B) {
			cpu := cpuTime()
			defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op") }()
			for b.Loop() {
				d, err := Load(file)
				if err != nil {
					b.Fatal(err)
				}
				plan, err := Plan(d, nil)
				if err != nil || len(plan.Operations) != n {
					b.Fatalf("%d operations, %v", len(plan.Operations), err)
				}
				_ = Profile(d)
			}
		})
	}
}

// manyFilesDocument writes a document shaped like DigitalOcean's: a root
// of n/4 resources, each operation a $ref to a file of its own (as
// DigitalOcean writes them, which OpenAPI does not allow), each with its
// models, parameters and examples in files of their own, shared responses
// and headers, and $refs in descriptions. It returns the root's path and
// the number of files written.
func manyFilesDocument(tb testing.TB, resources int) (string, int) {
	tb.Helper()
	dir := tb.TempDir()
	files := 0
	write := func(name, text string) {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			tb.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			tb.Fatal(err)
		}
		files++
	}
	var root strings.Builder
	root.WriteString("openapi: 3.0.0\ninfo: {title: Many files, version: '2'}\n" +
		"tags: [{name: intro, description: {$ref: 'description.yml#/introduction'}}]\npaths:\n")
	write("description.yml", "introduction: The API.\n")
	write("shared/headers.yml", "ratelimit-limit: {schema: {type: integer}, description: limit}\nratelimit-remaining: {schema: {type: integer}, description: left}\n")
	write("shared/models/error.yml", "type: object\nrequired: [id, message]\nproperties: {id: {type: string}, message: {type: string}, request_id: {type: string}}\n")
	for _, name := range []string{"unauthorized", "not_found", "too_many_requests", "server_error", "unexpected_error"} {
		write("shared/responses/"+name+".yml", "description: {$ref: '../../description.yml#/introduction'}\n"+
			"headers: {ratelimit-limit: {$ref: '../headers.yml#/ratelimit-limit'}, ratelimit-remaining: {$ref: '../headers.yml#/ratelimit-remaining'}}\n"+
			"content: {application/json: {schema: {$ref: '../models/error.yml'}}}\n")
	}
	errors := "  '401': {$ref: '../../shared/responses/unauthorized.yml'}\n  '429': {$ref: '../../shared/responses/too_many_requests.yml'}\n" +
		"  '500': {$ref: '../../shared/responses/server_error.yml'}\n  default: {$ref: '../../shared/responses/unexpected_error.yml'}\n"
	for i := 0; i < resources; i++ {
		r := fmt.Sprintf("resources/r%d", i)
		fmt.Fprintf(&root, "  /v2/r%d:\n    get: {$ref: '%s/list.yml'}\n    post: {$ref: '%s/create.yml'}\n"+
			"  /v2/r%d/{id}:\n    get: {$ref: '%s/get.yml'}\n    delete: {$ref: '%s/delete.yml'}\n", i, r, r, i, r, r)
		write(r+"/models/thing.yml", "type: object\nproperties:\n  id: {type: string}\n  name: {$ref: 'attributes.yml#/name'}\n  size: {type: integer, maximum: 18446744073709552000}\n")
		write(r+"/models/attributes.yml", "name: {type: string, pattern: '^[a-z]+$', description: {$ref: '../../../description.yml#/introduction'}}\n")
		write(r+"/parameters.yml", "id: {name: id, in: path, required: true, schema: {type: string}}\n")
		write(r+"/examples.yml", "thing: {value: {id: x, name: y}}\n")
		write(r+"/list.yml", fmt.Sprintf("operationId: r%d_list\nresponses:\n  '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: 'models/thing.yml'}}}}}\n", i)+errors)
		write(r+"/create.yml", fmt.Sprintf("operationId: r%d_create\nrequestBody: {required: true, content: {application/json: {schema: {$ref: 'models/thing.yml'}, examples: {thing: {$ref: 'examples.yml#/thing'}}}}}\n"+
			"responses:\n  '201': {description: created, content: {application/json: {schema: {$ref: 'models/thing.yml'}}}}\n  '422': {$ref: '../../shared/responses/unexpected_error.yml'}\n", i)+errors)
		write(r+"/get.yml", fmt.Sprintf("operationId: r%d_get\nparameters: [{$ref: 'parameters.yml#/id'}]\nresponses:\n  '200': {description: ok, content: {application/json: {schema: {$ref: 'models/thing.yml'}}}}\n"+
			"  '404': {$ref: '../../shared/responses/not_found.yml'}\n", i)+errors)
		write(r+"/delete.yml", fmt.Sprintf("operationId: r%d_delete\nparameters: [{$ref: 'parameters.yml#/id'}]\nresponses:\n  '204': {description: gone}\n  '404': {$ref: '../../shared/responses/not_found.yml'}\n", i)+errors)
	}
	write("root.yaml", root.String())
	return filepath.Join(dir, "root.yaml"), files
}

// BenchmarkLoad_ManyFiles loads a 2,900-file document shaped like
// DigitalOcean's (which took 50 s to be refused): it must load in under
// 2 s on 2 cores.
func BenchmarkLoad_ManyFiles(b *testing.B) {
	file, files := manyFilesDocument(b, 412)
	b.ReportMetric(float64(files), "files")
	cpu := cpuTime()
	defer func() { b.ReportMetric(float64(cpuTime()-cpu)/float64(b.N)/1e6, "cpu-ms/op") }()
	for b.Loop() {
		d, err := Load(file)
		if err != nil {
			b.Fatal(err)
		}
		if len(d.Operations) != 4*412 {
			b.Fatalf("%d operations", len(d.Operations))
		}
	}
}
