package schemas

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
	"github.com/goccy/go-yaml/parser"
)

//go:embed profiles/*.yaml envelopes/*.json profile.schema.json
var embedded embed.FS

// BuiltinNames lists the built-in profiles, sorted.
func BuiltinNames() []string {
	entries, _ := embedded.ReadDir("profiles")
	var names []string
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".yaml"))
	}
	sort.Strings(names)
	return names
}

// IsBuiltin reports whether name is a built-in profile's name.
func IsBuiltin(name string) bool {
	_, err := fs.Stat(embedded, "profiles/"+name+".yaml")
	return err == nil && name != "" && !strings.ContainsAny(name, "/\\.")
}

// BuiltinSource returns the YAML text of a built-in profile, comments and all.
func BuiltinSource(name string) ([]byte, error) {
	if !IsBuiltin(name) {
		return nil, fileError("", "no built-in profile %q (built-ins: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return embedded.ReadFile("profiles/" + name + ".yaml")
}

// Builtin loads a built-in profile; ${VAR}s expand through getenv.
func Builtin(name string, getenv func(string) string) (*Profile, error) {
	src, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	return load("builtin:"+name, "", src, getenv)
}

// Load reads a profile file (YAML or JSON), resolves `extends`, validates it
// against the profile schema and the semantic rules, expands ${VAR}s in
// base_url and auth keys through getenv, and compiles its envelope schema.
// Every error is a *ProfileError whose lines read file:line:col: path: message.
func Load(path string, getenv func(string) string) (*Profile, error) {
	src, err := ReadInput(path, "profile")
	if err != nil {
		return nil, fileError(path, "%v", err)
	}
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fileError(path, "%v", err)
	}
	return load(path, dir, src, getenv)
}

// LoadBytes loads a profile given as text, as Load would once it is
// written at path (`init` checks what it is about to write).
func LoadBytes(path string, src []byte, getenv func(string) string) (*Profile, error) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, fileError(path, "%v", err)
	}
	return load(path, dir, src, getenv)
}

// Resolve loads a built-in profile by name, or else a profile file by path.
func Resolve(nameOrPath string, getenv func(string) string) (*Profile, error) {
	if IsBuiltin(nameOrPath) {
		return Builtin(nameOrPath, getenv)
	}
	if _, err := os.Stat(nameOrPath); err != nil && !strings.ContainsAny(nameOrPath, `/\.`) {
		return nil, fileError(nameOrPath, "no built-in profile or file by that name (built-ins: %s)", strings.Join(BuiltinNames(), ", "))
	}
	return Load(nameOrPath, getenv)
}

// load runs the loading pipeline: parse, extends, shape, decode, expand, semantics.
func load(file, dir string, src []byte, getenv func(string) string) (*Profile, error) {
	if getenv == nil {
		getenv = func(string) string { return "" }
	}
	user, err := parseDoc(file, src)
	if err != nil {
		return nil, err
	}
	docs, merged, err := resolveExtends(user, nil)
	if err != nil {
		return nil, err
	}
	if err := newProfileError(validateShape(merged, docs)); err != nil {
		return nil, err
	}
	merged, noLimiter := withoutNoLimiter(merged)
	p, err := decodeProfile(file, merged)
	if err != nil {
		return nil, err
	}
	p.RateLimit.None = noLimiter
	p.Source, p.Dir = file, dir
	expandEnv(p, getenv)
	expandProbeEnv(p, getenv)
	applyDefaults(p)
	if err := newProfileError(checkSemantics(p, docs)); err != nil {
		return nil, err
	}
	p.docs = docs
	p.Name = ownName(p.Name, user)
	p.Warnings = changedKeys(docs)
	return p, nil
}

// changed are keys whose meaning changed, with what they mean now.
var changed = []struct {
	path []string
	now  string
}{
	{[]string{"expect", "conflict"}, "now the answer to a duplicate create (the conflict probe creates the same resource twice); " +
		"for another 409 write a custom probe"},
}

// changedKeys warns of the changed keys a user's file (not a built-in) sets.
func changedKeys(docs []*doc) []string {
	var out []string
	for _, d := range docs {
		if strings.HasPrefix(d.file, "builtin:") {
			continue
		}
		for _, c := range changed {
			if line, col, ok := d.position(c.path); ok {
				out = append(out, fmt.Sprintf("%s:%d:%d: %s: %s", d.file, line, col, strings.Join(c.path, "."), c.now))
			}
		}
	}
	return out
}

// ownName names a user's profile file that gives no name: of its own by
// its file ("errprobe.yaml"), so reports do not present it as the built-in
// it extends; a name: it gives, or a built-in's, is kept.
func ownName(merged string, user *doc) string {
	if _, named := user.value["name"]; named || strings.HasPrefix(user.file, "builtin:") {
		return merged
	}
	return filepath.Base(user.file)
}

