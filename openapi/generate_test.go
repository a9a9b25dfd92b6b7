package openapi

import (
	"encoding/json"
	"testing"

	"github.com/errprobe/errprobe/schemas"
)

func TestGenerate_ValidAgainstItsSchema(t *testing.T) {
	type testCase struct {
		name, schema, want string
	}
	cases := []testCase{
		{"every member, not only the required", `{"type":"object","required":["a"],"properties":{"a":{"type":"string"},"b":{"type":"integer"}}}`, `{"a":"errprobe","b":1}`},
		{"string bounds", `{"type":"string","minLength":10,"maxLength":12}`, `"errprobexx"`},
		{"number bounds", `{"type":"number","exclusiveMinimum":5,"maximum":9}`, `6`},
		{"multipleOf", `{"type":"integer","minimum":3,"multipleOf":5}`, `5`},
		{"format", `{"type":"string","format":"uuid"}`, `"00000000-0000-4000-8000-000000000000"`},
		{"pattern", `{"type":"string","pattern":"^AC[0-9a-f]{4}$"}`, `"AC0000"`},
		{"enum", `{"type":"string","enum":["b","a"]}`, `"b"`},
		{"oneOf takes the first", `{"oneOf":[{"type":"object","properties":{"x":{"type":"boolean"}}},{"type":"string"}]}`, `{"x":true}`},
		{"an example of another type is not used", `{"type":"array","items":{"type":"string"},"example":[1,2]}`, `["errprobe"]`},
		{"an example's member of another type is not used", `{"type":"object","properties":{"n":{"type":"string"}},"example":{"n":5}}`, `{"n":"errprobe"}`},
		{"an example that fits is used", `{"type":"object","properties":{"n":{"type":"string"}},"example":{"n":"x"}}`, `{"n":"x"}`},
		{"minItems", `{"type":"array","minItems":2,"items":{"type":"boolean"}}`, `[true,true]`},
	}
	run := func(t *testing.T, tc testCase) {
		var sch map[string]any
		if err := json.Unmarshal([]byte(tc.schema), &sch); err != nil {
			t.Fatal(err)
		}
		v, ok := Generate(sch)
		got, _ := json.Marshal(v)
		if !ok || string(got) != tc.want {
			t.Errorf("Generate = %s (%v), want %s", got, ok, tc.want)
		}
		val, err := schemas.CompileSchema("t", sch)
		if err != nil {
			t.Fatal(err)
		}
		if err := val.Validate(got); err != nil {
			t.Errorf("%s does not validate: %v", got, err)
		}
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
