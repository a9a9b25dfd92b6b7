package reporters

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/errprobe/errprobe/checks"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time          { return c.t }
func (c *fakeClock) advance(d time.Duration) { c.t = c.t.Add(d) }

func TestProgress_Terminal(t *testing.T) {
	type testCase struct {
		name    string
		opts    ProgressOptions
		updates []checks.Progress
		want    string
	}
	run := func(t *testing.T, tc testCase) {
		var buf bytes.Buffer
		p := NewProgress(&buf, tc.opts)
		for _, u := range tc.updates {
			p.Update(u)
		}
		p.Done()
		if buf.String() != tc.want {
			t.Errorf("progress wrote %q, want %q", buf.String(), tc.want)
		}
	}
	const clear = "\r\x1b[K"
	on := ProgressOptions{Enabled: true, TTY: true, Escapes: true, Width: func() int { return 120 }}
	narrow := on
	narrow.Width = func() int { return 20 }
	forty := on
	forty.Width = func() int { return 40 }
	dumb := ProgressOptions{Enabled: true, TTY: true, Width: func() int { return 40 }}
	for _, tc := range []testCase{
		{name: "disabled writes nothing", opts: ProgressOptions{TTY: true}, updates: []checks.Progress{{Suite: "auth", Sent: 3}}},
		{
			name: "suite and requests, unchanged lines skipped", opts: on,
			updates: []checks.Progress{{Suite: "auth", Sent: 3}, {Suite: "auth", Sent: 3}},
			want:    clear + "errprobe: auth · 3 requests" + clear,
		},
		{
			name: "burst, then the wait with what is awaited and the cap", opts: on,
			updates: []checks.Progress{
				{Suite: "ratelimit", Sent: 40, BurstRate: 33.3, Status429: 20},
				{Suite: "ratelimit", Sent: 40, Wait: 1500 * time.Millisecond, Waiting: "the rate-limit window to reset", WaitCap: 30 * time.Second},
			},
			want: clear + "errprobe: ratelimit · 40 requests · burst 33/s · 20 × 429" +
				clear + "errprobe: ratelimit · 40 requests · waiting 1.5s (cap 30s) for the rate-limit window to reset" + clear,
		},
		{
			name: "cut to the width, never wrapped", opts: narrow,
			updates: []checks.Progress{{Suite: "idempotency", Sent: 123}},
			want:    clear + "idempotency · 123 …" + clear,
		},
		{
			name: "narrow: the short form keeps the wait and its cap", opts: forty,
			updates: []checks.Progress{{Suite: "ratelimit", Sent: 262, Wait: 1200 * time.Millisecond, Waiting: "the rate-limit window to reset", WaitCap: 3 * time.Second}},
			want:    clear + "ratelimit · 262 req · wait 1.2s/3s" + clear,
		},
		{
			name: "no escape sequences without color rules: carriage return and spaces", opts: dumb,
			updates: []checks.Progress{{Suite: "idempotency", Sent: 12}, {Suite: "auth", Sent: 13}},
			want:    "\rerrprobe: idempotency · 12 requests" + "\rerrprobe: auth · 13 requests       " + "\r" + strings.Repeat(" ", 28) + "\r",
		},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestProgress_Heartbeat(t *testing.T) {
	clock := &fakeClock{t: started()}
	var buf bytes.Buffer
	p := NewProgress(&buf, ProgressOptions{Enabled: true, Now: clock.now})
	wait := checks.Progress{Suite: "ratelimit", Sent: 60, Wait: 20 * time.Second, Waiting: "the rate-limit window to reset", WaitCap: 30 * time.Second}
	// A short run: updates for 9 s print nothing.
	for range 90 {
		p.Update(wait)
		clock.advance(100 * time.Millisecond)
	}
	if buf.Len() != 0 {
		t.Fatalf("heartbeat within the first 10 s: %q", buf.String())
	}
	// Long work: one line per 10 s however many updates come.
	for range 160 {
		wait.Wait -= 100 * time.Millisecond
		p.Update(wait)
		clock.advance(100 * time.Millisecond)
	}
	p.Done()
	lines := strings.Split(strings.TrimSuffix(buf.String(), "\n"), "\n")
	if len(lines) != 2 {
		t.Fatalf("%d heartbeat lines over 25 s, want 2:\n%s", len(lines), buf.String())
	}
	if want := "errprobe: 10s · ratelimit · 60 requests · waiting 18.9s (cap 30s) for the rate-limit window to reset"; lines[0] != want {
		t.Errorf("heartbeat %q, want %q", lines[0], want)
	}
	if strings.ContainsAny(buf.String(), "\r\x1b") {
		t.Error("heartbeat holds carriage returns or escapes")
	}
}
