package reporters

import (
	"encoding/json"
	"io"
	"net/http"
	"time"

	"github.com/errprobe/errprobe/checks"
)

// JSONSchemaVersion is the JSON report's schema_version. It changes only on
// incompatible changes; fields may be added within a version. The document's
// JSON Schema is schemas/report.schema.json.
const JSONSchemaVersion = "1"

// Verdicts in the JSON report's totals.
const (
	VerdictPass        = "pass"
	VerdictFail        = "fail"
	VerdictInterrupted = "interrupted"
)

// JSON renders the report as one JSON document (see JSONDocument).
func JSON(w io.Writer, r *checks.Report, o Options) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(NewJSONDocument(r, o))
}

// JSONDocument is the JSON report, a public interface: times are RFC 3339 in
// UTC, durations are milliseconds, every list is present (possibly empty).
type JSONDocument struct {
	SchemaVersion string        `json:"schema_version"`
	Tool          string        `json:"tool"`
	Version       string        `json:"version"`
	Profile       string        `json:"profile"`
	BaseURL       string        `json:"base_url"`
	Started       time.Time     `json:"started"`
	Finished      time.Time     `json:"finished"`
	DurationMS    float64       `json:"duration_ms"`
	Interrupted   bool          `json:"interrupted"`
	Stopped       string        `json:"stopped"`
	DryRun        bool          `json:"dry_run"`
	Requests      int           `json:"requests"`
	Totals        JSONTotals    `json:"totals"`
	Results       []JSONResult  `json:"results"`
	Planned       []JSONRequest `json:"planned"`
	Leftovers     []string      `json:"leftovers"`
	Burst         *JSONBurst    `json:"burst"`
}

// JSONTotals counts results and carries the gate's verdict.
type JSONTotals struct {
	Passed  int `json:"passed"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	Known   int `json:"known"`
	Fixed   int `json:"fixed"`
	// Errors and Warnings count new (not known) failures by severity.
	Errors   int    `json:"errors"`
	Warnings int    `json:"warnings"`
	FailOn   string `json:"fail_on"`
	Verdict  string `json:"verdict"` // pass | fail | interrupted
}

// JSONResult is one check applied to one probe.
type JSONResult struct {
	Check    string `json:"check"`
	Suite    string `json:"suite"`
	Severity string `json:"severity"`
	// SeverityReason is the profile's reason for a severity override.
	SeverityReason string        `json:"severity_reason,omitempty"`
	Probe          string        `json:"probe"`
	Status         string        `json:"status"`
	Known          bool          `json:"known"`
	Fixed          bool          `json:"fixed"`
	Message        string        `json:"message"`
	Expected       string        `json:"expected"`
	Actual         string        `json:"actual"`
	DurationMS     float64       `json:"duration_ms"`
	Exchange       *JSONExchange `json:"exchange"`
}

// JSONExchange is the request and response that show a result (masked).
type JSONExchange struct {
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

// JSONResponse is what came back; Body is read up to the body cap.
type JSONResponse struct {
	Status    int                 `json:"status"`
	Proto     string              `json:"proto"`
	Headers   map[string][]string `json:"headers"`
	Body      string              `json:"body"`
	Truncated bool                `json:"truncated"`
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
}

// NewJSONDocument builds the JSON report's document.
func NewJSONDocument(r *checks.Report, o Options) JSONDocument {
	c := count(r.Results)
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
		DryRun:        r.DryRun,
		Requests:      r.Requests,
		Totals: JSONTotals{
			Passed: c.Passed, Failed: c.Failed, Skipped: c.Skipped, Known: c.Known, Fixed: c.Fixed,
			Errors: o.Verdict.Errors, Warnings: o.Verdict.Warnings,
			FailOn: nonEmpty(string(o.FailOn), string(checks.FailOnError)), Verdict: verdict(r, o.Verdict),
		},
		Results:   make([]JSONResult, 0, len(r.Results)),
		Planned:   make([]JSONRequest, 0, len(r.Planned)),
		Leftovers: append([]string{}, r.Leftovers...),
		Burst:     jsonBurst(r.Burst),
	}
	for _, res := range r.Results {
		doc.Results = append(doc.Results, jsonResult(res))
	}
	for _, req := range r.Planned {
		doc.Planned = append(doc.Planned, jsonRequest(req))
	}
	return doc
}

func verdict(r *checks.Report, v checks.Verdict) string {
	switch {
	case r.Interrupted:
		return VerdictInterrupted
	case v.Failed:
		return VerdictFail
	}
	return VerdictPass
}

func jsonResult(res checks.Result) JSONResult {
	out := JSONResult{
		Check: res.Check, Suite: res.Suite, Severity: string(res.Severity), SeverityReason: res.SeverityReason, Probe: res.Probe,
		Status: string(res.Status), Known: res.Known, Fixed: res.Fixed,
		Message: res.Message, Expected: res.Expected, Actual: res.Actual,
		DurationMS: millis(res.Duration),
	}
	if x := res.Exchange; x != nil {
		out.Exchange = &JSONExchange{Request: jsonRequest(x.Request), Error: x.Err, DurationMS: millis(x.Duration)}
		if resp := x.Response; resp != nil {
			out.Exchange.Response = &JSONResponse{
				Status: resp.Status, Proto: resp.Proto, Headers: headers(resp.Header),
				Body: resp.Body, Truncated: resp.Truncated,
			}
		}
	}
	return out
}

func jsonRequest(req checks.Request) JSONRequest {
	return JSONRequest{
		Method: req.Method, URL: req.URL, Headers: headers(req.Header), Body: req.Body,
		KeyHeader: req.KeyHeader, KeyEnv: req.KeyEnv, Curl: Curl(req),
	}
}

func headers(h http.Header) map[string][]string {
	out := make(map[string][]string, len(h))
	for k, v := range h {
		out[k] = append([]string{}, v...)
	}
	return out
}

func jsonBurst(b *checks.BurstStats) *JSONBurst {
	if b == nil {
		return nil
	}
	return &JSONBurst{
		Sent: b.Sent, Status429: b.Status429, Errors: b.Errors, RatePerSecond: b.Rate, First429MS: millis(b.FirstLimit), ElapsedMS: millis(b.Elapsed),
		PerSecond:    append([]int{}, b.PerSecond...),
		LatencyP50MS: millis(b.LatencyP50), LatencyP90MS: millis(b.LatencyP90), LatencyP99MS: millis(b.LatencyP99),
		RecoveryWaitMS: millis(b.RecoveryWait),
	}
}
