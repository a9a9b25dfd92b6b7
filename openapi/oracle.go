package openapi

import (
	"strings"

	"github.com/errprobe/errprobe/schemas"
)

// What a server that keeps the document's promises needs of the model
// (fixtures/docserver), read the way init --from-openapi and the
// per-operation probes read it.

// Envelope is the error schema a document documents most often, with the
// members errprobe's importer finds in it (the same as init --from-openapi
// writes): JSON Pointers, "" where none.
type Envelope struct {
	Schema      map[string]any
	ContentType string
	Code        string
	Message     string
	Details     string
	// Status is the member that carries the HTTP status, "" where none.
	Status string
	// RequestID is the member that carries the request's id, "" where none.
	RequestID string
	// RequestIDHeader is the request-id header documented on the most
	// error responses (the one init --from-openapi writes), "" where none.
	RequestIDHeader string
	// Situations are the statuses the document gives each of errprobe's
	// situations (validation, malformed_json, invalid_id, …) where it shows
	// them, as init --from-openapi reads them for its expect table.
	Situations map[string][]int
}

// EnvelopeOf is the document's most documented JSON error schema and its
// members, as init --from-openapi reads them; nil Schema when the document
// gives none.
func EnvelopeOf(d *Document) Envelope {
	im := newImport(d)
	header, _ := im.requestIDHeader()
	sits := map[string][]int{}
	for name, g := range im.sits {
		if len(g.Statuses) > 0 {
			sits[name] = g.Statuses
		}
	}
	if im.envelope == nil {
		return Envelope{RequestIDHeader: header, Situations: sits}
	}
	ct := "application/json"
	for _, e := range im.errs {
		if e.resp.Schema != nil && isJSON(e.resp.ContentType) {
			ct = e.resp.ContentType
			break
		}
	}
	return Envelope{Schema: im.envelope, ContentType: ct, Code: im.ptrs["code"].Pointer,
		Message: im.ptrs["message"].Pointer, Details: im.ptrs["details"].Pointer, Status: im.ptrs["status"].Pointer,
		RequestID: im.ptrs["request_id"].Pointer, RequestIDHeader: header, Situations: sits}
}

// IsJSON reports whether a media type is JSON (application/json or +json).
func IsJSON(contentType string) bool { return isJSON(contentType) }

// SampleBody is the request body a probe sends: its example, else the
// smallest value its schema accepts, as JSON ("{}" when neither).
func SampleBody(b *Body) string { return sampleBody(b) }

// Sample is the smallest value valid against schema: its required members
// only (what probes send).
func Sample(schema map[string]any) (any, bool) { return sampleValue(schema, 0) }

// UnknownID is the well-formed id errprobe's probes send as one that names
// nothing, for a path parameter's schema; ok is false when the schema
// states nothing to build one from.
func UnknownID(schema map[string]any) (string, bool) {
	return wellFormedID(MergeAllOf(orEmpty(schema)))
}

// FieldPointers are the members of an error schema that name the field an
// error is about ("/errors/*/field", "/detail/*/loc"), as the negative
// probes read them: a server names its fields there.
func FieldPointers(schema map[string]any) []string {
	return findFieldMembers(schema, "", false, 0)
}

// AssertedFormats are the string formats the negative probes break
// (negative.format): schemas.AssertedFormats, each with a sample and a
// broken value here.
func AssertedFormats() []string { return schemas.AssertedFormats() }

// TransportHeader reports whether a header parameter is one the client's
// transport owns (Authorization, Content-Type, Accept, …): the negative
// probes never break it, and a server keeping the document does not judge
// it as data.
func TransportHeader(name string) bool { return transportHeaders[strings.ToLower(name)] }
