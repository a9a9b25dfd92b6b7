package openapi

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
)

// DocumentJSON is the document as one self-contained JSON document, as a
// server publishes it at /openapi.json: a single-file document as it is
// (YAML turned into JSON), a document of several files with the other
// files' parts moved into its components.
func DocumentJSON(file string) ([]byte, error) {
	tree, err := readTree(file)
	if err != nil {
		return nil, err
	}
	var refs []refAt
	collectRefs(tree, "", &refs)
	external := false
	for _, r := range refs {
		if !strings.HasPrefix(r.ref, "#") {
			external = true
			break
		}
	}
	if !external {
		return json.Marshal(tree)
	}
	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = true
	loader.ReadFromURIFunc = readLocal
	t, err := loader.LoadFromFile(file)
	if err != nil {
		return nil, &Error{File: file, Msg: libError(err)}
	}
	t.InternalizeRefs(context.Background(), nil)
	return json.Marshal(t)
}
