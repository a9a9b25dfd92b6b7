// Package report is the run's data model, at the bottom of every package
// that produces or reads a run: the Report with its Results, Exchanges
// (Request, Response), Severity and Status, the burst's BurstStats, the check
// catalogue (IDs, suites, tags and references) and the grouping of findings
// by cause. It only holds and derives data: it never sends a request, never
// prints and imports no other package of errprobe.
package report
