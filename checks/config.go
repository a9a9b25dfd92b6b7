package checks

import (
	"context"
	"crypto/tls"
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/errprobe/errprobe/clock"
	"github.com/errprobe/errprobe/report"
	"github.com/errprobe/errprobe/schemas"
	"github.com/errprobe/errprobe/wire"
)

// ErrUnreachable is wrapped by Run's error when the target cannot be reached
// at all (connection refused, DNS failure, …) on the first request.
var ErrUnreachable = errors.New("target unreachable")

// ErrMaxDuration is the cause of a run stopped by Config.MaxDuration.
var ErrMaxDuration = errors.New("run time limit reached (--max-duration)")

// Config is everything one run needs. The outside world (clock, proxy,
// progress and log sinks) comes in here; Run reads nothing else.
type Config struct {
	Contract *schemas.Contract
	BaseURL  string
	// Suites and Skip select and drop suites or check IDs.
	Suites, Skip []string
	// MaxRequests is a hard ceiling counted at the transport (default 500).
	MaxRequests int
	// Sent counts requests sent for the run before it starts (the document
	// of --openapi URL): they use up MaxRequests and are in Report.Requests.
	Sent int
	// Concurrency is how many probes run at once (default 4).
	Concurrency int
	// Timeout is the per-request timeout (default 10s).
	Timeout time.Duration
	// MaxBody caps each response body read (default 1 MiB).
	MaxBody int64
	// Headers are extra headers sent on every request (--header). Their
	// values are secrets, masked in every output, except those of the
	// headers PublicHeaders names (--public-header).
	Headers       http.Header
	PublicHeaders []string
	// MaxDuration, when set, ends the run after this long: requests in
	// flight are abandoned, created resources are still deleted, and the
	// report carries Stopped (not Interrupted).
	MaxDuration time.Duration
	// FollowRedirects follows redirects to the base URL's own scheme and
	// host (at most 5); a redirect anywhere else is recorded, not followed.
	FollowRedirects bool
	// TLS overrides the TLS client configuration (--insecure, --ca-cert).
	TLS *tls.Config
	// DryRun plans every request into Report.Planned and sends nothing.
	DryRun bool
	// Rate paces every request but the burst's, in requests per second
	// (--rate); 0: the profile's rate_limit.rate, else unpaced.
	Rate float64
	// MaxWait, when set, caps the profile's rate-limit max_wait (demo uses it).
	MaxWait time.Duration
	// Proxy chooses a proxy per request, e.g. http.ProxyFromEnvironment; nil: none.
	Proxy func(*http.Request) (*url.URL, error)
	// Transport replaces the tuned transport (tests); nil: NewTransport.
	Transport http.RoundTripper
	// Clock is the run's time: every reading and every wait (the fresh
	// window before the burst, 429 back-offs, the recovery polls, --rate
	// pacing) goes through it. Default: Now with wall-clock waits, or
	// clock.Real. Tests share a clock.Fake with the reference server, so
	// rate-limit windows pass without waiting.
	Clock clock.Clock
	// Now reads the time when Clock is nil (default time.Now); withDefaults
	// sets it to Clock.Now.
	Now func() time.Time
	// Progress receives live progress; Log receives every recorded exchange
	// (masked). Both are optional and called from one goroutine at a time.
	Progress func(Progress)
	Log      func(report.Exchange)
	// OpenAPI, when set (run --openapi), adds per-operation probes and checks
	// every response against the operation's documented responses.
	OpenAPI *OpenAPI
	// Version is written into the report.
	Version string
	// RunCommand runs auth.token_command and returns its standard output
	// (default: sh -c, bounded; tests pass their own).
	RunCommand func(ctx context.Context, command string) ([]byte, error)
	// Probes are extra data probes (e.g. derived from an OpenAPI document)
	// run after the profile's own, through the same engine; build them as
	// Probe values. Each Check is a catalogue ID or "custom.NAME".
	Probes []Probe
}

// Progress is a snapshot for the terminal's live line.
type Progress struct {
	Suite string
	// Sent is how many requests the run has sent so far.
	Sent int
	// BurstRate is the burst's requests per second; Status429 the 429s seen.
	BurstRate float64
	Status429 int
	// Wait is the time left in a wait (a countdown); Waiting says what is
	// awaited ("the rate-limit window to reset", "a 429 back-off") and
	// WaitCap the most the run will wait for it.
	Wait    time.Duration
	Waiting string
	WaitCap time.Duration
}

func (c Config) withDefaults() Config {
	if c.MaxRequests <= 0 {
		c.MaxRequests = wire.DefaultMaxRequests
	}
	if c.Concurrency <= 0 {
		c.Concurrency = wire.DefaultConcurrency
	}
	if c.Timeout <= 0 {
		c.Timeout = wire.DefaultTimeout
	}
	if c.MaxBody <= 0 {
		c.MaxBody = wire.DefaultMaxBody
	}
	if c.Clock == nil {
		c.Clock = clock.Real
		if c.Now != nil {
			c.Clock = clock.Func(c.Now)
		}
	}
	c.Now = c.Clock.Now
	return c
}
