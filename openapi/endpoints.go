package openapi

import (
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// readRoute is a documented secured operation errprobe can send with no
// parameters and no body: a GET on a path without parameters, else such a
// POST (RPC style). Nil when the document has none.
func (d *Document) readRoute() *Operation {
	for _, method := range []string{"GET", "POST"} {
		for _, op := range d.Operations {
			if op.Method != method || op.Templated() || len(op.Security) == 0 ||
				(op.Body != nil && op.Body.Required) || requiredParams(op) {
				continue
			}
			return op
		}
	}
	return nil
}

// successStatuses are the 2xx statuses an operation documents, in order.
func successStatuses(op *Operation) []int {
	var out []int
	for k := range op.Responses {
		if st, err := strconv.Atoi(k); err == nil && st >= 200 && st < 300 {
			out = append(out, st)
		}
	}
	sort.Ints(out)
	return out
}

func requiredParams(op *Operation) bool {
	for _, p := range op.Params {
		if p.Required {
			return true
		}
	}
	return false
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

func (im *importer) writeEndpoints(y *yamlOut) {
	y.key(0, "endpoints")
	rs := im.d.resources()
	if len(rs) == 0 {
		y.comment(1, "The document has no operation on a path without parameters (no GET or POST collection, no item "+
			"GET under one): list, create and item are left unset, so the probes that need them are skipped with "+
			"that reason. The per-operation probes of run --openapi still run.")
		y.raw(1, "{}")
		y.blank()
		return
	}
	r := rs[0]
	if len(rs) > 1 {
		y.comment(1, "guess: the resource the built-in probes use, of %d documented (chosen: %s; preferred are "+
			"a GET list, a create body errprobe can send, an item and a delete).", len(rs), r.path())
	}
	im.writeParents(y, r)
	switch read := im.d.readRoute(); {
	case r.list != nil:
		y.kv(1, "list", r.list.Method+" "+r.fill(r.list.Path))
	case r.item != nil:
		y.comment(1, "list is left unset: the document has no GET %s. Probes that need an authenticated read use "+
			"the item route with missing_id; probes that list resources are skipped.", r.path())
	case read != nil:
		y.comment(1, "The document has no GET %s and no item route under it: list is %s, a documented secured "+
			"operation without path parameters or a required body, as the authenticated read the auth and method "+
			"probes use (guess: it lists nothing, so probes that count listed resources find nothing).", r.path(), read.Name())
		y.kv(1, "list", read.Name())
	default:
		y.comment(1, "list is left unset: the document has no GET %s, no item route under it, and no secured "+
			"operation without path parameters or a required body to read with; the auth and method probes are skipped.", r.path())
	}
	if r.create != nil {
		im.writeCreate(y, r.create, r.fill(r.create.Path))
	} else {
		y.comment(1, "create is left unset: no POST with a JSON body on %s, so the create, validation, idempotency "+
			"and cross-tenant probes are skipped.", r.path())
	}
	if r.item != nil {
		y.kv(1, "item", r.fill(itemTemplate(r.item.Path)))
		im.writeIDs(y, r.item)
	} else {
		y.comment(1, "item is left unset: the document has no GET %s/{id}, so the unknown-id and malformed-id "+
			"probes are skipped.", r.path())
	}
	if r.del != nil {
		y.kv(1, "delete", "DELETE "+r.fill(itemTemplate(r.del.Path)))
		if st := successStatuses(r.del); len(st) > 0 && !(len(st) == 1 && st[0] == 204) {
			y.comment(1, "The successes %s documents.", r.del.Name())
			parts := make([]string, len(st))
			for i, n := range st {
				parts[i] = strconv.Itoa(n)
			}
			y.raw(1, "delete_status: ["+strings.Join(parts, ", ")+"]")
		}
	}
	y.blank()
}

func (im *importer) writeCreate(y *yamlOut, op *Operation, path string) {
	b := op.Body
	y.key(1, "create")
	y.kv(2, "method", op.Method)
	y.kv(2, "path", path)
	if !b.Required {
		y.comment(2, "The document does not make the request body required: an empty body is a valid create, "+
			"so the empty-body probe is skipped.")
		y.kv(2, "body_optional", true)
	}
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
	encode := func(v map[string]any) string { // {{n}} stays as written, for the run to fill in
		return strings.ReplaceAll(encodeBody(v, b.ContentType), "%7B%7Bn%7D%7D", "{{n}}")
	}
	if isForm(b.ContentType) {
		y.comment(2, "The request body is form-encoded, as the document gives it.")
		y.kv(2, "content_type", "application/x-www-form-urlencoded")
	}
	y.comment(2, "The body is %s.", from)
	if len(changed) > 0 {
		y.comment(2, "guess: {{n}} (a number unique within the run) in %s, so that creates do not collide "+
			"as duplicates.", strings.Join(changed, ", "))
	}
	y.kv(2, "body", encode(body))
	if bad, field, why, ok := breakOne(obj, b.Schema, 0); ok {
		y.comment(2, "The invalid body breaks one stated constraint: %s %s.", field, why)
		y.kv(2, "invalid_body", encode(bad))
		y.kv(2, "invalid_field", field)
	} else {
		y.comment(2, "The request schema states no constraint errprobe can break: the validation probe is skipped.")
	}
	if ptr := idPointer(op); ptr != "" {
		y.comment(2, "guess: the new resource's id is the member %s of the success response.", ptr)
		y.kv(2, "id_pointer", ptr)
	}
}

// breakOne breaks one constraint of one member, nested objects included:
// a pattern first, then a type, then a required member left out.
func breakOne(body, schema map[string]any, depth int) (map[string]any, string, string, bool) {
	s := MergeAllOf(orEmpty(schema))
	props, _ := s["properties"].(map[string]any)
	copyOf := func() map[string]any {
		out := map[string]any{}
		for k, x := range body {
			out[k] = x
		}
		return out
	}
	names, optional := requiredOf(s), []string{}
	for name := range props {
		if !contains(names, name) {
			optional = append(optional, name)
		}
	}
	sort.Strings(optional) // the same invalid body on every init
	names = append(names, optional...)
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
		if v, w, ok := breaking(MergeAllOf(ps)); ok {
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

// idPointer finds "id" (else "sid") in the create's success response:
// /id or /data/id.
func idPointer(op *Operation) string {
	for _, k := range []string{"201", "200", "202"} {
		r := op.Responses[k]
		if r == nil || r.Schema == nil {
			continue
		}
		s := MergeAllOf(r.Schema)
		props, _ := s["properties"].(map[string]any)
		for _, id := range []string{"id", "sid"} { // sid: Twilio's resources
			if _, ok := props[id]; ok {
				return "/" + id
			}
			for _, wrap := range []string{"data", "result", "item"} {
				inner, _ := props[wrap].(map[string]any)
				innerProps, _ := MergeAllOf(orEmpty(inner))["properties"].(map[string]any)
				if _, ok := innerProps[id]; ok {
					return "/" + wrap + "/" + id
				}
			}
		}
	}
	return ""
}

// writeIDs: a well-formed id that names nothing (built from the path
// parameter's pattern) and a malformed one (breaking it).
func (im *importer) writeIDs(y *yamlOut, item *Operation) {
	p, ok := itemParam(item)
	if !ok {
		return
	}
	sch := MergeAllOf(orEmpty(p.Schema))
	if pat, _ := sch["pattern"].(string); pat != "" {
		if id, ok := fromPattern(pat); ok && id != "" {
			y.comment(1, "guess: an id that matches the parameter %s's pattern %s and names nothing.", p.Name, pat)
			y.kv(1, "missing_id", id)
		} else {
			y.comment(1, "missing_id is left unset: errprobe builds no non-empty id from the parameter %s's pattern %s "+
				"(the unknown-id probe is skipped without one).", p.Name, pat)
		}
	} else if TypeOf(sch) == "integer" {
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
	if len(im.codes) == 0 {
		im.writeStatusOnly(y)
		if len(im.wroteStatus) == 0 {
			y.raw(1, "{}")
		}
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
		if r.situation == "unknown_route" && g.Guess {
			// No document describes a path it does not have: the code is
			// errprobe's inference, graded so (a warning, never a gate).
			y.raw(1, r.situation+": {code: "+scalar(g.Code)+", guess: "+scalar(unknownRouteGuess+"; the code of not_found")+"}")
			continue
		}
		y.kv(1, r.situation, g.Code)
	}
	if _, ok := im.sits["method_not_allowed"]; !ok && !im.d.documents405() && im.d.builtIns().read != nil {
		y.raw(1, "method_not_allowed: {status: 405, guess: "+scalar(methodGuess)+"}")
	}
}

// writeParents says where the values of a collection's parent parameters
// come from; one naming the caller's own account must be theirs.
func (im *importer) writeParents(y *yamlOut, r resource) {
	for _, pv := range r.parents {
		y.comment(1, "The collection %s sits under {%s}: %s, %s.", r.path(), pv.name, pv.value, pv.from)
		if pv.own {
			y.comment(1, "{%s} names the caller's own account: against the real API put yours in the paths below "+
				"(errprobe does not expand ${VAR} in endpoint paths), or the API answers for an account the key does not own.", pv.name)
		}
	}
}
