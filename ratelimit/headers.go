package ratelimit

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/dunglas/httpsfv"

	"github.com/errprobe/errprobe/schemas"
)

// Format says which rate-limit headers a response carries and how their
// reset reads. Header names are canonical.
type Format struct {
	// Kind is "legacy", "ietf" or "none".
	Kind                                      string
	LimitHeader, RemainingHeader, ResetHeader string
	// Reset is "epoch", "delta" or "auto" (a value over 10^9 is epoch).
	Reset string
}

// FormatOf reads a profile's rate_limit block.
func FormatOf(p *schemas.Profile) Format {
	rl := p.RateLimit
	f := Format{Kind: strings.ToLower(rl.Headers), Reset: strings.ToLower(rl.Reset)}
	if f.Kind == "" {
		f.Kind = "none"
	}
	pick := func(name, def string) string {
		if name == "" {
			name = def
		}
		return http.CanonicalHeaderKey(name)
	}
	f.LimitHeader = pick(rl.LimitHeader, "X-RateLimit-Limit")
	f.RemainingHeader = pick(rl.RemainingHeader, "X-RateLimit-Remaining")
	f.ResetHeader = pick(rl.ResetHeader, "X-RateLimit-Reset")
	if f.Reset == "" {
		f.Reset = "auto"
	}
	return f
}

// Headers is what one response says about the rate limit. Reset and
// RetryAt are absolute times computed against the clock at receipt.
type Headers struct {
	Limit, Remaining       int64
	HasLimit, HasRemaining bool
	Reset                  time.Time
	HasReset               bool
	RetryAt                time.Time
	HasRetryAfter          bool
	// Err is the first limit or remaining header that did not parse;
	// ResetErr and RetryAfterErr are a reset or Retry-After present but
	// unparseable or out of range (their own findings, never "missing").
	Err, ResetErr, RetryAfterErr error
}

// Complete reports whether limit, remaining and reset are all present.
func (r Headers) Complete() bool { return r.HasLimit && r.HasRemaining && r.HasReset }

// Parse reads the rate-limit headers of h in format f, and Retry-After.
func (f Format) Parse(h http.Header, now time.Time) Headers {
	var r Headers
	switch f.Kind {
	case "ietf":
		r = ParseIETF(h, now)
	case "none":
	default:
		r = ParseLegacy(h, f, now)
	}
	if v := HeaderValue(h, "Retry-After"); v != "" {
		d, err := ParseRetryAfter(v, now)
		if err != nil {
			r.RetryAfterErr = err
		} else {
			r.RetryAt, r.HasRetryAfter = now.Add(d), true
		}
	}
	return r
}

func (r *Headers) setErr(err error) {
	if r.Err == nil {
		r.Err = err
	}
}

// HeaderValue is h.Get for a canonical key, without re-canonicalising.
func HeaderValue(h http.Header, key string) string {
	if vs := h[key]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// ParseLegacy reads X-RateLimit-Limit/-Remaining/-Reset style headers.
func ParseLegacy(h http.Header, f Format, now time.Time) Headers {
	var r Headers
	if v := HeaderValue(h, f.LimitHeader); v != "" {
		n, err := parseCount(v)
		r.Limit, r.HasLimit = n, err == nil
		if err != nil {
			r.setErr(errors.New(f.LimitHeader + ": " + err.Error()))
		}
	}
	if v := HeaderValue(h, f.RemainingHeader); v != "" {
		n, err := parseCount(v)
		r.Remaining, r.HasRemaining = n, err == nil
		if err != nil {
			r.setErr(errors.New(f.RemainingHeader + ": " + err.Error()))
		}
	}
	if v := HeaderValue(h, f.ResetHeader); v != "" {
		t, err := ParseReset(v, f.Reset, now)
		r.Reset, r.HasReset = t, err == nil
		if err != nil {
			r.ResetErr = errors.New(f.ResetHeader + ": " + err.Error())
		}
	}
	return r
}

// parseCount reads a non-negative integer, allowing a trailing ";w=60"
// style comment some servers add ("100, 100;w=60" takes the first).
func parseCount(v string) (int64, error) {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, ",;"); i >= 0 {
		v = strings.TrimSpace(v[:i])
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, errors.New("not an integer: " + strconv.Quote(clip(v)))
	}
	if n < 0 {
		return 0, errors.New("negative: " + v)
	}
	return n, nil
}

// maxResetSeconds bounds numeric resets and delays so time arithmetic
// cannot overflow a time.Duration (about 285 years).
const maxResetSeconds = 9e9

