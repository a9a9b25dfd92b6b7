package cmd

import (
	"bytes"
	"context"
	"errors"
	"testing"
	"time"
)

func TestReport_ExitCodes(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name     string
		err      error
		wantCode int
		wantErr  string
	}
	run := func(t *testing.T, tc testCase) {
		var stderr bytes.Buffer
		if got := exitStatus(&IO{Err: &stderr}, tc.err); got != tc.wantCode {
			t.Errorf("exit code = %d, want %d", got, tc.wantCode)
		}
		if got := stderr.String(); got != tc.wantErr {
			t.Errorf("stderr = %q, want %q", got, tc.wantErr)
		}
	}
	for _, tc := range []testCase{
		{name: "nil", err: nil, wantCode: ExitOK},
		{name: "plain error is usage", err: errors.New("bad"), wantCode: ExitUsage, wantErr: "errprobe: bad\n"},
		{name: "code only", err: withCode(ExitFailed, nil), wantCode: ExitFailed},
		{name: "unreachable", err: withCode(ExitUnreachable, errors.New("target unreachable")), wantCode: ExitUnreachable,
			wantErr: "errprobe: target unreachable\n"},
		{name: "usage", err: usageError(errors.New("--suite nope")), wantCode: ExitUsage, wantErr: "errprobe: --suite nope\n"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestExitError_NilErrorHasMessage(t *testing.T) {
	t.Parallel()
	if got := withCode(ExitFailed, nil).Error(); got != "exit status 1" {
		t.Errorf("Error() = %q", got)
	}
}

// TestWatchdog_EndsABlockedCommand (T5): after a signal, a command that
// has not returned within the grace is ended; one that returns in time, or
// that never saw a signal, is not. Root cause of T5's 300 s hang: the
// signal only cancelled a context that a blocked open never looked at.
func TestWatchdog_EndsABlockedCommand(t *testing.T) {
	t.Parallel()
	type testCase struct {
		name         string
		signal, done bool
		wantExit     bool
	}
	run := func(t *testing.T, tc testCase) {
		t.Parallel()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		done := make(chan struct{})
		exited := make(chan struct{})
		if tc.signal {
			cancel()
		}
		if tc.done {
			close(done)
		}
		g := &grace{}
		g.d.Store(int64(10 * time.Millisecond))
		go watchdog(ctx, done, func() {}, g, func(time.Duration) { close(exited) })
		select {
		case <-exited:
			if !tc.wantExit {
				t.Error("ended a command that finished")
			}
		case <-time.After(200 * time.Millisecond):
			if tc.wantExit {
				t.Error("a blocked command outlived the signal")
			}
		}
		if !tc.done {
			close(done)
		}
	}
	for _, tc := range []testCase{
		{name: "blocked after a signal", signal: true, wantExit: true},
		{name: "finished", signal: true, done: true},
		{name: "no signal"},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}
