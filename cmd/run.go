package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// SCAFFOLD: replaced by the package owner.
func newRunCmd(io *IO) *cobra.Command {
	return &cobra.Command{Use: "run", RunE: func(*cobra.Command, []string) error { return errors.New("run: not built yet") }}
}
