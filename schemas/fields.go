package schemas

import (
	"bytes"
	"fmt"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
)

// Fields validates a JSON body and names the top-level members that break
// the schema, in the order the validator reports them, each once: the
// member a failing value sits in, or the required member that is missing.
// A body that breaks the schema at its root (wrong type) names no member.
// err is nil when the body is valid.
func (v *Validator) Fields(body []byte) ([]string, error) {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("not JSON: %v", err)
	}
	return v.FieldsOf(inst)
}

// FieldsOf is Fields for a value already decoded (strings, float64 or
// json.Number, bool, nil, []any, map[string]any).
func (v *Validator) FieldsOf(inst any) ([]string, error) {
	err := v.s.Validate(inst)
	if err == nil {
		return nil, nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return nil, err
	}
	var out []string
	seen := map[string]bool{}
	add := func(f string) {
		if !seen[f] {
			seen[f] = true
			out = append(out, f)
		}
	}
	for _, l := range leaves(ve, nil) {
		switch {
		case len(l.InstanceLocation) > 0:
			add(l.InstanceLocation[0])
		default:
			if r, ok := l.ErrorKind.(*kind.Required); ok {
				for _, m := range r.Missing {
					add(m)
				}
			}
		}
	}
	return out, fmt.Errorf("%s", oneLineValidation(ve))
}
