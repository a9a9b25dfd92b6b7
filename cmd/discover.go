package cmd

import (
	"errors"
	"os"
	"path/filepath"
)

// profileFiles are the names profile discovery looks for, in order.
var profileFiles = []string{"errprobe.yaml", "errprobe.yml"}

// discoverProfile finds errprobe.yaml or errprobe.yml in dir or its nearest
// parent, up to the repository root (the first directory holding .git);
// outside a repository only dir itself is looked at. "" when none is found.
func discoverProfile(dir string) string {
	if found := profileIn(dir); found != "" {
		return found
	}
	if repoRoot(dir) == "" {
		return ""
	}
	for d := dir; ; {
		if found := profileIn(d); found != "" {
			return found
		}
		if exists(filepath.Join(d, ".git")) {
			return ""
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func profileIn(dir string) string {
	for _, n := range profileFiles {
		if p := filepath.Join(dir, n); exists(p) {
			return p
		}
	}
	return ""
}

// repoRoot is the nearest directory at or above dir holding .git ("" if none).
func repoRoot(dir string) string {
	for d := dir; ; {
		if exists(filepath.Join(d, ".git")) {
			return d
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil || !errors.Is(err, os.ErrNotExist)
}
