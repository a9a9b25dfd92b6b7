package schemas

import (
	"bytes"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/santhosh-tekuri/jsonschema/v6"
)

// envelopeBase is the $id prefix of the embedded envelope schemas.
const envelopeBase = "https://errprobe.dev/envelopes/"

// envelopeSchema is a compiled envelope schema and the name messages use.
type envelopeSchema struct {
	schema *jsonschema.Schema
	name   string // builtin:NAME, the path as written, or "inline"
}

// BuiltinEnvelopes lists the embedded envelope schemas (builtin:NAME).
func BuiltinEnvelopes() []string {
	entries, _ := embedded.ReadDir("envelopes")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	return names
}

// compileEnvelope compiles the profile's envelope schema: builtin:NAME, a
// file relative to the profile, or an inline schema. $refs resolve only to
// embedded schemas and local files; a remote $ref is an error naming it.
func compileEnvelope(p *Profile) (*envelopeSchema, error) {
	return compileSchema(p, p.Envelope.Schema, "envelope.inline.schema.json")
}

// compileCodeSchemas compiles each codes.X.schema; problems name the code.
func compileCodeSchemas(p *Profile, add func(string, ...string)) map[string]*envelopeSchema {
	var out map[string]*envelopeSchema
	for name, c := range p.Codes {
		if c.Schema == nil {
			continue
		}
		env, err := compileSchema(p, c.Schema, "code."+url.PathEscape(name)+".inline.schema.json")
		if err != nil {
			add(err.Error(), "codes", name, "schema")
			continue
		}
		if out == nil {
			out = map[string]*envelopeSchema{}
		}
		out[name] = env
	}
	return out
}

// compileStatusSchemas compiles each envelope.status_schemas entry.
func compileStatusSchemas(p *Profile, add func(string, ...string)) map[string]*envelopeSchema {
	var out map[string]*envelopeSchema
	for st, sch := range p.Envelope.StatusSchemas {
		env, err := compileSchema(p, sch, "status."+st+".inline.schema.json")
		if err != nil {
			add(err.Error(), "envelope", "status_schemas", st)
			continue
		}
		if out == nil {
			out = map[string]*envelopeSchema{}
		}
		out[st] = env
	}
	return out
}

// compileSchema compiles one envelope schema value (see compileEnvelope);
// inline names the file an inline schema pretends to be.
func compileSchema(p *Profile, schema any, inline string) (*envelopeSchema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	c.UseLoader(localLoader{})
	for _, name := range BuiltinEnvelopes() {
		b, _ := embedded.ReadFile("envelopes/" + name + ".json")
		d, err := jsonschema.UnmarshalJSON(bytes.NewReader(b))
		if err != nil {
			return nil, fmt.Errorf("built-in envelope %s: %w", name, err)
		}
		if err := c.AddResource(envelopeBase+name+".json", d); err != nil {
			return nil, fmt.Errorf("built-in envelope %s: %w", name, err)
		}
	}
	root, name, err := envelopeRoot(c, p, schema, inline)
	if err != nil {
		return nil, err
	}
	sch, err := c.Compile(root)
	if err != nil {
		what := "envelope schema " + name
		if name == "inline" {
			what = "inline envelope schema"
		}
		return nil, fmt.Errorf("%s does not compile: %s", what, compileMessage(err))
	}
	return &envelopeSchema{schema: sch, name: name}, nil
}

// envelopeRoot returns the URL to compile and the schema's display name.
func envelopeRoot(c *jsonschema.Compiler, p *Profile, schema any, inline string) (root, name string, err error) {
	dir := p.Dir
	if dir == "" {
		dir, _ = os.Getwd()
	}
	switch s := schema.(type) {
	case string:
		if b, ok := strings.CutPrefix(s, "builtin:"); ok {
			if _, err := embedded.ReadFile("envelopes/" + b + ".json"); err != nil || b == "" {
				return "", "", fmt.Errorf("no built-in envelope schema %q (built-ins: %s)", b, strings.Join(BuiltinEnvelopes(), ", "))
			}
			return envelopeBase + b + ".json", s, nil
		}
		if strings.Contains(s, "://") {
			return "", "", fmt.Errorf("envelope schema %q: remote schemas are not loaded; save it next to the profile and name the file", s)
		}
		path := s
		if !filepath.IsAbs(path) {
			path = filepath.Join(dir, path)
		}
		if _, err := os.Stat(path); err != nil {
			return "", "", fmt.Errorf("cannot read envelope schema %s: %v", s, unwrapPathErr(err))
		}
		return fileURL(path), s, nil
	case nil:
		return "", "", errors.New("an envelope schema is required")
	default:
		root = fileURL(filepath.Join(dir, inline))
		if err := c.AddResource(root, s); err != nil {
			return "", "", fmt.Errorf("inline envelope schema: %v", err)
		}
		return root, "inline", nil
	}
}

func fileURL(path string) string {
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()
}

func unwrapPathErr(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// compileMessage flattens a compile error to one line, naming a refused
// remote $ref plainly.
func compileMessage(err error) string {
	var le *jsonschema.LoadURLError
	if errors.As(err, &le) {
		var re *remoteRefError
		if errors.As(le.Err, &re) {
			return re.Error()
		}
		return fmt.Sprintf("cannot load %s: %v", le.URL, unwrapPathErr(le.Err))
	}
	var se *jsonschema.SchemaValidationError
	var ve *jsonschema.ValidationError
	if errors.As(err, &se) && errors.As(se.Err, &ve) {
		var msgs []string
		for _, l := range leaves(ve, nil) {
			at := pointer(l.InstanceLocation).String()
			if at == "" {
				at = "the root"
			}
			msgs = append(msgs, fmt.Sprintf("at %s: %s", at, l.ErrorKind.LocalizedString(printer)))
		}
		return "not a valid JSON Schema: " + strings.Join(msgs, "; ")
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}

// localLoader loads file: URLs (JSON or YAML) and refuses every other scheme.
type localLoader struct{}

type remoteRefError struct{ url string }

func (e *remoteRefError) Error() string {
	return fmt.Sprintf("remote $ref %q refused: errprobe loads schemas only from local files and builtin: envelopes", e.url)
}

func (localLoader) Load(u string) (any, error) {
	pu, err := url.Parse(u)
	if err != nil || pu.Scheme != "file" {
		return nil, &remoteRefError{u}
	}
	b, err := ReadInput(filepath.FromSlash(pu.Path), "schema")
	if err != nil {
		return nil, err
	}
	if b, err = GuardYAML(b); err != nil {
		return nil, err
	}
	if ext := filepath.Ext(pu.Path); ext == ".yaml" || ext == ".yml" {
		var v any
		if err := yaml.Unmarshal(b, &v); err != nil {
			msg, _, _ := strings.Cut(err.Error(), "\n") // goccy appends a source excerpt
			return nil, errors.New(msg)
		}
		return jsonTyped(v)
	}
	return jsonschema.UnmarshalJSON(bytes.NewReader(b))
}
