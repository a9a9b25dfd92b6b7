package report

// Suites, in the order the engine runs and reporters list them.
const (
	SuiteEnvelope    = "envelope"
	SuiteMalformed   = "malformed"
	SuiteAuth        = "auth"
	SuiteResources   = "resources"
	SuiteValidation  = "validation"
	SuiteIdempotency = "idempotency"
	SuiteCustom      = "custom" // a profile's own probes (custom.NAME)
	SuiteOpenAPI     = "openapi"
	// SuiteNegative is negative data from an OpenAPI document's schemas
	// (run --openapi): one invalid request per constraint kind per operation.
	SuiteNegative  = "negative"
	SuiteRateLimit = "ratelimit"
)

// Suites lists every suite in run order.
func Suites() []string {
	return []string{SuiteEnvelope, SuiteMalformed, SuiteAuth, SuiteResources, SuiteValidation, SuiteIdempotency, SuiteCustom, SuiteOpenAPI, SuiteNegative, SuiteRateLimit}
}

// Check IDs. Each is "suite.name" and never changes once released.
const (
	EnvelopeContentType    = "envelope.content-type"
	EnvelopeJSON           = "envelope.json"
	EnvelopeSchema         = "envelope.schema"
	EnvelopeCodeKnown      = "envelope.code-known"
	EnvelopeStatusMatch    = "envelope.status-match"
	EnvelopeMessage        = "envelope.message"
	EnvelopeRequestID      = "envelope.request-id"
	EnvelopeRequestIDUniq  = "envelope.request-id-unique"
	EnvelopeNoLeak         = "envelope.no-leak"
	EnvelopeConsistent     = "envelope.consistent-shape"
	EnvelopeHeaders        = "envelope.headers"
	MalformedTruncated     = "malformed.truncated-json"
	MalformedTrailing      = "malformed.trailing-garbage"
	MalformedNotJSON       = "malformed.not-json"
	MalformedEmptyBody     = "malformed.empty-body"
	MalformedWrongType     = "malformed.wrong-type"
	MalformedContentType   = "malformed.content-type"
	MalformedMethod        = "malformed.method"
	MalformedMethodAllow   = "malformed.method-allow"
	AuthMissingKey         = "auth.missing-key"
	AuthEmptyKey           = "auth.empty-key"
	AuthGarbageKey         = "auth.garbage-key"
	AuthWrongScheme        = "auth.wrong-scheme"
	AuthRevokedKey         = "auth.revoked-key"
	AuthExpiredKey         = "auth.expired-key"
	AuthMissingScope       = "auth.missing-scope"
	AuthKeyInQuery         = "auth.key-in-query"
	AuthWWWAuthenticate    = "auth.www-authenticate"
	ResourcesUnknownID     = "resources.unknown-id"
	ResourcesMalformedID   = "resources.malformed-id"
	ResourcesCrossTenant   = "resources.cross-tenant"
	ResourcesTenantLeak    = "resources.tenant-leak"
	ResourcesTenantBreach  = "resources.tenant-breach"
	ResourcesUnknownRoute  = "resources.unknown-route"
	ResourcesDelete        = "resources.delete"
	ResourcesConflict      = "resources.conflict"
	ResourcesInternal      = "resources.internal"
	ResourcesCreateHeaders = "resources.create-headers"
	ValidationRejected     = "validation.rejected"
	ValidationDetails      = "validation.details-field"
	IdempotencyReplay      = "idempotency.replay"
	IdempotencyNoDuplicate = "idempotency.no-duplicate"
	IdempotencyMismatch    = "idempotency.mismatch"
	IdempotencyConcurrent  = "idempotency.concurrent"
	IdempotencyReplayHdrs  = "idempotency.replay-headers"
	OpenAPIStatus          = "openapi.status"
	OpenAPISchema          = "openapi.schema"
	OpenAPIHeaders         = "openapi.headers"
	OpenAPISecurity        = "openapi.security"
	OpenAPIWWWAuthenticate = "openapi.www-authenticate"
	OpenAPIAllow           = "openapi.allow"
	OpenAPIMethod          = "openapi.method"
	OpenAPISuccess         = "openapi.success"
	NegativeRejected       = "negative.rejected"
	NegativeField          = "negative.details-field"
	NegativeFormat         = "negative.format"
	RateLimitReached       = "ratelimit.reached"
	RateLimitEnvelope      = "ratelimit.envelope"
	RateLimitHeaders       = "ratelimit.headers"
	RateLimitLimitConstant = "ratelimit.limit-constant"
	RateLimitRemaining     = "ratelimit.remaining"
	RateLimitRemainingZero = "ratelimit.remaining-zero"
	RateLimitReset         = "ratelimit.reset"
	RateLimitRetryAfter    = "ratelimit.retry-after"
	RateLimitRecovery      = "ratelimit.recovery"
)

