package learn

import (
	"bufio"
	"context"
	"encoding/base64"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// keyForms are the spellings of a secret a hostile target echoes.
func keyForms(secret string) []string {
	return []string{secret, base64.StdEncoding.EncodeToString([]byte(secret)), url.QueryEscape(secret),
		url.PathEscape(secret), strings.Trim(jsonString(secret), `"`)}
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

// TestProfile_NoKeyFormWritten (T9, T10): a target echoing the key header
// raw, base64-encoded and URL-escaped in every error body — keys with
// `"\<>&` and spaces included — and a base URL with a password: the
// learned profile and the error never hold a form of either. Root causes:
// learn masked the raw key only (bytes.ReplaceAll), not with run's masker;
// the profile wrote the base URL with its user:password.
func TestProfile_NoKeyFormWritten(t *testing.T) {
	t.Parallel()
	for _, key := range []string{"SEKRETkey-0123456789abcdef", `SEKRET "key" \ <a&b> with spaces`} {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			k := r.Header.Get("X-API-Key") + r.Header.Get("Authorization")
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("X-Echo", url.QueryEscape(k))
			w.WriteHeader(http.StatusUnauthorized)
			_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"code": "UNAUTHORIZED", "message": "bad key " + k,
				"details": []map[string]string{{"field": "b64", "message": base64.StdEncoding.EncodeToString([]byte(k))},
					{"field": "url", "message": url.QueryEscape(k)}, {"field": "path", "message": url.PathEscape(k)}}}})
		}))
		base := strings.Replace(srv.URL, "http://", "http://admin:PWSEKRET99@", 1)
		o := Options{BaseURL: base, Key: key, KeyEnv: "ERRPROBE_API_KEY", Path: "/v1/items", Client: srv.Client()}
		obs, err := Run(context.Background(), o)
		srv.Close()
		if err != nil {
			t.Fatal(err)
		}
		prof := string(Profile(Infer(obs), o))
		var forms []string
		for _, s := range []string{key, "Bearer " + key, "PWSEKRET99", "admin:PWSEKRET99"} {
			forms = append(forms, keyForms(s)...)
		}
		for _, f := range forms {
			if strings.Contains(prof, f) {
				t.Errorf("key %q: the profile holds %q:\n%s", key, f, prof)
			}
		}
		if !strings.Contains(prof, `base_url: "`+srv.URL+`"`) {
			t.Errorf("base_url not written without its password:\n%s", prof)
		}
	}
}

// TestRun_StatusLineKeyMasked (T11): a status line quoting the key
// ("HTTP/1.1 4<KEY> nope") makes Go's client fail with an error quoting
// it; the error learn returns (printed on stderr) holds no form of it.
// Root cause: the transport error went into the message unmasked.
func TestRun_StatusLineKeyMasked(t *testing.T) {
	t.Parallel()
	const key = "SEKRETkey-0123456789abcdef"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				_, _ = http.ReadRequest(bufio.NewReader(c))
				_, _ = c.Write([]byte("HTTP/1.1 4" + key + " nope\r\nContent-Length: 0\r\n\r\n"))
			}()
		}
	}()
	o := Options{BaseURL: "http://" + ln.Addr().String(), Key: key, Client: &http.Client{}}
	_, err = Run(context.Background(), o)
	if err == nil {
		t.Fatal("no error from a malformed status line")
	}
	if !strings.Contains(err.Error(), "****") {
		t.Errorf("error %q: want the key masked in it", err)
	}
	for _, f := range keyForms(key) {
		if strings.Contains(err.Error(), f) {
			t.Errorf("the error %q holds %q", err, f)
		}
	}
}
