package cmd

import (
	"errors"
	"fmt"

	"github.com/errprobe/errprobe/checks"
	"github.com/errprobe/errprobe/openapi"
	"github.com/errprobe/errprobe/schemas"
)

// initFromOpenAPI writes the profile `init --from-openapi FILE` derives
// from the document, and checks that it loads.
func initFromOpenAPI(o *initOptions) error {
	doc, err := openapi.Load(o.FromOpenAPI)
	if err != nil {
		return usageError(err)
	}
	src := openapi.Profile(doc)
	if err := writeNew(o, src); err != nil {
		return err
	}
	if _, err := loadProfileFile(o); err != nil {
		return usageError(fmt.Errorf("wrote %s, but it does not load (edit it): %w", o.Output, err))
	}
	fmt.Fprintf(o.IO.Out, "wrote %s from %s (%d operations); read the comments marked guess, set ERRPROBE_API_KEY, then: errprobe run --profile %s\n",
		o.Output, o.FromOpenAPI, len(doc.Operations), o.Output)
	return nil
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

// loadProfileFile checks that the profile init wrote loads and compiles.
func loadProfileFile(o *initOptions) (*schemas.Contract, error) {
	p, err := schemas.Load(o.Output, o.IO.Getenv)
	if err != nil {
		return nil, err
	}
	return schemas.Compile(p)
}
