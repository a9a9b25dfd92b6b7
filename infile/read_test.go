//go:build unix

package infile

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRead_RefusesWhatIsNotARegularFile (T2, T5, T8): a FIFO with no writer
// is refused at once, never waited on; /dev/zero and a directory are
// refused without a byte read; a file past the cap is refused; a regular
// file under it is read.
func TestRead_RefusesWhatIsNotARegularFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	big := filepath.Join(dir, "big")
	if err := os.WriteFile(big, make([]byte, 101), 0o600); err != nil {
		t.Fatal(err)
	}
	ok := filepath.Join(dir, "ok")
	if err := os.WriteFile(ok, []byte("hello"), 0o600); err != nil {
		t.Fatal(err)
	}
	type testCase struct {
		name, path, want string
	}
	run := func(t *testing.T, tc testCase) {
		start := time.Now()
		b, err := Read(tc.path, 100)
		if time.Since(start) > 5*time.Second {
			t.Errorf("Read(%s) took %s", tc.name, time.Since(start))
		}
		if tc.want == "" {
			if err != nil || string(b) != "hello" {
				t.Errorf("Read(%s) = %q, %v", tc.name, b, err)
			}
			return
		}
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "\n") {
			t.Errorf("Read(%s) err = %v, want one line containing %q", tc.name, err, tc.want)
		}
	}
	for _, tc := range []testCase{
		{"fifo", fifo, "not a regular file (a named pipe)"},
		{"dev zero", "/dev/zero", "not a regular file (a character device)"},
		{"directory", dir, "not a regular file (a directory)"},
		{"too large", big, "larger than 100 bytes"},
		{"missing", filepath.Join(dir, "nope"), "no such file"},
		{"regular", ok, ""},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

// TestCapped_StopsAtItsCap (T1): output past the cap is refused, and what
// was kept stays within it.
func TestCapped_StopsAtItsCap(t *testing.T) {
	t.Parallel()
	c := &Capped{Max: 10}
	if _, err := c.Write([]byte("12345")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Write([]byte("123456")); !errors.Is(err, ErrTooLarge) {
		t.Fatalf("write past the cap: err = %v", err)
	}
	if !c.Over() || len(c.Bytes()) > 10 {
		t.Errorf("Over %v, kept %d bytes", c.Over(), len(c.Bytes()))
	}
}
