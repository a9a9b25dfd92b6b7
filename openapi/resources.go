package openapi

import (
	"regexp"
	"strconv"
	"strings"
)

// resource is a collection with its list, create, item and delete
// operations; parents fills the collection path's own parameters
// (/2010-04-01/Accounts/{AccountSid}/Calls.json) with a value each.
type resource struct {
	list, create, item, del *Operation
	score                   int
	parents                 []parentValue
}

// parentValue is the value a resource's paths give one parent parameter,
// and where it came from.
type parentValue struct {
	name, value, from string
	// own: the parameter names the caller's own account, organisation or
	// tenant (the user must put theirs there).
	own bool
}

// itemPattern is an item path P/{x}, or P/{x}.ext beside a collection
// P.ext (Twilio's /Calls/{Sid}.json beside /Calls.json).
var itemPattern = regexp.MustCompile(`^(.*)/\{([^{}/]+)\}(\.[A-Za-z0-9]+)?$`)

// resources finds collections P — a path that has GET P, POST P, or an
// item GET P/{x} — with the list (GET P), create (POST P), item (GET
// P/{x}) and delete (DELETE P/{x}) the document has; any of them may be
// missing (no GET collection, RPC-style POST-only APIs). P may sit under
// parent parameters (/accounts/{account}/calls), filled from the document.
// Best first: a GET list, then a create with an example body, then one
// with a schema, then an item and a delete; a collection without
// parameters before one under them at the same score. Only documented
// routes are used.
func (d *Document) resources() []resource {
	byName := map[string]*Operation{}
	for _, op := range d.Operations {
		byName[op.Name()] = op
	}
	items := map[string]*Operation{} // GET P/{x} by P
	var paths []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			paths = append(paths, p)
		}
	}
	for _, op := range d.Operations {
		if p, ok := collectionOf(op.Path, byName); ok && op.Method == "GET" && items[p] == nil {
			items[p] = op
			add(p)
		}
		if (op.Method == "GET" || op.Method == "POST") && !itemPattern.MatchString(op.Path) {
			add(op.Path)
		}
	}
	var plain, nested []resource
	for _, p := range paths {
		r, ok := newResource(p, byName, items[p])
		switch {
		case !ok:
		case strings.Contains(p, "{"):
			nested = append(nested, r)
		default:
			plain = append(plain, r)
		}
	}
	out := append(plain, nested...)
	best := -1
	for i, r := range out {
		if best < 0 || r.score > out[best].score {
			best = i
		}
	}
	if best > 0 {
		out[0], out[best] = out[best], out[0]
	}
	if len(out) > 0 {
		out[0].parents = parentValues(out[0])
	}
	return out
}

// newResource is the collection p with its operations and score.
func newResource(p string, byName map[string]*Operation, item *Operation) (resource, bool) {
	r := resource{list: byName["GET "+p], create: byName["POST "+p], item: item}
	if r.create != nil && (r.create.Body == nil || !r.create.Body.JSON() && !isForm(r.create.Body.ContentType)) {
		r.create = nil
	}
	if r.list == nil && r.create == nil && r.item == nil {
		return r, false
	}
	if r.item != nil {
		r.del = byName["DELETE "+r.item.Path]
	}
	for _, op := range []*Operation{r.list, r.item, r.del} {
		if op != nil {
			r.score++
		}
	}
	if r.create != nil {
		r.score++
		if r.create.Body.Example != nil {
			r.score += 2
		} else if len(requiredOf(MergeAllOf(orEmpty(r.create.Body.Schema)))) > 0 {
			r.score++
		}
	}
	return r, true
}

// collectionOf is the collection path of an item path P/{x}: P (P.ext for
// P/{x}.ext), or P/ where the document lists its collection with a
// trailing slash (as FastAPI's /items/ beside /items/{item_id}).
func collectionOf(item string, byName map[string]*Operation) (string, bool) {
	m := itemPattern.FindStringSubmatch(item)
	if m == nil || m[1] == "" {
		return "", false
	}
	p := m[1] + m[3]
	listed := func(p string) bool { return byName["GET "+p] != nil || byName["POST "+p] != nil }
	if m[3] == "" && !listed(p) && listed(p+"/") {
		p += "/"
	}
	return p, true
}

