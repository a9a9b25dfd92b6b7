package openapi

import (
	"encoding/json"
	"regexp"
	"strings"
)

// resource is a collection with its list, create and item operations.
type resource struct {
	list, create, item, del *Operation
	score                   int
}

var lastParam = regexp.MustCompile(`\{[^}/]+\}$`)

// resources finds collections: GET P, with GET P/{x}; POST P and DELETE
// P/{x} when documented. Best first: a create with an example body, then
// one with a schema, then a delete.
func (d *Document) resources() []resource {
	byName := map[string]*Operation{}
	items := map[string]*Operation{} // GET P/{x} by P
	for _, op := range d.Operations {
		byName[op.Name()] = op
		if op.Method == "GET" && lastParam.MatchString(op.Path) {
			parent := strings.TrimSuffix(lastParam.ReplaceAllString(op.Path, ""), "/")
			if items[parent] == nil {
				items[parent] = op
			}
		}
	}
	var out []resource
	for _, op := range d.Operations {
		if op.Method != "GET" || op.Templated() {
			continue
		}
		r := resource{list: op, create: byName["POST "+op.Path], item: items[op.Path]}
		if r.item != nil {
			r.del = byName["DELETE "+r.item.Path]
		}
		if r.item != nil {
			r.score++
		}
		if r.create != nil && r.create.Body != nil && r.create.Body.JSON() {
			r.score++
			if r.create.Body.Example != nil {
				r.score += 2
			} else if len(requiredOf(mergeAllOf(orEmpty(r.create.Body.Schema)))) > 0 {
				r.score++
			}
		}
		if r.del != nil {
			r.score++
		}
		out = append(out, r)
	}
	best := -1
	for i, r := range out {
		if best < 0 || r.score > out[best].score {
			best = i
		}
	}
	if best > 0 {
		out[0], out[best] = out[best], out[0]
	}
	return out
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// itemTemplate is the item path with its last parameter written {id}.
func itemTemplate(path string) string { return lastParam.ReplaceAllString(path, "{id}") }

func (im *importer) writeEndpoints(y *yamlOut) {
	y.key(0, "endpoints")
	rs := im.d.resources()
	if len(rs) == 0 {
		y.comment(1, "guess: the document has no GET operation on a path without parameters; write your list endpoint here.")
		y.kv(1, "list", "GET /")
		y.blank()
		return
	}
	r := rs[0]
	if len(rs) > 1 {
		y.comment(1, "guess: the collection probes use, of %d with a GET list (chosen: the most complete, with a "+
			"create body errprobe can send).", len(rs))
	}
	y.kv(1, "list", r.list.Name())
	if r.create != nil && r.create.Body != nil && r.create.Body.JSON() {
		im.writeCreate(y, r.create)
	} else {
		y.comment(1, "No POST with a JSON body on %s: the create, validation, idempotency and cross-tenant probes are skipped.", r.list.Path)
	}
	if r.item != nil {
		y.kv(1, "item", itemTemplate(r.item.Path))
		im.writeIDs(y, r.item)
	}
	if r.del != nil {
		y.kv(1, "delete", "DELETE "+itemTemplate(r.del.Path))
	}
	y.blank()
}

func (im *importer) writeCreate(y *yamlOut, op *Operation) {
	b := op.Body
	y.key(1, "create")
	y.kv(2, "method", op.Method)
	y.kv(2, "path", op.Path)
	sample, from := b.Example, "the request body's example"
	if sample == nil {
		v, ok := sampleValue(b.Schema, 0)
		if !ok {
			y.comment(2, "errprobe could not build a valid body from the request schema: write one here.")
			y.kv(2, "body", "{}")
			return
		}
		sample, from = v, "generated from the request schema's required members (guess)"
	}
	obj, isObj := sample.(map[string]any)
	if !isObj {
		raw, _ := json.Marshal(sample)
		y.comment(2, "The body is %s.", from)
		y.kv(2, "body", string(raw))
		return
	}
	body, changed := uniqueBody(obj, b.Schema)
	y.comment(2, "The body is %s.", from)
	if len(changed) > 0 {
		y.comment(2, "guess: {{n}} (a number unique within the run) in %s, so that creates do not collide "+
			"as duplicates.", strings.Join(changed, ", "))
	}
	y.kv(2, "body", body)
	if field, bad, why, ok := invalidBody(obj, b.Schema); ok {
		y.comment(2, "The invalid body breaks one stated constraint: %s %s.", field, why)
		y.kv(2, "invalid_body", bad)
		y.kv(2, "invalid_field", field)
	} else {
		y.comment(2, "The request schema states no constraint errprobe can break: the validation probe is skipped.")
	}
	if ptr := idPointer(op); ptr != "" {
		y.comment(2, "guess: the new resource's id is the member \"id\" of the success response.")
		y.kv(2, "id_pointer", ptr)
	}
}

// invalidBody breaks one constraint of one member, nested objects
// included: a pattern first, then a type, then a required member left out.
func invalidBody(body, schema map[string]any) (field, bad, why string, ok bool) {
	out, field, why, ok := breakOne(body, schema, 0)
	if !ok {
		return "", "", "", false
	}
	b, _ := json.Marshal(out)
	return field, string(b), why, true
}

func breakOne(body, schema map[string]any, depth int) (map[string]any, string, string, bool) {
	s := mergeAllOf(orEmpty(schema))
	props, _ := s["properties"].(map[string]any)
	copyOf := func() map[string]any {
		out := map[string]any{}
		for k, x := range body {
			out[k] = x
		}
		return out
	}
	names := requiredOf(s)
	for name := range props {
		if !contains(names, name) {
			names = append(names, name)
		}
	}
	for _, name := range names {
		ps, _ := props[name].(map[string]any)
		if ps == nil {
			continue
		}
		if inner, isObj := body[name].(map[string]any); isObj && depth < 4 {
			if changed, f, w, ok := breakOne(inner, ps, depth+1); ok {
				out := copyOf()
				out[name] = changed
				return out, f, w, true
			}
			continue
		}
		if v, w, ok := breaking(mergeAllOf(ps)); ok {
			out := copyOf()
			out[name] = v
			return out, name, w, true
		}
	}
	if req := requiredOf(s); len(req) > 0 && depth == 0 {
		out := copyOf()
		delete(out, req[0])
		return out, req[0], "is required and left out", true
	}
	return nil, "", "", false
}

// idPointer finds "id" in the create's success response: /id or /data/id.
func idPointer(op *Operation) string {
	for _, k := range []string{"201", "200", "202"} {
		r := op.Responses[k]
		if r == nil || r.Schema == nil {
			continue
		}
		s := mergeAllOf(r.Schema)
		props, _ := s["properties"].(map[string]any)
		if _, ok := props["id"]; ok {
			return "/id"
		}
		for _, wrap := range []string{"data", "result", "item"} {
			inner, _ := props[wrap].(map[string]any)
			innerProps, _ := mergeAllOf(orEmpty(inner))["properties"].(map[string]any)
			if _, ok := innerProps["id"]; ok {
				return "/" + wrap + "/id"
			}
		}
	}
	return ""
}

// writeIDs: a well-formed id that names nothing (built from the path
// parameter's pattern) and a malformed one (breaking it).
func (im *importer) writeIDs(y *yamlOut, item *Operation) {
	params := item.PathParams()
	if len(params) == 0 {
		return
	}
	p := params[len(params)-1]
	sch := mergeAllOf(orEmpty(p.Schema))
	if pat, _ := sch["pattern"].(string); pat != "" {
		if id, ok := fromPattern(pat); ok {
			y.comment(1, "guess: an id that matches the parameter %s's pattern %s and names nothing.", p.Name, pat)
			y.kv(1, "missing_id", id)
		}
	} else if typeOf(sch) == "integer" {
		y.comment(1, "guess: a large integer id that names nothing.")
		y.kv(1, "missing_id", "999999999")
	} else {
		y.comment(1, "The parameter %s states no pattern or type: write a well-formed id that names nothing as missing_id "+
			"(the unknown-id probe is skipped without one).", p.Name)
	}
	if v, why, ok := breaking(sch, "not-an-id!"); ok {
		if s, isStr := v.(string); isStr && s != "" {
			y.comment(1, "The malformed id %s.", why)
			y.kv(1, "malformed_id", s)
		}
	}
}

func (im *importer) writeExpect(y *yamlOut) {
	y.key(0, "expect")
	if len(im.sits) == 0 {
		y.comment(1, "The document shows no error codes, so errprobe cannot say which error each probe expects; add them.")
		y.raw(1, "{}")
		return
	}
	y.comment(1, "Which code each probe expects; an example named for the situation is evidence, the rest are guesses.")
	for _, r := range situationRules {
		g, ok := im.sits[r.situation]
		if !ok {
			continue
		}
		if g.Guess {
			y.comment(1, "guess: %s.", g.Why)
		} else {
			y.comment(1, "From %s.", g.Why)
		}
		if g.Code == "" {
			y.raw(1, r.situation+": {status: "+scalar(g.Statuses)+"}")
			continue
		}
		y.kv(1, r.situation, g.Code)
	}
}
