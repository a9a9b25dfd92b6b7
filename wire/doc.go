// Package wire owns what touches the network on the way out: the tuned
// transport, the request budget counted at the wire, the host guard and
// redirect policy, base-URL parsing, client TLS, the default limits and the
// masking of secrets in exchanges and reports, plus the one-line rendering
// of transport errors. It knows nothing of probes, checks or profiles'
// expectations, and never prints.
package wire