// ParseReset reads a reset value as epoch seconds, delta seconds from now,
// or either ("auto": over 10^9 is epoch). Fractions are allowed.
func ParseReset(v, mode string, now time.Time) (time.Time, error) {
	f, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return time.Time{}, errors.New("not a number: " + strconv.Quote(clip(v)))
	}
	if math.Abs(f) > maxResetSeconds {
		return time.Time{}, errors.New("out of range: " + clip(v))
	}
	epoch := mode == "epoch" || (mode != "delta" && f > 1e9)
	if epoch {
		sec, frac := math.Modf(f)
		return time.Unix(int64(sec), int64(frac*1e9)), nil
	}
	return now.Add(time.Duration(f * float64(time.Second))), nil
}

// ParseRetryAfter reads Retry-After: delay-seconds or an HTTP-date (RFC
// 9110 §10.2.3). The result may be negative for a date in the past.
func ParseRetryAfter(v string, now time.Time) (time.Duration, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, errors.New("empty Retry-After")
	}
	if c := v[0]; c >= '0' && c <= '9' && strings.Trim(v, "0123456789") == "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n > maxResetSeconds {
			return 0, errors.New("Retry-After: " + clip(v) + " is out of range (delay-seconds up to 9000000000)")
		}
		return time.Duration(n) * time.Second, nil
	}
	t, err := http.ParseTime(v)
	if err != nil {
		return 0, errors.New("Retry-After: " + strconv.Quote(clip(v)) + " is neither delay-seconds nor an HTTP-date")
	}
	// Beyond a century either way (year 0 saturates time.Duration): out of range.
	if d := t.Sub(now); d > 100*365*24*time.Hour || d < -100*365*24*time.Hour {
		return 0, errors.New("Retry-After: " + clip(v) + " is out of range (more than a century away)")
	}
	return t.Sub(now), nil
}

// ParseIETF reads the IETF RateLimit and RateLimit-Policy structured fields
// (draft-ietf-httpapi-ratelimit-headers): RateLimit: "default";r=50;t=30 and
// RateLimit-Policy: "default";q=100;w=60. The first policy counts.
func ParseIETF(h http.Header, now time.Time) Headers {
	var r Headers
	if vs := h["Ratelimit"]; len(vs) > 0 {
		params, err := firstParams(vs)
		if err != nil {
			r.setErr(errors.New("RateLimit: " + err.Error()))
		} else {
			if n, ok := intParam(params, "r"); ok {
				r.Remaining, r.HasRemaining = n, true
			}
			if n, ok := intParam(params, "t"); ok {
				r.Reset, r.HasReset = now.Add(time.Duration(n)*time.Second), true
			} else if v, present := params.Get("t"); present {
				r.ResetErr = fmt.Errorf("RateLimit: t=%v is not delay-seconds in range", v)
			}
		}
	}
	if vs := h["Ratelimit-Policy"]; len(vs) > 0 {
		params, err := firstParams(vs)
		if err != nil {
			r.setErr(errors.New("RateLimit-Policy: " + err.Error()))
		} else if n, ok := intParam(params, "q"); ok {
			r.Limit, r.HasLimit = n, true
		}
	}
	return r
}

func firstParams(vs []string) (*httpsfv.Params, error) {
	l, err := httpsfv.UnmarshalList(vs)
	if err != nil {
		return nil, err
	}
	if len(l) == 0 {
		return nil, errors.New("empty list")
	}
	switch m := l[0].(type) {
	case httpsfv.Item:
		return m.Params, nil
	case httpsfv.InnerList:
		return m.Params, nil
	}
	return nil, errors.New("unexpected member")
}

func intParam(p *httpsfv.Params, name string) (int64, bool) {
	if p == nil {
		return 0, false
	}
	v, ok := p.Get(name)
	if !ok {
		return 0, false
	}
	n, ok := v.(int64)
	if !ok || n < 0 || n > maxResetSeconds {
		return 0, false
	}
	return n, true
}

func clip(s string) string {
	if len(s) > 40 {
		return s[:40] + "…"
	}
	return s
}

// RetryWait is how long to wait after a 429 before trying again: until the
// later of Retry-After and a future reset, at least 50 ms, at most max.
func RetryWait(p *schemas.Profile, h http.Header, now time.Time, max time.Duration) time.Duration {
	rh := FormatOf(p).Parse(h, now)
	wait := time.Duration(0)
	if rh.HasRetryAfter {
		wait = rh.RetryAt.Sub(now)
	}
	if rh.HasReset {
		if d := rh.Reset.Sub(now); d > wait {
			wait = d
		}
	}
	if wait <= 0 {
		wait = 250 * time.Millisecond
	}
	if wait < 50*time.Millisecond {
		wait = 50 * time.Millisecond
	}
	if max > 0 && wait > max {
		wait = max
	}
	return wait
}
