// Package cmd holds errprobe's thin cobra commands: each copies flags into an
// options struct and calls a run function whose logic lives in checks/,
// schemas/, fixtures/ or reporters/.
package cmd

import (
	"github.com/spf13/cobra"
)

const exitCodesHelp = `Exit codes:
  0    every check passed (nothing failed at the --fail-on level)
  1    a check failed
  2    usage or profile error
  3    the target could not be reached
  4    no check ran (every one skipped or cut short): nothing was tested
  130  interrupted (reports are still written for what completed)`

// NewRootCmd builds the errprobe command tree.
func NewRootCmd(io *IO) *cobra.Command {
	root := &cobra.Command{
		Use:   "errprobe",
		Short: "Check that a live HTTP API keeps its error contract",
		Long: `errprobe probes a live HTTP API with malformed requests, bad keys, unknown ids,
duplicate idempotency keys and rate-limit bursts, and checks every error
response against the API's contract profile: envelope schema, code table and
headers.

` + exitCodesHelp,
		Version:       version(),
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	// --version has no shorthand: -v is --verbose on the commands.
	root.Flags().Bool("version", false, "print errprobe's version and exit")
	// Known (hidden) on the root so `errprobe -v run URL` reads -v as the
	// subcommand's boolean --verbose rather than taking "run" as its value.
	root.Flags().BoolP("verbose", "v", false, "")
	_ = root.Flags().MarkHidden("verbose")
	root.SetVersionTemplate(versionText())
	root.SetOut(io.Out)
	root.SetErr(io.Err)
	root.SetFlagErrorFunc(func(c *cobra.Command, err error) error { return flagError(err) })
	root.AddCommand(
		newRunCmd(io),
		newDemoCmd(io),
		newServeCmd(io),
		newProfilesCmd(io),
		newInitCmd(io),
		newProbesCmd(io),
		newBenchBurstCmd(io),
		newVersionCmd(io),
	)
	registerCompletions(root)
	completeWithoutPackage(root)
	return root
}
