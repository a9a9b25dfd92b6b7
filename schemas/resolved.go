package schemas

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// resolvedOrder is the order top-level keys are written in.
var resolvedOrder = []string{"name", "description", "base_url", "envelope", "codes", "auth", "request_id",
	"idempotency", "rate_limit", "endpoints", "expect", "probes", "severity", "accept"}

// Resolved returns the profile nameOrPath (a built-in or a file) with its
// extends chain merged, as YAML whose comments say which file each part
// came from. It loads again as a profile unchanged: no extends, ${VAR}s as
// written (no secret is expanded), schema paths made absolute.
func Resolved(nameOrPath string, getenv func(string) string) ([]byte, error) {
	if _, err := Resolve(nameOrPath, getenv); err != nil {
		return nil, err
	}
	var user *doc
	var err error
	if IsBuiltin(nameOrPath) {
		src, _ := BuiltinSource(nameOrPath)
		user, err = parseDoc("builtin:"+nameOrPath, src)
	} else {
		var src []byte
		if src, err = ReadInput(nameOrPath, "profile"); err == nil {
			user, err = parseDoc(nameOrPath, src)
		}
	}
	if err != nil {
		return nil, err
	}
	if !strings.HasPrefix(user.file, "builtin:") {
		absolutize(user)
	}
	docs, merged, err := resolveExtends(user, nil)
	if err != nil {
		return nil, err
	}
	if name, _ := merged["name"].(string); name != "" {
		merged["name"] = ownName(name, user)
	}
	return renderResolved(docs, merged)
}

func renderResolved(docs []*doc, merged map[string]any) ([]byte, error) {
	var b bytes.Buffer
	files := make([]string, len(docs))
	for i, d := range docs {
		files[i] = d.file
	}
	fmt.Fprintf(&b, "# errprobe profile %s, resolved: %s merged.\n", docs[0].file, strings.Join(files, " over "))
	b.WriteString("# Each part says which file it came from. This file loads as it is.\n")
	for _, key := range resolvedOrder {
		v, ok := merged[key]
		if !ok || v == nil {
			continue
		}
		m, isMap := v.(map[string]any)
		if !isMap || len(m) == 0 {
			if err := writeResolved(&b, key, v, "# from "+origin(docs, key), ""); err != nil {
				return nil, err
			}
			continue
		}
		if singleOrigin(docs, key, m) {
			fmt.Fprintf(&b, "\n# from %s\n%s:\n", origin(docs, key), key)
		} else {
			fmt.Fprintf(&b, "\n%s:\n", key)
		}
		subs := make([]string, 0, len(m))
		for k := range m {
			subs = append(subs, k)
		}
		sort.Strings(subs)
		prev := ""
		for _, k := range subs {
			comment := ""
			if o := origin(docs, key, k); !singleOrigin(docs, key, m) && o != prev {
				comment, prev = "  # from "+o, o
			}
			if err := writeResolved(&b, k, m[k], comment, "  "); err != nil {
				return nil, err
			}
		}
	}
	return b.Bytes(), nil
}

// writeResolved writes key: value (YAML) indented, after a comment line.
func writeResolved(b *bytes.Buffer, key string, v any, comment, indent string) error {
	out, err := yaml.MarshalWithOptions(map[string]any{key: plainJSON(v)}, yaml.UseSingleQuote(true), yaml.IndentSequence(true))
	if err != nil {
		return err
	}
	if indent == "" {
		b.WriteString("\n")
	}
	if comment != "" {
		b.WriteString(comment + "\n")
	}
	for _, line := range strings.SplitAfter(strings.TrimRight(string(out), "\n"), "\n") {
		b.WriteString(indent + line)
	}
	b.WriteString("\n")
	return nil
}

// origin is the first document (the user's, then each base) holding path.
func origin(docs []*doc, path ...string) string {
	for _, d := range docs {
		if _, ok := pointer(path).lookup(any(d.value)); ok {
			return d.file
		}
	}
	return docs[0].file
}

func singleOrigin(docs []*doc, key string, m map[string]any) bool {
	first := ""
	for k := range m {
		o := origin(docs, key, k)
		if first == "" {
			first = o
		} else if o != first {
			return false
		}
	}
	return true
}

// plainJSON turns json.Numbers into ints or floats for the YAML encoder.
func plainJSON(v any) any {
	switch x := v.(type) {
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return n
		}
		f, _ := x.Float64()
		return f
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = plainJSON(e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = plainJSON(e)
		}
		return out
	}
	return v
}
