package learn

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/errprobe/errprobe/schemas"
)

// TestProfile_MixedShapesAndRefusedList: errors of mixed shapes
// ({"error": "text"} beside {"code", "message"}), a 429 with its own code,
// and a collection that refuses GET with 405. The profile loads, keeps
// every code seen (429 included) and names no list route.
func TestProfile_MixedShapesAndRefusedList(t *testing.T) {
	t.Parallel()
	const key = "sk_test_mixed_0123456789"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		write := func(st int, body string) {
			w.WriteHeader(st)
			_, _ = w.Write([]byte(body))
		}
		switch {
		case r.Header.Get("X-API-Key") != key:
			write(401, `{"error":"unauthorized"}`)
		case r.URL.Path == "/v1/things" && r.Method == "GET":
			w.Header().Set("Allow", "POST")
			write(405, `{"code":"method_not_allowed","message":"use POST"}`)
		case r.URL.Path == "/v1/things" && r.Method == "POST":
			write(429, `{"code":"slow_down","message":"too many"}`)
		default:
			write(404, `{"code":"not_found","message":"nothing here"}`)
		}
	}))
	defer srv.Close()
	o := Options{BaseURL: srv.URL, Key: key, KeyEnv: "ERRPROBE_API_KEY", Path: "/v1/things", Client: srv.Client()}
	obs, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	prof := Profile(Infer(obs), o)
	for _, want := range []string{`"slow_down": {status: 429}`, `"not_found": {status: 404}`, `"method_not_allowed": {status: 405}`, `message: "/message"`} {
		if !strings.Contains(string(prof), want) {
			t.Errorf("profile lacks %s:\n%s", want, prof)
		}
	}
	if strings.Contains(string(prof), "list:") {
		t.Errorf("the profile names the collection that refused GET as its list route:\n%s", prof)
	}
	file := filepath.Join(t.TempDir(), "learned.yaml")
	if err := os.WriteFile(file, prof, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := schemas.Load(file, func(string) string { return key }); err != nil {
		t.Errorf("the learned profile does not load: %v\n%s", err, prof)
	}
}
