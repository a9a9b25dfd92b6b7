package report

import "slices"

// TagSecurity marks a check whose failure exposes data or access: a leak
// across tenants, a key that should be refused and is not, internals in an
// error body. Reports list security findings first; --fail-on security
// gates on them alone.
const TagSecurity = "security"

// meta is what the catalogue says about a check beyond its ID: its tags and
// the references behind it (an OWASP API Security Top 10 2023 id, an RFC
// section).
type meta struct {
	tags []string
	refs []string
}

var (
	security = []string{TagSecurity}
	owaspA1  = "OWASP API1:2023 Broken Object Level Authorization"
	owaspA2  = "OWASP API2:2023 Broken Authentication"
	owaspA4  = "OWASP API4:2023 Unrestricted Resource Consumption"
	owaspA5  = "OWASP API5:2023 Broken Function Level Authorization"
	owaspA8  = "OWASP API8:2023 Security Misconfiguration"
	idemDoc  = "draft-ietf-httpapi-idempotency-key-header"
	rlDoc    = "draft-ietf-httpapi-ratelimit-headers"
	rfc400   = "RFC 9110 §15.5.1"
	rfc401   = "RFC 9110 §15.5.2"
	rfc403   = "RFC 9110 §15.5.4"
	rfc404   = "RFC 9110 §15.5.5"
	rfcCType = "RFC 9110 §8.3"
)

// checkMeta is keyed by check ID; a check without an entry has no tags.
var checkMeta = map[string]meta{
	EnvelopeContentType:    {refs: []string{rfcCType, "RFC 9457 §3"}},
	EnvelopeJSON:           {refs: []string{"RFC 8259"}},
	EnvelopeNoLeak:         {security, []string{owaspA8, "CWE-209"}},
	MalformedMethodAllow:   {refs: []string{"RFC 9110 §15.5.6"}},
	ResourcesConflict:      {refs: []string{"RFC 9110 §15.5.10"}},
	ResourcesInternal:      {refs: []string{"RFC 9110 §15.6.1", owaspA8}},
	ResourcesCreateHeaders: {refs: []string{"RFC 9110 §15.3.2"}},
	MalformedTruncated:     {refs: []string{rfc400}},
	MalformedTrailing:      {refs: []string{rfc400}},
	MalformedNotJSON:       {refs: []string{rfc400}},
	MalformedEmptyBody:     {refs: []string{rfc400}},
	MalformedWrongType:     {refs: []string{rfc400}},
	MalformedContentType:   {refs: []string{"RFC 9110 §15.5.16"}},
	MalformedMethod:        {refs: []string{"RFC 9110 §15.5.6"}},
	AuthMissingKey:         {security, []string{owaspA2, rfc401}},
	AuthEmptyKey:           {security, []string{owaspA2, rfc401}},
	AuthGarbageKey:         {security, []string{owaspA2, rfc401}},
	AuthWrongScheme:        {security, []string{owaspA2, rfc401}},
	AuthRevokedKey:         {security, []string{owaspA2, rfc401}},
	AuthExpiredKey:         {security, []string{owaspA2, rfc401}},
	AuthMissingScope:       {security, []string{owaspA5, rfc403, "RFC 6750 §3.1"}},
	AuthKeyInQuery:         {security, []string{owaspA2, "RFC 6750 §5.3"}},
	AuthWWWAuthenticate:    {refs: []string{"RFC 9110 §11.6.1"}},
	OpenAPISecurity:        {security, []string{owaspA2, rfc401}},
	OpenAPIWWWAuthenticate: {refs: []string{"RFC 9110 §11.6.1"}},
	OpenAPIAllow:           {refs: []string{"RFC 9110 §15.5.6"}},
	OpenAPIMethod:          {refs: []string{"RFC 9110 §15.5.6"}},
	NegativeRejected:       {refs: []string{rfc400, "RFC 9110 §15.5.21"}},
	NegativeFormat:         {refs: []string{rfc400, "JSON Schema 2020-12 validation §7.2"}},
	ResourcesUnknownID:     {refs: []string{rfc404}},
	ResourcesCrossTenant:   {refs: []string{owaspA1, rfc403}},
	ResourcesTenantLeak:    {security, []string{owaspA1, rfc404}},
	ResourcesTenantBreach:  {security, []string{owaspA1}},
	ResourcesUnknownRoute:  {refs: []string{rfc404}},
	ResourcesDelete:        {refs: []string{"RFC 9110 §9.3.5", "RFC 9110 §15.3.5"}},
	ValidationRejected:     {refs: []string{"RFC 9110 §15.5.21"}},
	IdempotencyReplay:      {refs: []string{idemDoc}},
	IdempotencyMismatch:    {refs: []string{idemDoc}},
	IdempotencyConcurrent:  {refs: []string{idemDoc}},
	RateLimitReached:       {refs: []string{owaspA4, "RFC 6585 §4"}},
	RateLimitHeaders:       {refs: []string{rlDoc}},
	RateLimitReset:         {refs: []string{rlDoc}},
	RateLimitRetryAfter:    {refs: []string{"RFC 9110 §10.2.3", "RFC 6585 §4"}},
}

// Tags returns the tags of the check with the given ID (nil for none).
func Tags(id string) []string { return slices.Clone(checkMeta[id].tags) }

// References returns the OWASP ids and RFC sections behind a check.
func References(id string) []string { return slices.Clone(checkMeta[id].refs) }

// IsSecurity reports whether a check is tagged security.
func IsSecurity(id string) bool { return slices.Contains(checkMeta[id].tags, TagSecurity) }
