package checks_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// keyEffect is how one key of the profile format shows that it does
// something: an edit (YAML over erzycall) that changes the dry-run plan, or
// the verdict against the reference server (under fault, when set).
type keyEffect struct {
	edit  string
	plan  bool   // else the verdict
	burst bool   // the verdict needs the rate-limit suite
	fault string // the reference server runs with this fault (both runs)
	// other names where a key is proven instead (auth modes need their own
	// servers) or, for documentation-only keys, what reads them.
	other string
}

// keyEffects covers every leaf key of schemas/profile.schema.json, named by
// its normalised path (the members of an expectation and of a header rule
// once, wherever they appear).
var keyEffects = map[string]keyEffect{
	"name":                                 {edit: "name: other"},
	"description":                          {other: "documentation: errprobe profiles lists it (cmd TestProfiles golden)"},
	"extends":                              {edit: "extends: messaging", plan: true},
	"replace":                              {edit: "replace: [expect]\nexpect: {not_found: NOT_FOUND}"},
	"base_url":                             {edit: "base_url: http://127.0.0.1:9/v9", plan: true},
	"envelope.schema":                      {edit: "envelope: {schema: builtin:messaging}"},
	"envelope.code":                        {edit: "envelope: {code: /error/message}"},
	"envelope.code_optional":               {other: "no reference-server fault leaves the code out of an error; proven in schemas TestCheckError_CodeOptional (a body without a code is no code-known failure for the statuses it names)"},
	"envelope.message":                     {edit: "envelope: {message: /error/nope}"},
	"envelope.details":                     {edit: "envelope: {details: /error/nope}"},
	"envelope.request_id":                  {edit: "envelope: {request_id: /error/nope}"},
	"envelope.status":                      {edit: "envelope: {status: /error/code}"},
	"envelope.content_types":               {edit: "envelope: {content_types: [text/plain]}"},
	"envelope.status_schemas.*":            {edit: "envelope: {status_schemas: {'404': {type: object, required: [nope]}}}"},
	"codes.*.status":                       {edit: "codes: {NOT_FOUND: {status: 410}}"},
	"codes.*.routes.*":                     {edit: "codes: {NOT_FOUND: {status: 404, routes: {'GET /api/v1/contacts/{id}': 410}}}"},
	"codes.*.retryable":                    {other: "documentation: a client's retry hint, written into profiles for readers; no probe reads it"},
	"codes.*.description":                  {other: "documentation: the reference server's problem+json titles (fixtures)"},
	"codes.*.match":                        {edit: "codes: {MISSING: {status: 404, match: '^[A-Z_]+$'}}", fault: "unknown-code"},
	"codes.*.schema":                       {edit: "codes: {NOT_FOUND: {status: 404, schema: {type: object, required: [nope]}}}"},
	"headerRule.required":                  {edit: "codes: {NOT_FOUND: {status: 404, headers: {X-Nope: {required: true}}}}"},
	"headerRule.forbidden":                 {edit: "codes: {NOT_FOUND: {status: 404, headers: {X-Request-ID: {forbidden: true}}}}"},
	"headerRule.pattern":                   {edit: "codes: {NOT_FOUND: {status: 404, headers: {X-Request-ID: {pattern: '^nope$'}}}}"},
	"auth.header":                          {edit: "auth: {header: X-Key}", plan: true},
	"auth.scheme":                          {edit: "auth: {scheme: Token}", plan: true},
	"auth.query_param":                     {edit: "auth: {query_param: k}", plan: true},
	"auth.keys.valid":                      {edit: "auth: {keys: {valid: nope}}"},
	"auth.keys.revoked":                    {edit: "auth: {keys: {revoked: ''}}"},
	"auth.keys.expired":                    {edit: "auth: {keys: {expired: ''}}"},
	"auth.keys.no_scope":                   {edit: "auth: {keys: {no_scope: ''}}"},
	"auth.keys.other_tenant":               {edit: "auth: {keys: {other_tenant: ''}}"},
	"auth.basic.username":                  {other: "auth modes: cmd TestRunDemo auth matrix and fixtures serve --auth basic (h14)"},
	"auth.basic.password":                  {other: "auth modes: cmd TestRunDemo auth matrix and fixtures serve --auth basic (h14)"},
	"auth.oauth2.token_url":                {other: "auth modes: checks/cmd oauth2 tests (h14)"},
	"auth.oauth2.client_id":                {other: "auth modes: checks/cmd oauth2 tests (h14)"},
	"auth.oauth2.client_secret":            {other: "auth modes: checks/cmd oauth2 tests (h14)"},
	"auth.oauth2.scopes":                   {other: "auth modes: checks/cmd oauth2 tests (h14)"},
	"auth.token_command":                   {other: "auth modes: checks/cmd token_command tests (h14)"},
	"auth.tls.cert":                        {other: "auth modes: cmd mTLS run test (h14)"},
	"auth.tls.key":                         {other: "auth modes: cmd mTLS run test (h14)"},
	"auth.tls.ca_cert":                     {other: "auth modes: cmd mTLS run test (h14)"},
	"request_id.header":                    {edit: "request_id: {header: X-Nope}"},
	"request_id.pointer":                   {edit: "request_id: {pointer: /error/nope}"},
	"idempotency.header":                   {edit: "idempotency: {header: X-Idem}", plan: true},
	"idempotency.replay_header":            {edit: "idempotency: {replay_header: X-Replayed}"},
	"idempotency.mismatch_code":            {edit: "idempotency: {mismatch_code: CONFLICT}"},
	"idempotency.concurrency":              {edit: "idempotency: {concurrency: 3}", plan: true},
	"rate_limit: none":                     {edit: "rate_limit: none", plan: true},
	"rate_limit.headers":                   {edit: "rate_limit: {headers: ietf}", burst: true},
	"rate_limit.limit_header":              {edit: "rate_limit: {limit_header: X-Nope}", burst: true},
	"rate_limit.remaining_header":          {edit: "rate_limit: {remaining_header: X-Nope}", burst: true},
	"rate_limit.reset_header":              {edit: "rate_limit: {reset_header: X-Nope}", burst: true},
	"rate_limit.reset":                     {edit: "rate_limit: {reset: delta}", burst: true},
	"rate_limit.retry_after":               {edit: "rate_limit: {retry_after: false}", burst: true, fault: "missing-retry-after"},
	"rate_limit.code":                      {edit: "rate_limit: {code: CONFLICT}", burst: true},
	"rate_limit.route":                     {other: "rate limits: checks ratelimit route tests (h11)"},
	"rate_limit.rate":                      {other: "rate limits: checks pacing tests (h11)"},
	"rate_limit.burst.max_requests":        {edit: "rate_limit: {burst: {max_requests: 3}}", burst: true},
	"rate_limit.burst.concurrency":         {other: "burst workers: checks burst tests (h11)"},
	"rate_limit.burst.max_wait":            {edit: "rate_limit: {burst: {max_wait: 1ms}}", burst: true},
	"endpoints.list":                       {edit: "endpoints: {list: GET /api/v1/contacts?x=1}", plan: true},
	"endpoints.create.method":              {edit: "endpoints: {create: {method: PUT}}", plan: true},
	"endpoints.create.path":                {edit: "endpoints: {create: {path: /api/v1/people}}", plan: true},
	"endpoints.create.body":                {edit: "endpoints: {create: {body: '{\"name\":\"x\",\"phone\":\"+1415{{n}}\"}'}}", plan: true},
	"endpoints.create.content_type":        {edit: "endpoints: {create: {content_type: application/vnd.api+json}}", plan: true},
	"endpoints.create.invalid_body":        {edit: "endpoints: {create: {invalid_body: '{}'}}", plan: true},
	"endpoints.create.invalid_field":       {edit: "endpoints: {create: {invalid_field: nope}}"},
	"endpoints.create.body_optional":       {edit: "endpoints: {create: {body_optional: true}}", plan: true},
	"endpoints.create.id_pointer":          {edit: "endpoints: {create: {id_pointer: /nope}}"},
	"endpoints.item":                       {edit: "endpoints: {item: '/api/v1/people/{id}'}", plan: true},
	"endpoints.item_methods":               {edit: "endpoints: {item_methods: [GET, PATCH]}", plan: true},
	"endpoints.missing_id":                 {edit: "endpoints: {missing_id: ct_11111111111111111111}", plan: true},
	"endpoints.malformed_id":               {edit: "endpoints: {malformed_id: bad-id}", plan: true},
	"endpoints.other_tenant_id":            {edit: "endpoints: {other_tenant_id: ct_22222222222222222222}", plan: true},
	"endpoints.scoped":                     {edit: "endpoints: {scoped: DELETE /api/v1/contacts/ct_00000000000000000000}", plan: true},
	"endpoints.delete_status":              {edit: "endpoints: {delete_status: [204, 200]}", fault: "delete-200-body"},
	"endpoints.delete":                     {edit: "endpoints: {delete: 'POST /api/v1/contacts/{id}/cancel'}", plan: true},
	"endpoints.unknown_route":              {edit: "endpoints: {unknown_route: /nope}", plan: true},
	"endpoints.server_error":               {edit: "endpoints: {server_error: GET /api/v1/crash}", plan: true},
	"expectation.code":                     {edit: "expect: {not_found: {code: INVALID_ID}}"},
	"expectation.code_pattern":             {edit: "expect: {not_found: {code_pattern: '^X'}}"},
	"expectation.status":                   {edit: "expect: {not_found: {status: 418}}"},
	"expectation.guess":                    {edit: "expect: {not_found: {status: 404, code: NOT_FOUND, guess: the usual status}}", fault: "wrong-status"},
	"probes.name":                          {edit: "probes: [{name: b, request: {path: /x}, expect: {status: 404}}]"},
	"probes.description":                   {other: "documentation: carried on the probe (checks.Probe.Description) for readers"},
	"probes.severity":                      {edit: "probes: [{name: a, request: {path: /x}, expect: {status: 404}, severity: warning}]"},
	"probes.request.method":                {edit: "probes: [{name: a, request: {path: /x, method: HEAD}, expect: {status: 404}}]", plan: true},
	"probes.request.path":                  {edit: "probes: [{name: a, request: {path: /y}, expect: {status: 404}}]", plan: true},
	"probes.request.key":                   {edit: "probes: [{name: a, request: {path: /x, key: none}, expect: {status: 404}}]", plan: true},
	"probes.request.body":                  {edit: "probes: [{name: a, request: {path: /x, body: '{}'}, expect: {status: 404}}]", plan: true},
	"probes.request.content_type":          {edit: "probes: [{name: a, request: {path: /x, body: 'x', content_type: text/plain}, expect: {status: 404}}]", plan: true},
	"probes.request.headers.*":             {edit: "probes: [{name: a, request: {path: /x, headers: {X-A: b}}, expect: {status: 404}}]", plan: true},
	"probes.steps.[].request.method":       {edit: "probes: [{name: a, steps: [{request: {path: /x, method: HEAD}, expect: {status: 404}}]}]", plan: true},
	"probes.steps.[].request.path":         {edit: "probes: [{name: a, steps: [{request: {path: /y}, expect: {status: 404}}]}]", plan: true},
	"probes.steps.[].request.key":          {edit: "probes: [{name: a, steps: [{request: {path: /x, key: none}, expect: {status: 404}}]}]", plan: true},
	"probes.steps.[].request.body":         {edit: "probes: [{name: a, steps: [{request: {path: /x, body: '{}'}, expect: {status: 404}}]}]", plan: true},
	"probes.steps.[].request.content_type": {edit: "probes: [{name: a, steps: [{request: {path: /x, body: 'x', content_type: text/plain}, expect: {status: 404}}]}]", plan: true},
	"probes.steps.[].request.headers.*":    {edit: "probes: [{name: a, steps: [{request: {path: /x, headers: {X-A: b}}, expect: {status: 404}}]}]", plan: true},
	"probes.steps.[].capture.*":            {edit: "probes: [{name: a, steps: [{request: {path: /x}, expect: {status: 404}, capture: {v: header X-Nope}}, {request: {path: '/y/{{v}}'}, expect: {status: 404}}]}]"},
	"expectation.any_of":                   {edit: "expect: {not_found: {any_of: [{status: 418}, {code: INVALID_ID}]}}"},
	"expectation.same_as":                  {edit: "probes: [{name: a, steps: [{name: s, request: {path: /x}, expect: {status: 404}}, {request: {path: /api/v1/contacts}, expect: {same_as: s}}]}]"},
	"expectation.same":                     {edit: "probes: [{name: a, steps: [{name: s, request: {path: /x}, expect: {status: 404}}, {request: {path: /api/v1/contacts}, expect: {same_as: s, same: [body /error/code]}}]}]"},
	"probes.steps.[].name":                 {edit: "probes: [{name: a, steps: [{name: s, request: {path: /x}, expect: {status: 404}}, {request: {path: /api/v1/contacts}, expect: {same_as: s}}]}]"},
	"accept.*":                             {edit: "accept: {envelope.consistent-shape: the hint member is documented}", fault: "inconsistent-shape"},
	"severity.*.level":                     {edit: "severity: {envelope.consistent-shape: {level: error, reason: r}}"},
	"severity.*.reason":                    {edit: "severity: {envelope.consistent-shape: {level: warning, reason: r}}"},
}

