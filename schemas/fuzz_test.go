package schemas

import (
	"net/http"
	"testing"
)

// FuzzLoad: loading any bytes as a profile never panics, and an error is
// always a *ProfileError.
func FuzzLoad(f *testing.F) {
	for _, name := range BuiltinNames() {
		src, _ := BuiltinSource(name)
		f.Add(src)
	}
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
