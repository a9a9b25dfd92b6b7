package openapi

import (
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Profile writes a starter errprobe profile (YAML) for the document: base
// URL, auth, envelope schema and pointers, code table, expectations,
// endpoints with sample bodies and ids, rate-limit and idempotency
// headers. Every guess is a comment in the file; what the document does
// not say is not invented.
func Profile(d *Document) []byte {
	im := newImport(d)
	y := &yamlOut{}
	im.header(y)
	im.writeEnvelope(y)
	im.writeCodes(y)
	im.writeAuth(y)
	im.writeRequestID(y)
	im.writeIdempotency(y)
	im.writeRateLimit(y)
	im.writeEndpoints(y)
	im.writeExpect(y)
	return y.b.Bytes()
}

// errorResponse is one documented error response of one operation.
type errorResponse struct {
	op     *Operation
	key    string // "404", "4XX", "default"
	status int    // 0 for ranges and default
	resp   *Response
}

func (e errorResponse) where() string { return e.key + " response of " + e.op.Name() }

type importer struct {
	d        *Document
	errs     []errorResponse
	envelope map[string]any
	envWhere string
	envCount int
	ptrs     map[string]pointerGuess
	docs     []documented
	codes    map[string][]int
	codeDesc map[string]string
	sits     map[string]situationGuess
	// codeless says why a code member was found but not used.
	codeless string
	// wroteStatus are the situations the status-only expect table wrote.
	wroteStatus map[string]bool
	// statusSchemas are the error schemas by status ("422") where the
	// document gives JSON error schemas to its validation errors (400,
	// 422) only, as a framework's generated document does: the envelope
	// stays open and only those statuses are held to a schema.
	statusSchemas map[string]map[string]any
}

func newImport(d *Document) *importer {
	im := &importer{d: d, codes: map[string][]int{}, codeDesc: map[string]string{}}
	for _, op := range d.Operations {
		keys := make([]string, 0, len(op.Responses))
		for k := range op.Responses {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			st, err := strconv.Atoi(k)
			isErr := (err == nil && st >= 400) || k == "4XX" || k == "5XX" || k == "default"
			if !isErr {
				continue
			}
			if err != nil {
				st = 0
			}
			im.errs = append(im.errs, errorResponse{op: op, key: k, status: st, resp: op.Responses[k]})
		}
	}
	im.chooseEnvelope()
	if im.envelope != nil {
		im.ptrs = guessPointers(im.envelope)
		im.collectCodes()
		if g, ok := im.ptrs["code"]; ok && len(im.codes) == 0 {
			// A code member whose values the document never shows is no
			// contract: the profile is code-less, every expectation by status.
			delete(im.ptrs, "code")
			im.codeless = g.Why + " looks like a code, but the document shows none of its values"
		}
	}
	im.sits = guessSituations(im.docs)
	return im
}

// chooseEnvelope takes the JSON error schema documented most often.
func (im *importer) chooseEnvelope() {
	count := map[string]int{}
	first := map[string]errorResponse{}
	var order []string
	for _, e := range im.errs {
		if e.resp.Schema == nil || !isJSON(e.resp.ContentType) {
			continue
		}
		b, _ := json.Marshal(e.resp.Schema)
		k := string(b)
		if count[k] == 0 {
			order = append(order, k)
			first[k] = e
		}
		count[k]++
	}
	best := ""
	for _, k := range order {
		if count[k] > count[best] {
			best = k
		}
	}
	if best == "" {
		return
	}
	im.envelope = first[best].resp.Schema
	im.envWhere = first[best].where()
	im.envCount = count[best]
	im.statusSchemas = validationSchemas(im.errs)
}

// validationSchemas are the JSON error schemas by status where every one
// the document gives is on a 400 or 422 response (the first of each
// status); nil where any other error response has a JSON schema.
func validationSchemas(errs []errorResponse) map[string]map[string]any {
	var out map[string]map[string]any
	for _, e := range errs {
		if e.resp.Schema == nil || !isJSON(e.resp.ContentType) {
			continue
		}
		if e.key != "400" && e.key != "422" {
			return nil
		}
		if out == nil {
			out = map[string]map[string]any{}
		}
		if out[e.key] == nil {
			out[e.key] = e.resp.Schema
		}
	}
	return out
}

// collectCodes reads the code of every error example, and the statuses
// per-status schemas give their code enums.
func (im *importer) collectCodes() {
	cp := im.ptrs["code"].Pointer
	seen := map[string]bool{}
	for _, e := range im.errs {
		for _, ex := range e.resp.Examples {
			code, ok := "", true
			if cp != "" {
				code, ok = at(ex.Value, cp)
			}
			if !ok {
				continue
			}
			st := e.status
			if st == 0 {
				if sp := im.ptrs["status"].Pointer; sp != "" {
					if v, ok := atValue(ex.Value, sp).(float64); ok {
						st = int(v)
					}
				}
			}
			if st == 0 {
				continue
			}
			key := fmt.Sprintf("%s %d %s", code, st, ex.Name)
			if seen[key] {
				continue
			}
			seen[key] = true
			im.docs = append(im.docs, documented{Code: code, Status: st, Name: ex.Name, Summary: ex.Summary,
				Where: fmt.Sprintf("the %d example %q of %s", st, ex.Name, e.op.Name())})
			if code != "" {
				im.addCode(code, st, ex.Summary)
			}
		}
	}
	if cp == "" {
		return
	}
	envEnum := enumAt(im.envelope, cp)
	for _, e := range im.errs {
		if e.status == 0 || e.resp.Schema == nil {
			continue
		}
		enum := enumAt(e.resp.Schema, cp)
		if len(enum) == 0 || sameStrings(enum, envEnum) && im.envCount > 1 {
			continue
		}
		for _, code := range enum {
			key := fmt.Sprintf("%s %d enum", code, e.status)
			if !seen[key] {
				seen[key] = true
				im.docs = append(im.docs, documented{Code: code, Status: e.status, Name: code,
					Where: fmt.Sprintf("the code enum of the %s", e.where())})
				im.addCode(code, e.status, "")
			}
		}
	}
}

func (im *importer) addCode(code string, st int, desc string) {
	for _, s := range im.codes[code] {
		if s == st {
			return
		}
	}
	im.codes[code] = append(im.codes[code], st)
	sort.Ints(im.codes[code])
	if im.codeDesc[code] == "" {
		im.codeDesc[code] = desc
	}
}

// at is the scalar at a JSON Pointer of v, as text.
func at(v any, ptr string) (string, bool) {
	switch x := atValue(v, ptr).(type) {
	case string:
		return x, x != ""
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64), true
	}
	return "", false
}

