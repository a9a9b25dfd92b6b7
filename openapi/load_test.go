package openapi

import (
	"errors"
	"strings"
	"testing"
)

func TestLoad_Documents(t *testing.T) {
	type testCase struct {
		file    string
		version string
		ops     int
		check   func(t *testing.T, d *Document)
	}
	phoneNote := func(wantNote any) func(t *testing.T, d *Document) {
		return func(t *testing.T, d *Document) {
			op := find(t, d, "POST /contacts")
			b := MergeAllOf(op.Body.Schema)
			props := b["properties"].(map[string]any)
			if _, ok := props["name"]; !ok {
				t.Error("allOf member from common.yaml (name) not merged")
			}
			note := props["note"].(map[string]any)
			if s := scalar(note["type"]); s != scalar(wantNote) {
				t.Errorf("note type = %s, want %s", s, scalar(wantNote))
			}
			e := find(t, d, "GET /contacts").Responses["401"]
			if e.Schema == nil || e.Schema["$ref"] != nil || e.Schema["properties"] == nil {
				t.Errorf("error schema across files not inlined: %v", e.Schema)
			}
			if len(e.Examples) != 1 || e.Examples[0].Name != "missing_key" {
				t.Errorf("examples = %+v", e.Examples)
			}
			if d.Schemes["key"].Param != "X-API-Key" || len(op.Security) != 1 {
				t.Errorf("security: %+v %v", d.Schemes, op.Security)
			}
		}
	}
	run := func(t *testing.T, tc testCase) {
		d, err := Load("testdata/" + tc.file)
		if err != nil {
			t.Fatal(err)
		}
		if d.Version != tc.version || len(d.Operations) != tc.ops {
			t.Fatalf("version %s, %d operations; want %s, %d", d.Version, len(d.Operations), tc.version, tc.ops)
		}
		if tc.check != nil {
			tc.check(t, d)
		}
	}
	for _, tc := range []testCase{
		{"contacts-3.0.yaml", "3.0.3", 4, phoneNote([]any{"string", "null"})},
		{"contacts-3.1.yaml", "3.1.0", 4, phoneNote([]any{"string", "null"})},
		{"no-error-schema.yaml", "3.1.0", 2, nil},
		{"large-200.yaml", "3.1.0", 200, nil},
	} {
		t.Run(tc.file, func(t *testing.T) { run(t, tc) })
	}
}

func TestLoad_BadDocuments(t *testing.T) {
	type testCase struct {
		file, pointer, want string
	}
	run := func(t *testing.T, tc testCase) {
		_, err := Load("testdata/" + tc.file)
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("err = %v, want *Error", err)
		}
		if e.Pointer != tc.pointer || !strings.Contains(e.Error(), tc.want) || strings.Contains(e.Error(), "\n") {
			t.Errorf("err = %q (pointer %q), want pointer %q and %q on one line", e, e.Pointer, tc.pointer, tc.want)
		}
		if !strings.HasPrefix(e.Error(), "testdata/"+tc.file+": ") {
			t.Errorf("err %q does not start with the file", e)
		}
	}
	for _, tc := range []testCase{
		{"swagger-2.0.json", "/swagger", "Swagger 2.0 documents are not supported"},
		{"not-openapi.json", "/", "not an OpenAPI document"},
		{"missing-ref.yaml", "/components/responses/Unauthorized/content/application~1json/schema/$ref", "missing.yaml not found"},
		{"url-ref.yaml", "/components/responses/Unauthorized/content/application~1json/schema/$ref", "is a URL: errprobe reads local files only"},
		{"nothing-here.yaml", "", "cannot read"},
	} {
		t.Run(tc.file, func(t *testing.T) { run(t, tc) })
	}
}

func find(t *testing.T, d *Document, name string) *Operation {
	t.Helper()
	for _, op := range d.Operations {
		if op.Name() == name {
			return op
		}
	}
	t.Fatalf("no operation %s", name)
	return nil
}
