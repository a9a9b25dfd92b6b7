package checks

import (
	"context"
	"strconv"
	"testing"
	"time"
)

// TestCredential_CachedAndRefreshed: a token is fetched once, kept until
// shortly before it expires, and fetched again when a response refused it
// (once, however many requests saw the stale one); each new value is
// reported for masking.
func TestCredential_CachedAndRefreshed(t *testing.T) {
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
}
