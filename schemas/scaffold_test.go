package schemas

import "testing"

func TestScaffoldLoadsBuiltins(t *testing.T) {
	for _, name := range BuiltinNames() {
		p, err := Builtin(name, func(k string) string { return "v-" + k })
		if err != nil {
			t.Fatal(err)
		}
		for sit, code := range p.Expect {
			if _, ok := p.Codes[code]; !ok {
				t.Errorf("%s: expect.%s names %q, not in codes", name, sit, code)
			}
		}
	}
}
