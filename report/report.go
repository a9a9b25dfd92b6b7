package report

import (
	"net/http"
	"time"
)

// Severity says how much a failed check weighs: error for what the contract
// or an RFC requires, warning for what is only good practice.
type Severity string

const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Status is a result's outcome.
type Status string

const (
	StatusPass Status = "pass"
	StatusFail Status = "fail"
	StatusSkip Status = "skip"
	// StatusAccepted is a failure the profile accepts (accept: CHECK:
	// reason): reported with its reason, never gating.
	StatusAccepted Status = "accepted"
)

// Check describes one check: a stable ID "suite.name", its severity and a
// one-line description. The registry of all checks is Catalogue().
type Check struct {
	ID          string   `json:"id"`
	Suite       string   `json:"suite"`
	Severity    Severity `json:"severity"`
	Description string   `json:"description"`
}

// Result is one check applied to one probe's evidence.
type Result struct {
	Check    string   `json:"check"`
	Suite    string   `json:"suite"`
	Severity Severity `json:"severity"`
	// SeverityReason is the profile's reason for overriding the check's
	// catalogue severity (severity.CHECK.reason); empty when not overridden.
	SeverityReason string `json:"severity_reason,omitempty"`
	// Probe names the request(s) the check looked at, e.g. "revoked-key".
	Probe string `json:"probe"`
	// Operation names the documented operation the evidence is for, e.g.
	// "GET /v1/contacts/{id}" (runs with --openapi); empty otherwise.
	Operation string `json:"operation,omitempty"`
	Status    Status `json:"status"`
	Message   string `json:"message,omitempty"`
	Expected  string `json:"expected,omitempty"`
	Actual    string `json:"actual,omitempty"`
	// Code is the error code the failing response carried ("" if none);
	// Header names the header a failure is about (missing or wrong), where
	// one is. With the status and Content-Type they are the failure's
	// signature, which groups failures by cause (Report.Groups).
	Code   string `json:"code,omitempty"`
	Header string `json:"header,omitempty"`
	// Guess, when set, says what the expectation behind the result was
	// inferred from (not read in the document or an RFC): such a failure is
	// graded warning whatever its check's severity — a guess never gates.
	Guess string `json:"guess,omitempty"`
	// Exchange is the request and response that show a failure (keys masked).
	Exchange *Exchange `json:"exchange,omitempty"`
	// Setup are the earlier requests of the same probe the exchange depends
	// on (a create before a cross-tenant read, a first request before its
	// replay), in the order sent, so a reproduction can replay them first.
	Setup    []*Exchange   `json:"setup,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	// Started is when the probe that produced the result started (zero
	// when unknown); with Duration it places the probe in the run, so a
	// suite's wall time is the union of its probes' spans.
	Started time.Time `json:"started,omitzero"`
	// Baseline marks: Known is a failure the baseline lists; Fixed is a
	// baseline entry whose check now passes. Set by the gate.
	Known bool `json:"known,omitempty"`
	Fixed bool `json:"fixed,omitempty"`
	// Accepted is the profile's reason for accepting this failure
	// (accept: CHECK: reason); the status is then StatusAccepted.
	Accepted string `json:"accepted,omitempty"`
}

// Exchange is one request and what came back. Network failures are data: a
// refused connection fills Err, not a Go error. Secrets are masked before an
// Exchange is stored.
type Exchange struct {
	Request  Request       `json:"request"`
	Response *Response     `json:"response,omitempty"`
	Err      string        `json:"error,omitempty"`
	Duration time.Duration `json:"duration_ns"`
	// Started is when the request was sent (zero for burst samples, whose
	// times are not kept).
	Started time.Time `json:"started,omitzero"`
	// Sent is the request's place in the order the run sent its requests
	// (1, 2, …; 0 for burst samples). Started is read with it, so in Sent
	// order the start times never go back.
	Sent int64 `json:"sent,omitempty"`
	// Probe names the probe that sent it ("cleanup" for the clean-up).
	Probe string `json:"probe,omitempty"`
	// Burst marks a sample of the rate-limit burst: one exchange standing
	// for many (BurstStats counts them).
	Burst bool `json:"burst,omitempty"`

	// Cut says why the request was not sent or not answered (--max-duration,
	// an interrupt, the budget): its probe's checks are not run.
	Cut string
	// Limited: still 429 after the one back-off wait (or none allowed).
	Limited bool
}

// Request is a sent (or, in a dry run, planned) request.
type Request struct {
	Method string      `json:"method"`
	URL    string      `json:"url"`
	Header http.Header `json:"header,omitempty"`
	Body   string      `json:"body,omitempty"`
	// KeyHeader and KeyEnv say which header carried an API key and from which
	// environment variable it came, so a reproduction can write $KEYENV.
	KeyHeader string `json:"key_header,omitempty"`
	KeyEnv    string `json:"key_env,omitempty"`
	// Probe and Checks label a dry run's planned request: the probe that
	// would send it and the checks its answer feeds.
	Probe  string   `json:"probe,omitempty"`
	Checks []string `json:"checks,omitempty"`
}

// Response is what came back; Body is read up to the body cap.
type Response struct {
	Status int         `json:"status"`
	Proto  string      `json:"proto,omitempty"`
	Header http.Header `json:"header,omitempty"`
	// Body is what was kept of the body: all of it up to --max-body; of a
	// longer one (Truncated) only its first bytes, Length its size.
	Body      string `json:"body,omitempty"`
	Truncated bool   `json:"truncated,omitempty"`
	// Length is a truncated body's size: as the server declared it
	// (Content-Length), else as far as it was read (--max-body where it was
	// cut); 0 when Body is whole.
	Length int64 `json:"length,omitempty"`
	// HeadersDropped counts header fields not kept (past keptHeaders).
	HeadersDropped int `json:"headers_dropped,omitempty"`
}

// Size is the body's size in bytes: Length when the body was cut, else
// the length of Body.
func (r *Response) Size() int64 {
	if r.Length > 0 {
		return r.Length
	}
	return int64(len(r.Body))
}

// Report is a finished (or interrupted) run: what reporters render and the
// gate judges.
type Report struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	Profile string `json:"profile"`
	// ProfileFile is the file the profile came from ("builtin:NAME" for a
	// built-in), for JUnit's file attribute and CI annotations.
	ProfileFile string    `json:"profile_file,omitempty"`
	BaseURL     string    `json:"base_url"`
	Started     time.Time `json:"started"`
	Finished    time.Time `json:"finished"`
	Interrupted bool      `json:"interrupted,omitempty"`
	// Stopped says why a run ended early without an interrupt, e.g.
	// "run time limit reached (--max-duration)"; results are those so far.
	Stopped string `json:"stopped,omitempty"`
	// Keyless says why the run had no valid key, e.g. "keys.valid not set
	// ($ERRPROBE_API_KEY is empty)": only the probes that need no key ran,
	// the others are skipped with that reason.
	Keyless string `json:"keyless,omitempty"`
	DryRun  bool   `json:"dry_run,omitempty"`
	// Results are in plan order.
	Results []Result `json:"results"`
	// Requests is how many requests were sent.
	Requests int `json:"requests"`
	// Planned lists the requests a dry run would send.
	Planned []Request `json:"planned,omitempty"`
	// Leftovers are resources the run created and could not delete.
	Leftovers []string `json:"leftovers,omitempty"`
	// Burst summarises the rate-limit burst, if one ran.
	Burst *BurstStats `json:"burst,omitempty"`
	// Exchanges is every exchange of the run in the order recorded, the
	// burst's samples included (marked Burst), for HAR export.
	Exchanges []*Exchange `json:"exchanges,omitempty"`
	// Backoffs are the 429s outside the burst that were waited out.
	Backoffs []Backoff `json:"backoffs,omitempty"`
	// RateAdvice, when several probes met a 429 or 503 outside the burst,
	// names the --rate that would have avoided them ("--rate 5/s").
	RateAdvice string `json:"rate_advice,omitempty"`
	// Plan itemises what a dry run may send; PlanTotal bounds it.
	Plan      []PlanItem `json:"plan,omitempty"`
	PlanTotal int        `json:"plan_total,omitempty"`
	// NothingTested says why no check passed or failed (every one was
	// skipped or not run): such a run does not pass.
	NothingTested string `json:"nothing_tested,omitempty"`
	// Error says why the run could not be made: the target unreachable
	// (exit 3) or a usage or profile error (exit 2). Such a report has no
	// results; it is written so CI still finds a report on every exit.
	Error string `json:"error,omitempty"`
	// ErrorKind is "unreachable" or "usage" when Error is set.
	ErrorKind string `json:"error_kind,omitempty"`
	// StaleAccepts are the profile's accepted deviations whose check now
	// passes: "accepted deviation no longer seen: CHECK (reason)".
	StaleAccepts []string `json:"stale_accepts,omitempty"`
}

// Backoff is one 429 outside the burst: the request, the time waited
// before its one retry, and a note when it was not retried or still 429.
type Backoff struct {
	Request string        `json:"request"`
	Wait    time.Duration `json:"wait_ns"`
	// Status is what was waited out: 429, or 503 with Retry-After.
	Status int    `json:"status,omitempty"`
	Note   string `json:"note,omitempty"`
}

// PlanItem is one line of a dry run's itemised total.
type PlanItem struct {
	What     string `json:"what"`
	Requests int    `json:"requests"`
}

// BurstStats summarises a rate-limit burst.
type BurstStats struct {
	Sent         int           `json:"sent"`
	Status429    int           `json:"status_429"`
	Errors       int           `json:"errors,omitempty"`
	Rate         float64       `json:"rate"`
	FirstLimit   time.Duration `json:"first_429_ns"`
	Elapsed      time.Duration `json:"elapsed_ns"`
	PerSecond    []int         `json:"per_second,omitempty"`
	LatencyP50   time.Duration `json:"latency_p50_ns"`
	LatencyP90   time.Duration `json:"latency_p90_ns"`
	LatencyP99   time.Duration `json:"latency_p99_ns"`
	RecoveryWait time.Duration `json:"recovery_wait_ns,omitempty"`
	// FreshWait is how long the run waited for a fresh window before the
	// burst (the probes before it had spent from the window).
	FreshWait time.Duration `json:"fresh_wait_ns,omitempty"`
}

// Guessed counts the failures that rest on a guess (Result.Guess).
func (r *Report) Guessed() int {
	n := 0
	for _, res := range r.Results {
		if res.Status == StatusFail && res.Guess != "" {
			n++
		}
	}
	return n
}

// Counts tallies results by status.
func (r *Report) Counts() (passed, failed, skipped int) {
	for _, res := range r.Results {
		switch res.Status {
		case StatusPass:
			passed++
		case StatusFail:
			failed++
		case StatusSkip:
			skipped++
		}
	}
	return passed, failed, skipped
}