func atValue(v any, ptr string) any {
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		part = strings.ReplaceAll(strings.ReplaceAll(part, "~1", "/"), "~0", "~")
		if part == "*" { // the first element of an array of errors
			list, ok := v.([]any)
			if !ok || len(list) == 0 {
				return nil
			}
			v = list[0]
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[part]
	}
	return v
}

// enumAt is the enum of the schema member a pointer names.
func enumAt(schema map[string]any, ptr string) []string {
	s := MergeAllOf(schema)
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/"), "/") {
		if part == "*" {
			items, _ := s["items"].(map[string]any)
			s = MergeAllOf(orEmpty(items))
			continue
		}
		props, _ := s["properties"].(map[string]any)
		next, _ := props[part].(map[string]any)
		if next == nil {
			return nil
		}
		s = MergeAllOf(next)
	}
	var out []string
	enum, _ := s["enum"].([]any)
	for _, e := range enum {
		if str, ok := e.(string); ok {
			out = append(out, str)
		}
	}
	return out
}

func sameStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var slugRE = regexp.MustCompile(`[^A-Za-z0-9]+`)

func (im *importer) header(y *yamlOut) {
	d := im.d
	y.comment(0, "errprobe profile written by `errprobe init --from-openapi %s` from %s (OpenAPI %s). "+
		"Every value below comes from the document; where errprobe had to guess, a comment says so and why. "+
		"Read the guesses, then run it: errprobe run --dry-run, then errprobe run.", d.File, orDefault(d.Title, "the document"), d.Version)
	name := strings.Trim(strings.ToLower(slugRE.ReplaceAllString(d.Title, "-")), "-")
	if name == "" {
		name = "openapi-import"
	}
	y.kv(0, "name", name)
	y.kv(0, "description", "Imported from "+d.File)
	im.baseURL(y)
	y.blank()
}

// baseURL writes the document's first server commented out: a host the
// user never named never receives keys from a profile init wrote (issue
// 21, T14) — the first run needs BASE_URL, ERRPROBE_BASE_URL, or the line
// uncommented. A relative or templated server URL says what it lacks.
func (im *importer) baseURL(y *yamlOut) {
	servers := im.d.Servers
	if len(servers) == 0 {
		y.comment(0, "The document names no server: give the base URL on the command line (errprobe run BASE_URL).")
		return
	}
	first := servers[0]
	switch {
	case strings.Contains(first, "{"):
		y.comment(0, "The document's first server has variables: replace them before uncommenting it, or give BASE_URL on the command line.")
	case !strings.HasPrefix(first, "http://") && !strings.HasPrefix(first, "https://"):
		y.comment(0, "The document's first server is relative (to wherever the document is served): give the API's full base URL on the command line (errprobe run BASE_URL).")
	default:
		y.comment(0, "The document's first server (of %d), commented out: errprobe sends your keys only to a host you name. "+
			"Give BASE_URL on the command line or in ERRPROBE_BASE_URL, or uncomment it.", len(servers))
	}
	y.raw(0, "# base_url: "+scalar(first))
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
