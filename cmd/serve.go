package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// SCAFFOLD: replaced by the package owner.
func newServeCmd(io *IO) *cobra.Command {
	return &cobra.Command{Use: "serve", RunE: func(*cobra.Command, []string) error { return errors.New("serve: not built yet") }}
}
