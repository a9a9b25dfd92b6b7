package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
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
	if rev := sourceRevision(); rev != "" {
		return revisionVersion(rev, false)
	}
	return "dev"
})

// sourceRevision reads the commit of the checkout the binary was built
// from, when the build carries no VCS stamp (-buildvcs=false) and the
// checkout is still where it was built: its .git HEAD and refs files,
// read directly — no git process is spawned. "" when there is none
// (-trimpath, a moved binary, no repository).
func sourceRevision() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return ""
	}
	return gitHead(filepath.Dir(filepath.Dir(file)))
}

// gitHead resolves HEAD of the repository (or worktree) at dir to a commit
// id by reading .git's files: HEAD, the ref it names, packed-refs.
func gitHead(dir string) string {
	gitDir := filepath.Join(dir, ".git")
	if b, err := os.ReadFile(gitDir); err == nil { // a worktree: "gitdir: PATH"
		d, ok := strings.CutPrefix(strings.TrimSpace(string(b)), "gitdir: ")
		if !ok {
			return ""
		}
		gitDir = d
	}
	common := gitDir
	if b, err := os.ReadFile(filepath.Join(gitDir, "commondir")); err == nil {
		common = filepath.Join(gitDir, strings.TrimSpace(string(b)))
	}
	head, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return ""
	}
	ref, isRef := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: ")
	if !isRef {
		return hexID(ref)
	}
	for _, d := range []string{gitDir, common} {
		if b, err := os.ReadFile(filepath.Join(d, filepath.FromSlash(ref))); err == nil {
			return hexID(strings.TrimSpace(string(b)))
		}
	}
	packed, err := os.ReadFile(filepath.Join(common, "packed-refs"))
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(packed), "\n") {
		if id, name, ok := strings.Cut(strings.TrimSpace(line), " "); ok && name == ref {
			return hexID(id)
		}
	}
	return ""
}

// hexID is s when it is a commit id (40 or 64 hex digits), else "".
func hexID(s string) string {
	if len(s) != 40 && len(s) != 64 {
		return ""
	}
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdef", c) {
			return ""
		}
	}
	return s
}

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