// withoutNoLimiter takes `rate_limit: none` (the API has no limiter; the
// schema allows it) out of the validated profile, which then decodes as one
// without rate_limit.
func withoutNoLimiter(v map[string]any) (map[string]any, bool) {
	if s, ok := v["rate_limit"].(string); !ok || s != "none" {
		return v, false
	}
	out := make(map[string]any, len(v))
	for k, e := range v {
		if k != "rate_limit" {
			out[k] = e
		}
	}
	return out, true
}

// parseDoc parses YAML (JSON is YAML) into a syntax tree and a JSON-typed value.
func parseDoc(file string, src []byte) (*doc, error) {
	src, err := CheckInput(src)
	if err != nil {
		return nil, inputError(file, err)
	}
	f, err := parser.ParseBytes(src, 0)
	if err != nil {
		return nil, yamlError(file, err)
	}
	if len(f.Docs) == 0 || f.Docs[0].Body == nil {
		return nil, fileError(file, "empty profile")
	}
	if len(f.Docs) > 1 {
		line, col := nodePos(f.Docs[1])
		return nil, newProfileError([]Problem{{File: file, Line: line, Col: col, Msg: "a profile is one YAML document; found a second"}})
	}
	body := f.Docs[0].Body
	if limit := NodeBudget(len(src)); expandedSize(body, map[string]int{}, limit) > limit {
		return nil, fileError(file, "YAML aliases expand to more than %d nodes", limit)
	}
	var raw any
	if err := yaml.NodeToValue(body, &raw); err != nil {
		return nil, yamlError(file, err)
	}
	v, err := jsonTyped(raw)
	if err != nil {
		return nil, fileError(file, "%v", err)
	}
	m, ok := v.(map[string]any)
	if !ok {
		line, col := nodePos(body)
		return nil, newProfileError([]Problem{{File: file, Line: line, Col: col, Msg: "a profile must be a mapping of keys (name, envelope, codes, …)"}})
	}
	return &doc{file: file, root: body, value: m}, nil
}

// inputError positions CheckInput's refusal in file.
func inputError(file string, err error) error {
	var de *DepthError
	if errors.As(err, &de) {
		return newProfileError([]Problem{{File: file, Line: de.Line, Col: de.Col, Msg: fmt.Sprintf("nested more than %d levels deep", MaxDepth)}})
	}
	return fileError(file, "%v", err)
}

// yamlError turns a goccy error into a positioned problem.
func yamlError(file string, err error) error {
	var ye yaml.Error
	if errors.As(err, &ye) && ye.GetToken() != nil {
		pos := ye.GetToken().Position
		return newProfileError([]Problem{{File: file, Line: pos.Line, Col: pos.Column, Msg: "invalid YAML: " + ye.GetMessage()}})
	}
	return fileError(file, "invalid YAML: %v", err)
}

// jsonTyped converts a YAML-decoded value to the types encoding/json
// produces (maps of string keys, []any, json.Number, string, bool, nil).
func jsonTyped(v any) (any, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var out any
	err = d.Decode(&out)
	return out, err
}

// merge deep-merges over onto base: maps merge key by key, scalars and lists
// replace, and a null removes the base's key.
func merge(base, over map[string]any) map[string]any {
	out := make(map[string]any, len(base)+len(over))
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		if v == nil {
			delete(out, k)
			continue
		}
		bm, bok := out[k].(map[string]any)
		om, ook := v.(map[string]any)
		if bok && ook {
			out[k] = merge(bm, om)
			continue
		}
		out[k] = v
	}
	return out
}

// decodeProfile decodes the validated generic value into a Profile.
func decodeProfile(file string, v map[string]any) (*Profile, error) {
	b, err := json.Marshal(v)
	if err != nil {
		return nil, fileError(file, "%v", err)
	}
	var p Profile
	if err := json.Unmarshal(b, &p); err != nil {
		return nil, fileError(file, "%v", err)
	}
	// Keep json.Number values for the schema compiler in every schema.
	if s, ok := v["envelope"].(map[string]any); ok {
		p.Envelope.Schema = s["schema"]
		if ss, ok := s["status_schemas"].(map[string]any); ok {
			for st, sch := range ss {
				p.Envelope.StatusSchemas[st] = sch
			}
		}
	}
	if codes, ok := v["codes"].(map[string]any); ok {
		for name, raw := range codes {
			if m, ok := raw.(map[string]any); ok && m["schema"] != nil {
				c := p.Codes[name]
				c.Schema = m["schema"]
				p.Codes[name] = c
			}
		}
	}
	return &p, nil
}

// locate positions a problem at path: in the first document holding the
// whole path (the user's file before the built-in it extends), else at the
// deepest ancestor found in the user's file.
func locate(docs []*doc, path []string, isIndex func(int) bool, msg string) Problem {
	p := Problem{File: docs[0].file, Path: dotted(path, isIndex), Msg: msg}
	for _, d := range docs {
		if line, col, ok := d.position(path); ok {
			p.File, p.Line, p.Col = d.file, line, col
			return p
		}
	}
	p.Line, p.Col, _ = docs[0].position(path)
	return p
}
