package cmd

import (
	"bytes"
	"errors"
	"testing"
)

func TestReport_ExitCodes(t *testing.T) {
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
	if got := withCode(ExitFailed, nil).Error(); got != "exit status 1" {
		t.Errorf("Error() = %q", got)
	}
}
