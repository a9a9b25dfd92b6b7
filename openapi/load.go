package openapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"path/filepath"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// Load reads an OpenAPI 3.0 or 3.1 document (YAML or JSON) and the local
// files its $refs name, each once, only if it is a regular file, within
// the caps above. A document that is not OpenAPI 3, a Swagger 2.0
// document, a $ref to a URL or to a missing file, schemas that inline
// past the budget (schemaBudget) is an *Error: one line with the file and
// the JSON Pointer. Nothing is ever fetched over the network.
func Load(file string) (*Document, error) {
	src := newSources()
	tree, err := src.read(file)
	if err != nil {
		return nil, err
	}
	return load(src, file, tree)
}

// LoadData reads a document given as text (read from a URL with
// `--openapi URL`), name naming it in messages. Its $refs must be local
// (#/…): a $ref to a file or a URL is an *Error — a document read from
// the network never makes errprobe read a local file.
func LoadData(name string, text []byte) (*Document, error) {
	if len(text) > MaxDocumentBytes {
		return nil, &Error{File: name, Msg: fmt.Sprintf("larger than %d MiB: not read", MaxDocumentBytes>>20)}
	}
	tree, err := parseTree(name, text)
	if err != nil {
		return nil, err
	}
	var refs []refAt
	collectRefs(tree, "", &refs)
	for _, r := range refs {
		if !strings.HasPrefix(r.ref, "#") {
			return nil, &Error{File: name, Pointer: r.ptr, Msg: fmt.Sprintf("$ref %q names another file: a document read from a URL must be self-contained (#/… $refs only)", r.ref)}
		}
	}
	src := newSources()
	src.total = int64(len(text))
	if abs, err := filepath.Abs(name); err == nil {
		src.files[abs] = &source{tree: tree} // its local $refs resolve here, never on disk
	}
	return load(src, name, tree)
}

func load(src *sources, file string, tree any) (*Document, error) {
	version, err := checkVersion(file, tree)
	if err != nil {
		return nil, err
	}
	if err := prepare(src, file, tree); err != nil {
		return nil, err
	}
	b, err := json.Marshal(tree)
	if err != nil {
		return nil, &Error{File: file, Msg: "cannot read the document: " + err.Error()}
	}
	t := &openapi3.T{}
	if err := json.Unmarshal(b, t); err != nil {
		return nil, &Error{File: file, Msg: libError(err)}
	}
	loader := openapi3.NewLoader()
	loader.ReadFromURIFunc = noFiles
	if err := loader.ResolveRefsIn(t, nil); err != nil {
		return nil, &Error{File: file, Msg: libError(err)}
	}
	if err := t.Validate(context.Background(), openapi3.DisableExamplesValidation(),
		openapi3.DisableSchemaDefaultsValidation(), openapi3.DisableSchemaFormatValidation()); err != nil {
		return nil, &Error{File: file, Msg: "invalid OpenAPI document: " + libError(err)}
	}
	return fromKin(file, version, t, schemaBudget(src.total))
}

// prepare reads every file tree's $refs name, mends the $refs where
// OpenAPI allows none and bundles it all into tree, one document whose
// $refs are all local.
func prepare(src *sources, file string, tree any) error {
	if err := inlineOperations(src, file, tree); err != nil {
		return err
	}
	if err := checkRefs(src, file, tree, map[string]bool{}); err != nil {
		return err
	}
	bundle(src, file, tree.(map[string]any))
	renameComponents(tree.(map[string]any))
	return nil
}

// noFiles: the bundled document names no file and no URL.
func noFiles(_ *openapi3.Loader, u *url.URL) ([]byte, error) {
	return nil, fmt.Errorf("$ref %s: errprobe reads only the document's own local files", u)
}

func libError(err error) string {
	return strings.ReplaceAll(firstLine(err.Error()), "\t", " ")
}

// fromKin reduces the library's document to errprobe's model.
func fromKin(file, version string, t *openapi3.T, budget int) (*Document, error) {
	d := &Document{File: file, Version: version, Schemes: map[string]SecurityScheme{}}
	c := newConverter(budget)
	if t.Info != nil {
		d.Title = t.Info.Title
	}
	for _, s := range t.Servers {
		if s != nil && s.URL != "" {
			d.Servers = append(d.Servers, s.URL)
		}
	}
	if t.Components != nil {
		for name, ref := range t.Components.SecuritySchemes {
			if ref == nil || ref.Value == nil {
				continue
			}
			v := ref.Value
			d.Schemes[name] = SecurityScheme{Name: name, Type: v.Type, In: v.In, Param: v.Name, Scheme: strings.ToLower(v.Scheme)}
		}
	}
	paths := t.Paths.Map()
	names := make([]string, 0, len(paths))
	for p := range paths {
		names = append(names, p)
	}
	sort.Strings(names)
	for _, p := range names {
		item := paths[p]
		for _, m := range methodOrder {
			op := item.GetOperation(m)
			if op == nil {
				continue
			}
			o := c.operation(t, p, m, item, op)
			if c.spent != "" {
				return nil, &Error{File: file, Pointer: o.Pointer, Msg: fmt.Sprintf(
					"its schemas inline to more than %d nodes (spent inlining $ref %s): "+
						"$refs that branch at every level, or a document far larger than the text it is written in", budget, c.spent)}
			}
			d.Operations = append(d.Operations, o)
		}
	}
	return d, nil
}

