package checks

import (
	"context"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestCredential_CachedAndRefreshed: a token is fetched once, kept until
// shortly before it expires, and fetched again when a response refused it
// (once, however many requests saw the stale one); each new value is
// reported for masking.
func TestCredential_CachedAndRefreshed(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 5, 0, 0, 0, time.UTC)
	fetches := 0
	var masked []string
	c := &credential{source: "auth.oauth2.token_url", now: func() time.Time { return now },
		onNew: func(v string) { masked = append(masked, v) },
		fetch: func(context.Context) (string, time.Time, error) {
			fetches++
			return "tok" + strconv.Itoa(fetches), now.Add(time.Hour), nil
		}}
	ctx := context.Background()
	step := func(name string, got func() (string, error), want string, wantFetches int) {
		t.Helper()
		v, err := got()
		if err != nil || v != want || fetches != wantFetches {
			t.Errorf("%s: %q, %v after %d fetches; want %q after %d", name, v, err, fetches, want, wantFetches)
		}
	}
	get := func() (string, error) { return c.get(ctx) }
	step("first use", get, "tok1", 1)
	step("cached", get, "tok1", 1)
	now = now.Add(time.Hour - tokenEarly/2)
	step("about to expire", get, "tok2", 2)
	step("refused as expired", func() (string, error) { return c.refresh(ctx, "tok2") }, "tok3", 3)
	step("a second request with the stale token", func() (string, error) { return c.refresh(ctx, "tok2") }, "tok3", 3)
	if len(masked) != 3 {
		t.Errorf("masked %v, want every fetched token", masked)
	}
	// T4: a server that calls every token expired gets one refresh, not
	// one per request.
	if _, err := c.refresh(ctx, "tok3"); err == nil || fetches != 3 {
		t.Errorf("a fresh token refused as expired: err %v after %d fetches, want an error and no fetch", err, fetches)
	}
	now = now.Add(time.Hour)
	step("expired by time after refusals", get, "tok4", 4)
}

// TestCredential_ShortLivedRenewedAtHalfLife (T4): a 1-second token is
// used for half a second, then renewed once — not fetched for every
// request because it is within tokenEarly of its expiry.
func TestCredential_ShortLivedRenewedAtHalfLife(t *testing.T) {
	t.Parallel()
	now := time.Date(2026, 12, 2, 5, 0, 0, 0, time.UTC)
	fetches := 0
	c := &credential{source: "auth.oauth2.token_url", now: func() time.Time { return now },
		fetch: func(context.Context) (string, time.Time, error) {
			fetches++
			return "tok" + strconv.Itoa(fetches), now.Add(time.Second), nil
		}}
	for i := 0; i < 100; i++ { // 100 requests over 2 s
		if _, err := c.get(context.Background()); err != nil {
			t.Fatal(err)
		}
		now = now.Add(20 * time.Millisecond)
	}
	if fetches > 5 {
		t.Errorf("%d fetches for 100 requests over 2 s with 1-second tokens, want about 4", fetches)
	}
}

// TestRunShell_OutputCapped (T1): a token_command printing 300 MB is
// refused once it passes the cap, in little memory and without waiting for
// the rest. Root cause: its stdout went into an unbounded bytes.Buffer.
func TestRunShell_OutputCapped(t *testing.T) {
	t.Parallel()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	_, err := runShell(context.Background(), "head -c 300000000 /dev/zero | tr '\\0' x")
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "printed more than 64 KiB") {
		t.Fatalf("err = %v, want the cap named", err)
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s", d)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 16<<20 {
		t.Errorf("allocated %d MiB", alloc>>20)
	}
	if out, err := runShell(context.Background(), "echo tok"); err != nil || strings.TrimSpace(string(out)) != "tok" {
		t.Errorf("echo tok: %q, %v", out, err)
	}
}
