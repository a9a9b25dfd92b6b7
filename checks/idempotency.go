package checks

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

func idempotencyProbes(p *schemas.Profile) []Probe {
	skip := ""
	switch {
	case p.Idempotency.Header == "":
		skip = "idempotency.header not set (the profile promises no idempotency keys)"
	case p.Endpoints.Create.Path == "":
		skip = "endpoints.create not set"
	}
	mismatch := skip
	if _, ok := p.Expectation(schemas.ExpectIdempotencyMismatch); mismatch == "" && p.Idempotency.MismatchCode == "" && !ok {
		mismatch = "neither idempotency.mismatch_code nor expect.idempotency_mismatch is set"
	}
	return []Probe{
		replayProbe(p, skip),
		mismatchProbe(p, mismatch),
		{Name: "concurrent", Suite: report.SuiteIdempotency, Check: report.IdempotencyConcurrent, Skip: skip, Serial: true,
			exec: probeConcurrent},
	}
}

// replayProbe sends one create twice with one fresh key. The replay must
// repeat the create's status and body (idempotency.replay); carry the
// create's Location and endpoints.create.headers with the create's values,
// and idempotency.replay_header, which the create does not carry
// (replay-headers); and create nothing: the create's id, and the list's
// count unchanged where the profile has a list (no-duplicate).
func replayProbe(p *schemas.Profile, skip string) Probe {
	cr := p.Endpoints.Create
	body := cr.Body
	create := ProbeRequest{Name: "create", Method: createMethod(p), Path: cr.Path, Key: schemas.KeyValid, Body: &body,
		ContentType: createType(p), Headers: map[string]string{p.Idempotency.Header: "errprobe-{{n}}-replay"},
		Expect: ProbeExpect{Success: true}, Setup: true}
	replay := create
	replay.Name, replay.Setup = "replay", false
	replay.Expect = ProbeExpect{Rule: &schemas.Expectation{SameAs: "create", Same: []string{schemas.SameStatus, schemas.SameBody}}}
	carried := []string{"header Location"}
	for _, n := range slices.Sorted(maps.Keys(cr.Headers)) {
		if http.CanonicalHeaderKey(n) != "Location" {
			carried = append(carried, "header "+n)
		}
	}
	replay.AlsoExpect = []ProbeExpect{
		{Check: report.IdempotencyReplayHdrs, Rule: &schemas.Expectation{SameAs: "create", Same: carried}},
		{Check: report.IdempotencyNoDuplicate, Rule: &schemas.Expectation{SameAs: "create", Same: []string{schemas.SameID}}},
	}
	if rh := p.Idempotency.ReplayHeader; rh != "" {
		create.AlsoExpect = []ProbeExpect{{Check: report.IdempotencyReplayHdrs, From: "idempotency.replay_header: a replay's mark, not the create's",
			Rule: &schemas.Expectation{Headers: map[string]schemas.HeaderRule{rh: {Forbidden: true}}}}}
		replay.AlsoExpect = append(replay.AlsoExpect, ProbeExpect{Check: report.IdempotencyReplayHdrs, From: "idempotency.replay_header",
			Rule: &schemas.Expectation{Headers: map[string]schemas.HeaderRule{rh: {Required: true}}}})
	}
	dp := Probe{Name: "replay", Suite: report.SuiteIdempotency, Check: report.IdempotencyReplay, Skip: skip, Serial: true,
		Requests: []ProbeRequest{create, replay}}
	if p.Endpoints.List != "" {
		method, path := endpoint(p.Endpoints.List)
		before := ProbeRequest{Name: "list-before", Method: method, Path: path, Key: schemas.KeyValid, Expect: ProbeExpect{Any: true}}
		after := before
		after.Name, after.Expect = "list-after", ProbeExpect{Check: report.IdempotencyNoDuplicate,
			Rule: &schemas.Expectation{SameAs: "list-before", Same: []string{schemas.SameCount}}}
		dp.Requests = []ProbeRequest{create, before, replay, after}
	}
	return dp
}

