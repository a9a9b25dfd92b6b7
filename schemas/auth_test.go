package schemas

import (
	"strings"
	"testing"
)

func TestLoad_AuthMethods(t *testing.T) {
	env := func(k string) string {
		return map[string]string{"U": "alice", "P": "s3cret-password", "CS": "client-secret", "CERT": "c.pem", "KEY": "k.pem"}[k]
	}
	type testCase struct {
		name, auth     string
		header, scheme string
		credential     string
		check          func(t *testing.T, a Auth)
	}
	run := func(t *testing.T, tc testCase) {
		p, err := Load(writeProfile(t, t.TempDir(), "p.yaml", "extends: erzycall\nauth:\n"+tc.auth), env)
		if err != nil {
			t.Fatal(err)
		}
		a := p.Auth
		if a.Header != tc.header || a.Scheme != tc.scheme || a.Credential() != tc.credential {
			t.Errorf("header %q scheme %q credential %q, want %q %q %q", a.Header, a.Scheme, a.Credential(), tc.header, tc.scheme, tc.credential)
		}
		if tc.check != nil {
			tc.check(t, a)
		}
	}
	for _, tc := range []testCase{
		{name: "key", auth: "  header: X-API-Key\n", header: "X-API-Key"},
		{name: "basic", auth: "  basic: {username: \"${U}\", password: \"${P}\"}\n", header: "Authorization", scheme: "Basic", credential: "basic",
			check: func(t *testing.T, a Auth) {
				if a.Basic.Username != "alice" || a.Basic.Password != "s3cret-password" {
					t.Errorf("basic %+v: ${VAR} not expanded", *a.Basic)
				}
			}},
		{name: "oauth2", auth: "  header: Authorization\n  oauth2: {token_url: https://auth.example.com/token, client_id: id, client_secret: \"${CS}\", scopes: [a, b]}\n",
			header: "Authorization", scheme: "Bearer", credential: "oauth2",
			check: func(t *testing.T, a Auth) {
				if a.OAuth2.ClientSecret != "client-secret" || len(a.OAuth2.Scopes) != 2 {
					t.Errorf("oauth2 %+v", *a.OAuth2)
				}
			}},
		{name: "token command keeps its header", auth: "  token_command: print-token\n", header: "X-API-Key", credential: "token_command"},
		{name: "tls", auth: "  tls: {cert: \"${CERT}\", key: \"${KEY}\"}\n", header: "X-API-Key",
			check: func(t *testing.T, a Auth) {
				if a.TLS.Cert != "c.pem" || a.TLS.Key != "k.pem" {
					t.Errorf("tls %+v", a.TLS)
				}
			}},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestLoad_AuthMethodErrors(t *testing.T) {
	type testCase struct{ name, src, want string }
	run := func(t *testing.T, tc testCase) {
		_, err := Load(writeProfile(t, t.TempDir(), "p.yaml", tc.src), testEnv)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Fatalf("err %v, want %q", err, tc.want)
		}
	}
	for _, tc := range []testCase{
		{name: "two sources", src: "extends: erzycall\nauth:\n  basic: {username: u, password: p}\n  token_command: x\n",
			want: "give one of basic, oauth2 and token_command, not basic and token_command"},
		{name: "basic without password", src: "extends: erzycall\nauth:\n  basic: {username: u}\n", want: "password"},
		{name: "oauth2 without secret", src: "extends: erzycall\nauth:\n  oauth2: {token_url: https://a/t, client_id: c}\n", want: "client_secret"},
		{name: "oauth2 token_url not a URL", src: "extends: erzycall\nauth:\n  oauth2: {token_url: ftp://a/t, client_id: c, client_secret: s}\n", want: "token_url"},
		{name: "cert without key", src: "extends: erzycall\nauth:\n  tls: {cert: c.pem}\n", want: "cert and key go together"},
		{name: "unknown member", src: "extends: erzycall\nauth:\n  kerberos: {}\n", want: "kerberos"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
