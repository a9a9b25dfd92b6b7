package openapi

import (
	"errors"
	"fmt"

	"go.yaml.in/yaml/v4"
)

// yamlTree parses YAML text into a generic tree (mappings as
// map[string]any, keys as written), expanding aliases within budget
// nodes. It parses into the library's node graph, where an alias is a
// pointer, and expands it here, so the budget is counted exactly and a
// bomb costs no more than the budget. (The profile's YAML library
// dropped some aliases of a document converted with anchors: an allOf
// member came out null.)
func yamlTree(b []byte, budget int) (any, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return nil, errors.New("empty document")
	}
	t := &treeBuilder{left: budget, budget: budget}
	v := t.value(doc.Content[0], 0)
	return v, t.err
}

type treeBuilder struct {
	left, budget int
	err          error
}

// maxAliasDepth bounds aliases inside aliases (an anchor whose value
// names itself).
const maxAliasDepth = 64

func (t *treeBuilder) value(n *yaml.Node, aliases int) any {
	if t.err != nil {
		return nil
	}
	if t.left--; t.left < 0 {
		t.err = &aliasError{t.budget}
		return nil
	}
	switch n.Kind {
	case yaml.AliasNode:
		if n.Alias == nil || aliases >= maxAliasDepth {
			return nil
		}
		return t.value(n.Alias, aliases+1)
	case yaml.MappingNode:
		m := make(map[string]any, len(n.Content)/2)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if k.Tag == "!!merge" {
				t.merge(m, v, aliases)
				continue
			}
			if k.Kind == yaml.AliasNode && k.Alias != nil {
				k = k.Alias
			}
			m[k.Value] = t.value(v, aliases)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, len(n.Content))
		for i, e := range n.Content {
			s[i] = t.value(e, aliases)
		}
		return s
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value
		}
		return jsonScalar(v)
	}
	return nil
}

// merge adds a YAML merge key's mapping(s) to m, keeping m's own keys.
func (t *treeBuilder) merge(m map[string]any, v *yaml.Node, aliases int) {
	add := func(x any) {
		if mm, ok := x.(map[string]any); ok {
			for k, e := range mm {
				if _, ok := m[k]; !ok {
					m[k] = e
				}
			}
		}
	}
	if v.Kind == yaml.SequenceNode {
		for _, e := range v.Content {
			add(t.value(e, aliases))
		}
		return
	}
	add(t.value(v, aliases))
}

// jsonScalar keeps a scalar JSON can carry: times and binary as text.
func jsonScalar(v any) any {
	switch x := v.(type) {
	case nil, bool, string, int, int64, uint64, float64:
		return x
	case fmt.Stringer:
		return x.String()
	}
	return fmt.Sprint(v)
}

// aliasError: the aliases expand past the budget.
type aliasError struct{ budget int }

func (e *aliasError) Error() string {
	return fmt.Sprintf("YAML aliases expand to more than %d nodes", e.budget)
}
