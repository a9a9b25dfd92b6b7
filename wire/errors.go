package wire

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"net"
	"net/url"
	"strings"
)

// IsCertError reports a server certificate the client does not trust.
func IsCertError(err error) bool {
	var verr *tls.CertificateVerificationError
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	return errors.As(err, &verr) || errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host)
}

// IsClientCertRefused reports a server that refused the TLS handshake for
// want of a (valid) client certificate: crypto/tls reports the peer's alert
// as a "remote error" whose alert type is not exported.
func IsClientCertRefused(err error) bool {
	var op *net.OpError
	if !errors.As(err, &op) || op.Op != "remote error" {
		return false
	}
	msg := op.Err.Error()
	return strings.Contains(msg, "certificate required") || strings.Contains(msg, "bad certificate") ||
		strings.Contains(msg, "unknown certificate authority")
}

// IsDialError reports a failure to reach the host at all.
func IsDialError(err error) bool {
	var dns *net.DNSError
	if errors.As(err, &dns) {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op) && op.Op == "dial"
}

// ErrorLine renders a transport error on one line, without Go's
// `Get "url":` prefix (the URL is in the exchange already).
func ErrorLine(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	if errors.Is(err, ErrBudget) {
		return "not sent: request budget exhausted (--max-requests)"
	}
	if errors.Is(err, ErrOffHost) {
		return ErrOffHost.Error()
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return "timed out (--timeout)"
	}
	if IsClientCertRefused(err) {
		return "TLS: " + strings.ReplaceAll(err.Error(), "\n", " ") + " (the server wants a client certificate: --cert FILE --key FILE, or auth.tls)"
	}
	if IsCertError(err) {
		return "TLS: " + strings.ReplaceAll(err.Error(), "\n", " ") + " (trust it with --ca-cert FILE, or skip verification with --insecure)"
	}
	return strings.ReplaceAll(err.Error(), "\n", " ")
}

// ErrBudget is what the transport returns once MaxRequests were sent.
var ErrBudget = errors.New("request budget exhausted")

// ErrOffHost is what the transport returns for a request to a host other
// than the base URL's (it is never sent).
var ErrOffHost = errors.New("not sent: host is not the base URL's")
