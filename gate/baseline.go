package gate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"

	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
)

// BaselineVersion is the version a baseline file declares.
const BaselineVersion = 1

// Baseline lists failures a team has accepted. Entries are keyed by check ID
// and probe, never by message text, so they survive message changes; they
// hold nothing else (no messages, no requests, no secrets).
type Baseline struct {
	Entries []BaselineEntry
}

// BaselineEntry is one known failure.
type BaselineEntry struct {
	Check string `json:"check" yaml:"check"`
	Probe string `json:"probe" yaml:"probe"`
}

// baselineFile is the on-disk form, JSON or YAML.
type baselineFile struct {
	Version int             `json:"version" yaml:"version"`
	Known   []BaselineEntry `json:"known" yaml:"known"`
}

// NewBaseline lists a report's failures (known ones included), sorted and
// without duplicates.
func NewBaseline(r *report.Report) *Baseline {
	b := &Baseline{}
	for _, res := range r.Results {
		if res.Status == report.StatusFail {
			b.Entries = append(b.Entries, BaselineEntry{Check: res.Check, Probe: res.Probe})
		}
	}
	b.normalize()
	return b
}

// Contains reports whether the baseline lists check+probe. A nil baseline
// lists nothing.
func (b *Baseline) Contains(check, probe string) bool {
	if b == nil {
		return false
	}
	for _, e := range b.Entries {
		if e.Check == check && e.Probe == probe {
			return true
		}
	}
	return false
}

// Write writes the baseline as JSON.
func (b *Baseline) Write(w io.Writer) error {
	data, err := json.MarshalIndent(b.file(), "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// WriteYAML writes the baseline as YAML.
func (b *Baseline) WriteYAML(w io.Writer) error {
	data, err := yaml.Marshal(b.file())
	if err != nil {
		return err
	}
	_, err = io.WriteString(w, "# errprobe baseline: known failures, keyed by check and probe\n"+string(data))
	return err
}

func (b *Baseline) file() baselineFile {
	known := b.Entries
	if known == nil {
		known = []BaselineEntry{}
	}
	return baselineFile{Version: BaselineVersion, Known: known}
}

func (b *Baseline) normalize() {
	sort.Slice(b.Entries, func(i, j int) bool {
		x, y := b.Entries[i], b.Entries[j]
		if x.Check != y.Check {
			return x.Check < y.Check
		}
		return x.Probe < y.Probe
	})
	b.Entries = dedupe(b.Entries)
}

func dedupe(es []BaselineEntry) []BaselineEntry {
	out := es[:0]
	for i, e := range es {
		if i == 0 || e != es[i-1] {
			out = append(out, e)
		}
	}
	return out
}

// LoadBaseline reads a baseline file (JSON or YAML). Errors are one line and
// name the file, and the line and column when the file does not parse.
func LoadBaseline(path string) (*Baseline, error) {
	data, err := schemas.ReadInput(path, "baseline")
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return ParseBaseline(path, data)
}

// ParseBaseline parses a baseline document; name prefixes its errors.
func ParseBaseline(name string, data []byte) (*Baseline, error) {
	data, err := schemas.GuardYAML(data)
	if err != nil {
		if _, ok := err.(*schemas.DepthError); ok {
			return nil, fmt.Errorf("%s:%w", name, err) // name:line:col: …
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if len(bytes.TrimSpace(data)) == 0 {
		return nil, fmt.Errorf("%s: empty baseline file", name)
	}
	var f baselineFile
	if err := yaml.UnmarshalWithOptions(data, &f, yaml.Strict()); err != nil {
		return nil, yamlError(name, err)
	}
	if f.Version != BaselineVersion {
		return nil, fmt.Errorf("%s: unsupported baseline version %d (want %d)", name, f.Version, BaselineVersion)
	}
	for i, e := range f.Known {
		if e.Check == "" || e.Probe == "" {
			return nil, fmt.Errorf("%s: known[%d]: check and probe are both required", name, i)
		}
	}
	b := &Baseline{Entries: f.Known}
	b.normalize()
	return b, nil
}

func yamlError(name string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return fmt.Errorf("%s:%d:%d: %s", name, pos.Line, pos.Column, firstLine(ye.GetMessage()))
	}
	return fmt.Errorf("%s: %s", name, firstLine(err.Error()))
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}
