package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

const profileSchemaURL = "https://errprobe.dev/schemas/profile.schema.json"

var (
	profileSchemaOnce sync.Once
	profileSchema     *jsonschema.Schema
	profileSchemaDoc  any
	printer           = message.NewPrinter(language.English)
)

// ProfileSchema returns the JSON Schema every profile is validated against.
func ProfileSchema() []byte {
	b, _ := embedded.ReadFile("profile.schema.json")
	return b
}

func compiledProfileSchema() *jsonschema.Schema {
	profileSchemaOnce.Do(func() {
		d, err := jsonschema.UnmarshalJSON(bytes.NewReader(ProfileSchema()))
		if err != nil {
			panic("schemas: embedded profile.schema.json: " + err.Error())
		}
		c := jsonschema.NewCompiler()
		if err := c.AddResource(profileSchemaURL, d); err != nil {
			panic("schemas: embedded profile.schema.json: " + err.Error())
		}
		profileSchema = c.MustCompile(profileSchemaURL)
		profileSchemaDoc = d
	})
	return profileSchema
}

// validateShape validates the merged profile against the profile schema and
// turns each failure into one positioned problem.
func validateShape(v map[string]any, docs []*doc) []Problem {
	err := compiledProfileSchema().Validate(any(v))
	var ve *jsonschema.ValidationError
	if !errors.As(err, &ve) {
		return nil
	}
	var ps []Problem
	walkShape(ve, func(f failure) {
		ps = append(ps, shapeProblem(v, docs, f))
	})
	return ps
}

// failure is one leaf of a profile-schema validation error.
type failure struct {
	loc       []string // instance location
	key       string   // an unknown key inside loc, positioned at that key
	msg       string
	showValue bool // append ", got VALUE"
}

// shapeProblem words a failure. A failure of an object member is reported at
// the object's path with the member named in the message ("codes.NOT_FOUND:
// status must be …"), positioned at the member's key.
func shapeProblem(root any, docs []*doc, f failure) Problem {
	isIndex := indexTester(root, f.loc)
	msg := f.msg
	if f.showValue {
		if val, ok := pointer(f.loc).lookup(root); ok {
			msg += ", got " + jsonText(val, 60)
		}
	}
	if f.key != "" {
		p := locate(docs, append(f.loc[:len(f.loc):len(f.loc)], f.key), isIndex, msg)
		p.Path = dotted(f.loc, isIndex)
		return p
	}
	if n := len(f.loc); n > 1 && !isIndex(n-1) {
		p := locate(docs, f.loc, isIndex, msg)
		p.Path = dotted(f.loc[:n-1], isIndex)
		p.Msg = memberName(f.loc[n-1]) + " " + msg
		return p
	}
	p := locate(docs, f.loc, isIndex, msg)
	if len(f.loc) == 0 {
		p.Line, p.Col = 1, 1
	}
	return p
}

func memberName(k string) string {
	if plainKey.MatchString(k) {
		return k
	}
	return strconv.Quote(k)
}

// indexTester says which tokens of loc step into an array.
func indexTester(root any, loc []string) func(int) bool {
	arr := make([]bool, len(loc))
	v := root
	for i, tok := range loc {
		switch x := v.(type) {
		case map[string]any:
			v = x[tok]
		case []any:
			arr[i] = true
			n, err := strconv.Atoi(tok)
			if err != nil || n < 0 || n >= len(x) {
				return func(j int) bool { return j < len(arr) && arr[j] }
			}
			v = x[n]
		default:
			return func(j int) bool { return j < len(arr) && arr[j] }
		}
	}
	return func(j int) bool { return j < len(arr) && arr[j] }
}

// walkShape visits the leaf failures of a validation error, preferring the
// profile schema's own x-message wording where a subschema has one.
func walkShape(e *jsonschema.ValidationError, emit func(failure)) {
	sub, _ := schemaAt(e.SchemaURL).(map[string]any)
	loc := e.InstanceLocation
	switch k := e.ErrorKind.(type) {
	case *kind.AdditionalProperties:
		for _, name := range k.Properties {
			emit(failure{loc: loc, key: name, msg: fmt.Sprintf("unknown key %q%s", name, suggest(name, sub))})
		}
		return
	case *kind.Required:
		for _, name := range k.Missing {
			emit(failure{loc: loc, msg: fmt.Sprintf("missing required key %q", name)})
		}
		return
	case *kind.Type:
		if m, ok := sub["x-message-type"].(string); ok {
			emit(failure{loc: loc, msg: m, showValue: true})
			return
		}
	}
	if m, ok := sub["x-message"].(string); ok {
		if _, isRef := e.ErrorKind.(*kind.Reference); !isRef {
			emit(failure{loc: loc, msg: m, showValue: true})
			return
		}
	}
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			walkShape(c, emit)
		}
		return
	}
	emit(leafFailure(loc, e.ErrorKind))
}

// typeNames words JSON types as YAML users know them.
var typeNames = map[string]string{"object": "a mapping", "array": "a list", "string": "a string",
	"integer": "an integer", "number": "a number", "boolean": "true or false", "null": "null"}

// leafFailure words the schema failures the profile schema has no
// x-message for.
func leafFailure(loc []string, k jsonschema.ErrorKind) failure {
	switch k := k.(type) {
	case *kind.Type:
		want := make([]string, len(k.Want))
		for i, w := range k.Want {
			want[i] = typeNames[w]
		}
		return failure{loc: loc, msg: "must be " + strings.Join(want, " or "), showValue: true}
	case *kind.MinLength:
		return failure{loc: loc, msg: "must not be empty"}
	case *kind.MinProperties:
		return failure{loc: loc, msg: "must not be empty"}
	case *kind.MinItems:
		return failure{loc: loc, msg: "must not be empty"}
	}
	return failure{loc: loc, msg: k.LocalizedString(printer), showValue: true}
}

// schemaAt finds the profile-schema object at an absolute schema location.
func schemaAt(loc string) any {
	_, frag, _ := strings.Cut(loc, "#")
	v, _ := lookupPointer(profileSchemaDoc, frag)
	return v
}

// suggest names the closest known key, if one is close: ` (did you mean "status"?)`.
func suggest(name string, sub map[string]any) string {
	props, _ := sub["properties"].(map[string]any)
	keys := make([]string, 0, len(props))
	for k := range props {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	best, bestD := "", 3
	for _, k := range keys {
		if d := editDistance(strings.ToLower(name), k); d < bestD {
			best, bestD = k, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" (did you mean %q?)", best)
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// jsonText renders a value compactly for messages, cut to n bytes.
func jsonText(v any, n int) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	if len(b) > n {
		return string(b[:n]) + "…"
	}
	return string(b)
}