// situationEdits: each expect.SITUATION, by the check that reads it.
var situationEdits = map[string]keyEffect{}

func init() {
	for _, sit := range []string{"missing_key", "invalid_key", "revoked_key", "expired_key", "missing_scope",
		"malformed_json", "wrong_content_type", "validation", "not_found", "invalid_id", "cross_tenant",
		"unknown_route", "method_not_allowed", "conflict", "internal"} {
		e := keyEffect{edit: "expect: {" + sit + ": {status: 418}}"}
		if sit == "internal" {
			e.edit += "\nendpoints: {server_error: GET /api/v1/crash}"
		}
		situationEdits["expect."+sit] = e
	}
	situationEdits["expect.idempotency_mismatch"] = keyEffect{edit: "idempotency: {mismatch_code: null}\nexpect: {idempotency_mismatch: {status: 418}}"}
	situationEdits["expect.idempotency_in_flight"] = keyEffect{edit: "expect: {idempotency_in_flight: {status: 409, code: CONFLICT}}", fault: "idempotency-in-progress"}
	situationEdits["expect.rate_limited"] = keyEffect{edit: "rate_limit: {code: null}\nexpect: {rate_limited: {code_pattern: '^X'}}", burst: true}
}

// schemaKeys walks the profile schema and returns every leaf key,
// normalised.
func schemaKeys(t *testing.T) []string {
	var doc map[string]any
	if err := json.Unmarshal(schemas.ProfileSchema(), &doc); err != nil {
		t.Fatal(err)
	}
	defs := doc["$defs"].(map[string]any)
	seen := map[string]bool{}
	var walk func(s map[string]any, path []string, refs map[string]bool)
	walk = func(s map[string]any, path []string, refs map[string]bool) {
		if ref, ok := s["$ref"].(string); ok {
			name := ref[strings.LastIndexByte(ref, '/')+1:]
			if !refs[name] {
				next := map[string]bool{name: true}
				for k := range refs {
					next[k] = true
				}
				walk(defs[name].(map[string]any), path, next)
			}
			return
		}
		leaf := true
		for _, k := range []string{"oneOf", "anyOf"} {
			for _, x := range asList(s[k]) {
				if m, ok := x.(map[string]any); ok {
					walk(m, path, refs)
				}
			}
		}
		// A scalar a mapping key may be instead (rate_limit: none) is a
		// key of its own: "rate_limit: none".
		if then, ok := s["then"].(map[string]any); ok {
			if c, ok := then["const"].(string); ok {
				seen[normalise(path)+": "+c] = true
			}
		}
		if props, ok := s["properties"].(map[string]any); ok {
			leaf = false
			for k, v := range props {
				walk(v.(map[string]any), append(slices.Clone(path), k), refs)
			}
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			leaf = false
			walk(ap, append(slices.Clone(path), "*"), refs)
		}
		if it, ok := s["items"].(map[string]any); ok {
			target := it
			if ref, ok := it["$ref"].(string); ok {
				target, _ = defs[ref[strings.LastIndexByte(ref, '/')+1:]].(map[string]any)
			}
			if _, obj := target["properties"]; obj {
				leaf = false
				walk(it, append(slices.Clone(path), "[]"), refs)
			}
		}
		_, typed := s["type"]
		_, enum := s["enum"]
		if leaf && len(path) > 0 && s["oneOf"] == nil && s["anyOf"] == nil && (typed || enum) {
			seen[normalise(path)] = true
		}
	}
	walk(doc, nil, map[string]bool{})
	out := make([]string, 0, len(seen))
	for k := range seen {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func asList(v any) []any { l, _ := v.([]any); return l }

// normalise names a schema path as keyEffects does.
func normalise(path []string) string {
	for i := len(path) - 2; i >= 0; i-- {
		if path[i] == "headers" && path[i+1] == "*" && i+2 < len(path) {
			return "headerRule." + strings.Join(path[i+2:], ".")
		}
	}
	for i, tok := range path {
		switch {
		case tok != "expect":
		case i == 0 && len(path) == 2:
			return "expect." + path[1]
		case i == 0 && len(path) > 2:
			return "expectation." + strings.Join(path[2:], ".")
		case i > 0 && i+1 < len(path):
			return "expectation." + strings.Join(path[i+1:], ".")
		}
	}
	if path[0] == "probes" && len(path) > 2 {
		return "probes." + strings.Join(path[2:], ".")
	}
	return strings.Join(path, ".")
}

// TestProfileSchema_EveryKeyDoesSomething walks the profile JSON Schema:
// every key has an effect in keyEffects, and each edit changes the dry-run
// plan or the verdict against the reference server.
func TestProfileSchema_EveryKeyDoesSomething(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("runs the reference server once per key")
	}
	effects := map[string]keyEffect{}
	for k, v := range keyEffects {
		effects[k] = v
	}
	for k, v := range situationEdits {
		effects[k] = v
	}
	keys := schemaKeys(t)
	for _, k := range keys {
		if _, ok := effects[k]; !ok {
			t.Errorf("profile key %s has no entry in keyEffects: show what it changes", k)
		}
	}
	for k := range effects {
		if !slices.Contains(keys, k) {
			t.Errorf("keyEffects has %s, which the profile schema does not", k)
		}
	}
	dir := t.TempDir()
	base := "extends: erzycall\nbase_url: http://127.0.0.1:9\nprobes: [{name: a, request: {path: /x}, expect: {status: 404}}]\n"
	// Every profile is p.yaml in a folder of its own: a profile without a
	// name is reported by its file name, which must not differ by edit.
	write := func(name, src string) string {
		p := filepath.Join(dir, strings.TrimSuffix(name, ".yaml"), "p.yaml")
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	basePath := write("base.yaml", base)
	type outcome struct{ plan, verdict string }
	baselines := map[string]outcome{}
	measure := func(t *testing.T, path string, e keyEffect) outcome {
		clk := fakeClock()
		srv, err := fixtures.Start(context.Background(), "127.0.0.1:0", mustBuiltin(t), fixtures.WithFaults(faultList(e.fault)...),
			fixtures.WithRateLimit(demoRate, demoWindow), fixtures.WithClock(clk.Now))
		if err != nil {
			t.Fatal(err)
		}
		defer srv.Close()
		p, err := schemas.Load(path, srv.Keys.Getenv(nil))
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		p.RateLimit.Burst.MaxWait = cmpOr(p.RateLimit.Burst.MaxWait, "3s")
		c, err := schemas.Compile(p)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
		defer cancel()
		var o outcome
		if e.plan {
			rep, err := checks.Run(ctx, checks.Config{Contract: c, DryRun: true, MaxRequests: 1500})
			if err != nil {
				t.Fatal(err)
			}
			o.plan = planPrint(rep)
			return o
		}
		cfg := checks.Config{Contract: c, BaseURL: srv.URL, MaxRequests: 1500, Concurrency: 4, Clock: clk}
		if !e.burst {
			cfg.Skip = []string{report.SuiteRateLimit}
		}
		rep, err := checks.Run(ctx, cfg)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		o.verdict = verdictPrint(rep)
		return o
	}
	var baselineMu sync.Mutex // the subtests run in parallel; each baseline is measured once
	baseline := func(t *testing.T, e keyEffect) outcome {
		id := fmt.Sprint(e.plan, e.burst, e.fault)
		baselineMu.Lock()
		defer baselineMu.Unlock()
		if o, ok := baselines[id]; ok {
			return o
		}
		o := measure(t, basePath, e)
		baselines[id] = o
		return o
	}
	names := make([]string, 0, len(effects))
	for k := range effects {
		names = append(names, k)
	}
	sort.Strings(names)
	for i, k := range names {
		e := effects[k]
		t.Run(k, func(t *testing.T) {
			t.Parallel()
			if e.other != "" {
				t.Logf("%s: %s", k, e.other)
				return
			}
			before := baseline(t, e)
			src := "extends: ../base/p.yaml\n" + e.edit + "\n"
			if strings.HasPrefix(e.edit, "extends:") {
				src = e.edit + "\nbase_url: http://127.0.0.1:9\n"
			}
			after := measure(t, write(fmt.Sprintf("edit%d.yaml", i), src), e)
			if before == after {
				t.Errorf("edit %q changes neither the plan nor the verdict", e.edit)
			}
		})
	}
}

func mustBuiltin(t *testing.T) *schemas.Profile {
	p, err := schemas.Builtin("erzycall", func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func faultList(f string) []string {
	if f == "" {
		return nil
	}
	return []string{f}
}

func cmpOr(v, def string) string {
	if v == "" || v == "65s" {
		return def
	}
	return v
}

func planPrint(rep *report.Report) string {
	var b strings.Builder
	for _, r := range rep.Planned {
		names := make([]string, 0, len(r.Header))
		for n := range r.Header {
			if n != "User-Agent" {
				names = append(names, n+"="+strings.Join(r.Header[n], ","))
			}
		}
		sort.Strings(names)
		fmt.Fprintf(&b, "%s %s %v %q\n", r.Method, r.URL, names, r.Body)
	}
	return b.String()
}

func verdictPrint(rep *report.Report) string {
	lines := []string{"profile " + rep.Profile}
	for _, r := range rep.Results {
		lines = append(lines, fmt.Sprintf("%s|%s|%s|%s|%s|%s", r.Check, r.Probe, r.Status, r.Severity, r.SeverityReason, r.Message))
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}
