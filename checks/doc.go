// Package checks holds the probe engine and the probe suites: it turns a
// contract profile into a plan of probes (built-in, custom and
// OpenAPI-derived probes are one data type, run by one interpreter; only
// the stateful probes — idempotency races, the burst — are code), sends
// them through package wire in a session, and judges the exchanges into a
// report.Report. It never prints and never decides a verdict (package gate
// does).
package checks
