package schemas

import (
	"net/http"
	"testing"
)

// BenchmarkCheckError validates one typical error body (seed 000's
// VALIDATION_ERROR example) against the compiled erzycall contract.
func BenchmarkCheckError(b *testing.B) {
	c := mustContract(b, "erzycall")
	r := Response{
		Status: 400,
		Header: http.Header{"Content-Type": {"application/json"}, "X-Request-Id": {"req_1"}},
		Body:   []byte(`{"error":{"code":"VALIDATION_ERROR","message":"Invalid query parameters","details":[{"field":"phone","message":"Must be E.164 format (e.g., +14155551234)"}]}}`),
	}
	if v := c.CheckError(r); len(v) != 0 {
		b.Fatalf("typical body violates: %v", v)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.CheckError(r)
	}
}

// BenchmarkExtract pulls code and message out of the same body.
func BenchmarkExtract(b *testing.B) {
	c := mustContract(b, "erzycall")
	body := []byte(`{"error":{"code":"NOT_FOUND","message":"Contact not found"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := c.Extract(body); err != nil {
			b.Fatal(err)
		}
	}
}

func mustContract(tb testing.TB, name string) *Contract {
	tb.Helper()
	p, err := Builtin(name, func(string) string { return "k" })
	if err != nil {
		tb.Fatal(err)
	}
	c, err := Compile(p)
	if err != nil {
		tb.Fatal(err)
	}
	return c
}
