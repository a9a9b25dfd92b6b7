//go:build unix

package cmd

import (
	"runtime"
	"syscall"
)

// maxRSSKB is the process's peak resident set so far, in KiB, for
// bench-burst's memory comparison (a long burst must stay flat).
func maxRSSKB() (int64, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	kb := int64(ru.Maxrss)
	if runtime.GOOS == "darwin" || runtime.GOOS == "ios" {
		kb /= 1024 // bytes there
	}
	return kb, true
}
