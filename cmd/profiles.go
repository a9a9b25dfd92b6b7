package cmd

import (
	"cmp"
	"errors"
	"fmt"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/errprobe/errprobe/schemas"
)

// profilesOptions are the inputs of `errprobe profiles [show NAME]`.
type profilesOptions struct {
	IO   *IO
	Name string // show: the built-in to print (with Resolved: or a file)
	// Resolved prints the profile with its extends chain merged.
	Resolved bool
}

func newProfilesCmd(io *IO) *cobra.Command {
	o := &profilesOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "profiles",
		Short: "List the built-in contract profiles",
		Long: `List the built-in contract profiles, one per line: name and description.

A profile is an API's error contract as data: the envelope schema, the code
table, auth, request ids, idempotency, rate limits and the endpoints probes
use. Print one with "errprobe profiles show NAME", or start your own with
"errprobe init --profile NAME".`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runProfiles(o) },
	}
	cmd.AddCommand(newProfilesShowCmd(io))
	return cmd
}

func newProfilesShowCmd(io *IO) *cobra.Command {
	o := &profilesOptions{IO: io}
	cmd := &cobra.Command{
		Use:   "show NAME | --resolved FILE",
		Short: "Print a built-in profile's YAML, or a profile file resolved",
		Long: `Print a built-in profile's YAML, comments included: a starting point to copy.
The output loads back as a profile file:

  errprobe profiles show erzycall > p.yaml
  errprobe run --profile ./p.yaml BASE_URL

With --resolved, print a profile (a file or a built-in; by default the one
run would use: $ERRPROBE_PROFILE, else the discovered errprobe.yaml) with
its extends chain merged, each part commented with the file it came from. ${VAR}s stay
as written; the output loads again unchanged:

  errprobe profiles show --resolved ./errprobe.yaml > resolved.yaml`,
		Args:      cobra.MaximumNArgs(1),
		ValidArgs: schemas.BuiltinNames(),
		RunE: func(_ *cobra.Command, args []string) error {
			switch {
			case len(args) == 1 && o.Name != "":
				return usageError(errors.New("give the profile as NAME or -p NAME, not both"))
			case len(args) == 1:
				o.Name = args[0]
			case o.Name == "" && o.Resolved:
				// like run: $ERRPROBE_PROFILE, else the discovered errprobe.yaml
				o.Name = cmp.Or(o.IO.Getenv("ERRPROBE_PROFILE"), discoverProfile(o.IO.wd()))
				if o.Name == "" {
					return usageError(errors.New("profiles show --resolved: give a profile NAME or FILE (no $ERRPROBE_PROFILE, no errprobe.yaml found)"))
				}
			case o.Name == "":
				return usageError(errors.New("profiles show: give a profile NAME (or -p NAME)"))
			}
			if o.Resolved {
				return runProfilesResolved(o)
			}
			return runProfilesShow(o)
		},
	}
	cmd.Flags().StringVarP(&o.Name, "profile", "p", "", "the profile `NAME` (or FILE with --resolved), instead of the argument")
	cmd.Flags().BoolVar(&o.Resolved, "resolved", false, "merge the extends chain of a profile file (or built-in) and print the result")
	return cmd
}

// runProfilesResolved prints a profile with its extends chain merged.
func runProfilesResolved(o *profilesOptions) error {
	out, err := schemas.Resolved(o.Name, o.IO.Getenv)
	if err != nil {
		return usageError(err)
	}
	_, err = o.IO.Out.Write(out)
	return err
}

// runProfiles lists every built-in: name and one-line description.
func runProfiles(o *profilesOptions) error {
	w := tabwriter.NewWriter(o.IO.Out, 0, 4, 2, ' ', 0)
	for _, name := range schemas.BuiltinNames() {
		p, err := schemas.Builtin(name, o.IO.Getenv)
		if err != nil {
			return fmt.Errorf("built-in profile %s: %w", name, err)
		}
		fmt.Fprintf(w, "%s\t%s\n", name, p.Description)
	}
	return w.Flush()
}

// runProfilesShow prints the embedded source of one built-in.
func runProfilesShow(o *profilesOptions) error {
	src, err := schemas.BuiltinSource(o.Name)
	if err != nil {
		return usageError(err)
	}
	_, err = o.IO.Out.Write(src)
	return err
}
