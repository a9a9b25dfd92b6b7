// Package schemas holds errprobe's contract model: profiles (an API's error
// contract as data), the embedded built-in profiles and envelope schemas, and
// the validation of a response against a profile.
package schemas

// Profile is one API's error contract. It is loaded from YAML or JSON; field
// names below are the file's keys.
type Profile struct {
	// Name is the profile's name; built-ins are erzycall, voiceagent, messaging, problem.
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// Description is a one-line summary shown by `errprobe profiles`.
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Extends names a built-in profile, or a profile file (a path relative to
	// this one), that this profile overrides.
	Extends string `yaml:"extends,omitempty" json:"extends,omitempty"`
	// Replace lists top-level keys (codes, expect, probes, …) whose inherited
	// value this profile replaces instead of merging into.
	Replace []string `yaml:"replace,omitempty" json:"replace,omitempty"`
	// BaseURL is the API's base URL; the command line's BASE_URL wins.
	BaseURL string `yaml:"base_url,omitempty" json:"base_url,omitempty"`

	Envelope    Envelope               `yaml:"envelope" json:"envelope"`
	Codes       map[string]Code        `yaml:"codes" json:"codes"`
	Auth        Auth                   `yaml:"auth" json:"auth"`
	RequestID   RequestID              `yaml:"request_id,omitempty" json:"request_id,omitempty"`
	Idempotency Idempotency            `yaml:"idempotency,omitempty" json:"idempotency,omitempty"`
	RateLimit   RateLimit              `yaml:"rate_limit,omitempty" json:"rate_limit,omitempty"`
	Endpoints   Endpoints              `yaml:"endpoints" json:"endpoints"`
	Expect      map[string]Expectation `yaml:"expect" json:"expect"`
	// Probes are the profile's own probes (result ids custom.NAME).
	Probes []Probe `yaml:"probes,omitempty" json:"probes,omitempty"`
	// Severity overrides a check's severity, with the reason reports show.
	Severity map[string]SeverityOverride `yaml:"severity,omitempty" json:"severity,omitempty"`
	// Accept lists accepted deviations: a check ID (or custom.NAME) and the
	// reason the API lives with its failure. The check still runs; its
	// failures are reported as accepted, never gate.
	Accept map[string]string `yaml:"accept,omitempty" json:"accept,omitempty"`

	// Dir is the directory of the profile file, for relative schema paths.
	Dir string `yaml:"-" json:"-"`
	// Source is the file the profile came from ("builtin:NAME" for built-ins).
	Source string `yaml:"-" json:"-"`
	// Warnings are one-line notes about keys whose meaning changed
	// (file:line:col: key: what it means now), said once when loaded.
	Warnings []string `yaml:"-" json:"-"`

	// envelope is the envelope schema compiled while loading; Compile reuses it.
	envelope *envelopeSchema
	// codeSchemas are the codes.X.schema schemas, compiled while loading.
	codeSchemas map[string]*envelopeSchema
	// statusSchemas are the envelope.status_schemas, compiled while loading.
	statusSchemas map[string]*envelopeSchema
	// docs are the documents the profile was merged from, to position
	// problems found after loading (Problem).
	docs []*doc
}

// Envelope describes the JSON body of every error response.
type Envelope struct {
	// Schema is the envelope's JSON Schema: an inline object, a file path
	// relative to the profile, or "builtin:NAME" for an embedded schema.
	Schema any `yaml:"schema" json:"schema"`
	// Code, Message, Details and RequestID are JSON Pointers (RFC 6901) into
	// the error body. Code, Details and RequestID are optional (an API
	// without machine-readable codes has no code). A token "*" addresses
	// every element of an array: /errors/*/code.
	Code string `yaml:"code,omitempty" json:"code,omitempty"`
	// CodeOptional says some errors carry no code: true for any status, or
	// the statuses whose errors may lack one ([404, 500]). A body without
	// a code is then not a failure of envelope.code-known.
	CodeOptional CodeOptional `yaml:"code_optional,omitempty" json:"code_optional,omitzero"`
	Message      string       `yaml:"message" json:"message"`
	Details      string       `yaml:"details,omitempty" json:"details,omitempty"`
	RequestID    string       `yaml:"request_id,omitempty" json:"request_id,omitempty"`
	// Status is an optional JSON Pointer to a body member that must equal the
	// HTTP status (RFC 9457's "status").
	Status string `yaml:"status,omitempty" json:"status,omitempty"`
	// StatusSchemas name an envelope schema of their own for bodies with
	// that HTTP status ("401": a framework's body), same forms as Schema;
	// a code's own schema (codes.X.schema) comes first.
	StatusSchemas map[string]any `yaml:"status_schemas,omitempty" json:"status_schemas,omitempty"`
	// ContentTypes are the media types accepted for error bodies.
	ContentTypes []string `yaml:"content_types" json:"content_types"`
}

// Code is one row of the status/code table.
type Code struct {
	// Status lists the HTTP statuses allowed for the code (most codes have one).
	Status Statuses `yaml:"status" json:"status"`
	// Routes overrides Status on some routes: "METHOD /path/{id}" → the
	// statuses the code has there (one code, different statuses on different
	// routes: NOT_FOUND is 404 on a GET, 422 on a create naming a missing
	// parent). A response's code is judged against its request's route.
	Routes      map[string]Statuses `yaml:"routes,omitempty" json:"routes,omitempty"`
	Retryable   bool                `yaml:"retryable,omitempty" json:"retryable,omitempty"`
	Description string              `yaml:"description,omitempty" json:"description,omitempty"`
	// Match, when set, makes the entry a pattern: every code matching this
	// regular expression is known, with this entry's statuses.
	Match string `yaml:"match,omitempty" json:"match,omitempty"`
	// Headers are header rules every response with this code must meet.
	Headers map[string]HeaderRule `yaml:"headers,omitempty" json:"headers,omitempty"`
	// Schema, when set, is the envelope schema bodies with this code are
	// validated against instead of envelope.schema (same forms).
	Schema any `yaml:"schema,omitempty" json:"schema,omitempty"`
}

// Statuses is one status or a list of them; in a file `status: 404` and
// `status: [400, 422]` are both accepted.
type Statuses []int

// Auth says how an API key is sent and which keys to use.
type Auth struct {
	// Header is the header carrying the key: X-API-Key, or Authorization.
	Header string `yaml:"header" json:"header"`
	// Scheme prefixes the key in the header, e.g. "Bearer"; empty for none.
	Scheme string `yaml:"scheme,omitempty" json:"scheme,omitempty"`
	// QueryParam is the query parameter a key sent in the URL would use
	// (probed to prove the API refuses it); default "api_key".
	QueryParam string `yaml:"query_param,omitempty" json:"query_param,omitempty"`
	Keys       Keys   `yaml:"keys,omitempty" json:"keys,omitempty"`
	// Basic, when set, sends HTTP Basic credentials (RFC 7617): the valid
	// credential is username:password, and keys.revoked, keys.expired,
	// keys.no_scope and keys.other_tenant are then username:password pairs.
	Basic *BasicAuth `yaml:"basic,omitempty" json:"basic,omitempty"`
	// OAuth2, when set, obtains the valid key as an OAuth2 access token by
	// the client-credentials grant; other keys.* are fixed tokens.
	OAuth2 *OAuth2 `yaml:"oauth2,omitempty" json:"oauth2,omitempty"`
	// TokenCommand, when set, is a shell command whose standard output is the
	// valid key; it is run again when a response says the key expired.
	TokenCommand string `yaml:"token_command,omitempty" json:"token_command,omitempty"`
	// TLS is a client certificate for mutual TLS (--cert/--key win).
	TLS ClientTLS `yaml:"tls,omitempty" json:"tls,omitempty"`
}

// BasicAuth is the valid HTTP Basic credential, each part usually ${VAR}.
type BasicAuth struct {
	Username string `yaml:"username" json:"username"`
	Password string `yaml:"password" json:"password"`
	// UsernameEnv and PasswordEnv name the variables the two came from, when
	// the profile wrote exactly ${VAR} (for curl reproductions).
	UsernameEnv string `yaml:"-" json:"-"`
	PasswordEnv string `yaml:"-" json:"-"`
}

// OAuth2 is an OAuth2 client-credentials grant (RFC 6749 §4.4).
type OAuth2 struct {
	TokenURL     string   `yaml:"token_url" json:"token_url"`
	ClientID     string   `yaml:"client_id" json:"client_id"`
	ClientSecret string   `yaml:"client_secret" json:"client_secret"`
	Scopes       []string `yaml:"scopes,omitempty" json:"scopes,omitempty"`
}

// ClientTLS names a PEM client certificate and key (paths relative to the
// profile) and, optionally, a CA certificate to trust for the server.
type ClientTLS struct {
	Cert   string `yaml:"cert,omitempty" json:"cert,omitempty"`
	Key    string `yaml:"key,omitempty" json:"key,omitempty"`
	CACert string `yaml:"ca_cert,omitempty" json:"ca_cert,omitempty"`
}

// Credential says where the valid key comes from: "basic", "oauth2",
// "token_command" or "" (keys.valid).
func (a Auth) Credential() string {
	switch {
	case a.Basic != nil:
		return "basic"
	case a.OAuth2 != nil:
		return "oauth2"
	case a.TokenCommand != "":
		return "token_command"
	}
	return ""
}

// Keys are the API keys probes use. Values are written as ${ENV_VAR} in
// profiles; Keys.Env records which variable each came from, for masking and
// for curl reproductions.
type Keys struct {
	Valid       string `yaml:"valid" json:"valid"`
	Revoked     string `yaml:"revoked,omitempty" json:"revoked,omitempty"`
	Expired     string `yaml:"expired,omitempty" json:"expired,omitempty"`
	NoScope     string `yaml:"no_scope,omitempty" json:"no_scope,omitempty"`
	OtherTenant string `yaml:"other_tenant,omitempty" json:"other_tenant,omitempty"`
	// Env maps a key's role (KeyValid, KeyRevoked, …) to the environment
	// variable its value came from, when the profile wrote exactly ${VAR}.
	Env map[string]string `yaml:"-" json:"-"`
}

// Key roles: the keys.* names, used by Keys.Env, Keys.Get and Profile.KeyEnv.
const (
	KeyValid       = "valid"
	KeyRevoked     = "revoked"
	KeyExpired     = "expired"
	KeyNoScope     = "no_scope"
	KeyOtherTenant = "other_tenant"
)

// RequestID says where the API promises a request id.
type RequestID struct {
	Header string `yaml:"header,omitempty" json:"header,omitempty"`
	// Pointer is a JSON Pointer into error bodies.
	Pointer string `yaml:"pointer,omitempty" json:"pointer,omitempty"`
}

// Idempotency describes the API's idempotency-key contract.
type Idempotency struct {
	// Header is the request header, e.g. Idempotency-Key; empty: not supported.
	Header string `yaml:"header,omitempty" json:"header,omitempty"`
	// ReplayHeader is an optional response header marking a replay.
	ReplayHeader string `yaml:"replay_header,omitempty" json:"replay_header,omitempty"`
	// MismatchCode is the code for a key reused with another body; its status
	// comes from the code table.
	MismatchCode string `yaml:"mismatch_code,omitempty" json:"mismatch_code,omitempty"`
	// Concurrency is how many simultaneous requests share one fresh key in the
	// concurrent probe (default 5).
	Concurrency int `yaml:"concurrency,omitempty" json:"concurrency,omitempty"`
}

// RateLimit describes the API's rate-limit contract and the burst bounds.
type RateLimit struct {
	// Headers: "legacy" (X-RateLimit-Limit/Remaining/Reset), "ietf"
	// (RateLimit / RateLimit-Policy structured fields), or "none".
	Headers string `yaml:"headers,omitempty" json:"headers,omitempty"`
	// Legacy header names (defaults X-RateLimit-Limit, -Remaining, -Reset).
	LimitHeader     string `yaml:"limit_header,omitempty" json:"limit_header,omitempty"`
	RemainingHeader string `yaml:"remaining_header,omitempty" json:"remaining_header,omitempty"`
	ResetHeader     string `yaml:"reset_header,omitempty" json:"reset_header,omitempty"`
	// Reset is how reset values read: "epoch" seconds, "delta" seconds from
	// now, or "auto" (a value over 10^9 is epoch).
	Reset string `yaml:"reset,omitempty" json:"reset,omitempty"`
	// RetryAfter: whether Retry-After is required on 429.
	RetryAfter bool `yaml:"retry_after,omitempty" json:"retry_after,omitempty"`
	// Code is the error code expected on 429.
	Code string `yaml:"code,omitempty" json:"code,omitempty"`
	// Route is the operation the burst spends, "GET /v1/contacts/{id}", for
	// APIs that limit only some routes ({id} is a resource the run creates);
	// empty: endpoints.list.
	Route string `yaml:"route,omitempty" json:"route,omitempty"`
	// Rate paces every request but the burst, "10/s" or "600/m" (--rate
	// overrides it); empty: unpaced.
	Rate  string `yaml:"rate,omitempty" json:"rate,omitempty"`
	Burst Burst  `yaml:"burst,omitempty" json:"burst,omitempty"`
	// None is `rate_limit: none`: the API declares no limiter, so no burst
	// is sent and a 429 met anywhere is a finding.
	None bool `yaml:"-" json:"-"`
}

// Burst bounds the rate-limit burst.
type Burst struct {
	// MaxRequests caps the burst (default 1000).
	MaxRequests int `yaml:"max_requests,omitempty" json:"max_requests,omitempty"`
	// Concurrency is the number of burst workers (default 8).
	Concurrency int `yaml:"concurrency,omitempty" json:"concurrency,omitempty"`
	// MaxWait caps the wait for recovery after a 429, e.g. "65s" (default 65s).
	MaxWait string `yaml:"max_wait,omitempty" json:"max_wait,omitempty"`
	// Stated is true when the profile sets max_requests itself (not the
	// default): run --openapi runs the burst only then, since a document
	// never states how many requests reach its limit.
	Stated bool `yaml:"-" json:"-"`
}

// Endpoints are the few operations probes need.
type Endpoints struct {
	// List is a read endpoint, "GET /v1/contacts"; the burst uses it too.
	// Optional: probes that need an authenticated read use the item route.
	List string `yaml:"list,omitempty" json:"list,omitempty"`
	// Create makes a resource; needs the write scope.
	Create Create `yaml:"create,omitempty" json:"create,omitempty"`
	// Item is the path template of one resource, "/v1/contacts/{id}".
	Item string `yaml:"item,omitempty" json:"item,omitempty"`
	// MissingID is well-formed but names nothing; MalformedID is not an id.
	MissingID   string `yaml:"missing_id,omitempty" json:"missing_id,omitempty"`
	MalformedID string `yaml:"malformed_id,omitempty" json:"malformed_id,omitempty"`
	// OtherTenantID is a resource of the other tenant; when empty, probes
	// create one with keys.other_tenant.
	OtherTenantID string `yaml:"other_tenant_id,omitempty" json:"other_tenant_id,omitempty"`
	// Scoped is "METHOD /path" of an operation the no_scope key may not do
	// (default: the create endpoint).
	Scoped string `yaml:"scoped,omitempty" json:"scoped,omitempty"`
	// Delete is "DELETE /path/{id}" used by the delete probe and clean-up.
	Delete string `yaml:"delete,omitempty" json:"delete,omitempty"`
	// DeleteStatus lists the statuses a successful delete may answer
	// (204, 200, 202; default [204]); a 204 carries no body.
	DeleteStatus []int `yaml:"delete_status,omitempty" json:"delete_status,omitempty"`
	// ItemMethods are the methods the item route takes; the unknown-id and
	// malformed-id probes run on each (default GET, and DELETE when delete
	// is on the item route).
	ItemMethods []string `yaml:"item_methods,omitempty" json:"item_methods,omitempty"`
	// UnknownRoute is a path the API does not have; when empty, errprobe
	// derives one that matches no route template of the profile.
	UnknownRoute string `yaml:"unknown_route,omitempty" json:"unknown_route,omitempty"`
	// ServerError is "METHOD /path" of an operation that answers 500 (a
	// test route); the internal probe expects expect.internal there.
	ServerError string `yaml:"server_error,omitempty" json:"server_error,omitempty"`
}

// Create is the create operation with a valid and an invalid sample body.
// In bodies, {{n}} expands to a number unique within the run (7 digits).
type Create struct {
	Method string `yaml:"method,omitempty" json:"method,omitempty"`
	Path   string `yaml:"path,omitempty" json:"path,omitempty"`
	// Body is a valid sample body (JSON text, unless ContentType says
	// otherwise).
	Body string `yaml:"body,omitempty" json:"body,omitempty"`
	// ContentType is the media type of Body and InvalidBody (default
	// application/json).
	ContentType string `yaml:"content_type,omitempty" json:"content_type,omitempty"`
	// InvalidBody fails validation on InvalidField.
	InvalidBody  string `yaml:"invalid_body,omitempty" json:"invalid_body,omitempty"`
	InvalidField string `yaml:"invalid_field,omitempty" json:"invalid_field,omitempty"`
	// BodyOptional says an empty body is a valid create (an OpenAPI
	// requestBody that is not required): the empty-body probe is skipped.
	BodyOptional bool `yaml:"body_optional,omitempty" json:"body_optional,omitempty"`
	// IDPointer is the JSON Pointer to the new resource's id in the response.
	IDPointer string `yaml:"id_pointer,omitempty" json:"id_pointer,omitempty"`
	// Headers are header rules the create's success response must meet
	// (Location on 201, say); a replay must carry the same.
	Headers map[string]HeaderRule `yaml:"headers,omitempty" json:"headers,omitempty"`
}

// Situations a profile's expect table names: what error each probe expects.
// The reference server (fixtures) answers the same situations with the same
// codes, so both sides read one table.
const (
	ExpectMissingKey          = "missing_key"           // no key, empty key
	ExpectInvalidKey          = "invalid_key"           // garbage key, wrong scheme, key in the query string
	ExpectRevokedKey          = "revoked_key"           // keys.revoked
	ExpectExpiredKey          = "expired_key"           // keys.expired
	ExpectMissingScope        = "missing_scope"         // keys.no_scope on endpoints.scoped
	ExpectMalformedJSON       = "malformed_json"        // truncated, trailing garbage, not JSON, empty, wrong top-level type
	ExpectWrongContentType    = "wrong_content_type"    // valid JSON sent as text/plain
	ExpectValidation          = "validation"            // endpoints.create.invalid_body
	ExpectNotFound            = "not_found"             // endpoints.missing_id
	ExpectInvalidID           = "invalid_id"            // endpoints.malformed_id
	ExpectCrossTenant         = "cross_tenant"          // another organisation's id
	ExpectUnknownRoute        = "unknown_route"         // a path the API does not have
	ExpectMethodNotAllowed    = "method_not_allowed"    // a method the endpoint does not take
	ExpectConflict            = "conflict"              // duplicate resource
	ExpectIdempotencyMismatch = "idempotency_mismatch"  // same key, other body
	ExpectIdempotencyInFlight = "idempotency_in_flight" // same key while its first request is still in progress
	ExpectRateLimited         = "rate_limited"          // 429
	ExpectInternal            = "internal"              // 500
)
