package schemas

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// placeholder is a {{NAME}} in a custom probe's request; the engine's own
// are {{n}} and {{key:ROLE}}, {{basic:ROLE}}, {{password:ROLE}}.
var placeholder = regexp.MustCompile(`\{\{([A-Za-z_][A-Za-z0-9_]*)(?::[a-z_]+)?\}\}`)

// probeVar is a ${VAR} in a custom probe's request (the $VAR form is not
// expanded there: bodies may hold a literal $).
var probeVar = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}`)

// builtinPlaceholders are the {{…}} the engine fills itself.
var builtinPlaceholders = map[string]bool{"n": true, "key": true, "basic": true, "password": true}

// checkProbe checks a custom probe: request and expect or steps, each
// step's expectation, bodies, control characters, and that every {{NAME}}
// is captured by an earlier step.
func checkProbe(p *Profile, pr Probe, add func(string, ...string), at ...string) {
	path := func(k ...string) []string { return append(at[:len(at):len(at)], k...) }
	single := pr.Request.Path != "" || !pr.Expect.IsZero()
	switch {
	case len(pr.Steps) > 0 && single:
		add("give request and expect, or steps, not both", path("steps")...)
		return
	case len(pr.Steps) == 0 && pr.Request.Path == "":
		add("needs request (with a path) and expect, or steps", at...)
		return
	case len(pr.Steps) == 0 && pr.Expect.IsZero():
		add("needs expect (what the response must be)", at...)
		return
	}
	captured, named := map[string]bool{}, map[string]bool{}
	for i, st := range pr.StepList() {
		sp := path()
		if len(pr.Steps) > 0 {
			sp = path("steps", strconv.Itoa(i))
		}
		sub := func(k ...string) []string { return append(sp[:len(sp):len(sp)], k...) }
		x := st.Expect
		x.SameAs, x.Same = "", nil // judged against the earlier steps below
		checkExpectation(p, x, add, sub("expect")...)
		checkSame(st.Expect, named, add, sub("expect")...)
		checkStepRequest(st.Request, captured, add, sub("request")...)
		for name := range st.Capture {
			captured[name] = true
		}
		if st.Name != "" && named[st.Name] {
			add(fmt.Sprintf("step name %q is used twice", st.Name), sub("name")...)
		}
		named[st.Name] = st.Name != ""
	}
}

// checkSame checks a step's comparison with an earlier step: same_as names
// one (named is the earlier steps' names), same lists known items.
func checkSame(e Expectation, named map[string]bool, add func(string, ...string), at ...string) {
	path := func(k ...string) []string { return append(at[:len(at):len(at)], k...) }
	switch {
	case e.SameAs == "" && len(e.Same) > 0:
		add("same needs same_as (the name of the earlier step to compare with)", path("same")...)
	case e.SameAs != "" && !named[e.SameAs]:
		add(fmt.Sprintf("%q is not the name of an earlier step (name it: steps: [{name: %s, request: …}, …])", e.SameAs, e.SameAs), path("same_as")...)
	}
	for i, item := range e.Same {
		if !sameItem.MatchString(item) {
			add(fmt.Sprintf("%q is not status, body, id, count, body /json/pointer or header Header-Name", item), path("same", strconv.Itoa(i))...)
		}
	}
}

func checkStepRequest(rq ProbeRequest, captured map[string]bool, add func(string, ...string), at ...string) {
	path := func(k ...string) []string { return append(at[:len(at):len(at)], k...) }
	uncaptured := func(s string, where ...string) {
		for _, m := range placeholder.FindAllStringSubmatch(s, -1) {
			if !builtinPlaceholders[m[1]] && !captured[m[1]] {
				add(fmt.Sprintf("{{%s}} is not captured by an earlier step (capture: {%s: body /pointer})", m[1], m[1]), where...)
				return
			}
		}
	}
	uncaptured(rq.Path, path("path")...)
	for _, name := range sortedKeys(rq.Headers) {
		uncaptured(rq.Headers[name], path("headers", name)...)
	}
	if b := rq.Body; b != nil {
		uncaptured(*b, path("body")...)
		if rq.ContentType == "" && *b != "" && !json.Valid([]byte(placeholder.ReplaceAllString(*b, "1234567"))) {
			add("is not valid JSON (with {{n}} as a number); give content_type for other bodies", path("body")...)
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

// expandProbeEnv records, for each custom probe, the values of the ${VAR}s
// its requests use (Env) and the variables the environment leaves unset
// (Unset). The requests keep ${VAR} as written; the engine expands them.
func expandProbeEnv(p *Profile, getenv func(string) string) {
	for i := range p.Probes {
		pr := &p.Probes[i]
		for _, st := range pr.StepList() {
			for _, s := range requestTexts(st.Request) {
				for _, m := range probeVar.FindAllStringSubmatch(s, -1) {
					name := m[1]
					if _, done := pr.Env[name]; done || slices.Contains(pr.Unset, name) {
						continue
					}
					if v := getenv(name); v != "" {
						if pr.Env == nil {
							pr.Env = map[string]string{}
						}
						pr.Env[name] = v
					} else {
						pr.Unset = append(pr.Unset, name)
					}
				}
			}
		}
	}
}

// requestTexts are the parts of a request that may hold ${VAR}.
func requestTexts(rq ProbeRequest) []string {
	out := []string{rq.Path}
	for _, k := range sortedKeys(rq.Headers) {
		out = append(out, rq.Headers[k])
	}
	if rq.Body != nil {
		out = append(out, *rq.Body)
	}
	return out
}

// ExpandVars replaces the ${VAR}s of s with their values in env (a
// probe's Env); one env does not hold stays as written.
func ExpandVars(s string, env map[string]string) string {
	if !strings.Contains(s, "${") {
		return s
	}
	return probeVar.ReplaceAllStringFunc(s, func(m string) string {
		if v, ok := env[m[2:len(m)-1]]; ok {
			return v
		}
		return m
	})
}

// VarsIn lists the ${VAR} names s uses, in order.
func VarsIn(s string) []string {
	var out []string
	for _, m := range probeVar.FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	return out
}

// Lookup returns the value at JSON Pointer ptr in doc (decoded JSON).
func Lookup(doc any, ptr string) (any, bool) { return lookupPointer(doc, ptr) }