// path is the resource's collection path, as the document writes it.
func (r resource) path() string {
	switch {
	case r.list != nil:
		return r.list.Path
	case r.create != nil:
		return r.create.Path
	}
	p, _ := collectionOf(r.item.Path, nil)
	return p
}

// itemTemplate is the item path with its own (last) parameter written {id}.
func itemTemplate(path string) string {
	if m := itemPattern.FindStringSubmatch(path); m != nil {
		return m[1] + "/{id}" + m[3]
	}
	return path
}

// itemParam is the item operation's own parameter: the last of its path.
func itemParam(op *Operation) (Param, bool) {
	m := itemPattern.FindStringSubmatch(op.Path)
	for _, p := range op.PathParams() {
		if m != nil && p.Name == m[2] {
			return p, true
		}
	}
	return Param{}, false
}

// fill writes the resource's parent values into a path of it.
func (r resource) fill(path string) string {
	for _, pv := range r.parents {
		path = strings.ReplaceAll(path, "{"+pv.name+"}", pv.value)
	}
	return path
}

// ownID: a parameter naming the caller's own account, organisation,
// tenant or workspace (Twilio's AccountSid).
var ownID = regexp.MustCompile(`(?i)^(account|organi[sz]ation|org|tenant|workspace|team|owner)[_-]?(sid|id|name)?$`)

// parentValues fills each parameter of the collection path from the
// document: the parameter's example, its schema's default, example or
// enum, else a value built from its schema.
func parentValues(r resource) []parentValue {
	var out []parentValue
	for _, m := range pathParam.FindAllStringSubmatch(r.path(), -1) {
		p, ok := paramNamed(m[1], r.list, r.create, r.item, r.del)
		v, from := parentFill(p)
		if !ok {
			v, from = "errprobe", "a placeholder: no operation of the resource declares it"
		}
		out = append(out, parentValue{name: m[1], value: v, from: from, own: ownID.MatchString(m[1])})
	}
	return out
}

func paramNamed(name string, ops ...*Operation) (Param, bool) {
	for _, op := range ops {
		if op == nil {
			continue
		}
		for _, p := range op.PathParams() {
			if p.Name == name {
				return p, true
			}
		}
	}
	return Param{}, false
}

// parentFill is a valid value of a parent parameter and where it came
// from. A value built from the schema is never the id errprobe's probes
// send as one that names nothing (UnknownID): the parent must exist.
func parentFill(p Param) (string, string) {
	sch := MergeAllOf(orEmpty(p.Schema))
	if p.Example != nil {
		return plainValue(p.Example), "the parameter's example"
	}
	for _, k := range []string{"default", "example"} {
		if v, ok := sch[k]; ok && plainValue(v) != "" {
			return plainValue(v), "its schema's " + k
		}
	}
	if enum, _ := sch["enum"].([]any); len(enum) > 0 {
		return plainValue(enum[0]), "the first value of its schema's enum"
	}
	if pat, _ := sch["pattern"].(string); pat != "" {
		if s, ok := fromPattern(pat); ok && s != "" {
			if re, err := regexp.Compile(pat); err == nil && re.MatchString(strings.ReplaceAll(s, "0", "1")) {
				s = strings.ReplaceAll(s, "0", "1")
			}
			return s, "built from its schema's pattern " + pat
		}
	}
	switch {
	case TypeOf(sch) == "integer" || TypeOf(sch) == "number":
		return "1", "an integer its schema accepts"
	case sch["format"] == "uuid":
		return "11111111-1111-4111-8111-111111111111", "a UUID"
	}
	n := 8
	if min, ok := sch["minLength"].(float64); ok && int(min) > n {
		n = int(min)
	}
	if hi, ok := sch["maxLength"].(float64); ok && int(hi) < n {
		n = max(int(hi), 1)
	}
	return strings.Repeat("e", n), "a string of " + strconv.Itoa(n) + " characters its schema accepts"
}
