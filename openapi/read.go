package openapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"

	"github.com/errprobe/errprobe/infile"
	"github.com/errprobe/errprobe/schemas"
)

// Limits on what one document may make errprobe read. The largest public
// documents (GitHub's REST description, Stripe's) are 7–12 MB in one file,
// Box's is 1.7 MB for 296 operations, so a real 10,000-operation document
// is 20–60 MB; DigitalOcean's 2,900 files are 9 MB together. The 4 MiB cap
// of other inputs refused such documents.
const (
	// MaxDocumentBytes caps one file of a document.
	MaxDocumentBytes = 64 << 20
	// MaxDocumentTotal caps all the files of one document together.
	MaxDocumentTotal = 128 << 20
	// MaxDocumentFiles caps how many files a document's $refs may name.
	MaxDocumentFiles = 20_000
)

// sources reads the files of one document, each once: the loader and the
// $ref walk share what was read. Every file is opened only if it is a
// regular file (a FIFO or a device is refused, never waited on) and read
// with a size cap.
type sources struct {
	files map[string]*source // by absolute path
	total int64
}

type source struct {
	tree any
}

func newSources() *sources { return &sources{files: map[string]*source{}} }

// read returns the tree of file (its absolute path abs), reading it on
// first use.
func (s *sources) read(file string) (any, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	if src, ok := s.files[abs]; ok {
		return src.tree, nil
	}
	if len(s.files) >= MaxDocumentFiles {
		return nil, &Error{File: file, Msg: fmt.Sprintf("the document's $refs name more than %d files: not read", MaxDocumentFiles)}
	}
	b, err := readRegular(file, MaxDocumentBytes)
	if err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	if s.total += int64(len(b)); s.total > MaxDocumentTotal {
		return nil, &Error{File: file, Msg: fmt.Sprintf("the document's files are larger than %d MiB together: not read", MaxDocumentTotal>>20)}
	}
	tree, err := parseTree(file, b)
	if err != nil {
		return nil, err
	}
	s.files[abs] = &source{tree: tree}
	return tree, nil
}

// readRegular reads file if it is a regular file of at most max bytes
// (infile: a FIFO or a device is refused at once, never waited on).
func readRegular(file string, max int64) ([]byte, error) {
	b, err := infile.Read(file, max)
	if err != nil {
		return nil, fmt.Errorf("cannot read the document: %w", err)
	}
	return b, nil
}

// aliasBudget is how many nodes a document of size bytes may expand to
// with its YAML aliases resolved: 100,000 plus four per byte. A document
// without aliases has at most about one node per two bytes (a generated
// 10,000-operation document: 297,620 nodes in 1.6 MB, past the fixed
// 100,000 that refused it before); one that shares an error response by
// anchor on 4 statuses of every operation expands to 1.3 nodes a byte; a
// billion-laughs bomb is stopped at a size proportional to its file.
func aliasBudget(size int) int { return 100_000 + 4*size }

// parseTree parses YAML or JSON text into a generic tree, through the
// input guards every errprobe input passes (nesting depth, aliases within
// a budget relative to the text, byte-order mark).
func parseTree(file string, b []byte) (any, error) {
	b, err := schemas.CheckNesting(b)
	if err != nil {
		return nil, &Error{File: file, Msg: err.Error()}
	}
	var tree any
	if json.Valid(b) { // JSON has no aliases, and encoding/json is fast
		if err := json.Unmarshal(b, &tree); err != nil {
			return nil, &Error{File: file, Msg: "not JSON: " + err.Error()}
		}
		return tree, nil
	}
	tree, err = yamlTree(b, aliasBudget(len(b)))
	var bomb *aliasError
	switch {
	case errors.As(err, &bomb):
		return nil, &Error{File: file, Msg: err.Error()}
	case err != nil:
		return nil, &Error{File: file, Msg: "not YAML or JSON: " + firstLine(err.Error())}
	}
	return tree, nil
}
