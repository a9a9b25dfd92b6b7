package checks

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// runSecrets lists what a run must never show: the profile's keys, every
// --header value not marked public (and its last word, the credential
// after a scheme), and the base URL's password with its Basic credential.
func runSecrets(keys map[role]string, cfg Config, base *url.URL) []string {
	var secrets []string
	for _, k := range keys {
		secrets = append(secrets, k)
	}
	public := map[string]bool{}
	for _, name := range cfg.PublicHeaders {
		public[http.CanonicalHeaderKey(name)] = true
	}
	for k, vs := range cfg.Headers {
		if public[http.CanonicalHeaderKey(k)] {
			continue
		}
		for _, v := range vs {
			secrets = append(secrets, v)
			if i := strings.LastIndexByte(v, ' '); i >= 0 {
				secrets = append(secrets, v[i+1:])
			}
		}
	}
	return append(secrets, wire.URLSecrets(base)...)
}

// headerForms are the base64 forms of the key header values ("Bearer KEY"):
// a target echoing the whole value base64-encoded echoes the key.
func headerForms(p *schemas.Profile, keys map[role]string) []string {
	var out []string
	for _, k := range keys {
		if _, v := keyHeaderOf(p, k); k != "" && v != k {
			out = append(out, wire.Base64Forms(v)...)
		}
	}
	return out
}
