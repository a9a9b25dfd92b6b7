package openapi

import (
	"sort"
	"strconv"
	"strings"
)

// A code-less document (no error code shown anywhere) gets a status-only
// expect table: each situation the built-in probes provoke expects the
// statuses the operation that probe sends documents for it — the read
// route's 401/403, the create's 400/422, the item's 404 — or, where the
// operation documents none of them, what an RFC gives the situation,
// marked guess (a failure against it is a warning, never a gate).

// situationStatus says how one situation is read from the operation its
// built-in probe sends.
type situationStatus struct {
	situation string
	// op picks the operation the probe sends; nil: the probe has none.
	op func(builtIn) *Operation
	// statuses answer the situation where the operation documents them.
	statuses []int
	// covered are statuses an RFC gives the situation that count where the
	// operation covers them by a range (4XX) or default response: the
	// server may answer them and the document allows it.
	covered []int
	// implied are the statuses expected where the operation documents none
	// of statuses but a requirement it does document implies them (a
	// security requirement: the request is refused, 401 or 403), read, not
	// guessed.
	implied []int
	// guess are the statuses expected where the operation documents none
	// of statuses (nil: the situation is left unset), and why.
	guess []int
	why   string
}

// builtIn are the documented operations the built-in probes send (what
// the profile's endpoints name).
type builtIn struct{ read, create, item *Operation }

func (d *Document) builtIns() builtIn {
	rs := d.resources()
	if len(rs) == 0 {
		return builtIn{}
	}
	r := rs[0]
	b := builtIn{create: r.create, item: r.item, read: r.list}
	if b.read == nil && r.item != nil {
		b.read = r.item
	}
	if b.read == nil {
		b.read = d.readRoute()
	}
	return b
}

func readOf(b builtIn) *Operation   { return b.read }
func createOf(b builtIn) *Operation { return b.create }
func itemOf(b builtIn) *Operation   { return b.item }

const (
	refused = "a request without valid credentials is refused, 401 (RFC 9110 §15.5.2) or 403 (§15.5.4)"
	rfc400  = "RFC 9110 §15.5.1 gives 400 to a request the server cannot process as sent"
)

var situationStatuses = []situationStatus{
	{situation: "missing_key", op: readOf, statuses: []int{401, 403}, implied: []int{401, 403}, why: refused},
	{situation: "invalid_key", op: readOf, statuses: []int{401, 403}, implied: []int{401, 403}, why: refused},
	{situation: "malformed_json", op: createOf, statuses: []int{400, 422}, guess: []int{400}, why: rfc400},
	{situation: "wrong_content_type", op: createOf, statuses: []int{415, 400, 422}, covered: []int{415}, guess: []int{400, 415},
		why: "RFC 9110 §15.5.16 gives 415 to a content type the operation does not take; many APIs answer 400"},
	{situation: "validation", op: createOf, statuses: []int{422, 400}, guess: []int{400, 422},
		why: "RFC 9110 gives 400 (§15.5.1) or 422 (§15.5.21) to content the server cannot process"},
	{situation: "not_found", op: itemOf, statuses: []int{404}, covered: []int{404},
		why: "the operation documents no 404 and no default or 4XX response covering it"},
	{situation: "invalid_id", op: itemOf, statuses: []int{400, 404, 422}, guess: []int{400, 404},
		why: "an id that breaks its parameter's schema is invalid input (RFC 9110 §15.5.1) or names nothing (§15.5.5)"},
	{situation: "conflict", op: createOf, statuses: []int{409},
		why: "the create documents no 409, so what a duplicate gets is not in the document"},
}

// formJSON reads malformed_json where the create takes a form: its probes'
// JSON is a content type the operation does not take.
var formJSON = situationStatus{situation: "malformed_json", statuses: []int{415, 400, 422}, covered: []int{415},
	guess: []int{400, 415}, why: "the create takes a form, so a JSON body is a content type it does not take: " +
		"RFC 9110 §15.5.16 gives that 415; many APIs answer 400"}

// statusExpect is one written expectation: the statuses, where they come
// from, and the guess (non-empty where no document status backs them).
type statusExpect struct {
	statuses []int
	from     string
	guess    string
}

// readStatus reads one situation from its operation.
func readStatus(r situationStatus, op *Operation) (statusExpect, bool) {
	var got, descs []string
	var out statusExpect
	for _, st := range documentedStatuses(op, sortedInts(r.statuses)...) {
		out.statuses = append(out.statuses, st)
		got = append(got, strconv.Itoa(st))
		if resp := op.Responses[strconv.Itoa(st)]; resp.Description != "" {
			descs = append(descs, strconv.Itoa(st)+" "+strconv.Quote(describeShort(resp.Description)))
		}
	}
	var cov []string
	for _, st := range r.covered {
		if k := coverKey(op, st); k != "" && !containsInt(out.statuses, st) {
			out.statuses = append(out.statuses, st)
			cov = append(cov, strconv.Itoa(st)+" (RFC 9110), which its "+k+" response covers")
		}
	}
	switch {
	case len(got) > 0:
		out.from = "From the " + strings.Join(got, " and ") + " " + op.Name() + " documents"
		if len(descs) > 0 {
			out.from += " (" + strings.Join(descs, ", ") + ")"
		}
		if len(cov) > 0 {
			out.from += ", and " + strings.Join(cov, ", ")
		}
	case r.implied != nil:
		out.statuses = r.implied
		out.from = "From the security requirement of " + op.Name() + ": " + r.why + "; it documents neither"
	case len(cov) > 0 && r.guess == nil:
		out.from = op.Name() + " documents no " + itoa(r.statuses[0]) + "; " + strings.Join(cov, ", ")
		out.guess = "the usual status " + itoa(r.statuses[0]) + " (RFC 9110), which " + op.Name() + " covers only by its " +
			coverKey(op, r.statuses[0]) + " response"
	case r.guess == nil:
		return statusExpect{}, false
	default:
		out.statuses = mergeInts(r.guess, out.statuses)
		out.guess = op.Name() + " documents none of " + intList(sortedInts(r.statuses)) + ": " + r.why
		out.from = "guess: " + out.guess
	}
	sort.Ints(out.statuses)
	return out, true
}

