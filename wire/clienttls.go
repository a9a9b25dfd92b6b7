package wire

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"

	"github.com/errprobe/errprobe/infile"
)

// MaxPEMBytes caps a certificate, key or CA file: real ones are a few KB,
// a bundle of every public CA under 300 KB.
const MaxPEMBytes = 1 << 20

// ClientTLS adds a client certificate (certFile and keyFile, PEM) and the
// CA certificates in caFile to a copy of base; empty names add nothing.
// Each file is read only if it is a regular file of at most MaxPEMBytes
// (/dev/zero or a FIFO is refused at once). Errors name the file and the
// reason; the caller adds the flag or key.
func ClientTLS(base *tls.Config, certFile, keyFile, caFile string) (*tls.Config, error) {
	if certFile == "" && keyFile == "" && caFile == "" {
		return base, nil
	}
	tc := &tls.Config{}
	if base != nil {
		tc = base.Clone()
	}
	if certFile != "" || keyFile != "" {
		pair, err := keyPair(certFile, keyFile)
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	if caFile != "" {
		pool, err := CAPool(tc.RootCAs, caFile)
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

func keyPair(certFile, keyFile string) (tls.Certificate, error) {
	if certFile == "" || keyFile == "" {
		return tls.Certificate{}, errors.New("a client certificate needs both the certificate and its key")
	}
	cert, err := ReadPEM(certFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	key, err := ReadPEM(keyFile)
	if err != nil {
		return tls.Certificate{}, err
	}
	pair, err := tls.X509KeyPair(cert, key)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("%s, %s: %w", certFile, keyFile, err)
	}
	return pair, nil
}

// CAPool adds the PEM certificates of caFile to pool (the system's roots
// when nil).
func CAPool(pool *x509.CertPool, caFile string) (*x509.CertPool, error) {
	pem, err := ReadPEM(caFile)
	if err != nil {
		return nil, err
	}
	if pool == nil {
		if pool, err = x509.SystemCertPool(); err != nil {
			pool = x509.NewCertPool()
		}
	}
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s: no PEM certificate in the file", caFile)
	}
	return pool, nil
}

// ReadPEM reads a certificate or key file: a regular file of at most
// MaxPEMBytes; the error names the file.
func ReadPEM(file string) ([]byte, error) {
	b, err := infile.Read(file, MaxPEMBytes)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	return b, nil
}
