// Package openapi reads OpenAPI 3.0 and 3.1 documents (local files and
// local $refs only, never the network) into errprobe's own small model of
// an API: its servers, security schemes and operations with their
// parameters, request bodies and documented responses. From that model it
// writes a starter profile (Profile), and it plans the stateless
// per-operation probes of `errprobe run --openapi` (Plan). The OpenAPI
// library's types never leave this package.
package openapi

import "strings"

// Document is an OpenAPI document reduced to what errprobe uses.
type Document struct {
	// File is the path the document was read from, for messages.
	File string
	// Version is the document's openapi member, e.g. "3.1.0".
	Version string
	Title   string
	// Servers are the servers' URLs, in document order.
	Servers []string
	// Schemes are the security schemes by name.
	Schemes map[string]SecurityScheme
	// Operations are in path order, then method order (see methodOrder).
	Operations []*Operation
}

// SecurityScheme is one components.securitySchemes entry errprobe can use.
type SecurityScheme struct {
	Name string
	// Type is apiKey, http, oauth2, openIdConnect or mutualTLS.
	Type string
	// In and Param: where an apiKey goes ("header", "query", "cookie") and its name.
	In, Param string
	// Scheme is the http scheme: "bearer", "basic".
	Scheme string
}

// Operation is one method on one path.
type Operation struct {
	Method string // upper case: GET, POST, …
	Path   string // the document's path template, "/v1/contacts/{id}"
	ID     string // operationId, may be empty
	Tags   []string
	// Security names the schemes any of which secures the operation; empty
	// when the operation is not secured.
	Security []string
	Params   []Param
	Body     *Body
	// Responses by status key: "200", "4XX", "default".
	Responses map[string]*Response
	// Pointer is the operation's JSON Pointer in the document, for messages.
	Pointer string
}

// Name is how results name the operation: "GET /v1/contacts/{id}".
func (o *Operation) Name() string { return o.Method + " " + o.Path }

// PathParams returns the operation's path parameters in path order.
func (o *Operation) PathParams() []Param {
	var out []Param
	for _, p := range o.Params {
		if p.In == "path" {
			out = append(out, p)
		}
	}
	return out
}

// Templated reports whether the path has a {parameter}.
func (o *Operation) Templated() bool { return strings.Contains(o.Path, "{") }

// Param is one parameter.
type Param struct {
	Name     string
	In       string // path, query, header, cookie
	Required bool
	// Schema is the parameter's schema as JSON Schema, $refs resolved.
	Schema  map[string]any
	Example any
}

// Body is an operation's request body.
type Body struct {
	Required    bool
	ContentType string
	// Schema is the body's schema as JSON Schema (2020-12), $refs resolved.
	Schema  map[string]any
	Example any
	// ContentTypes are every documented media type, sorted (ContentType is
	// the one probes send: JSON where documented).
	ContentTypes []string
}

// JSON reports whether the body is JSON (application/json or +json).
func (b *Body) JSON() bool { return isJSON(b.ContentType) }

// Response is one documented response.
type Response struct {
	Description string
	// ContentType is the first documented media type; "" for no body.
	ContentType string
	// ContentTypes are every documented media type.
	ContentTypes []string
	// Schema is the body's schema as JSON Schema (2020-12), $refs
	// resolved; nil when none is documented.
	Schema map[string]any
	// Headers are the documented response headers, by canonical name.
	Headers []Header
	// Examples are the body's examples: the media type's example and its
	// named examples, in name order.
	Examples []Example
}

// Header is one documented response header.
type Header struct {
	Name        string
	Required    bool
	Description string
}

// Header returns the documented header name (any case), if documented.
func (r *Response) Header(name string) (Header, bool) {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return h, true
		}
	}
	return Header{}, false
}

// Example is one documented example body.
type Example struct {
	Name    string
	Summary string
	Value   any
}

func isJSON(ct string) bool {
	mt, _, _ := strings.Cut(strings.ToLower(ct), ";")
	mt = strings.TrimSpace(mt)
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// methodOrder is the order operations of one path are listed in.
var methodOrder = []string{"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"}
