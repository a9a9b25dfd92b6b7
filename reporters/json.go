package reporters

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"slices"
	"time"

	"github.com/errprobe/errprobe/gate"
	"github.com/errprobe/errprobe/report"
)

// JSONSchemaVersion is the JSON report's schema_version. It changes only on
// incompatible changes; fields may be added within a version. The document's
// JSON Schema is schemas/report.schema.json.
const JSONSchemaVersion = "2"

// reportBodyCap caps each response body stored in the JSON report; the rest
// is cut with a marker and the full length is kept in body_length.
const reportBodyCap = 16 << 10

// Verdicts in the JSON report's totals.
const (
	VerdictPass        = "pass"
	VerdictFail        = "fail"
	VerdictInterrupted = "interrupted"
	VerdictNotRun      = "not-run" // no check passed or failed
	VerdictDryRun      = "dry-run" // nothing was sent
	VerdictError       = "error"   // the run could not be made (Error)
)

// JSON renders the report as one JSON document (see JSONDocument).
//
// The document's members and the elements of its lists are one a line, each
// element compact: readable, diffable line by line, and small.
func JSON(w io.Writer, r *report.Report, o Options) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(NewJSONDocument(r, o)); err != nil {
		return err
	}
	_, err := w.Write(shallowIndent(bytes.TrimSpace(buf.Bytes()), 2))
	return err
}

// shallowIndent breaks compact JSON into lines down to depth levels of
// nesting (1: the top-level members; 2: also their lists' elements) and
// leaves everything deeper on one line.
func shallowIndent(src []byte, depth int) []byte {
	out := make([]byte, 0, len(src)+len(src)/16)
	level, inString, escaped := 0, false, false
	newline := func(n int) {
		out = append(out, '\n')
		for i := 0; i < n; i++ {
			out = append(out, ' ', ' ')
		}
	}
	for i, c := range src {
		if inString {
			out = append(out, c)
			switch {
			case escaped:
				escaped = false
			case c == '\\':
				escaped = true
			case c == '"':
				inString = false
			}
			continue
		}
		switch c {
		case '"':
			inString = true
			out = append(out, c)
		case '{', '[':
			out = append(out, c)
			level++
			if level <= depth && i+1 < len(src) && src[i+1] != '}' && src[i+1] != ']' {
				newline(level)
			}
		case '}', ']':
			if level <= depth && i > 0 && src[i-1] != '{' && src[i-1] != '[' {
				newline(level - 1)
			}
			level--
			out = append(out, c)
		case ',':
			out = append(out, c)
			if level <= depth {
				newline(level)
			}
		case ':':
			out = append(out, c)
			if level <= depth {
				out = append(out, ' ')
			}
		default:
			out = append(out, c)
		}
	}
	return append(out, '\n')
}

// JSONDocument is the JSON report, a public interface: times are RFC 3339 in
// UTC, durations are milliseconds, every list is present (possibly empty).
type JSONDocument struct {
	SchemaVersion string       `json:"schema_version"`
	Tool          string       `json:"tool"`
	Version       string       `json:"version"`
	Profile       string       `json:"profile"`
	BaseURL       string       `json:"base_url"`
	Started       time.Time    `json:"started"`
	Finished      time.Time    `json:"finished"`
	DurationMS    float64      `json:"duration_ms"`
	Interrupted   bool         `json:"interrupted"`
	Stopped       string       `json:"stopped"`
	Keyless       string       `json:"keyless,omitempty"`
	DryRun        bool         `json:"dry_run"`
	Requests      int          `json:"requests"`
	Totals        JSONTotals   `json:"totals"`
	Groups        []JSONGroup  `json:"groups"`
	Results       []JSONResult `json:"results"`
	// Exchanges holds each exchange a result refers to once; results name
	// them by index.
	Exchanges []JSONExchange `json:"exchanges"`
	Planned   []JSONPlanned  `json:"planned"`
	Leftovers []string       `json:"leftovers"`
	Burst     *JSONBurst     `json:"burst"`
	// Backoffs are the 429s outside the burst waited out; Plan and
	// PlanTotal a dry run's itemised bound; NothingTested why no check ran.
	Backoffs      []JSONBackoff     `json:"backoffs,omitempty"`
	RateAdvice    string            `json:"rate_advice,omitempty"`
	Plan          []report.PlanItem `json:"plan,omitempty"`
	PlanTotal     int               `json:"plan_total,omitempty"`
	NothingTested string            `json:"nothing_tested,omitempty"`
	// Error says why the run could not be made (exit 2 or 3), ErrorKind
	// which: "unreachable" or "usage".
	Error     string `json:"error,omitempty"`
	ErrorKind string `json:"error_kind,omitempty"`
}

