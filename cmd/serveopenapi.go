package cmd

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/errprobe/errprobe/fixtures/docserver"
	"github.com/errprobe/errprobe/openapi"
)

// runServeOpenAPI is `errprobe serve --openapi DOC`: the server that keeps
// the document's promises (package docserver).
func runServeOpenAPI(ctx context.Context, io *IO, o *serveOptions) error {
	if o.ListFaults {
		tw := tabwriter.NewWriter(io.Out, 0, 0, 2, ' ', 0)
		for _, f := range docserver.Faults() {
			fmt.Fprintf(tw, "%s\t%s\n", f.Name, f.Breaks)
		}
		return tw.Flush()
	}
	for _, f := range o.Faults {
		if err := docserver.CheckFault(f); err != nil {
			return usageError(fmt.Errorf("--fault: %w", err))
		}
	}
	// The port is bound first and answers once the document is loaded, so
	// a client that connects early waits instead of being refused.
	ln, err := net.Listen("tcp", o.Addr)
	if err != nil {
		return fmt.Errorf("--addr %s: %w", o.Addr, err)
	}
	gate := &readyHandler{ready: make(chan struct{})}
	hs := &http.Server{Handler: gate, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	defer hs.Close()
	t0 := time.Now()
	doc, err := openapi.Load(o.OpenAPI)
	if err != nil {
		return usageError(err)
	}
	srv, err := docserver.New(doc, docserver.WithFaults(o.Faults...))
	if err != nil {
		return usageError(fmt.Errorf("--fault: %w", err))
	}
	gate.h = srv
	url := "http://" + ln.Addr().String()
	faults := "none"
	if len(o.Faults) > 0 {
		faults = strings.Join(o.Faults, ", ")
	}
	fmt.Fprintf(io.Out, "errprobe document server: %s (%d operations) at %s, ready in %s\n", o.OpenAPI, srv.Operations(),
		url, time.Since(t0).Round(time.Millisecond))
	fmt.Fprintf(io.Out, "faults: %s; the document: %s%s\n", faults, url, docserver.DocumentPath)
	fmt.Fprintf(io.Out, "\n# Credentials (generated for this run, valid in every security scheme of the document):\n")
	for _, v := range srv.Vars() {
		fmt.Fprintf(io.Out, "export %s=%s\n", v.Name, v.Value)
	}
	fmt.Fprintf(io.Out, "\n# then: errprobe init --from-openapi %s && errprobe run %s --openapi %s\n", o.OpenAPI, url, o.OpenAPI)
	fmt.Fprintln(io.Err, "Press Ctrl-C to stop.")
	close(gate.ready)
	select {
	case <-ctx.Done():
	case err := <-done:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	}
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	_ = hs.Shutdown(sctx)
	fmt.Fprintln(io.Err, "errprobe serve: stopped")
	return nil
}

// readyHandler holds requests until the document server is ready.
type readyHandler struct {
	ready chan struct{}
	h     http.Handler
}

func (g *readyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	select {
	case <-g.ready:
		g.h.ServeHTTP(w, r)
	case <-r.Context().Done():
	}
}
