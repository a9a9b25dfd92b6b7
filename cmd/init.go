package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// SCAFFOLD: replaced by the package owner.
func newInitCmd(io *IO) *cobra.Command {
	return &cobra.Command{Use: "init", RunE: func(*cobra.Command, []string) error { return errors.New("init: not built yet") }}
}