// JSONBackoff is one 429 outside the burst and the wait before its retry.
type JSONBackoff struct {
	Request string  `json:"request"`
	WaitMS  float64 `json:"wait_ms"`
	Note    string  `json:"note,omitempty"`
	Status  int     `json:"status,omitempty"`
}

// JSONTotals counts results and carries the gate's verdict.
type JSONTotals struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	Known   int `json:"known"`
	Fixed   int `json:"fixed"`
	// Errors and Warnings count new (not known) failures by severity.
	Errors   int `json:"errors"`
	Warnings int `json:"warnings"`
	Security int `json:"security"`
	// Guessed counts the failures that rest on a guess (graded warning).
	Guessed int `json:"guessed,omitempty"`
	// Causes is how many groups the failures form.
	Causes  int    `json:"causes"`
	FailOn  string `json:"fail_on"`
	Verdict string `json:"verdict"` // pass | fail | interrupted
}

// JSONResult is one check applied to one probe.
type JSONResult struct {
	Check    string `json:"check"`
	Suite    string `json:"suite"`
	Severity string `json:"severity"`
	// SeverityReason is the profile's reason for a severity override.
	SeverityReason string `json:"severity_reason,omitempty"`
	Probe          string `json:"probe"`
	// Operation is the documented operation the result is for (run
	// --openapi), e.g. "GET /v1/contacts/{id}"; empty otherwise.
	Operation string `json:"operation,omitempty"`
	// Guess says what a guessed expectation was inferred from.
	Guess  string `json:"guess,omitempty"`
	Status string `json:"status"`
	// Known, Fixed, Message, Expected and Actual are left out when false or
	// empty (most results pass and say nothing more), to keep the report
	// small.
	Known      bool    `json:"known,omitempty"`
	Fixed      bool    `json:"fixed,omitempty"`
	Message    string  `json:"message,omitempty"`
	Expected   string  `json:"expected,omitempty"`
	Actual     string  `json:"actual,omitempty"`
	DurationMS float64 `json:"duration_ms"`
	// Security marks a check tagged security; Code is the error code a
	// failing response carried. Both are left out when false or empty.
	Security bool   `json:"security,omitempty"`
	Code     string `json:"code,omitempty"`
	// Exchange indexes Exchanges (null for none); Setup lists the earlier
	// exchanges of a stateful probe that reproduce its state (left out when
	// none).
	Exchange *int  `json:"exchange"`
	Setup    []int `json:"setup,omitempty"`
}

// JSONGroup is one cause: the failures of one check sharing a response
// signature.
type JSONGroup struct {
	// Cause is the behaviour the group's failures show; Checks the checks
	// that failed on it (Check is the first); Places each failure's check,
	// probe and request.
	Cause      string        `json:"cause"`
	Checks     []string      `json:"checks"`
	Places     []JSONPlace   `json:"places"`
	Check      string        `json:"check"`
	Suite      string        `json:"suite"`
	Severity   string        `json:"severity"`
	Security   bool          `json:"security"`
	Tags       []string      `json:"tags"`
	References []string      `json:"references"`
	Signature  JSONSignature `json:"signature"`
	Message    string        `json:"message"`
	Known      bool          `json:"known"`
	Count      int           `json:"count"`
	// Results index the results the group covers; Probes name their probes.
	Results []int    `json:"results"`
	Probes  []string `json:"probes"`
}

// JSONPlace is where a cause was seen: one failure's check, probe (and
// operation) and request ("GET /v1/contacts/x"); result indexes results.
type JSONPlace struct {
	Check   string `json:"check"`
	Probe   string `json:"probe"`
	Request string `json:"request,omitempty"`
	Result  int    `json:"result"`
}

// JSONSignature is what a group's responses have in common.
type JSONSignature struct {
	Status      int    `json:"status"`
	Code        string `json:"code"`
	ContentType string `json:"content_type"`
	Header      string `json:"header"`
	Error       string `json:"error"`
}

// JSONExchange is a request and its response (masked), stored once.
type JSONExchange struct {
	ID         int           `json:"id"`
	Probe      string        `json:"probe"`
	Burst      bool          `json:"burst"`
	Request    JSONRequest   `json:"request"`
	Response   *JSONResponse `json:"response"`
	Error      string        `json:"error"`
	DurationMS float64       `json:"duration_ms"`
}

// JSONRequest is a sent or planned request; Curl reproduces it with the key
// written as $KEY_ENV.
type JSONRequest struct {
	Method    string              `json:"method"`
	URL       string              `json:"url"`
	Headers   map[string][]string `json:"headers"`
	Body      string              `json:"body"`
	KeyHeader string              `json:"key_header"`
	KeyEnv    string              `json:"key_env"`
	Curl      string              `json:"curl"`
}

