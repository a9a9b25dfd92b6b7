package ratelimit_test

import (
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/errprobe/errprobe/ratelimit"
)

var now = time.Date(2026, 11, 22, 2, 0, 0, 0, time.UTC)

var legacy = ratelimit.Format{Kind: "legacy", LimitHeader: "X-Ratelimit-Limit", RemainingHeader: "X-Ratelimit-Remaining",
	ResetHeader: "X-Ratelimit-Reset", Reset: "auto"}

func hdr(kv ...string) http.Header {
	h := http.Header{}
	for i := 0; i+1 < len(kv); i += 2 {
		h.Add(kv[i], kv[i+1])
	}
	return h
}

func TestParseLegacy(t *testing.T) {
	type testCase struct {
		name                string
		header              http.Header
		reset               string
		limit, remaining    int64
		resetIn             time.Duration
		complete, wantErr   bool
		hasLimit, hasRemain bool
	}
	run := func(t *testing.T, tc testCase) {
		f := legacy
		if tc.reset != "" {
			f.Reset = tc.reset
		}
		r := ratelimit.ParseLegacy(tc.header, f, now)
		if r.Complete() != tc.complete || (r.Err != nil || r.ResetErr != nil) != tc.wantErr {
			t.Fatalf("complete %v err %v/%v, want %v / err %v", r.Complete(), r.Err, r.ResetErr, tc.complete, tc.wantErr)
		}
		if r.HasLimit != tc.hasLimit || r.HasRemaining != tc.hasRemain {
			t.Fatalf("has limit %v remaining %v", r.HasLimit, r.HasRemaining)
		}
		if r.Limit != tc.limit || r.Remaining != tc.remaining {
			t.Errorf("limit %d remaining %d, want %d %d", r.Limit, r.Remaining, tc.limit, tc.remaining)
		}
		if r.HasReset && r.Reset.Sub(now) != tc.resetIn {
			t.Errorf("reset in %s, want %s", r.Reset.Sub(now), tc.resetIn)
		}
	}
	epoch := func(d time.Duration) string { return itoa(now.Add(d).Unix()) }
	for _, tc := range []testCase{
		{name: "epoch", header: hdr("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "42", "X-RateLimit-Reset", epoch(30*time.Second)),
			limit: 100, remaining: 42, resetIn: 30 * time.Second, complete: true, hasLimit: true, hasRemain: true},
		{name: "delta auto", header: hdr("X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "7"),
			limit: 10, resetIn: 7 * time.Second, complete: true, hasLimit: true, hasRemain: true},
		{name: "delta forced", reset: "delta", header: hdr("X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "1", "X-RateLimit-Reset", "2000000000"),
			limit: 10, remaining: 1, resetIn: 2000000000 * time.Second, complete: true, hasLimit: true, hasRemain: true},
		{name: "fraction", header: hdr("X-RateLimit-Limit", "5", "X-RateLimit-Remaining", "4", "X-RateLimit-Reset", "1.5"),
			limit: 5, remaining: 4, resetIn: 1500 * time.Millisecond, complete: true, hasLimit: true, hasRemain: true},
		{name: "limit with policy comment", header: hdr("X-RateLimit-Limit", "100, 100;w=60", "X-RateLimit-Remaining", "9", "X-RateLimit-Reset", "1"),
			limit: 100, remaining: 9, resetIn: time.Second, complete: true, hasLimit: true, hasRemain: true},
		{name: "missing reset", header: hdr("X-RateLimit-Limit", "100", "X-RateLimit-Remaining", "9"),
			limit: 100, remaining: 9, hasLimit: true, hasRemain: true},
		{name: "none", header: hdr()},
		{name: "garbage", header: hdr("X-RateLimit-Limit", "lots", "X-RateLimit-Remaining", "-1", "X-RateLimit-Reset", "soon"), wantErr: true},
		{name: "huge reset", header: hdr("X-RateLimit-Reset", "1e300"), wantErr: true},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestParseIETF(t *testing.T) {
	type testCase struct {
		name             string
		header           http.Header
		limit, remaining int64
		resetIn          time.Duration
		complete, err    bool
	}
	run := func(t *testing.T, tc testCase) {
		r := ratelimit.ParseIETF(tc.header, now)
		if r.Complete() != tc.complete || (r.Err != nil) != tc.err {
			t.Fatalf("complete %v err %v, want %v / err %v", r.Complete(), r.Err, tc.complete, tc.err)
		}
		if !tc.complete {
			return
		}
		if r.Limit != tc.limit || r.Remaining != tc.remaining || r.Reset.Sub(now) != tc.resetIn {
			t.Errorf("limit %d remaining %d reset %s", r.Limit, r.Remaining, r.Reset.Sub(now))
		}
	}
	for _, tc := range []testCase{
		{name: "draft", header: hdr("RateLimit", `"default";r=50;t=30`, "RateLimit-Policy", `"default";q=100;w=60`),
			limit: 100, remaining: 50, resetIn: 30 * time.Second, complete: true},
		{name: "token names, two policies", header: hdr("RateLimit", `burst;r=0;t=1, day;r=900;t=3600`, "RateLimit-Policy", `burst;q=10;w=1, day;q=1000;w=86400`),
			limit: 10, remaining: 0, resetIn: time.Second, complete: true},
		{name: "split field lines", header: hdr("RateLimit", `"a";r=1;t=2`, "RateLimit", `"b";r=3;t=4`, "RateLimit-Policy", `"a";q=5;w=9`),
			limit: 5, remaining: 1, resetIn: 2 * time.Second, complete: true},
		{name: "no policy", header: hdr("RateLimit", `"default";r=50;t=30`)},
		{name: "not structured", header: hdr("RateLimit", `limit=100, remaining=50`, "RateLimit-Policy", `{{`), err: true},
		{name: "negative remaining ignored", header: hdr("RateLimit", `"d";r=-1;t=3`, "RateLimit-Policy", `"d";q=5`)},
		{name: "absent", header: hdr()},
	} {
		t.Run(tc.name, func(t *testing.T) { run(t, tc) })
	}
}

func TestParseReset(t *testing.T) {
	type testCase struct {
		value, mode string
		in          time.Duration
		err         bool
	}
	run := func(t *testing.T, tc testCase) {
		got, err := ratelimit.ParseReset(tc.value, tc.mode, now)
		if (err != nil) != tc.err {
			t.Fatalf("err = %v", err)
		}
		if err == nil && got.Sub(now) != tc.in {
			t.Errorf("reset in %s, want %s", got.Sub(now), tc.in)
		}
	}
	ep := itoa(now.Unix() + 60)
	for _, tc := range []testCase{
		{value: ep, mode: "epoch", in: time.Minute},
		{value: ep, mode: "auto", in: time.Minute},
		{value: "60", mode: "auto", in: time.Minute},
		{value: "60", mode: "delta", in: time.Minute},
		{value: " 0.25 ", mode: "delta", in: 250 * time.Millisecond},
		{value: itoa(now.Unix() - 3600), mode: "auto", in: -time.Hour},
		{value: "", mode: "auto", err: true},
		{value: "NaN", mode: "auto", err: true},
		{value: "Inf", mode: "auto", err: true},
		{value: "99999999999999", mode: "epoch", err: true},
		{value: "tomorrow", mode: "epoch", err: true},
	} {
		t.Run(tc.mode+"/"+tc.value, func(t *testing.T) { run(t, tc) })
	}
}

func TestParseRetryAfter(t *testing.T) {
	type testCase struct {
		value string
		want  time.Duration
		err   bool
	}
	run := func(t *testing.T, tc testCase) {
		got, err := ratelimit.ParseRetryAfter(tc.value, now)
		if (err != nil) != tc.err {
			t.Fatalf("err = %v", err)
		}
		if got != tc.want {
			t.Errorf("got %s, want %s", got, tc.want)
		}
	}
	for _, tc := range []testCase{
		{value: "120", want: 2 * time.Minute},
		{value: "0", want: 0},
		{value: "999999999", want: 999999999 * time.Second},
		{value: "9999999999", err: true},
		{value: now.Add(90 * time.Second).Format(http.TimeFormat), want: 90 * time.Second},
		{value: now.Add(-time.Hour).Format(http.TimeFormat), want: -time.Hour},
		{value: "Sun, 06 Nov 1994 08:49:37 GMT", want: time.Date(1994, 11, 6, 8, 49, 37, 0, time.UTC).Sub(now)},
		{value: "", err: true},
		{value: "-5", err: true},
		{value: "1.5", err: true},
		{value: "99999999999999999999", err: true},
		{value: "soon", err: true},
	} {
		t.Run(tc.value, func(t *testing.T) { run(t, tc) })
	}
}

func TestRateFormat_Parse(t *testing.T) {
	h := hdr("X-RateLimit-Limit", "3", "X-RateLimit-Remaining", "0", "X-RateLimit-Reset", "2", "Retry-After", "2")
	r := legacy.Parse(h, now)
	if !r.Complete() || !r.HasRetryAfter || !r.RetryAt.Equal(r.Reset) {
		t.Errorf("parse = %+v", r)
	}
	none := ratelimit.Format{Kind: "none"}.Parse(h, now)
	if none.HasLimit || !none.HasRetryAfter {
		t.Errorf("kind none = %+v", none)
	}
}
