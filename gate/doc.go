// Package gate turns a finished Report into a verdict: the --fail-on
// threshold and the baseline of accepted findings (reading, writing and
// matching it). It never runs probes, never prints and never decides the
// exit code itself (cmd does, from the Verdict).
package gate
