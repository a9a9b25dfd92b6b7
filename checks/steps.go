package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// runData is the engine every data probe runs through: build each request
// (filling {{n}} and the values earlier steps captured), send it, judge the
// response against its expectations (each for its check, an earlier
// step's response at hand for same_as), capture what later steps use.
// Every request that breaks a check records its own failure, with the
// earlier requests as its set-up; a capture that finds nothing fails its
// step and the later steps are not sent. A dry run lists every step and
// judges nothing.
func (s *session) runData(ctx context.Context, o *outcome, dp Probe) {
	vars := map[string]string{"n": s.expandN("{{n}}")}
	named := map[string]*report.Exchange{}
	var sent []*report.Exchange
	v := newVerdicts(dp)
	also := newAlsoJudge(dp.Also)
	for i, rq := range dp.Requests {
		ex := s.do(ctx, o, s.dataCall(rq, vars))
		if s.cfg.DryRun {
			capture(s.p, ex, rq.Capture, vars, true)
			continue
		}
		if !rq.Setup {
			also.judge(s, ex, rq)
		} else {
			also.judgeOnly(s, ex, rq, report.ResourcesCreateHeaders) // every successful create
		}
		st := step{label: stepLabel(rq, i), ex: ex, named: named}
		r, j := s.judgeExpect(dp, rq.Expect, st)
		stop := ""
		if why := capture(s.p, ex, rq.Capture, vars, false); why != "" {
			stop = why
			if j == judgedMet || j == judgedNothing {
				r, j = s.failStep(dp, ex, why, "the step's response to carry what it captures"), judgedBroken
			}
		}
		if rq.Setup && j == judgedBroken {
			s.skipAll(o, dp, "no evidence: the set-up request "+ex.Request.Method+" "+pathOnly(rq.Path)+" did not succeed: "+oneLineOf(r.Message))
			return
		}
		s.untrackDeleted(rq, ex, vars)
		if left := len(dp.Requests) - i - 1; stop != "" && left > 0 {
			r.Message += fmt.Sprintf("; the %d later step(s) were not sent", left)
		}
		v.add(r, j, sent)
		for _, x := range rq.AlsoExpect {
			r, j := s.judgeExpect(dp, x, st)
			v.add(r, j, sent)
		}
		sent = append(sent, ex)
		if rq.Name != "" {
			named[rq.Name] = ex
		}
		if stop != "" {
			break
		}
	}
	v.record(o)
	also.record(o)
}

func (s *session) failStep(dp Probe, ex *report.Exchange, msg, want string) report.Result {
	r := newResult(dp.Check, dp.Name, report.StatusFail)
	r.Message, r.Expected, r.Actual, r.Exchange = msg, want, describe(ex, s.code(ex)), ex
	return r
}

// stepLabel names a step in messages: its name, else its number.
func stepLabel(rq ProbeRequest, i int) string {
	if rq.Name != "" {
		return "step " + rq.Name
	}
	return "step " + strconv.Itoa(i+1)
}

// judged is what one expectation made of one response.
type judged int

const (
	judgedMet     judged = iota // the response meets it
	judgedBroken                // a failure
	judgedSkip                  // it cannot be judged (the expect table lacks the situation)
	judgedNothing               // no evidence: nothing it compares was there
)

// verdicts gathers a probe's verdicts per check: every failure, else the
// first skip, else a pass (the last response that met it), else the first
// want of evidence.
type verdicts struct {
	order               []string
	fails               map[string][]report.Result
	skip, pass, nothing map[string]*report.Result
}

func newVerdicts(dp Probe) *verdicts {
	return &verdicts{order: []string{dp.Check}, fails: map[string][]report.Result{},
		skip: map[string]*report.Result{}, pass: map[string]*report.Result{}, nothing: map[string]*report.Result{}}
}

// add keeps one judgement; sent are the requests before it (the set-up of
// a failure).
func (v *verdicts) add(r report.Result, j judged, sent []*report.Exchange) {
	if !slices.Contains(v.order, r.Check) {
		v.order = append(v.order, r.Check)
	}
	switch j {
	case judgedBroken:
		r.Setup = append([]*report.Exchange(nil), sent...)
		v.fails[r.Check] = append(v.fails[r.Check], r)
	case judgedSkip:
		if v.skip[r.Check] == nil {
			v.skip[r.Check] = &r
		}
	case judgedMet:
		v.pass[r.Check] = &r
	case judgedNothing:
		if v.nothing[r.Check] == nil {
			v.nothing[r.Check] = &r
		}
	}
}

