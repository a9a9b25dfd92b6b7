//go:build !unix

package cmd

// maxRSSKB is not measured where getrusage does not exist.
func maxRSSKB() (int64, bool) { return 0, false }
