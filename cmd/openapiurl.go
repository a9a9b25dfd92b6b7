package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	"github.com/errprobe/errprobe/openapi"
	"github.com/errprobe/errprobe/wire"
)

// isURL reports whether --openapi names a URL rather than a file.
func isURL(s string) bool {
	return strings.HasPrefix(s, "http://") || strings.HasPrefix(s, "https://")
}

// fetchedDocument is an OpenAPI document read from the API itself.
type fetchedDocument struct {
	doc  *openapi.Document
	sent int // requests sent to read it, counted in the run's budget
}

// fetchOpenAPI reads the document at raw (`--openapi URL`, or
// `init --from-openapi URL`: flag names it in errors; e.g. the
// /openapi.json or /v3/api-docs a web framework publishes) from the API
// under test: only on the base URL's scheme and host, through the same
// host guard, request budget, proxy and TLS settings as the probes,
// following a redirect only within that origin, without any key, and at
// most openapi.MaxDocumentBytes. Anything else is one line and exit 2.
func fetchOpenAPI(ctx context.Context, flag, raw, base string, f *runFlags, io *IO) (*fetchedDocument, error) {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return nil, usageError(fmt.Errorf("%s %s: not a URL", flag, wire.RedactURL(raw)))
	}
	if u.User != nil {
		return nil, usageError(errors.New(flag + " URL: a user or password in the URL is not sent; the document is read without credentials"))
	}
	b, err := wire.ParseBaseURL(base)
	if base == "" || err != nil {
		return nil, usageError(fmt.Errorf("%s %s: a document URL needs the base URL of the API it is read from", flag, wire.RedactURL(raw)))
	}
	if !strings.EqualFold(u.Scheme, b.Scheme) || !strings.EqualFold(u.Host, b.Host) {
		return nil, usageError(fmt.Errorf("%s %s: not on the base URL's scheme and host (%s://%s); errprobe reads the document only from the API under test",
			flag, wire.RedactURL(raw), b.Scheme, b.Host))
	}
	if f.DryRun {
		fmt.Fprintf(io.Err, "errprobe: reading the OpenAPI document %s (1 request, also in a dry run: the plan is made from it)\n", wire.RedactURL(raw))
	}
	tr := wire.NewTransport(wire.TransportOptions{Concurrency: 1, Timeout: f.Timeout, Proxy: proxyFrom(io.Getenv), TLS: f.tls})
	defer tr.CloseIdleConnections()
	budget := wire.NewBudget(tr, cmp.Or(f.MaxRequests, wire.DefaultMaxRequests))
	client := &http.Client{Transport: wire.HostGuard{Next: budget, Base: b}, CheckRedirect: wire.RedirectPolicy(true, b), Timeout: f.Timeout}
	text, err := getDocument(ctx, client, u)
	if err != nil {
		err = fmt.Errorf("%s %s: %w", flag, wire.RedactURL(raw), err)
		if errors.Is(err, errUnreachable) {
			return nil, withCode(ExitUnreachable, err)
		}
		return nil, usageError(err)
	}
	doc, err := openapi.LoadData(wire.RedactURL(raw), text)
	if err != nil {
		return nil, usageError(err)
	}
	return &fetchedDocument{doc: doc, sent: budget.Sent()}, nil
}

// errUnreachable: the API did not answer (exit 3, as a run's probes).
var errUnreachable = errors.New("unreachable")

// getDocument GETs the document: a 2xx, at most openapi.MaxDocumentBytes.
func getDocument(ctx context.Context, client *http.Client, u *url.URL) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return nil, err
	}
	req.Header.Set("Accept", "application/json, application/yaml;q=0.9, */*;q=0.1")
	resp, err := client.Do(req)
	if err != nil {
		if wire.IsDialError(err) {
			return nil, fmt.Errorf("%w: %s", errUnreachable, wire.ErrorLine(err))
		}
		return nil, errors.New(wire.ErrorLine(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 == 3 {
		return nil, fmt.Errorf("redirected (%s) to %s: not followed (off the base URL's origin, or past 5 redirects)", resp.Status, wire.RedactURL(resp.Header.Get("Location")))
	}
	if resp.StatusCode/100 != 2 {
		return nil, fmt.Errorf("answered %s, not the document", resp.Status)
	}
	text, err := io.ReadAll(io.LimitReader(resp.Body, openapi.MaxDocumentBytes+1))
	if err != nil {
		return nil, errors.New(wire.ErrorLine(err))
	}
	if len(text) > openapi.MaxDocumentBytes {
		return nil, fmt.Errorf("larger than %d MiB: not read", openapi.MaxDocumentBytes>>20)
	}
	return text, nil
}
