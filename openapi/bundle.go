package openapi

import (
	"encoding/json"
)

// DocumentJSON is the document as one self-contained JSON document, as a
// server publishes it at /openapi.json: a single-file document as it is
// (YAML turned into JSON), a document of several files with the other
// files' parts moved into its components (or, where their kind is not
// clear from where they are named, under x-errprobe-files), every $ref
// local.
func DocumentJSON(file string) ([]byte, error) {
	src := newSources()
	tree, err := src.read(file)
	if err != nil {
		return nil, err
	}
	if _, err := checkVersion(file, tree); err != nil {
		return nil, err
	}
	if err := prepare(src, file, tree); err != nil {
		return nil, err
	}
	return json.Marshal(tree)
}
