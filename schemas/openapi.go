package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/errprobe/errprobe/infile"
)

// EnvelopeSchema returns the profile's envelope schema as a JSON value:
// the embedded schema for builtin:NAME, the file's contents, or the inline
// schema (a fresh copy each call).
func EnvelopeSchema(p *Profile) (map[string]any, error) {
	var b []byte
	switch s := p.Envelope.Schema.(type) {
	case string:
		if name, ok := strings.CutPrefix(s, "builtin:"); ok {
			var err error
			if b, err = embedded.ReadFile("envelopes/" + name + ".json"); err != nil {
				return nil, fmt.Errorf("no built-in envelope schema %q", name)
			}
			break
		}
		path := s
		if !filepath.IsAbs(path) {
			path = filepath.Join(p.Dir, path)
		}
		var err error
		if b, err = infile.Read(path, MaxInputBytes); err != nil {
			return nil, fmt.Errorf("envelope schema %s: %w", s, err)
		}
	default:
		var err error
		if b, err = json.Marshal(s); err != nil {
			return nil, fmt.Errorf("inline envelope schema: %w", err)
		}
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("envelope schema: %w", err)
	}
	return m, nil
}

// Validator checks JSON values against one compiled JSON Schema.
type Validator struct{ s *jsonschema.Schema }

// CompileOption changes how CompileSchema compiles a schema.
type CompileOption func(*jsonschema.Compiler)

// annotationFormats are the formats the JSON Schema library can assert.
var annotationFormats = []string{"json-pointer", "relative-json-pointer", "uuid", "duration", "period", "ipv4", "ipv6",
	"hostname", "email", "date", "time", "date-time", "uri", "iri", "uri-reference", "iri-reference", "uri-template", "semver"}

// assertedFormats are the string formats errprobe holds a document to
// (see AssertedFormats).
var assertedFormats = []string{"date", "date-time", "email", "hostname", "ipv4", "ipv6", "time", "uri", "uuid"}

// AssertedFormats are the string formats errprobe holds a document to,
// sorted: those whose violation no parser disputes. The negative probes
// break them (negative.format), serve --openapi asserts them, and a
// response breaking one fails openapi.schema as a guess.
func AssertedFormats() []string { return slices.Clone(assertedFormats) }

// AssertFormats makes the validator reject a string that breaks one of the
// named formats; every other format stays an annotation, as JSON Schema
// 2020-12 has them all by default (a request validator that asserts the
// formats it documents, as errprobe's document server does).
func AssertFormats(names ...string) CompileOption {
	return func(c *jsonschema.Compiler) {
		c.AssertFormat()
		for _, f := range annotationFormats {
			if !slices.Contains(names, f) {
				c.RegisterFormat(&jsonschema.Format{Name: f, Validate: func(any) error { return nil }})
			}
		}
	}
}

// CompileSchema compiles a self-contained JSON Schema (2020-12 unless it
// says otherwise; no remote $refs), e.g. one an OpenAPI document documents
// for a response.
func CompileSchema(name string, schema map[string]any, opts ...CompileOption) (*Validator, error) {
	b, err := json.Marshal(schema)
	if err != nil {
		return nil, err
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.UseLoader(localLoader{})
	for _, o := range opts {
		o(c)
	}
	url := "file:///errprobe/openapi/" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, err
	}
	s, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("%s: %s", name, compileMessage(err))
	}
	return &Validator{s: s}, nil
}

// Validate checks a JSON body; the error is one line naming where it fails.
func (v *Validator) Validate(body []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	if err := v.s.Validate(inst); err != nil {
		return fmt.Errorf("%s", oneLineValidation(err))
	}
	return nil
}

func oneLineValidation(err error) string {
	if ve, ok := err.(*jsonschema.ValidationError); ok {
		for len(ve.Causes) > 0 {
			ve = ve.Causes[0]
		}
		loc := "/" + strings.Join(ve.InstanceLocation, "/")
		return loc + ": " + strings.ReplaceAll(ve.ErrorKind.LocalizedString(printer), "\n", " ")
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}
