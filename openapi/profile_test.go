package openapi

import (
	"strings"
	"testing"
)

func TestProfile_Contacts(t *testing.T) {
	for _, file := range []string{"contacts-3.0.yaml", "contacts-3.1.yaml"} {
		t.Run(file, func(t *testing.T) {
			d, err := Load("testdata/" + file)
			if err != nil {
				t.Fatal(err)
			}
			got := string(Profile(d))
			for _, want := range []string{
				`# base_url: "https://api.example.com/v1"`,
				`header: "X-API-Key"`,
				`code: "/error/code"`, `message: "/error/message"`, `details: "/error/details"`, `request_id: "/request_id"`,
				`UNAUTHORIZED: {status: 401`, `NOT_FOUND: {status: 404`, `RATE_LIMITED: {status: 429, retryable: true`,
				`list: "GET /contacts"`, `item: "/contacts/{id}"`, `delete: "DELETE /contacts/{id}"`,
				`missing_id: "ct_00000000000000000000"`, `malformed_id: "not-an-id!"`,
				`"phone":"+1415{{n}}"`, `invalid_field: "phone"`, `id_pointer: "/id"`,
				`headers: "legacy"`, `reset: "epoch"`, `retry_after: true`,
				`header: "Idempotency-Key"`,
				"# From the 401 example \"missing_key\" of GET /contacts.\n  missing_key: \"UNAUTHORIZED\"",
				"# guess: no error documented for it: the code of not_found.\n  unknown_route: {code: \"NOT_FOUND\", guess: \"404 for a path the document does not have",
				`# revoked: ${ERRPROBE_REVOKED_KEY}`,
			} {
				if !strings.Contains(got, want) {
					t.Errorf("profile lacks %q", want)
				}
			}
		})
	}
}

func TestProfile_NoErrorSchema(t *testing.T) {
	d, err := Load("testdata/no-error-schema.yaml")
	if err != nil {
		t.Fatal(err)
	}
	got := string(Profile(d))
	for _, want := range []string{"gives no JSON schema for any error response", `scheme: "Bearer"`, `missing_id: "999999999"`, `malformed_id: "not-a-number"`} {
		if !strings.Contains(got, want) {
			t.Errorf("profile lacks %q:\n%s", want, got)
		}
	}
}

func TestFromPattern(t *testing.T) {
	for pattern, want := range map[string]string{
		`^ct_[a-z0-9]{20}$`:    "ct_00000000000000000000",
		`^\+[1-9][0-9]{7,14}$`: "+10000000",
		`^[A-Z]{3}-\d+$`:       "AAA-0",
		`^(foo|bar)_x?$`:       "foo_",
	} {
		if got, ok := fromPattern(pattern); !ok || got != want {
			t.Errorf("fromPattern(%q) = %q, %v; want %q", pattern, got, ok, want)
		}
	}
	if _, ok := fromPattern(`^(?!x)`); ok {
		t.Error("an unsupported pattern was accepted")
	}
}
