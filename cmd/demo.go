package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// SCAFFOLD: replaced by the package owner.
func newDemoCmd(io *IO) *cobra.Command {
	return &cobra.Command{Use: "demo", RunE: func(*cobra.Command, []string) error { return errors.New("demo: not built yet") }}
}
