package ratelimit_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/errprobe/errprobe/ratelimit"
)

// The fuzz targets' seed corpora live in testdata/fuzz/<Target>/.

// plausible reports whether t is within the parsers' range bound (9e9 s
// either side of the epoch or of now).
func plausible(t time.Time) bool {
	return t.Year() > 1600 && t.Year() < 2400
}

func FuzzParseLegacy(f *testing.F) {
	f.Add("100", "42", "1763776800")
	f.Add("10", "0", "7")
	f.Add("100, 100;w=60", "-1", "1.5")
	f.Fuzz(func(t *testing.T, limit, remaining, reset string) {
		h := http.Header{"X-Ratelimit-Limit": {limit}, "X-Ratelimit-Remaining": {remaining}, "X-Ratelimit-Reset": {reset}}
		for _, mode := range []string{"auto", "epoch", "delta"} {
			f := legacy
			f.Reset = mode
			r := ratelimit.ParseLegacy(h, f, now)
			if r.HasLimit && r.Limit < 0 || r.HasRemaining && r.Remaining < 0 {
				t.Fatalf("negative count accepted: %+v", r)
			}
			if r.HasReset && !plausible(r.Reset) {
				t.Fatalf("implausible reset %s from %q", r.Reset, reset)
			}
			if r.Complete() && r.Err != nil {
				t.Fatalf("complete with an error: %v", r.Err)
			}
		}
	})
}

func FuzzParseIETF(f *testing.F) {
	f.Add(`"default";r=50;t=30`, `"default";q=100;w=60`)
	f.Add(`burst;r=0;t=1, day;r=900;t=3600`, `burst;q=10;w=1`)
	f.Add(`limit=100, remaining=50`, `{{`)
	f.Fuzz(func(t *testing.T, rl, policy string) {
		h := http.Header{"Ratelimit": {rl}, "Ratelimit-Policy": {policy}}
		r := ratelimit.ParseIETF(h, now)
		if r.HasLimit && r.Limit < 0 || r.HasRemaining && r.Remaining < 0 {
			t.Fatalf("negative value accepted: %+v", r)
		}
		if r.HasReset && (r.Reset.Before(now) || !plausible(r.Reset)) {
			t.Fatalf("reset %s from %q", r.Reset, rl)
		}
	})
}

func FuzzParseReset(f *testing.F) {
	for _, s := range []string{"1763776800", "7", "0.25", "-3600", "1e300", "NaN", "", "0x10"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		for _, mode := range []string{"auto", "epoch", "delta"} {
			got, err := ratelimit.ParseReset(v, mode, now)
			if err == nil && !plausible(got) {
				t.Fatalf("ParseReset(%q, %s) = %s", v, mode, got)
			}
		}
	})
}

func FuzzParseRetryAfter(f *testing.F) {
	for _, s := range []string{"120", "0", "999999999", "Sun, 06 Nov 1994 08:49:37 GMT", "Sunday, 06-Nov-94 08:49:37 GMT", "-5", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, v string) {
		d, err := ratelimit.ParseRetryAfter(v, now)
		if err != nil {
			return
		}
		if d > 290*365*24*time.Hour || d < -290*365*24*time.Hour {
			t.Fatalf("ParseRetryAfter(%q) = %s", v, d)
		}
		if len(v) > 0 && v[0] >= '0' && v[0] <= '9' && d < 0 {
			t.Fatalf("negative delay-seconds from %q", v)
		}
	})
}
