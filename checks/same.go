package checks

import (
	"bytes"
	"cmp"
	"encoding/json"
	"reflect"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// sameDiff is how a response differs from an earlier step's: the message,
// what the earlier step got and what this one got.
type sameDiff struct{ msg, want, got string }

// judgeSame compares ex, the response of the step called label, with ref,
// the response of step x.SameAs, in each item of x.SameItems. It returns
// the first difference; why, when no item could be compared (neither
// response carries the header, an id, a count), says so.
func (s *session) judgeSame(x schemas.Expectation, label string, ref, ex *report.Exchange) (sameDiff, string) {
	other := "step " + x.SameAs
	differs := func(what, want, got string) sameDiff {
		return sameDiff{label + " did not repeat " + other + "'s " + what, want, got}
	}
	items := x.SameItems()
	compared := false
	for _, item := range items {
		a, b, ok := s.sameValues(item, ref, ex)
		if !ok {
			continue
		}
		compared = true
		switch {
		case item == schemas.SameStatus || item == schemas.SameBody:
			if item == schemas.SameStatus && a != b || item == schemas.SameBody && !sameJSON(a, b) {
				return differs(item, describeBody(ref), describeBody(ex)), ""
			}
		case a != b:
			name, isHeader := strings.CutPrefix(item, "header ")
			if isHeader {
				return differs(name+" header", name+": "+a, name+": "+cmp.Or(b, "(absent)")), ""
			}
			return differs(item, item+" "+a, item+" "+cmp.Or(b, "(absent)")), ""
		}
	}
	if !compared {
		return sameDiff{}, other + " and " + label + " do not both carry " + strings.Join(items, ", ")
	}
	return sameDiff{}, ""
}

// sameValues are what item is in ref's response and in ex's, as text; ok
// is false when ref lacks it, or, for an id or a count (evidence of a
// resource, not a promise), when either does.
func (s *session) sameValues(item string, ref, ex *report.Exchange) (a, b string, ok bool) {
	value := func(ex *report.Exchange) (string, bool) {
		res := ex.Response
		switch where, arg, _ := strings.Cut(item, " "); where {
		case schemas.SameStatus:
			return strconv.Itoa(res.Status), true
		case schemas.SameBody:
			if arg != "" {
				return pointerText(res.Body, arg)
			}
			return res.Body, true
		case "header":
			v := res.Header.Get(arg)
			return v, v != ""
		case schemas.SameID:
			if res.Status/100 != 2 {
				return "", false
			}
			return extractID(s.p, res.Body)
		case schemas.SameCount:
			return listCount(res)
		}
		return "", false
	}
	a, okA := value(ref)
	b, okB := value(ex)
	if item == schemas.SameID || item == schemas.SameCount {
		return a, b, okA && okB
	}
	return a, b, okA
}

// listCount counts a list response's resources: a total member if the
// body has one, else the length of its array.
func listCount(res *report.Response) (string, bool) {
	if res.Status/100 != 2 {
		return "", false
	}
	var doc any
	if json.Unmarshal([]byte(res.Body), &doc) != nil {
		return "", false
	}
	n, ok := countItems(doc)
	return strconv.Itoa(n), ok
}

func countItems(doc any) (int, bool) {
	switch v := doc.(type) {
	case []any:
		return len(v), true
	case map[string]any:
		for _, k := range []string{"total", "total_count", "count"} {
			if n, ok := v[k].(float64); ok {
				return int(n), true
			}
		}
		for _, k := range []string{"data", "items", "results", "contacts", "agents"} {
			if n, ok := countItems(v[k]); ok {
				return n, true
			}
		}
	}
	return 0, false
}

func sameJSON(a, b string) bool {
	if a == b {
		return true
	}
	var x, y any
	if json.Unmarshal([]byte(a), &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return bytes.Equal([]byte(a), []byte(b))
	}
	return reflect.DeepEqual(x, y)
}

func describeBody(ex *report.Exchange) string {
	if ex == nil || ex.Response == nil {
		return describe(ex, "")
	}
	b := ex.Response.Body
	if len(b) > 200 {
		b = b[:200] + "…"
	}
	return strconv.Itoa(ex.Response.Status) + " " + b
}
