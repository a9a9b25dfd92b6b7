package schemas

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// reportSchema is the JSON Schema of errprobe's JSON report (reporters.JSON).
//
//go:embed report.schema.json
var reportSchema []byte

const reportSchemaURL = "https://github.com/errprobe/errprobe/schemas/report.schema.json"

// ReportSchema returns the JSON Schema of the JSON report.
func ReportSchema() []byte {
	return bytes.Clone(reportSchema)
}

var compiledReport = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(reportSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(reportSchemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(reportSchemaURL)
})

// harSchema is the structure of an HTTP Archive 1.2 log (reporters.HAR).
//
//go:embed har.schema.json
var harSchema []byte

const harSchemaURL = "https://github.com/errprobe/errprobe/schemas/har.schema.json"

var compiledHAR = sync.OnceValues(func() (*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(harSchema))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(harSchemaURL, doc); err != nil {
		return nil, err
	}
	return c.Compile(harSchemaURL)
})

// ValidateHAR checks a HAR document against the HAR 1.2 structure.
func ValidateHAR(har []byte) error {
	sch, err := compiledHAR()
	if err != nil {
		return fmt.Errorf("HAR schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(har))
	if err != nil {
		return fmt.Errorf("HAR is not JSON: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		return fmt.Errorf("HAR does not match HAR 1.2: %v", err)
	}
	return nil
}

// ValidateReport checks a JSON report document against ReportSchema.
func ValidateReport(report []byte) error {
	sch, err := compiledReport()
	if err != nil {
		return fmt.Errorf("report schema: %w", err)
	}
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(report))
	if err != nil {
		return fmt.Errorf("report is not JSON: %w", err)
	}
	if err := sch.Validate(doc); err != nil {
		return fmt.Errorf("report does not match its schema: %v", err)
	}
	return nil
}
