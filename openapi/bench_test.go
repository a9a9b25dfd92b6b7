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
// time `run --openapi` spends before sending anything. 500 operations
// must plan in well under a second, and cost must grow linearly.
func BenchmarkPlan(b *testing.B) {
	for _, n := range []int{100, 500, 1000} {
		file := largeDocument(b, n)
		b.Run(fmt.Sprintf("ops=%d", n), func(b *testing.B) {
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