// JSONPlanned is a dry run's planned request labelled as the text dry run
// labels it: the probe that would send it and the checks its answer feeds
// (Checks empty for a set-up request no check judges).
type JSONPlanned struct {
	JSONRequest
	Probe  string   `json:"probe"`
	Checks []string `json:"checks"`
}

// JSONResponse is what came back; Body is read up to the body cap.
type JSONResponse struct {
	Status    int                 `json:"status"`
	Proto     string              `json:"proto"`
	Headers   map[string][]string `json:"headers"`
	Body      string              `json:"body"`
	Truncated bool                `json:"truncated"`
	// BodyLength is the body's length as read; Body holds at most the
	// report's cap of it, the cut marked.
	BodyLength int `json:"body_length"`
}

// JSONBurst summarises the rate-limit burst.
type JSONBurst struct {
	Sent           int     `json:"sent"`
	Status429      int     `json:"status_429"`
	Errors         int     `json:"errors"`
	RatePerSecond  float64 `json:"rate_per_second"`
	First429MS     float64 `json:"first_429_ms"`
	ElapsedMS      float64 `json:"elapsed_ms"`
	PerSecond      []int   `json:"per_second"`
	LatencyP50MS   float64 `json:"latency_p50_ms"`
	LatencyP90MS   float64 `json:"latency_p90_ms"`
	LatencyP99MS   float64 `json:"latency_p99_ms"`
	RecoveryWaitMS float64 `json:"recovery_wait_ms"`
	FreshWaitMS    float64 `json:"fresh_wait_ms,omitempty"`
}

// NewJSONDocument builds the JSON report's document.
func NewJSONDocument(r *report.Report, o Options) JSONDocument {
	c := count(r.Results)
	groups := r.Groups()
	doc := JSONDocument{
		SchemaVersion: JSONSchemaVersion,
		Tool:          nonEmpty(r.Tool, "errprobe"),
		Version:       r.Version,
		Profile:       r.Profile,
		BaseURL:       r.BaseURL,
		Started:       r.Started.UTC(),
		Finished:      r.Finished.UTC(),
		DurationMS:    millis(elapsed(r)),
		Interrupted:   r.Interrupted,
		Stopped:       r.Stopped,
		Keyless:       r.Keyless,
		Error:         r.Error,
		ErrorKind:     r.ErrorKind,
		DryRun:        r.DryRun,
		Requests:      r.Requests,
		Totals: JSONTotals{
			Passed: c.Passed, Failed: c.Failed, Skipped: c.Skipped, Known: c.Known, Fixed: c.Fixed,
			Errors: o.Verdict.Errors, Warnings: o.Verdict.Warnings, Security: o.Verdict.Security, Guessed: r.Guessed(), Causes: len(groups),
			FailOn: nonEmpty(string(o.FailOn), string(gate.FailOnError)), Verdict: verdict(r, o.Verdict),
		},
		Groups:    make([]JSONGroup, 0, len(groups)),
		Results:   make([]JSONResult, 0, len(r.Results)),
		Exchanges: []JSONExchange{},
		Planned:   make([]JSONPlanned, 0, len(r.Planned)),
		Leftovers: append([]string{}, r.Leftovers...),
		Burst:     jsonBurst(r.Burst),
		Plan:      r.Plan, PlanTotal: r.PlanTotal, NothingTested: r.NothingTested,
	}
	for _, b := range r.Backoffs {
		doc.Backoffs = append(doc.Backoffs, JSONBackoff{Request: b.Request, WaitMS: millis(b.Wait), Note: b.Note, Status: b.Status})
	}
	doc.RateAdvice = r.RateAdvice
	for _, g := range groups {
		doc.Groups = append(doc.Groups, jsonGroup(r, g))
	}
	t := exchangeTable{doc: &doc, index: map[*report.Exchange]int{}}
	for _, res := range r.Results {
		doc.Results = append(doc.Results, t.result(res))
	}
	for _, req := range r.Planned {
		doc.Planned = append(doc.Planned, jsonPlanned(req))
	}
	return doc
}

func verdict(r *report.Report, v gate.Verdict) string {
	switch {
	case r.Error != "":
		return VerdictError
	case r.Interrupted:
		return VerdictInterrupted
	case v.Failed:
		return VerdictFail
	case r.DryRun:
		return VerdictDryRun
	case r.NothingTested != "":
		return VerdictNotRun
	}
	return VerdictPass
}

func jsonGroup(r *report.Report, g report.Group) JSONGroup {
	out := JSONGroup{
		Check: g.Check, Suite: g.Suite, Severity: string(g.Severity), Security: g.Security,
		Cause: g.Cause, Checks: nonNil(g.Checks), Places: groupPlaces(r, g),
		Tags: nonNil(unionOf(g.Checks, report.Tags)), References: nonNil(unionOf(g.Checks, report.References)),
		Signature: JSONSignature{
			Status: g.Signature.Status, Code: g.Signature.Code, ContentType: g.Signature.ContentType,
			Header: g.Signature.Header, Error: g.Signature.Error,
		},
		Message: g.Message, Known: g.Known, Count: len(g.Results),
		Results: append([]int{}, g.Results...), Probes: groupProbes(r, g),
	}
	return out
}

