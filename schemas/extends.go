package schemas

import (
	"errors"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// maxExtends bounds an extends chain.
const maxExtends = 8

// resolveExtends merges the user's document over what it extends: a
// built-in by name, or a profile file by path (relative to the extending
// file), which may extend further. docs lists the user's document first,
// then each base in chain order. chain holds the files already on the way
// (a loop names it).
func resolveExtends(user *doc, chain []string) ([]*doc, map[string]any, error) {
	ext, ok := user.value["extends"]
	if !ok {
		return []*doc{user}, user.value, nil
	}
	name, _ := ext.(string)
	fail := func(msg string) error {
		line, col, _ := user.position([]string{"extends"})
		return newProfileError([]Problem{{File: user.file, Line: line, Col: col, Path: "extends", Msg: msg}})
	}
	here := append(chain[:len(chain):len(chain)], user.file)
	var base *doc
	switch {
	case IsBuiltin(name):
		src, _ := BuiltinSource(name)
		var err error
		if base, err = parseDoc("builtin:"+name, src); err != nil {
			return nil, nil, err
		}
	case strings.HasPrefix(user.file, "builtin:"):
		return nil, nil, fail("a built-in profile can only extend a built-in")
	case !isFileRef(name):
		return nil, nil, fail("must name a built-in profile (" + strings.Join(BuiltinNames(), ", ") + ") or a profile file like ./base.yaml")
	default:
		path := name
		if !filepath.IsAbs(path) {
			path = filepath.Join(filepath.Dir(user.file), path)
		}
		for _, f := range here {
			if samePath(f, path) {
				return nil, nil, fail("loop: " + strings.Join(append(here, path), " → "))
			}
		}
		if len(here) > maxExtends {
			return nil, nil, fail("extends chain longer than " + strconv.Itoa(maxExtends) + ": " + strings.Join(append(here, path), " → "))
		}
		src, err := ReadInput(path, "profile")
		if err != nil {
			var pe *fs.PathError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			msg := strings.TrimPrefix(err.Error(), "cannot read profile: ")
			return nil, nil, fail("cannot read " + path + ": " + msg + " (chain: " + strings.Join(append(here, path), " → ") + ")")
		}
		if base, err = parseDoc(path, src); err != nil {
			return nil, nil, err
		}
		absolutize(base)
	}
	baseDocs, baseValue, err := resolveExtends(base, here)
	if err != nil {
		return nil, nil, err
	}
	return append([]*doc{user}, baseDocs...), mergeReplacing(baseValue, user.value), nil
}

// isFileRef reports whether extends names a file rather than a built-in.
func isFileRef(s string) bool {
	return strings.ContainsAny(s, `/\`) || strings.HasSuffix(s, ".yaml") || strings.HasSuffix(s, ".yml") || strings.HasSuffix(s, ".json")
}

func samePath(a, b string) bool {
	x, err1 := filepath.Abs(a)
	y, err2 := filepath.Abs(b)
	return err1 == nil && err2 == nil && x == y
}

// absolutize rewrites a base file's relative schema paths (envelope.schema,
// codes.X.schema) to absolute ones, so they resolve from the file that
// wrote them whichever profile extends it.
func absolutize(d *doc) {
	dir, err := filepath.Abs(filepath.Dir(d.file))
	if err != nil {
		return
	}
	fix := func(m map[string]any) {
		if s, ok := m["schema"].(string); ok && s != "" && !strings.HasPrefix(s, "builtin:") && !strings.Contains(s, "://") && !filepath.IsAbs(s) {
			m["schema"] = filepath.Join(dir, s)
		}
	}
	if env, ok := d.value["envelope"].(map[string]any); ok {
		fix(env)
		if ss, ok := env["status_schemas"].(map[string]any); ok {
			for st, sch := range ss {
				if s, ok := sch.(string); ok && s != "" && !strings.HasPrefix(s, "builtin:") && !strings.Contains(s, "://") && !filepath.IsAbs(s) {
					ss[st] = filepath.Join(dir, s)
				}
			}
		}
	}
	if codes, ok := d.value["codes"].(map[string]any); ok {
		for _, c := range codes {
			if m, ok := c.(map[string]any); ok {
				fix(m)
			}
		}
	}
}

// mergeReplacing merges over onto base, except that the top-level keys
// over lists in replace take over's value whole (a code table that
// replaces the inherited one).
func mergeReplacing(base, over map[string]any) map[string]any {
	out := merge(base, over)
	if bp, ok := base["probes"].([]any); ok {
		if op, ok := over["probes"].([]any); ok {
			out["probes"] = addProbes(bp, op)
		}
	}
	list, _ := over["replace"].([]any)
	for _, k := range list {
		key, _ := k.(string)
		if v, ok := over[key]; ok && v != nil {
			out[key] = v
		}
	}
	return out
}

// addProbes adds a profile's probes to those it extends: one with the name
// of an inherited probe takes its place, the others follow (replace:
// [probes] drops the inherited list).
func addProbes(base, over []any) []any {
	name := func(v any) string {
		m, _ := v.(map[string]any)
		s, _ := m["name"].(string)
		return s
	}
	out := append([]any(nil), base...)
	for _, o := range over {
		i := slices.IndexFunc(out, func(b any) bool { return name(b) != "" && name(b) == name(o) })
		if i >= 0 {
			out[i] = o
			continue
		}
		out = append(out, o)
	}
	return out
}