// coverKey is the range or default response of op that covers st without
// naming it ("4XX", "default"), "" when none does or op names it.
func coverKey(op *Operation, st int) string {
	if _, ok := op.Responses[strconv.Itoa(st)]; ok {
		return ""
	}
	for _, k := range []string{strconv.Itoa(st/100) + "XX", "default"} {
		if _, ok := op.Responses[k]; ok {
			return k
		}
	}
	return ""
}

// documents405 reports whether any operation of the document lists 405.
func (d *Document) documents405() bool {
	for _, op := range d.Operations {
		if _, ok := op.Responses["405"]; ok {
			return true
		}
	}
	return false
}

// writeStatusOnly writes the expect table of a code-less document: every
// situation by status, each saying where its statuses come from.
func (im *importer) writeStatusOnly(y *yamlOut) {
	y.comment(1, "A code-less contract: each probe expects the statuses the operation it sends documents for the "+
		"situation. Where the operation documents none, the status an RFC gives it is written with guess: (a "+
		"failure against a guess is a warning, never a gate).")
	b := im.d.builtIns()
	var unset []string
	for _, r := range situationStatuses {
		op := r.op(b)
		switch {
		case op == nil:
			unset = append(unset, r.situation+" (no endpoint for its probe)")
			continue
		case (r.situation == "missing_key" || r.situation == "invalid_key") && len(op.Security) == 0:
			unset = append(unset, r.situation+" ("+op.Name()+", which its probe reads, is not secured in the document)")
			continue
		}
		if r.situation == "malformed_json" && op.Body != nil && isForm(op.Body.ContentType) {
			r = formJSON // the malformed-JSON probes send JSON to a create that takes a form
		}
		e, ok := readStatus(r, op)
		if !ok {
			unset = append(unset, r.situation+" ("+r.why+")")
			continue
		}
		im.writeStatus(y, r.situation, e)
	}
	im.writeRouteStatuses(y, b)
	for _, r := range situationRules { // an example named for the situation
		if g, ok := im.sits[r.situation]; ok && !g.Guess && len(g.Statuses) > 0 && !im.wroteStatus[r.situation] {
			im.writeStatus(y, r.situation, statusExpect{statuses: g.Statuses, from: "From " + g.Why})
		}
	}
	if len(unset) > 0 {
		y.comment(1, "Left unset, so their probes are skipped with that reason: %s.", strings.Join(unset, "; "))
	}
}

// What the route probes' expectations rest on where the document is silent.
const (
	methodGuess       = "405 for a method the document does not give the path (RFC 9110 §15.5.6), but no operation of the document lists 405"
	unknownRouteGuess = "404 for a path the document does not have (RFC 9110 §15.5.5); the document cannot say what its server answers there"
)

// writeRouteStatuses: a method the read route does not take (405, RFC 9110
// §15.5.6), a path the document does not have (404, §15.5.5) and a
// documented 429.
func (im *importer) writeRouteStatuses(y *yamlOut, b builtIn) {
	if b.read != nil {
		e := statusExpect{statuses: []int{405}, from: "From RFC 9110 §15.5.6: a method the path does not take gets 405 " +
			"(operations of the document list 405)"}
		if !im.d.documents405() {
			e.guess = methodGuess
			e.from = "guess: " + e.guess
		}
		im.writeStatus(y, "method_not_allowed", e)
	}
	im.writeStatus(y, "unknown_route", statusExpect{statuses: []int{404}, from: "guess: " + unknownRouteGuess, guess: unknownRouteGuess})
	for _, e := range im.errs {
		if e.status == 429 {
			im.writeStatus(y, "rate_limited", statusExpect{statuses: []int{429}, from: "From the " + e.where()})
			break
		}
	}
}

func (im *importer) writeStatus(y *yamlOut, situation string, e statusExpect) {
	if im.wroteStatus == nil {
		im.wroteStatus = map[string]bool{}
	}
	im.wroteStatus[situation] = true
	if e.guess == "" { // a guess says what it rests on in its own value
		y.comment(1, "%s.", e.from)
	}
	line := situation + ": {status: " + scalar(e.statuses)
	if e.guess != "" {
		line += ", guess: " + scalar(e.guess)
	}
	y.raw(1, line+"}")
}

// describeShort is a response description's first line, at most 60
// characters.
func describeShort(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	if r := []rune(s); len(r) > 60 {
		s = string(r[:57]) + "..."
	}
	return s
}

func intList(ns []int) string {
	parts := make([]string, len(ns))
	for i, n := range ns {
		parts[i] = strconv.Itoa(n)
	}
	return strings.Join(parts, ", ")
}

func mergeInts(a, b []int) []int {
	out := append([]int(nil), a...)
	for _, x := range b {
		if !containsInt(out, x) {
			out = append(out, x)
		}
	}
	return out
}

func sortedInts(ns []int) []int {
	out := append([]int(nil), ns...)
	sort.Ints(out)
	return out
}
