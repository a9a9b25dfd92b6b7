package schemas

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// The profile schema and the Profile struct must not drift apart: every
// yaml key of the model is a property of the schema (else a profile using it
// is refused as an unknown key), and every schema property is a yaml key
// (else it would be silently dropped).
func TestProfileSchema_MatchesModel(t *testing.T) {
	var doc map[string]any
	if err := json.NewDecoder(bytes.NewReader(ProfileSchema())).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	compareStruct(t, doc, doc, reflect.TypeOf(Profile{}), "")
}

func compareStruct(t *testing.T, root, sch map[string]any, typ reflect.Type, path string) {
	t.Helper()
	sch = deref(root, sch)
	props, _ := sch["properties"].(map[string]any)
	seen := map[string]bool{}
	for i := range typ.NumField() {
		f := typ.Field(i)
		key, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		seen[key] = true
		sub, ok := props[key].(map[string]any)
		if !ok {
			t.Errorf("%s%s: in the model, not in profile.schema.json", path, key)
			continue
		}
		ft := f.Type
		for ft.Kind() == reflect.Pointer {
			ft = ft.Elem()
		}
		if ft.Kind() == reflect.Struct {
			compareStruct(t, root, sub, ft, path+key+".")
		}
		if ft.Kind() == reflect.Map && ft.Elem().Kind() == reflect.Struct {
			if ap, ok := deref(root, sub)["additionalProperties"].(map[string]any); ok {
				compareStruct(t, root, ap, ft.Elem(), path+key+".*.")
			}
		}
	}
	for key := range props {
		if !seen[key] {
			t.Errorf("%s%s: in profile.schema.json, not in the model", path, key)
		}
	}
}

func deref(root, sch map[string]any) map[string]any {
	if ref, ok := sch["$ref"].(string); ok {
		v, _ := lookupPointer(root, strings.TrimPrefix(ref, "#"))
		m, _ := v.(map[string]any)
		return m
	}
	return sch
}

// Every situation constant is a key of the schema's expect table.
func TestProfileSchema_ExpectSituations(t *testing.T) {
	var doc map[string]any
	_ = json.Unmarshal(ProfileSchema(), &doc)
	props := doc["properties"].(map[string]any)["expect"].(map[string]any)["properties"].(map[string]any)
	sits := []string{ExpectMissingKey, ExpectInvalidKey, ExpectRevokedKey, ExpectExpiredKey, ExpectMissingScope,
		ExpectMalformedJSON, ExpectWrongContentType, ExpectValidation, ExpectNotFound, ExpectInvalidID,
		ExpectCrossTenant, ExpectUnknownRoute, ExpectMethodNotAllowed, ExpectConflict,
		ExpectIdempotencyMismatch, ExpectIdempotencyInFlight, ExpectRateLimited, ExpectInternal}
	for _, s := range sits {
		if _, ok := props[s]; !ok {
			t.Errorf("situation %q is not in the schema's expect table", s)
		}
	}
	if len(props) != len(sits) {
		t.Errorf("schema expect table has %d situations, the model %d", len(props), len(sits))
	}
}
