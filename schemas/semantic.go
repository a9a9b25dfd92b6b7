package schemas

import (
	"encoding/json"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"time"
)

// issue is a semantic problem at a path into the profile.
type issue struct {
	path []string
	msg  string
}

// checkSemantics checks what the profile schema cannot: cross-references to
// the code table, durations, sample bodies, path templates and the envelope
// schema itself (compiled here, once, and kept for Compile).
func checkSemantics(p *Profile, docs []*doc) []Problem {
	var is []issue
	add := func(msg string, path ...string) { is = append(is, issue{path, msg}) }
	checkCodeRefs(p, add)
	if p.RateLimit.Burst.MaxWait != "" {
		if d, err := time.ParseDuration(p.RateLimit.Burst.MaxWait); err != nil || d <= 0 {
			add(fmt.Sprintf("%q is not a positive duration like 65s", p.RateLimit.Burst.MaxWait), "rate_limit", "burst", "max_wait")
		}
	}
	if u, err := url.Parse(p.BaseURL); p.BaseURL != "" && (err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "") {
		add(fmt.Sprintf("%q (after ${VAR} expansion) is not an http:// or https:// URL", p.BaseURL), "base_url")
	}
	checkEndpoints(p.Endpoints, add)
	if p.Auth.Header == "Authorization" && p.Auth.Scheme == "" {
		add("header Authorization needs a scheme such as Bearer", "auth", "scheme")
	}
	env, err := compileEnvelope(p)
	if err != nil {
		add(err.Error(), "envelope", "schema")
	}
	p.envelope = env
	ps := make([]Problem, 0, len(is))
	for _, i := range is {
		ps = append(ps, locate(docs, i.path, nil, i.msg))
	}
	return ps
}

func checkCodeRefs(p *Profile, add func(string, ...string)) {
	known := func(code string) bool { _, ok := p.Codes[code]; return ok }
	sits := make([]string, 0, len(p.Expect))
	for s := range p.Expect {
		sits = append(sits, s)
	}
	sort.Strings(sits)
	for _, s := range sits {
		if c := p.Expect[s]; !known(c) {
			add(fmt.Sprintf("%q is not in codes", c), "expect", s)
		}
	}
	if c := p.Idempotency.MismatchCode; c != "" && !known(c) {
		add(fmt.Sprintf("%q is not in codes", c), "idempotency", "mismatch_code")
	}
	if c := p.RateLimit.Code; c != "" && !known(c) {
		add(fmt.Sprintf("%q is not in codes", c), "rate_limit", "code")
	}
}

func checkEndpoints(e Endpoints, add func(string, ...string)) {
	if e.Item != "" && !strings.Contains(e.Item, "{id}") {
		add("must contain {id}", "endpoints", "item")
	}
	if e.Delete != "" && !strings.Contains(e.Delete, "{id}") {
		add("must contain {id}", "endpoints", "delete")
	}
	for field, body := range map[string]string{"body": e.Create.Body, "invalid_body": e.Create.InvalidBody} {
		if body == "" {
			continue
		}
		if !json.Valid([]byte(strings.ReplaceAll(body, "{{n}}", "1234567"))) {
			add("is not valid JSON (with {{n}} as a number)", "endpoints", "create", field)
		}
	}
	if e.Create.InvalidBody != "" && e.Create.InvalidField == "" {
		add("invalid_body needs invalid_field, the member it breaks", "endpoints", "create")
	}
}
