package schemas

import (
	"embed"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/goccy/go-yaml"
)

// SCAFFOLD: a minimal loader so other packages can build on profiles today.
// The schemas owner replaces it with the validated, positioned loader.

//go:embed profiles/*.yaml envelopes/*.json
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

// BuiltinSource returns the YAML text of a built-in profile.
func BuiltinSource(name string) ([]byte, error) {
	b, err := embedded.ReadFile("profiles/" + name + ".yaml")
	if err != nil {
		return nil, fmt.Errorf("no built-in profile %q (built-ins: %s)", name, strings.Join(BuiltinNames(), ", "))
	}
	return b, nil
}

// Builtin loads a built-in profile; ${VAR}s expand through getenv.
func Builtin(name string, getenv func(string) string) (*Profile, error) {
	src, err := BuiltinSource(name)
	if err != nil {
		return nil, err
	}
	return parse("builtin:"+name, "", src, getenv)
}

// Load reads a profile file; ${VAR}s expand through getenv.
func Load(path string, getenv func(string) string) (*Profile, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parse(path, filepath.Dir(path), src, getenv)
}

func parse(source, dir string, src []byte, getenv func(string) string) (*Profile, error) {
	var p Profile
	if err := yaml.Unmarshal(src, &p); err != nil {
		return nil, fmt.Errorf("%s: %w", source, err)
	}
	p.Source, p.Dir = source, dir
	k := &p.Auth.Keys
	for _, s := range []*string{&k.Valid, &k.Revoked, &k.Expired, &k.NoScope, &k.OtherTenant} {
		*s = os.Expand(*s, getenv)
	}
	return &p, nil
}

// UnmarshalYAML accepts `status: 404` and `status: [400, 422]`.
func (s *Statuses) UnmarshalYAML(unmarshal func(any) error) error {
	var one int
	if err := unmarshal(&one); err == nil {
		*s = Statuses{one}
		return nil
	}
	var many []int
	if err := unmarshal(&many); err != nil {
		return err
	}
	*s = many
	return nil
}