// unionOf is what of(check) lists for each check, each once, in order.
func unionOf(checks []string, of func(string) []string) []string {
	var out []string
	for _, c := range checks {
		for _, v := range of(c) {
			if !slices.Contains(out, v) {
				out = append(out, v)
			}
		}
	}
	return out
}

// groupPlaces lists each failure of a group: check, probe and request.
func groupPlaces(r *report.Report, g report.Group) []JSONPlace {
	out := make([]JSONPlace, 0, len(g.Results))
	for _, i := range g.Results {
		res := r.Results[i]
		pl := JSONPlace{Check: res.Check, Probe: probeLabel(res), Result: i}
		if ex := res.Exchange; ex != nil && ex.Request.Method != "" {
			pl.Request = ex.Request.Method + " " + pathOf(ex.Request.URL)
		}
		out = append(out, pl)
	}
	return out
}

// pathOf is a URL's path and query, or the URL when it does not parse.
func pathOf(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Path == "" {
		return raw
	}
	return u.RequestURI()
}

// groupProbes names the probes (and operations, where known) of a group's
// results, each once, in report order.
func groupProbes(r *report.Report, g report.Group) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, i := range g.Results {
		p := probeLabel(r.Results[i])
		if !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// exchangeTable stores each exchange once in the document, however many
// results refer to it.
type exchangeTable struct {
	doc   *JSONDocument
	index map[*report.Exchange]int
}

func (t *exchangeTable) ref(x *report.Exchange) int {
	if i, ok := t.index[x]; ok {
		return i
	}
	i := len(t.doc.Exchanges)
	t.index[x] = i
	t.doc.Exchanges = append(t.doc.Exchanges, jsonExchange(i, x))
	return i
}

func (t *exchangeTable) result(res report.Result) JSONResult {
	out := JSONResult{
		Check: res.Check, Suite: res.Suite, Severity: string(res.Severity), SeverityReason: res.SeverityReason, Probe: res.Probe, Operation: res.Operation, Guess: res.Guess,
		Status: string(res.Status), Known: res.Known, Fixed: res.Fixed,
		Message: res.Message, Expected: res.Expected, Actual: res.Actual,
		DurationMS: millis(res.Duration), Security: report.IsSecurity(res.Check), Code: res.Code,
	}
	if res.Exchange != nil {
		i := t.ref(res.Exchange)
		out.Exchange = &i
	}
	for _, x := range res.Setup {
		out.Setup = append(out.Setup, t.ref(x))
	}
	return out
}

func jsonExchange(id int, x *report.Exchange) JSONExchange {
	out := JSONExchange{ID: id, Probe: x.Probe, Burst: x.Burst, Request: jsonRequest(x.Request), Error: x.Err, DurationMS: millis(x.Duration)}
	if resp := x.Response; resp != nil {
		out.Response = &JSONResponse{
			Status: resp.Status, Proto: resp.Proto, Headers: headers(resp.Header),
			Body: truncate(resp.Body, reportBodyCap), Truncated: resp.Truncated, BodyLength: int(resp.Size()),
		}
	}
	return out
}

func jsonRequest(req report.Request) JSONRequest {
	return JSONRequest{
		Method: req.Method, URL: req.URL, Headers: headers(req.Header), Body: req.Body,
		KeyHeader: req.KeyHeader, KeyEnv: req.KeyEnv, Curl: Curl(req),
	}
}

func jsonPlanned(req report.Request) JSONPlanned {
	return JSONPlanned{JSONRequest: jsonRequest(req), Probe: req.Probe, Checks: append([]string{}, req.Checks...)}
}

func headers(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, v := range h {
		out[k] = append([]string{}, v...)
	}
	return out
}

func jsonBurst(b *report.BurstStats) *JSONBurst {
	if b == nil {
		return nil
	}
	return &JSONBurst{
		Sent: b.Sent, Status429: b.Status429, Errors: b.Errors, RatePerSecond: b.Rate, First429MS: millis(b.FirstLimit), ElapsedMS: millis(b.Elapsed),
		PerSecond:    append([]int{}, b.PerSecond...),
		LatencyP50MS: millis(b.LatencyP50), LatencyP90MS: millis(b.LatencyP90), LatencyP99MS: millis(b.LatencyP99),
		RecoveryWaitMS: millis(b.RecoveryWait), FreshWaitMS: millis(b.FreshWait),
	}
}
