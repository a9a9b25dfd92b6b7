package checks

import (
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
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
	if pw, ok := base.User.Password(); ok {
		user := base.User.Username()
		secrets = append(secrets, pw, url.UserPassword(user, pw).String(),
			base64.StdEncoding.EncodeToString([]byte(user+":"+pw)))
	}
	return secrets
}
