// Package ratelimit reads rate-limit evidence: it parses the legacy
// X-RateLimit-* headers, the IETF RateLimit/RateLimit-Policy fields, Reset
// and Retry-After values, and keeps the per-response evidence (findings) a
// burst or a run collects. It never sends a request; the burst and the
// rate-limit checks in checks feed it responses.
package ratelimit
