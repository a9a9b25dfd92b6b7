package ratelimit_test

import (
	"strconv"
	"testing"

	"github.com/errprobe/errprobe/ratelimit"
)

func BenchmarkParseLegacy(b *testing.B) {
	h := hdr("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "42", "X-RateLimit-Reset", strconv.FormatInt(now.Unix()+30, 10), "Retry-After", "30")
	b.ReportAllocs()
	for b.Loop() {
		legacy.Parse(h, now)
	}
}

func BenchmarkParseIETF(b *testing.B) {
	h := hdr("RateLimit", `"default";r=50;t=30`, "RateLimit-Policy", `"default";q=100;w=60`, "Retry-After", "30")
	f := ratelimit.Format{Kind: "ietf"}
	b.ReportAllocs()
	for b.Loop() {
		f.Parse(h, now)
	}
}