// idemCall is a create call carrying idempotency key k.
func (s *session) idemCall(k, body string) call {
	c := jsonCall(createMethod(s.p), s.p.Endpoints.Create.Path, body)
	c.contentType = createType(s.p)
	c.header = http.Header{http.CanonicalHeaderKey(s.p.Idempotency.Header): {k}}
	return c
}

func (s *session) idemKey() string {
	return fmt.Sprintf("errprobe-%d-%d", s.runID, s.seq.Add(1))
}

// mismatchProbe reuses an idempotency key with another body: the first
// create is the set-up, the second must get idempotency.mismatch_code (or
// expect.idempotency_mismatch). {{n}} makes the key fresh per run.
func mismatchProbe(p *schemas.Profile, skip string) Probe {
	cr := p.Endpoints.Create
	key := map[string]string{p.Idempotency.Header: "errprobe-{{n}}-mismatch"}
	b1, b2 := cr.Body, otherBody(cr.Body)
	want := ProbeExpect{Situations: []string{schemas.ExpectIdempotencyMismatch}}
	if code := p.Idempotency.MismatchCode; code != "" {
		want = ProbeExpect{Rule: &schemas.Expectation{Code: code}}
	}
	return Probe{Name: "mismatch", Suite: report.SuiteIdempotency, Check: report.IdempotencyMismatch, Skip: skip, Serial: true, Requests: []ProbeRequest{
		{Method: createMethod(p), Path: cr.Path, Key: schemas.KeyValid, Body: &b1, ContentType: createType(p), Headers: key,
			Expect: ProbeExpect{Success: true}, Setup: true},
		{Method: createMethod(p), Path: cr.Path, Key: schemas.KeyValid, Body: &b2, ContentType: createType(p), Headers: key, Expect: want},
	}}
}

