package openapi

import (
	"strings"
	"testing"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// TestFormatBreaks_ValidatorAgrees: every format errprobe breaks has a
// sample a format-asserting validator accepts and a broken value it
// refuses — so the valid request stays valid and the probe breaks only
// the format.
func TestFormatBreaks_ValidatorAgrees(t *testing.T) {
	t.Parallel()
	for _, f := range AssertedFormats() {
		v, err := schemas.CompileSchema("f", map[string]any{"type": "string", "format": f}, schemas.AssertFormats(f))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.FieldsOf(formatSamples[f]); err != nil {
			t.Errorf("%s: sample %q refused: %v", f, formatSamples[f], err)
		}
		if _, err := v.FieldsOf(formatBreaks[f]); err == nil {
			t.Errorf("%s: broken value %q accepted", f, formatBreaks[f])
		}
	}
	if len(formatBreaks) != len(AssertedFormats()) {
		t.Errorf("broken values for %d formats, %d asserted", len(formatBreaks), len(AssertedFormats()))
	}
	// Formats not asserted stay annotations.
	v, _ := schemas.CompileSchema("f", map[string]any{"type": "string", "format": "uri-reference"}, schemas.AssertFormats("uuid"))
	if _, err := v.FieldsOf("not a uri"); err != nil {
		t.Errorf("uri-reference asserted though not named: %v", err)
	}
}

func TestFormatBreak_OnlyWhereUnambiguous(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name   string
		schema map[string]any
		want   string // "" for no probe
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		b, ok := formatBreak(tc.schema)
		if got := map[bool]string{true: b.valueText(), false: ""}[ok]; got != tc.want {
			t.Fatalf("got %q, want %q", got, tc.want)
		}
		if ok && (b.kind != "format" || !strings.Contains(b.guess, "annotation")) {
			t.Errorf("probe %+v: not a format probe resting on a guess", b)
		}
	}
	for _, tc := range []testCase{
		{"date-time", map[string]any{"type": "string", "format": "date-time"}, "not-a-date-time"},
		{"no type", map[string]any{"format": "email"}, "not-an-email"},
		{"nullable", map[string]any{"type": []any{"string", "null"}, "format": "uuid"}, "not-a-uuid"},
		{"fits maxLength", map[string]any{"type": "string", "format": "date", "maxLength": 10.0}, "not-a-date"},
		{"over maxLength", map[string]any{"type": "string", "format": "date-time", "maxLength": 10.0}, ""},
		{"under minLength", map[string]any{"type": "string", "format": "ipv4", "minLength": 20.0}, ""},
		{"pattern too", map[string]any{"type": "string", "format": "uuid", "pattern": "^[0-9a-f-]+$"}, ""},
		{"enum too", map[string]any{"type": "string", "format": "date", "enum": []any{"2026-01-01"}}, ""},
		{"unknown format", map[string]any{"type": "string", "format": "password"}, ""},
		{"integer format", map[string]any{"type": "integer", "format": "int32"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func (b broken) valueText() string { s, _ := b.value.(string); return s }

// formatDocument: one operation per place a format can be broken, each
// with other constraints where the probe must stay valid for them.
const formatDocument = `openapi: 3.1.0
info: {title: formats, version: "1"}
paths:
  /events:
    get:
      parameters:
        - {name: day, in: query, schema: {type: string, format: date}}
      responses:
        "200": {description: ok}
        "400": {description: invalid}
    post:
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [when]
              properties:
                when: {type: string, format: date-time}
                id: {type: string, format: uuid, pattern: "^[0-9a-f-]{36}$"}
      responses:
        "201": {description: created}
        "422": {description: invalid}
  /hosts/{addr}:
    get:
      parameters:
        - {name: addr, in: path, required: true, schema: {type: string, format: ipv4}}
      responses:
        "200": {description: ok}
        "404": {description: none}
`

// TestPlan_NegativeFormat: one negative.format probe per operation,
// breaking only the format (the other members valid, the path's other
// values well-formed), resting on a guess; never part of the two-member
// probe.
func TestPlan_NegativeFormat(t *testing.T) {
	t.Parallel()
	d, err := LoadData("formats.yaml", []byte(formatDocument))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Plan(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, p := range plan.Probes {
		if p.Check != report.NegativeFormat {
			if strings.Contains(p.Name, "format") {
				t.Errorf("%s breaks a format but feeds %s", p.Name, p.Check)
			}
			continue
		}
		rq := p.Requests[0]
		body := ""
		if rq.Body != nil {
			body = " " + *rq.Body
		}
		got[p.Name] = rq.Method + " " + rq.Path + body
		if p.Guess == "" || p.Skip != "" || len(p.Also) != 1 || p.Also[0] != report.NegativeField {
			t.Errorf("%s: guess %q, skip %q, also %v", p.Name, p.Guess, p.Skip, p.Also)
		}
	}
	want := map[string]string{
		"GET /events negative format day":        "GET /events?day=not-a-date",
		"POST /events negative format when":      `POST /events {"id":"00000000-0000-4000-8000-000000000000","when":"not-a-date-time"}`,
		"GET /hosts/{addr} negative format addr": "GET /hosts/not-an-ipv4",
	}
	for name, w := range want {
		if got[name] != w {
			t.Errorf("%s: %q, want %q", name, got[name], w)
		}
	}
	if len(got) != len(want) {
		t.Errorf("format probes %v, want %d", got, len(want))
	}
}

// TestPlan_ContentTypeProbeNeverContradicts: where the document gives a
// body text/plain too, JSON sent as text/plain is not refused by the
// document: the content-type probe is skipped with that reason.
func TestPlan_ContentTypeProbeNeverContradicts(t *testing.T) {
	t.Parallel()
	doc := `openapi: 3.0.3
info: {title: notes, version: "1"}
paths:
  /notes:
    post:
      requestBody:
        content:
          application/json: {schema: {type: object}}
          text/plain: {schema: {type: string}}
      responses: {"201": {description: ok}, "400": {description: bad}}
  /tags:
    post:
      requestBody:
        content:
          application/json: {schema: {type: object}}
      responses: {"201": {description: ok}, "400": {description: bad}}
`
	d, err := LoadData("notes.yaml", []byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := Plan(d, nil)
	if err != nil {
		t.Fatal(err)
	}
	skips := map[string]string{}
	for _, p := range plan.Probes {
		if p.Check == report.MalformedContentType {
			skips[p.Name] = p.Skip
		}
	}
	if !strings.Contains(skips["POST /notes content-type"], "text/plain") || skips["POST /tags content-type"] != "" {
		t.Errorf("content-type probes: %q", skips)
	}
}
