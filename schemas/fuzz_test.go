package schemas

import (
	"net/http"
	"testing"
)

const smallProfile = `name: tiny
envelope: {schema: {type: object, required: [code]}, code: /code, message: /msg}
codes: {NOT_FOUND: {status: 404}, BAD: {status: [400, 422]}}
auth: {header: Authorization, scheme: Bearer, keys: {valid: "${KEY}"}}
endpoints: {list: GET /v1/x, item: "/v1/x/{id}", create: {path: /v1/x, body: '{"n":{{n}}}'}}
expect: {not_found: NOT_FOUND, validation: BAD}
rate_limit: {headers: ietf, burst: {max_wait: 5s}}
`

// FuzzLoad: loading any bytes as a profile never panics, and an error is
// always a *ProfileError.
func FuzzLoad(f *testing.F) {
	// The built-ins themselves are too big to be good seeds (minimizing a
	// 5 KB input stalls the fuzzer); a small complete profile stands in.
	f.Add([]byte(smallProfile))
	for _, b := range brokenProfiles {
		f.Add([]byte(b.src))
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, src []byte) {
		p, err := load("fuzz.yaml", dir, src, func(string) string { return "k" })
		if err != nil {
			if _, ok := err.(*ProfileError); !ok {
				t.Fatalf("error %T is not a *ProfileError: %v", err, err)
			}
			return
		}
		if _, err := Compile(p); err != nil {
			t.Fatalf("loaded profile does not compile: %v", err)
		}
	})
}

// FuzzExtract: extracting fields from and checking any body never panics.
func FuzzExtract(f *testing.F) {
	for _, sb := range seedBodies {
		f.Add([]byte(sb.body))
	}
	f.Add([]byte(`{"error":{"code":404,"message":null},"request_id":[]}`))
	f.Add([]byte(`[1,2]`))
	f.Add([]byte(`goroutine 1 [running]:`))
	var contracts []*Contract
	for _, name := range BuiltinNames() {
		contracts = append(contracts, mustContract(f, name))
	}
	h := http.Header{"Content-Type": {"application/json"}}
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, c := range contracts {
			_, _ = c.Extract(body)
			for _, v := range c.CheckError(Response{Status: 400, Header: h, Body: body}) {
				if v.Rule == "" || v.Message == "" {
					t.Fatalf("empty violation %+v", v)
				}
			}
		}
	})
}