func (c *converter) operation(t *openapi3.T, path, method string, item *openapi3.PathItem, op *openapi3.Operation) *Operation {
	o := &Operation{Method: method, Path: path, ID: op.OperationID, Tags: op.Tags,
		Responses: map[string]*Response{}, Pointer: "/paths/" + escapePointer(path) + "/" + strings.ToLower(method)}
	sec := t.Security
	if op.Security != nil {
		sec = *op.Security
	}
	seen := map[string]bool{}
	for _, req := range sec {
		if len(req) == 0 {
			o.Security = nil // an empty requirement: anonymous access is allowed
			seen = nil
			break
		}
		for name := range req {
			if !seen[name] {
				seen[name] = true
				o.Security = append(o.Security, name)
			}
		}
	}
	sort.Strings(o.Security)
	params := map[string]*openapi3.Parameter{}
	var order []string
	for _, list := range []openapi3.Parameters{item.Parameters, op.Parameters} {
		for _, pr := range list {
			if pr == nil || pr.Value == nil {
				continue
			}
			key := pr.Value.In + ":" + pr.Value.Name
			if _, ok := params[key]; !ok {
				order = append(order, key)
			}
			params[key] = pr.Value
		}
	}
	for _, key := range order {
		p := params[key]
		o.Params = append(o.Params, Param{Name: p.Name, In: p.In, Required: p.Required, Schema: c.jsonSchema(p.Schema), Example: p.Example})
	}
	if op.RequestBody != nil && op.RequestBody.Value != nil {
		rb := op.RequestBody.Value
		ct, mt := pickMedia(rb.Content)
		b := &Body{Required: rb.Required, ContentType: ct}
		for n := range rb.Content {
			b.ContentTypes = append(b.ContentTypes, n)
		}
		sort.Strings(b.ContentTypes)
		if mt != nil {
			b.Schema = c.jsonSchema(mt.Schema)
			b.Example = mediaExample(mt)
		}
		o.Body = b
	}
	if op.Responses != nil {
		for status, ref := range op.Responses.Map() {
			if ref == nil || ref.Value == nil {
				continue
			}
			o.Responses[strings.ToUpper(status)] = c.response(ref.Value)
		}
		if def := op.Responses.Default(); def != nil && def.Value != nil {
			o.Responses["DEFAULT"] = c.response(def.Value)
			o.Responses["default"] = o.Responses["DEFAULT"]
			delete(o.Responses, "DEFAULT")
		}
	}
	return o
}

func (c *converter) response(r *openapi3.Response) *Response {
	out := &Response{}
	if r.Description != nil {
		out.Description = *r.Description
	}
	for name, h := range r.Headers {
		hd := Header{Name: name}
		if h != nil && h.Value != nil {
			hd.Required, hd.Description = h.Value.Required, h.Value.Description
		}
		out.Headers = append(out.Headers, hd)
	}
	sort.Slice(out.Headers, func(i, j int) bool { return out.Headers[i].Name < out.Headers[j].Name })
	for ct := range r.Content {
		out.ContentTypes = append(out.ContentTypes, ct)
	}
	sort.Strings(out.ContentTypes)
	ct, mt := pickMedia(r.Content)
	out.ContentType = ct
	if mt != nil {
		out.Schema = c.jsonSchema(mt.Schema)
		if mt.Example != nil {
			out.Examples = append(out.Examples, Example{Name: "example", Value: mt.Example})
		}
		names := make([]string, 0, len(mt.Examples))
		for n := range mt.Examples {
			names = append(names, n)
		}
		sort.Strings(names)
		for _, n := range names {
			ex := mt.Examples[n]
			if ex == nil || ex.Value == nil {
				continue
			}
			out.Examples = append(out.Examples, Example{Name: n, Summary: ex.Value.Summary, Value: ex.Value.Value})
		}
	}
	return out
}

// pickMedia prefers a JSON media type, else the first by name.
func pickMedia(c openapi3.Content) (string, *openapi3.MediaType) {
	names := make([]string, 0, len(c))
	for n := range c {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if isJSON(n) {
			return n, c[n]
		}
	}
	if len(names) == 0 {
		return "", nil
	}
	return names[0], c[names[0]]
}

func mediaExample(mt *openapi3.MediaType) any {
	if mt.Example != nil {
		return mt.Example
	}
	names := make([]string, 0, len(mt.Examples))
	for n := range mt.Examples {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		if ex := mt.Examples[n]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value
		}
	}
	if mt.Schema != nil && mt.Schema.Value != nil && mt.Schema.Value.Example != nil {
		return mt.Schema.Value.Example
	}
	return nil
}
