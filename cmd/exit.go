package cmd

import (
	"context"
	"errors"
	"fmt"
	goio "io"
	"log"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"
	"time"
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
	g := &grace{}
	g.d.Store(int64(signalGrace))
	ctx = context.WithValue(ctx, graceKey{}, g)
	done := make(chan struct{})
	defer close(done)
	go watchdog(ctx, done, stop, g, func(d time.Duration) {
		fmt.Fprintf(io.Err, "errprobe: interrupted: stopped %s after the signal without finishing\n", d)
		os.Exit(ExitInterrupted)
	})
	root := NewRootCmd(io)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	return exitStatus(io, err)
}

// signalGrace is how long a command has, after SIGINT or SIGTERM, to stop
// before the process ends anyway; run allows its bounded wind-down
// (allowWindDown).
const signalGrace = time.Second

// grace is the current command's allowance after a signal.
type grace struct{ d atomic.Int64 }

type graceKey struct{}

// allowWindDown lets the command of ctx take d after a signal to finish
// what it bounds itself: run's requests in flight, its clean-up and its
// reports (checks.WindDown). Without it a command gets signalGrace.
func allowWindDown(ctx context.Context, d time.Duration) {
	if g, ok := ctx.Value(graceKey{}).(*grace); ok {
		g.d.Store(int64(d))
	}
}

// watchdog ends the process (exit) when ctx ends — a signal — and done is
// not closed within the grace: whatever a command is blocked on (a read, a
// child process, a server that never answers) it never outlives a signal
// by more than its grace. After the first signal, stop restores the
// default action, so a second SIGINT ends the process at once.
func watchdog(ctx context.Context, done <-chan struct{}, stop func(), g *grace, exit func(time.Duration)) {
	select {
	case <-done:
		return
	case <-ctx.Done():
	}
	stop()
	d := time.Duration(g.d.Load())
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
		exit(d)
	}
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
