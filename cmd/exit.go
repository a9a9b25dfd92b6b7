package cmd

import (
	"context"
	"errors"
	"fmt"
	goio "io"
	"log"
	"os"
	"os/signal"
	"syscall"
)

// Exit codes, documented in README and `errprobe --help`.
const (
	ExitOK          = 0   // every check passed (or nothing failed at the --fail-on level)
	ExitFailed      = 1   // a check failed
	ExitUsage       = 2   // bad flag, argument or profile
	ExitUnreachable = 3   // the target could not be reached
	ExitNotRun      = 4   // no check ran (all skipped or cut short): nothing was tested
	ExitInterrupted = 130 // SIGINT/SIGTERM; reports were still written
)

// exitError carries an exit code with the error to print.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string {
	if e.err == nil {
		return fmt.Sprintf("exit status %d", e.code)
	}
	return e.err.Error()
}
func (e *exitError) Unwrap() error { return e.err }

// usageError wraps an error as exit code 2.
func usageError(err error) error { return &exitError{code: ExitUsage, err: err} }

// withCode wraps an error with an exit code; a nil error with a code only sets the code.
func withCode(code int, err error) error { return &exitError{code: code, err: err} }

// Main runs errprobe and returns the process exit code. It is the one place
// that maps errors to exit codes and prints them.
func Main(io *IO) int { return mainArgs(io, os.Args[1:]) }

func mainArgs(io *IO, args []string) int {
	// net/http logs through the standard logger, straight to stderr,
	// quoting what a target sent ("Unsolicited response received on idle
	// HTTP channel starting with …"): a target's echo of a key would reach
	// the terminal unmasked, even with --quiet. errprobe itself never logs;
	// everything it reports goes through the masked reports.
	log.SetOutput(goio.Discard)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	root := NewRootCmd(io)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitStatus(io, err)
}

func exitStatus(io *IO, err error) int {
	if err == nil {
		return ExitOK
	}
	code := ExitUsage
	var ee *exitError
	if errors.As(err, &ee) {
		code = ee.code
		if ee.err == nil {
			return code
		}
	}
	fmt.Fprintf(io.Err, "errprobe: %v\n", err)
	return code
}