func (v *verdicts) record(o *outcome) {
	for _, c := range v.order {
		switch {
		case len(v.fails[c]) > 0:
			for _, r := range v.fails[c] {
				o.add(r)
			}
		case v.skip[c] != nil:
			o.add(*v.skip[c])
		case v.pass[c] != nil:
			o.add(*v.pass[c])
		case v.nothing[c] != nil:
			o.add(*v.nothing[c])
		}
	}
}

// skipAll skips every check of a probe with reason.
func (s *session) skipAll(o *outcome, dp Probe, reason string) {
	for _, c := range append([]string{dp.Check}, dp.Also...) {
		o.skip(c, reason)
	}
}

// untrackDeleted forgets a captured resource a DELETE removed (2xx), so
// the clean-up does not delete it again.
func (s *session) untrackDeleted(rq ProbeRequest, ex *report.Exchange, vars map[string]string) {
	if rq.Method != http.MethodDelete || ex.Response == nil || ex.Response.Status/100 != 2 {
		return
	}
	for _, m := range stepVar.FindAllStringSubmatch(rq.Path, -1) {
		if v, ok := vars[m[1]]; ok && m[1] != "n" {
			s.untrack(v)
		}
	}
}

func oneLineOf(s string) string { return strings.Join(strings.Fields(s), " ") }

// capture fills vars from a step's response: NAME → "body /pointer" or
// "header Name". It says what it could not find ("" when all were found);
// a dry run captures placeholders.
func capture(p *schemas.Profile, ex *report.Exchange, spec map[string]string, vars map[string]string, dry bool) string {
	for _, name := range sortedNames(spec) {
		where, arg, _ := strings.Cut(spec[name], " ")
		if dry {
			vars[name] = "{" + name + "}"
			continue
		}
		if ex == nil || ex.Response == nil {
			return "capture " + name + ": no response (" + describe(ex, "") + ")"
		}
		v, ok := "", false
		switch where {
		case "id":
			if ex.Response.Status/100 == 2 {
				v, ok = extractID(p, ex.Response.Body)
			}
			arg = "resource id (endpoints.create.id_pointer)"
		case "header":
			v = ex.Response.Header.Get(arg)
			ok = v != ""
		case "body":
			v, ok = pointerText(ex.Response.Body, arg)
		}
		if !ok {
			return "capture " + name + ": no " + arg + " " + map[string]string{"header": "header", "body": "in the body"}[where]
		}
		vars[name] = v
	}
	return ""
}

// pointerText is the value at a JSON Pointer of a JSON body as text (a
// string as is, anything else as JSON).
func pointerText(body, ptr string) (string, bool) {
	var doc any
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	if d.Decode(&doc) != nil {
		return "", false
	}
	v, ok := schemas.Lookup(doc, ptr)
	if !ok || v == nil {
		return "", false
	}
	if str, isStr := v.(string); isStr {
		return str, str != ""
	}
	b, _ := json.Marshal(v)
	return string(b), true
}

func sortedNames(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

var stepVar = regexp.MustCompile(`\{\{([A-Za-z_][A-Za-z0-9_]*)\}\}`)

// fill replaces {{n}} and the captured {{NAME}}s of text; escape applies
// to each value (path segments are escaped, bodies and headers not).
func fill(text string, vars map[string]string, escape func(string) string) string {
	if !strings.Contains(text, "{{") {
		return text
	}
	return stepVar.ReplaceAllStringFunc(text, func(m string) string {
		v, ok := vars[m[2:len(m)-2]]
		if !ok {
			return m
		}
		if escape != nil {
			return escape(v)
		}
		return v
	})
}

// fillPath fills a path: a value that is a whole path or URL (a captured
// Location) stays as is, others are escaped as a path segment.
func fillPath(path string, vars map[string]string) string {
	return fill(path, vars, func(v string) string {
		if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "http://") || strings.HasPrefix(v, "https://") || strings.HasPrefix(v, "{") {
			return v
		}
		return url.PathEscape(v)
	})
}