var catalogue = []Check{
	{EnvelopeContentType, SuiteEnvelope, SeverityError, "error bodies carry a Content-Type the profile accepts"},
	{EnvelopeJSON, SuiteEnvelope, SeverityError, "error bodies parse as JSON"},
	{EnvelopeSchema, SuiteEnvelope, SeverityError, "error bodies validate against the envelope schema"},
	{EnvelopeCodeKnown, SuiteEnvelope, SeverityError, "the error code is in the profile's code table"},
	{EnvelopeStatusMatch, SuiteEnvelope, SeverityError, "the HTTP status is one the code table gives the code"},
	{EnvelopeMessage, SuiteEnvelope, SeverityError, "the error message is present and non-empty"},
	{EnvelopeRequestID, SuiteEnvelope, SeverityError, "a request id is present where the profile promises one"},
	{EnvelopeRequestIDUniq, SuiteEnvelope, SeverityError, "request ids are unique across the run"},
	{EnvelopeNoLeak, SuiteEnvelope, SeverityError, "no stack trace, file path, SQL or exception name in error bodies"},
	{EnvelopeConsistent, SuiteEnvelope, SeverityWarning, "all error bodies share one top-level member set"},
	{EnvelopeHeaders, SuiteEnvelope, SeverityError, "error responses carry the headers their code promises (codes.X.headers)"},
	{MalformedTruncated, SuiteMalformed, SeverityError, "truncated JSON is answered with the malformed-JSON code"},
	{MalformedTrailing, SuiteMalformed, SeverityError, "JSON followed by garbage is answered with the malformed-JSON code"},
	{MalformedNotJSON, SuiteMalformed, SeverityError, "a body that is not JSON is answered with the malformed-JSON code"},
	{MalformedEmptyBody, SuiteMalformed, SeverityError, "an empty POST body is answered with the malformed-JSON or validation code"},
	{MalformedWrongType, SuiteMalformed, SeverityError, "JSON of the wrong top-level type is answered with the malformed-JSON or validation code"},
	{MalformedContentType, SuiteMalformed, SeverityError, "valid JSON sent as text/plain is answered with the wrong-content-type code"},
	{MalformedMethod, SuiteMalformed, SeverityError, "an unsupported method gets what expect.method_not_allowed says (default 405); a 405 carries Allow"},
	{MalformedMethodAllow, SuiteMalformed, SeverityWarning, "an unsupported method is answered 405 with an Allow header (RFC 9110)"},
	{AuthMissingKey, SuiteAuth, SeverityError, "a request without a key gets the missing-key code"},
	{AuthEmptyKey, SuiteAuth, SeverityError, "an empty key gets the missing-key or invalid-key code"},
	{AuthGarbageKey, SuiteAuth, SeverityError, "an unknown key gets the invalid-key code"},
	{AuthWrongScheme, SuiteAuth, SeverityError, "a valid key sent with the wrong scheme or header is refused"},
	{AuthRevokedKey, SuiteAuth, SeverityError, "a revoked key gets the revoked-key code"},
	{AuthExpiredKey, SuiteAuth, SeverityError, "an expired key gets the expired-key code"},
	{AuthMissingScope, SuiteAuth, SeverityError, "a key without the scope gets the missing-scope code"},
	{AuthKeyInQuery, SuiteAuth, SeverityError, "a valid key sent only in the query string is refused"},
	{AuthWWWAuthenticate, SuiteAuth, SeverityError, "401 responses carry WWW-Authenticate (RFC 9110 §11.6.1 MUST)"},
	{ResourcesUnknownID, SuiteResources, SeverityError, "a well-formed unknown id gets the not-found code"},
	{ResourcesMalformedID, SuiteResources, SeverityError, "a malformed id gets the invalid-id code"},
	{ResourcesCrossTenant, SuiteResources, SeverityError, "another organisation's id gets the cross-tenant code"},
	{ResourcesTenantLeak, SuiteResources, SeverityError, "another organisation's id is not answered 403 (existence leak)"},
	{ResourcesTenantBreach, SuiteResources, SeverityError, "another organisation's id is not answered 2xx (tenant breach)"},
	{ResourcesUnknownRoute, SuiteResources, SeverityError, "an unknown route gets the unknown-route code in the envelope"},
	{ResourcesDelete, SuiteResources, SeverityError, "DELETE answers 204 with an empty body"},
	{ResourcesConflict, SuiteResources, SeverityError, "creating the same resource twice gets the conflict code"},
	{ResourcesInternal, SuiteResources, SeverityError, "the server-error route (endpoints.server_error) gets the internal code in the envelope"},
	{ResourcesCreateHeaders, SuiteResources, SeverityError, "a successful create carries the headers endpoints.create.headers promises"},
	{ValidationRejected, SuiteValidation, SeverityError, "an invalid body gets the validation code and status"},
	{ValidationDetails, SuiteValidation, SeverityError, "validation details name the offending field"},
	{IdempotencyReplay, SuiteIdempotency, SeverityError, "a replay with the same key and body returns the same status and body"},
	{IdempotencyNoDuplicate, SuiteIdempotency, SeverityError, "a replay creates nothing new"},
	{IdempotencyMismatch, SuiteIdempotency, SeverityError, "the same key with another body gets the mismatch code"},
	{IdempotencyConcurrent, SuiteIdempotency, SeverityError, "concurrent requests with one fresh key create at most one resource"},
	{IdempotencyReplayHdrs, SuiteIdempotency, SeverityError, "a replay carries the replay header and the headers the create carried (Location)"},
	{OpenAPIStatus, SuiteOpenAPI, SeverityError, "with --openapi: every response's status is documented for its operation (or covered by 4XX/default)"},
	{OpenAPISchema, SuiteOpenAPI, SeverityError, "with --openapi: every response body validates against its status's documented schema"},
	{OpenAPIHeaders, SuiteOpenAPI, SeverityError, "with --openapi: every response carries the headers documented as required for its status"},
	{OpenAPISecurity, SuiteOpenAPI, SeverityError, "with --openapi: a secured operation refuses no, an empty, a garbage or a wrong-scheme credential (401/403, never 2xx)"},
	{OpenAPIWWWAuthenticate, SuiteOpenAPI, SeverityError, "with --openapi: every 401 of a documented operation carries WWW-Authenticate (RFC 9110 §11.6.1 MUST)"},
	{OpenAPIAllow, SuiteOpenAPI, SeverityError, "with --openapi: every 405 on a documented path carries Allow naming the documented methods (RFC 9110 §15.5.6 MUST)"},
	{OpenAPISuccess, SuiteOpenAPI, SeverityError, "with --openapi: a valid request to a GET operation gets a success status the operation documents (or its documented 400/404/422)"},
	{OpenAPIMethod, SuiteOpenAPI, SeverityError, "with --openapi: a method the document does not give a path gets 405 (the document's status where it lists one)"},
	{NegativeRejected, SuiteNegative, SeverityError, "with --openapi: a request breaking one stated schema constraint gets a documented 4xx (400/422 where documented)"},
	{NegativeFormat, SuiteNegative, SeverityWarning, "with --openapi: a string breaking its stated format (date-time, date, time, email, uuid, uri, ipv4, ipv6, hostname) gets a documented 4xx; warning, as JSON Schema leaves format an annotation"},
	{NegativeField, SuiteNegative, SeverityError, "with --openapi: the error names the field the request broke (at the error schema's field member; without one, it never blames a member sent valid)"},
	{RateLimitReached, SuiteRateLimit, SeverityError, "a bounded burst reaches 429 within the budget"},
	{RateLimitEnvelope, SuiteRateLimit, SeverityError, "429 bodies carry the envelope and the rate-limit code"},
	{RateLimitHeaders, SuiteRateLimit, SeverityError, "rate-limit headers are present on successes and on 429s"},
	{RateLimitLimitConstant, SuiteRateLimit, SeverityError, "the limit is the same on every response of the run"},
	{RateLimitRemaining, SuiteRateLimit, SeverityError, "remaining falls with each admitted request of the run and never increases within a window"},
	{RateLimitRemainingZero, SuiteRateLimit, SeverityError, "remaining is 0 (IETF r=0) on every 429"},
	{RateLimitReset, SuiteRateLimit, SeverityError, "reset is a readable time in the future, within the profile's max wait, counting down between 429s"},
	{RateLimitRetryAfter, SuiteRateLimit, SeverityError, "429s carry a readable Retry-After (when required) agreeing with reset, not a constant window"},
	{RateLimitRecovery, SuiteRateLimit, SeverityError, "after waiting until reset a request succeeds again"},
}

var catalogueByID = func() map[string]Check {
	m := make(map[string]Check, len(catalogue))
	for _, c := range catalogue {
		m[c.ID] = c
	}
	return m
}()

// Catalogue returns every check, in suite order.
func Catalogue() []Check {
	out := make([]Check, len(catalogue))
	copy(out, catalogue)
	return out
}

// Lookup returns the check with the given ID.
func Lookup(id string) (Check, bool) {
	c, ok := catalogueByID[id]
	return c, ok
}
