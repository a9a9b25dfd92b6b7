package schemas

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/goccy/go-yaml"
)

// Starter returns the text of a commented errprobe.yaml that extends the
// built-in profile name: a base URL, the keys read from environment
// variables, and the built-in's endpoints and a code override shown
// commented out. `errprobe init` writes it.
func Starter(name string) ([]byte, error) {
	p, err := Builtin(name, func(string) string { return "" })
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, `# errprobe.yaml: the error contract errprobe checks your API against.
#
# It extends the built-in profile %q:
#   %s
# See all it sets with: errprobe profiles show %s
# Keys below override the built-in's: mappings merge key by key, scalars and
# lists replace, and null removes a key (e.g. request_id: null when your API
# promises no request id).
extends: %s

# Your API's base URL; the BASE_URL argument of errprobe run wins over it.
base_url: http://127.0.0.1:8080

# Keys come from environment variables, so this file never holds a secret.
# A key whose variable is unset is left empty and the probes needing it are
# skipped.
auth:
  keys:
`, name, p.Description, name, name)
	for _, k := range []struct{ role, what string }{
		{KeyValid, "a working key with the write scope"},
		{KeyRevoked, "a revoked key"},
		{KeyExpired, "an expired key"},
		{KeyNoScope, "a valid key lacking the scope endpoints.scoped needs"},
		{KeyOtherTenant, "a valid key of a second organisation (tenant)"},
	} {
		env := p.KeyEnv(k.role)
		if env == "" {
			env = "ERRPROBE_" + strings.ToUpper(k.role) + "_KEY"
		}
		fmt.Fprintf(&b, "    %-14s %-29s # %s\n", k.role+":", "${"+env+"}", k.what)
	}
	ep, err := yaml.MarshalWithOptions(map[string]any{"endpoints": p.Endpoints}, yaml.UseSingleQuote(true))
	if err != nil {
		return nil, err
	}
	b.WriteString("\n# The operations probes use. Uncomment and change what differs in your API;\n")
	b.WriteString("# the values shown are the built-in's. {{n}} in bodies is a number unique\n# within the run.\n")
	b.WriteString(commentOut(ep))
	b.WriteString("\n# Codes your API adds or answers with other statuses, and which code each\n")
	b.WriteString("# probe expects (see the built-in's codes and expect tables):\n")
	code, statuses, _ := p.Expected(ExpectNotFound)
	fmt.Fprintf(&b, "# codes:\n#   %s: {status: %s}\n# expect:\n#   not_found: %s\n", yamlKey(code), statusYAML(statuses), yamlKey(code))
	return b.Bytes(), nil
}

func commentOut(text []byte) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(strings.TrimRight(string(text), "\n"), "\n") {
		b.WriteString("# " + line)
	}
	b.WriteString("\n")
	return b.String()
}

func yamlKey(s string) string {
	if plainKey.MatchString(s) {
		return s
	}
	return fmt.Sprintf("%q", s)
}

func statusYAML(st []int) string {
	if len(st) == 1 {
		return fmt.Sprint(st[0])
	}
	return strings.ReplaceAll(fmt.Sprint(st), " ", ", ")
}
