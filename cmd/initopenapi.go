package cmd

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/openapi"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// initFromOpenAPI writes the profile `init --from-openapi FILE` derives
// from the document, and checks that it loads.
func initFromOpenAPI(o *initOptions) error {
	doc, err := initDocument(o)
	if err != nil {
		return err
	}
	src := openapi.Profile(doc)
	if err := profileLoads(o, src); err != nil {
		return usageError(fmt.Errorf("%s: the profile made from %s does not load, so it was not written: %s",
			o.Output, o.FromOpenAPI, firstLineOf(err.Error())))
	}
	if err := writeNew(o, src); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "wrote %s from %s (%d operations); read the comments marked guess, set ERRPROBE_API_KEY, then: %s BASE_URL\n",
		o.Output, o.FromOpenAPI, len(doc.Operations), runHint(o.Output))
	return nil
}

// initDocument reads the document of `init --from-openapi`: a file, or
// the URL an API publishes it at (/openapi.json), read as `run --openapi
// URL` reads it, with the URL's own origin as the only host it may touch.
func initDocument(o *initOptions) (*openapi.Document, error) {
	if !isURL(o.FromOpenAPI) {
		doc, err := openapi.Load(o.FromOpenAPI)
		if err != nil {
			return nil, usageError(err)
		}
		return doc, nil
	}
	u, err := url.Parse(o.FromOpenAPI)
	if err != nil || u.Host == "" {
		return nil, usageError(fmt.Errorf("--from-openapi %s: not a URL", wire.RedactURL(o.FromOpenAPI)))
	}
	ctx := cmp.Or(o.ctx, context.Background())
	fetched, err := fetchOpenAPI(ctx, "--from-openapi", o.FromOpenAPI, u.Scheme+"://"+u.Host, &runFlags{Timeout: wire.DefaultTimeout}, o.IO)
	if err != nil {
		return nil, err
	}
	return fetched.doc, nil
}

// loadOpenAPI reads `run --openapi FILE` and plans its operations.
func loadOpenAPI(file string, operations []string) (*checks.OpenAPI, error) {
	if file == "" {
		if len(operations) > 0 {
			return nil, usageError(errors.New("--operations needs --openapi FILE"))
		}
		return nil, nil
	}
	doc, err := openapi.Load(file)
	if err != nil {
		return nil, usageError(err)
	}
	return planOpenAPI(doc, operations)
}

// planOpenAPI plans the per-operation probes of a loaded document.
func planOpenAPI(doc *openapi.Document, operations []string) (*checks.OpenAPI, error) {
	plan, err := openapi.Plan(doc, operations)
	if err != nil {
		return nil, usageError(err)
	}
	return plan, nil
}

// profileLoads checks, before anything is written, that the profile
// loads and compiles as it will once written: a profile init writes always
// loads (issue 21, T13).
func profileLoads(o *initOptions, src []byte) error {
	p, err := schemas.LoadBytes(o.Output, src, o.IO.Getenv)
	if err != nil {
		return err
	}
	_, err = schemas.Compile(p)
	return err
}

func firstLineOf(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 {
		return s[:i]
	}
	return s
}

// loadProfileFile checks that the profile init wrote loads and compiles.
func loadProfileFile(o *initOptions) (*schemas.Contract, error) {
	p, err := schemas.Load(o.Output, o.IO.Getenv)
	if err != nil {
		return nil, err
	}
	return schemas.Compile(p)
}