// probeConcurrent fires N requests with one fresh key at once: at most one
// resource may come of it.
func probeConcurrent(ctx context.Context, s *session, o *outcome) {
	n := s.p.Idempotency.Concurrency
	if n <= 0 {
		n = 5
	}
	k := s.idemKey()
	body, marker := s.expandNMarked(s.p.Endpoints.Create.Body)
	exs := make([]*report.Exchange, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range exs {
		wg.Go(func() {
			<-start
			exs[i] = s.send(ctx, s.idemCall(k, body))
		})
	}
	close(start)
	wg.Wait()
	ids := map[string]*report.Exchange{}
	for _, ex := range exs {
		o.record(ex)
		if id, ok := responseID(s, ex); ok {
			ids[id] = ex
		}
	}
	// What this run created: the ids it got back and, where the create
	// body carries a unique marker ({{n}}), the listed resources holding it
	// — never the change in the collection's size, which anyone else
	// creating at the same time would add to.
	marked, counted := s.listMarked(ctx, o, marker)
	if why := unanswered(exs...); why != "" && (!counted || allUnanswered(exs)) {
		// An unanswered create may still make a resource: with no answer
		// at all, or no marker to find it by, nothing tells how many.
		o.skip(report.IdempotencyConcurrent, "no evidence: "+why)
		return
	}
	created := max(len(ids), marked)
	var last *report.Exchange
	for _, ex := range ids {
		last = ex
	}
	if last == nil {
		last = exs[0]
	}
	if created <= 1 {
		if ex, msg, want := s.judgeInFlight(exs); ex != nil {
			o.fail(report.IdempotencyConcurrent, ex, msg, want, describe(ex, s.code(ex)))
			return
		}
	}
	o.verdict(report.IdempotencyConcurrent, created <= 1, last,
		fmt.Sprintf("%d concurrent requests with one key created %d resources", n, created),
		"at most 1 resource", strconv.Itoa(created)+" resources")
}

// judgeInFlight judges the race's answers that are neither a create nor its
// replay (a concurrent duplicate met the key's first request in progress):
// each must meet expect.idempotency_in_flight (status, code, headers) where
// the profile sets it, and without it is a failure that names the key to
// set; only when one of them created (else nothing was in progress). A
// limiter's 429 or 503 is no answer about the key and is left out.
// It returns the first offending exchange, nil when none.
func (s *session) judgeInFlight(exs []*report.Exchange) (bad *report.Exchange, msg, want string) {
	e, declared := expect(s.p, schemas.ExpectIdempotencyInFlight)
	if !slices.ContainsFunc(exs, func(ex *report.Exchange) bool { return ex != nil && ex.Response != nil && ex.Response.Status/100 == 2 }) {
		return nil, "", "" // no create succeeded: nothing was in progress to answer about
	}
	for _, ex := range exs {
		if ex == nil || ex.Response == nil || ex.Err != "" {
			continue
		}
		st := ex.Response.Status
		if st/100 == 2 || st == http.StatusTooManyRequests || st == http.StatusServiceUnavailable {
			continue
		}
		f := s.fields(ex)
		if !declared {
			return ex, fmt.Sprintf("a concurrent request with the key got %s instead of the create or its replay "+
					"(expect.idempotency_in_flight declares an in-progress answer)", describe(ex, f.Code)),
				"the create or its replay"
		}
		matched, ok := e.on(ex).match(st, f.Codes)
		if !ok {
			return ex, fmt.Sprintf("a concurrent request with the key got %s, not the in-progress answer (expect.idempotency_in_flight: %s)",
				describe(ex, f.Code), e.String()), e.String()
		}
		if msgs := schemas.CheckHeaders(matched.Headers, ex.Response.Header); len(msgs) > 0 {
			return ex, "the in-progress answer (expect.idempotency_in_flight): " + msgs[0], e.String() + " with its headers"
		}
	}
	return nil, "", ""
}

// unanswered says which of exs got no complete answer (no response, or a
// body cut short by a timeout or reset), "" when all did.
func unanswered(exs ...*report.Exchange) string {
	n, why := 0, ""
	for _, ex := range exs {
		if ex != nil && ex.Response != nil && ex.Err == "" {
			continue
		}
		n++
		if why == "" && ex != nil {
			why = ex.Err
		}
	}
	switch {
	case n == 0:
		return ""
	case len(exs) == 1 || n == 1:
		return fmt.Sprintf("a request got no complete answer (%s)", why)
	}
	return fmt.Sprintf("%d of %d requests got no complete answer (%s)", n, len(exs), why)
}

func allUnanswered(exs []*report.Exchange) bool {
	for _, ex := range exs {
		if ex != nil && ex.Response != nil && ex.Err == "" {
			return false
		}
	}
	return true
}

func responseID(s *session, ex *report.Exchange) (string, bool) {
	if ex == nil || ex.Response == nil || ex.Response.Status/100 != 2 {
		return "", false
	}
	return extractID(s.p, ex.Response.Body)
}

// listMarked counts the listed resources whose JSON holds marker; false
// when there is no marker or the list cannot be read.
func (s *session) listMarked(ctx context.Context, o *outcome, marker string) (int, bool) {
	if marker == "" || s.p.Endpoints.List == "" {
		return 0, false
	}
	ex := s.do(ctx, o, s.listCall(roleValid))
	if ex.Response == nil || ex.Response.Status/100 != 2 {
		return 0, false
	}
	var doc any
	if json.Unmarshal([]byte(ex.Response.Body), &doc) != nil {
		return 0, false
	}
	items, ok := listItems(doc)
	if !ok {
		return 0, false
	}
	n := 0
	for _, it := range items {
		if b, err := json.Marshal(it); err == nil && strings.Contains(string(b), marker) {
			n++
		}
	}
	return n, true
}

// listItems finds a list response's items: the array itself, or under
// data, items, results, contacts or agents.
func listItems(doc any) ([]any, bool) {
	switch v := doc.(type) {
	case []any:
		return v, true
	case map[string]any:
		for _, k := range []string{"data", "items", "results", "contacts", "agents"} {
			if items, ok := listItems(v[k]); ok {
				return items, true
			}
		}
	}
	return nil, false
}

// otherBody changes a JSON object body that has no {{n}}: one more member.
func otherBody(b string) string {
	var m map[string]any
	if json.Unmarshal([]byte(b), &m) != nil {
		return b + " "
	}
	m["errprobe"] = "mismatch"
	out, _ := json.Marshal(m)
	return string(out)
}
