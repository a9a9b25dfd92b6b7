package cmd

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/schemas"
)

// initOptions are the inputs of `errprobe init`.
type initOptions struct {
	IO      *IO
	Profile string // the built-in the file extends
	Force   bool   // overwrite an existing file
	Output  string // where to write; default ./errprobe.yaml
	// FromOpenAPI is an OpenAPI document to write the profile from.
	FromOpenAPI string
	// Learn is a base URL to learn the profile from; Path a known
	// collection there; DryRun lists its requests and sends none.
	Learn, Path string
	DryRun      bool

	ctx context.Context // the command's: ends on SIGINT/SIGTERM
}

func newInitCmd(io *IO) *cobra.Command {
	o := &initOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "init",
		Short: "Write a commented errprobe.yaml that extends a built-in profile",
		Long: `Write a commented errprobe.yaml that extends a built-in profile: your API's
base URL, its keys read from environment variables, and the built-in's
endpoints shown commented out to override. An existing file is kept unless
--force.

--from-openapi FILE|URL writes the profile from an OpenAPI 3.0 or 3.1
document (YAML or JSON; local $refs only; a URL such as the /openapi.json
a web framework publishes is read with one request, without any key):
base URL, auth, envelope schema, code table, expectations and endpoints,
with a comment on every guess.

--learn BASE_URL sends at most 8 error-provoking requests (an unknown route
without a key, with the key in X-API-Key and as a Bearer token, with a
garbage key; with --path: the collection, an unknown id, malformed JSON, an
unsupported method), infers the envelope, codes, auth, request-id and
rate-limit headers, and writes a profile quoting what it saw.
--dry-run lists those requests and sends nothing.

Built-in profiles: ` + strings.Join(schemas.BuiltinNames(), ", ") + `.`,
		Example: `  errprobe init --profile erzycall
  errprobe init --from-openapi openapi.yaml
  errprobe init --learn https://staging.example.com --path /v1/contacts
  export ERRPROBE_API_KEY=...
  errprobe run --profile errprobe.yaml https://api.example.com`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error { o.ctx = c.Context(); return runInit(o) },
	}
	f := cmd.Flags()
	f.StringVarP(&o.Profile, "profile", "p", "erzycall", "built-in profile to extend ("+strings.Join(schemas.BuiltinNames(), ", ")+")")
	f.BoolVarP(&o.Force, "force", "f", false, "overwrite an existing file")
	f.StringVarP(&o.Output, "output", "o", "errprobe.yaml", "file to write")
	f.StringVar(&o.FromOpenAPI, "from-openapi", "", "write the profile from this OpenAPI 3.0/3.1 document, a `FILE|URL` (the /openapi.json an API publishes)")
	f.StringVar(&o.Learn, "learn", "", "learn the profile from the live API at `BASE_URL` (key in ERRPROBE_API_KEY)")
	f.StringVar(&o.Path, "path", "", "with --learn: a collection `PATH` of the API, e.g. /v1/contacts")
	f.BoolVar(&o.DryRun, "dry-run", false, "with --learn: list the requests and send none")
	return cmd
}

// runInit writes the starter profile, refusing to overwrite without --force.
func runInit(o *initOptions) error {
	if o.FromOpenAPI != "" && o.Learn != "" {
		return usageError(errors.New("--from-openapi and --learn exclude each other"))
	}
	if o.FromOpenAPI != "" {
		return initFromOpenAPI(o)
	}
	if o.Learn != "" {
		return initLearn(o)
	}
	if o.Path != "" || o.DryRun {
		return usageError(errors.New("--path and --dry-run go with --learn BASE_URL"))
	}
	src, err := schemas.Starter(o.Profile)
	if err != nil {
		return usageError(err)
	}
	if err := writeNew(o, src); err != nil {
		return err
	}
	fmt.Fprintf(o.IO.Out, "wrote %s (extends %s); set ERRPROBE_API_KEY, then: %s BASE_URL\n",
		o.Output, o.Profile, runHint(o.Output))
	return nil
}

// runHint is the run command that uses the profile just written: plain
// `errprobe run` when run finds it by itself (errprobe.yaml or errprobe.yml
// in this directory), else with --profile.
func runHint(path string) string {
	if filepath.Dir(path) == "." && slices.Contains(profileFiles, filepath.Base(path)) {
		return "errprobe run"
	}
	return "errprobe run --profile " + path
}

// writeNew writes src to o.Output, refusing to overwrite without --force.
func writeNew(o *initOptions, src []byte) error {
	flags := os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	if !o.Force {
		flags |= os.O_EXCL
	}
	f, err := os.OpenFile(o.Output, flags, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return usageError(fmt.Errorf("%s already exists; use --force to overwrite it", o.Output))
	}
	if err != nil {
		return usageError(fmt.Errorf("cannot write %s: %w", o.Output, err))
	}
	if _, err := f.Write(src); err != nil {
		f.Close()
		return fmt.Errorf("cannot write %s: %w", o.Output, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("cannot write %s: %w", o.Output, err)
	}
	return nil
}
