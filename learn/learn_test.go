package learn

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestRun_LearnsFromAHandWrittenAPI: a bearer API with a top-level
// {"code","message","request_id"} envelope; learn finds the header, the
// pointers, the codes and the situations, within its request bound, and
// keeps no byte of the key.
func TestRun_LearnsFromAHandWrittenAPI(t *testing.T) {
	const key = "sk_test_learn_0123456789"
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n.Add(1)
		w.Header().Set("Content-Type", "application/json")
		w.Header().Set("X-Request-Id", "req_1")
		fail := func(st int, code string) {
			w.WriteHeader(st)
			_, _ = w.Write([]byte(`{"code":"` + code + `","message":"echo ` + r.Header.Get("Authorization") + `","request_id":"req_1"}`))
		}
		switch auth := r.Header.Get("Authorization"); {
		case auth == "":
			fail(401, "missing_token")
		case auth != "Bearer "+key:
			fail(401, "bad_token")
		case r.URL.Path == "/v1/items" && r.Method == "GET":
			_, _ = w.Write([]byte(`{"items":[]}`))
		case r.URL.Path == "/v1/items" && r.Method == "POST":
			fail(400, "bad_json")
		case r.URL.Path == "/v1/items":
			w.Header().Set("Allow", "GET, POST")
			fail(405, "bad_method")
		default:
			fail(404, "no_such_thing")
		}
	}))
	defer srv.Close()
	o := Options{BaseURL: srv.URL, Key: key, KeyEnv: "ERRPROBE_API_KEY", Path: "/v1/items", Client: srv.Client()}
	obs, err := Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if got := int(n.Load()); got != len(Plan(o)) || got > MaxRequests {
		t.Errorf("%d requests sent, plan %d, bound %d", got, len(Plan(o)), MaxRequests)
	}
	in := Infer(obs)
	if in.AuthHeader != "Authorization" || in.AuthScheme != "Bearer" {
		t.Errorf("auth %q %q", in.AuthHeader, in.AuthScheme)
	}
	if in.Pointers["code"] != "/code" || in.Pointers["message"] != "/message" || in.Pointers["request_id"] != "/request_id" {
		t.Errorf("pointers %v", in.Pointers)
	}
	for sit, code := range map[string]string{"missing_key": "missing_token", "invalid_key": "bad_token", "unknown_route": "no_such_thing",
		"not_found": "no_such_thing", "malformed_json": "bad_json", "method_not_allowed": "bad_method"} {
		if in.Expect[sit].code != code {
			t.Errorf("expect %s = %q, want %q", sit, in.Expect[sit].code, code)
		}
	}
	prof := string(Profile(in, o))
	if strings.Contains(prof, key) || strings.Contains(prof, key[len(key)-6:]) {
		t.Error("the profile holds the key")
	}
	if !strings.Contains(prof, "header: X-Request-Id") || !strings.Contains(prof, `"bad_json": {status: 400}`) {
		t.Errorf("profile:\n%s", prof)
	}
}
