package cmd

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"
)

// Version is set at build time with -ldflags "-X github.com/errprobe/errprobe/cmd.Version=…";
// when it is not, version() reads it from the binary's build information.
var Version = ""

// version is the version errprobe reports (--version, User-Agent, reports).
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
	if v := sourceRevision(); v != "" {
		return v
	}
	return "dev"
})

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

// sourceRevision asks git for the revision of the checkout the binary was
// built from, when the build carries no VCS stamp (-buildvcs=false) and the
// checkout is still where it was built (a plain `go build` in a clone).
func sourceRevision() string {
	_, file, _, ok := runtime.Caller(0)
	if !ok || !filepath.IsAbs(file) {
		return "" // -trimpath: no source directory to ask
	}
	dir := filepath.Dir(file)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	out, err := exec.CommandContext(ctx, "git", "-C", dir, "rev-parse", "HEAD").Output()
	if err != nil {
		return ""
	}
	rev := strings.TrimSpace(string(out))
	if rev == "" {
		return ""
	}
	status, err := exec.CommandContext(ctx, "git", "-C", dir, "status", "--porcelain", "--untracked-files=no").Output()
	return revisionVersion(rev, err == nil && len(strings.TrimSpace(string(status))) > 0)
}
