// Package ratelimit is the home of rate-limit evidence: it parses the legacy
// X-RateLimit-* headers, the IETF RateLimit/RateLimit-Policy fields, Reset
// and Retry-After values; keeps the per-response evidence (findings) a burst
// collects (Evidence) and what every other response of a run said about the
// limit (Seen); judges the suite's checks from that evidence (Judge,
// JudgeWithout429, JudgeRun: a finding, no evidence, or a pass); and times
// the waits around a burst (FreshWait, LaterWait, WaitFrom, recovery). It
// never sends a request and never sleeps: the burst and the rate-limit
// suite in checks feed it responses, record its verdicts and do the
// waiting.
package ratelimit
