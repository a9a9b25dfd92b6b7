package cmd

import (
	"fmt"
	"runtime/debug"
	"sync"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/errprobe/errprobe/cmd.Version=…"
// (make build, goreleaser); when it is not, version() reads it from the
// binary's build information. Nothing is spawned to find it.
var Version = ""

// version is the version errprobe reports (version, --version, User-Agent, reports).
func version() string {
	if Version != "" {
		return Version
	}
	return builtVersion()
}

var builtVersion = sync.OnceValue(func() string {
	bi, ok := debug.ReadBuildInfo()
	if v := buildVersion(bi, ok); v != "" {
		return v
	}
	return "dev"
})

// versionText is what `errprobe version` and `errprobe --version` print.
func versionText() string { return "errprobe version " + version() + "\n" }

// newVersionCmd builds `errprobe version`: the same text as --version.
func newVersionCmd(io *IO) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print errprobe's version (the same as --version)",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprint(io.Out, versionText())
			return err
		},
	}
}

// buildVersion names the build from its build information: the VCS
// revision the go tool stamped (with "-dirty" for uncommitted changes),
// else the module version (go install …@vX.Y.Z); "" when neither is there.
func buildVersion(bi *debug.BuildInfo, ok bool) string {
	if !ok || bi == nil {
		return ""
	}
	var rev, modified string
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value
		}
	}
	if rev != "" {
		return revisionVersion(rev, modified == "true")
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	return ""
}

func revisionVersion(rev string, dirty bool) string {
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := "dev-" + rev
	if dirty {
		v += "-dirty"
	}
	return v
}
