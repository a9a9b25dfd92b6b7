package checks_test

import (
	"sort"
	"testing"

	"github.com/errprobe/errprobe/fixtures"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// faultChecks is the SPEC's table: the check each reference-server fault
// exists to prove.
var faultChecks = map[string]string{
	"html-content-type":         report.EnvelopeContentType,
	"error-not-json":            report.EnvelopeJSON,
	"envelope-missing-field":    report.EnvelopeSchema,
	"envelope-wrong-type":       report.EnvelopeSchema,
	"unknown-code":              report.EnvelopeCodeKnown,
	"wrong-status":              report.EnvelopeStatusMatch,
	"empty-message":             report.EnvelopeMessage,
	"missing-request-id":        report.EnvelopeRequestID,
	"duplicate-request-ids":     report.EnvelopeRequestIDUniq,
	"stack-trace-500":           report.EnvelopeNoLeak,
	"inconsistent-shape":        report.EnvelopeConsistent,
	"malformed-html-500":        report.MalformedTruncated,
	"trailing-garbage-accepted": report.MalformedTrailing,
	"content-type-ignored":      report.MalformedContentType,
	"method-404":                report.MalformedMethod,
	"missing-key-200":           report.AuthMissingKey,
	"garbage-key-accepted":      report.AuthGarbageKey,
	"wrong-scheme-accepted":     report.AuthWrongScheme,
	"revoked-key-accepted":      report.AuthRevokedKey,
	"expired-key-accepted":      report.AuthExpiredKey,
	"scope-ignored":             report.AuthMissingScope,
	"query-key-accepted":        report.AuthKeyInQuery,
	"no-www-authenticate":       report.AuthWWWAuthenticate,
	"malformed-id-404":          report.ResourcesMalformedID,
	"cross-tenant-403":          report.ResourcesTenantLeak,
	"cross-tenant-200":          report.ResourcesTenantBreach,
	"unknown-route-plain":       report.ResourcesUnknownRoute,
	"delete-200-body":           report.ResourcesDelete,
	"delete-unknown-500":        report.ResourcesUnknownID,
	"validation-accepted":       report.ValidationRejected,
	"validation-no-details":     report.ValidationDetails,
	"idempotency-ignored":       report.IdempotencyReplay,
	"idempotency-duplicate":     report.IdempotencyNoDuplicate,
	"idempotency-no-mismatch":   report.IdempotencyMismatch,
	"idempotency-race":          report.IdempotencyConcurrent,
	"idempotency-in-progress":   report.IdempotencyConcurrent,
	"no-rate-limit":             report.RateLimitReached,
	"per-route-limit":           report.RateLimitReached,
	"ratelimit-plain-429":       report.RateLimitEnvelope,
	"ratelimit-no-headers":      report.RateLimitHeaders,
	"limit-varies":              report.RateLimitLimitConstant,
	"remaining-constant":        report.RateLimitRemaining,
	"remaining-stuck-on-429":    report.RateLimitRemainingZero,
	"reset-in-past":             report.RateLimitReset,
	"reset-stale":               report.RateLimitReset,
	"missing-retry-after":       report.RateLimitRetryAfter,
	"retry-after-window":        report.RateLimitRetryAfter,
	"no-recovery":               report.RateLimitRecovery,
	"conflict-accepted":         report.ResourcesConflict,
	"no-location":               report.ResourcesCreateHeaders,
	"replay-drops-headers":      report.IdempotencyReplayHdrs,
	"internal-html":             report.ResourcesInternal,
	"json-content-type":         report.EnvelopeContentType,
	"status-mismatch":           report.EnvelopeStatusMatch,
	"status-not-string":         report.EnvelopeSchema,
	"second-error-unknown-code": report.EnvelopeCodeKnown,
	"bearer-no-error-param":     report.EnvelopeHeaders,
	"error-object":              report.EnvelopeSchema,
}

// promiseMore adds to erzycall the promises its seed document does not make
// but the reference server keeps, so the checks that read them run: a
// Location on 201, WWW-Authenticate on every 401 code, a server-error route.
func promiseMore(p *schemas.Profile) {
	p.Endpoints.Create.Headers = map[string]schemas.HeaderRule{"Location": {Pattern: "^/api/v1/contacts/ct_"}}
	p.Endpoints.ServerError = "GET /api/v1/crash"
	for _, code := range []string{"UNAUTHORIZED", "KEY_REVOKED", "KEY_EXPIRED"} {
		c := p.Codes[code]
		c.Headers = map[string]schemas.HeaderRule{"WWW-Authenticate": {Required: true}}
		p.Codes[code] = c
	}
}

// alsoProven are checks a fault proves besides its own table entry (the
// SPEC's table lists a second fault for them).
var alsoProven = map[string][]string{
	"malformed-html-500":  {report.MalformedNotJSON, report.MalformedEmptyBody, report.MalformedWrongType},
	"missing-key-200":     {report.AuthEmptyKey},
	"wrong-status":        {report.ResourcesUnknownID},
	"cross-tenant-403":    {report.ResourcesCrossTenant},
	"method-404":          {report.MalformedMethodAllow},
	"no-www-authenticate": {report.EnvelopeHeaders},
	"error-object":        {report.EnvelopeMessage},
}

// faultsFor lists the faults that apply to a built-in's reference server,
// after edit (nil: none) adds promises.
func faultsFor(t *testing.T, profile string, edit func(*schemas.Profile)) []fixtures.Fault {
	t.Helper()
	p, err := schemas.Builtin(profile, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if edit != nil {
		edit(p)
	}
	fs, err := fixtures.FaultsFor(p)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// onlyItsOwn are faults whose failures must be their own check alone among
// the rate-limit checks (each new rate-limit fault is caught by its own
// check ID and not by the others').
var onlyItsOwn = map[string]bool{
	"remaining-stuck-on-429": true, "retry-after-window": true, "reset-stale": true, "per-route-limit": true,
}

// provenWithOpenAPI are the checks that need `run --openapi` (a document
// from the reference server): cmd's TestRun_OpenAPI proves each under its
// fault (delete-200-body, envelope-wrong-type, missing-request-id, and for
// the per-operation probes missing-key-200, no-www-authenticate, method-404,
// validation-accepted, validation-no-details); TestRun_OpenAPIRFCAndNegative
// proves openapi.allow on a server whose 405s lack Allow;
// TestRun_OpenAPINegativeFormat proves negative.format under serve
// --openapi's accepts-invalid.
var provenWithOpenAPI = []string{report.OpenAPIStatus, report.OpenAPISchema, report.OpenAPIHeaders, report.OpenAPISecurity,
	report.OpenAPIWWWAuthenticate, report.OpenAPIAllow, report.OpenAPIMethod, report.OpenAPISuccess, report.NegativeRejected, report.NegativeField,
	report.NegativeFormat}

// proofOf is the selection (--suite) that runs what proves fault: the
// checks it must fail, so only the probes feeding them run (every probe
// and the envelope suite when an envelope check is among them); the whole rate-limit suite for a
// fault that must fail only its own rate-limit check. demo and the
// acceptance scripts run each fault against every suite.
func proofOf(fault string, checks []string) []string {
	if onlyItsOwn[fault] {
		return []string{report.SuiteRateLimit}
	}
	for _, id := range checks {
		if c, _ := report.Lookup(id); c.Suite == report.SuiteEnvelope {
			// Envelope checks judge every probe's error responses, some
			// across probes (consistent-shape, request-id-unique).
			return append([]string{report.SuiteEnvelope}, checks...)
		}
	}
	return checks
}

func TestRun_EveryFaultFailsItsCheck(t *testing.T) {
	t.Parallel()
	type testCase struct {
		fault  string
		checks []string
	}
	var cases []testCase
	for _, f := range faultsFor(t, "erzycall", promiseMore) {
		id, ok := faultChecks[f.Name]
		if !ok {
			t.Errorf("fault %s has no check in the table", f.Name)
			continue
		}
		cases = append(cases, testCase{f.Name, append([]string{id}, alsoProven[f.Name]...)})
	}
	faults := make([]string, len(cases))
	for i, tc := range cases {
		faults[i] = tc.fault
	}
	checksOf := map[string][]string{}
	for _, tc := range cases {
		checksOf[tc.fault] = tc.checks
	}
	reports := runFaultsWith(t, "erzycall", promiseMore, faults, func(f string) []string { return proofOf(f, checksOf[f]) })
	proven := map[string]bool{}
	for _, id := range provenWithOpenAPI {
		proven[id] = true
	}
	run := func(t *testing.T, tc testCase) {
		rep := reports[tc.fault]
		failed := failedChecks(rep)
		if onlyItsOwn[tc.fault] {
			for id := range failed {
				if c, _ := report.Lookup(id); c.Suite == report.SuiteRateLimit && id != tc.checks[0] {
					t.Errorf("fault %s: %s failed too (want only %s)", tc.fault, id, tc.checks[0])
				}
			}
		}
		for _, id := range tc.checks {
			if !failed[id] {
				t.Errorf("fault %s: %s did not fail; %s", tc.fault, id, summary(rep))
				continue
			}
			proven[id] = true
		}
	}
	for _, tc := range cases {
		t.Run(tc.fault, func(t *testing.T) { run(t, tc) })
	}
	if t.Failed() {
		return
	}
	var unproven []string
	for _, c := range report.Catalogue() {
		if !proven[c.ID] {
			unproven = append(unproven, c.ID)
		}
	}
	sort.Strings(unproven)
	if len(unproven) > 0 {
		t.Errorf("checks no fault proves: %v", unproven)
	}
}

// styleFaultChecks are the checks that catch a fault on a style where its
// own check cannot see it: a code-less profile has no status to match
// against a code (the unknown-id probe's status expectation catches a wrong
// status) and accepts any 404 on an unknown route or 500 on the crash route
// (the envelope checks catch a text body).
var styleFaultChecks = map[string]map[string]string{
	"plain": {"wrong-status": report.ResourcesUnknownID, "unknown-route-plain": report.EnvelopeJSON,
		"internal-html": report.EnvelopeJSON},
}

// TestRun_StyleFaultsFailTheirChecks runs every fault that applies to the
// jsonapi and plain styles on them: each fails its own check there, and
// every fault the server knows applies to at least one built-in.
func TestRun_StyleFaultsFailTheirChecks(t *testing.T) {
	t.Parallel()
	applied := map[string]bool{}
	for _, name := range schemas.BuiltinNames() {
		for _, f := range faultsFor(t, name, nil) {
			applied[f.Name] = true
		}
	}
	for _, f := range faultsFor(t, "erzycall", promiseMore) {
		applied[f.Name] = true
	}
	for _, f := range fixtures.Faults() {
		if !applied[f.Name] {
			t.Errorf("fault %s applies to no built-in (nor to erzycall with promiseMore)", f.Name)
		}
	}
	for _, profile := range []string{"jsonapi", "plain"} {
		t.Run(profile, func(t *testing.T) {
			t.Parallel()
			var faults []string
			for _, f := range faultsFor(t, profile, nil) {
				faults = append(faults, f.Name)
			}
			reports := runFaults(t, profile, faults, func(f string) []string {
				if id, ok := styleFaultChecks[profile][f]; ok {
					return proofOf(f, []string{id})
				}
				return proofOf(f, []string{faultChecks[f]})
			})
			for _, f := range faults {
				id, ok := faultChecks[f]
				if other, isOther := styleFaultChecks[profile][f]; isOther {
					id = other
				}
				if !ok {
					t.Errorf("fault %s has no check in the table", f)
					continue
				}
				if !failedChecks(reports[f])[id] {
					t.Errorf("fault %s: %s did not fail on %s; %s", f, id, profile, summary(reports[f]))
				}
			}
		})
	}
}
