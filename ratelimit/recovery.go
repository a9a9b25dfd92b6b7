package ratelimit

import (
	"fmt"
	"net/http"
	"time"

	"github.com/errprobe/errprobe/report"
)

// WaitFrom is the wait a 429's headers rh announce at now: until the later
// of Retry-After and a future reset; 250 ms when they say nothing usable
// (ok false: no headers at all).
func WaitFrom(rh Headers, now time.Time, ok bool) time.Duration {
	wait := time.Duration(0)
	if ok && rh.HasRetryAfter {
		wait = rh.RetryAt.Sub(now)
	}
	if ok && rh.HasReset {
		if d := rh.Reset.Sub(now); d > wait {
			wait = d
		}
	}
	if wait <= 0 {
		wait = 250 * time.Millisecond
	}
	return wait
}

// AdmittedStatus is the status the burst's route answered before the limit
// (0: none seen), from its samples: on a rate_limit.route whose answer is
// an error (a GET of an unknown id, 404), recovery is that answer again,
// not a 2xx.
func AdmittedStatus(samples []*report.Exchange) int {
	for _, ex := range samples {
		if ex.Response != nil && ex.Response.Status != http.StatusTooManyRequests && ex.Response.Status < 500 {
			return ex.Response.Status
		}
	}
	return 0
}

// Recovered says a response status after the reset shows the limit lifted:
// a 2xx, or the route's answer before the limit (before).
func Recovered(status, before int) bool { return status/100 == 2 || status == before }

// RecoveryWant words what recovery needs, given the answer before the limit.
func RecoveryWant(before int) string {
	if before != 0 && before/100 != 2 {
		return fmt.Sprintf("2xx or %d (the answer before the limit) after reset", before)
	}
	return "2xx after reset"
}
