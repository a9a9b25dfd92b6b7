package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// SCAFFOLD: replaced by the package owner.
func newProfilesCmd(io *IO) *cobra.Command {
	return &cobra.Command{Use: "profiles", RunE: func(*cobra.Command, []string) error { return errors.New("profiles: not built yet") }}
}
