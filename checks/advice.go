package checks

import (
	"fmt"
	"time"
)

// rateAdvice is the --rate that would have kept the run's probes under the
// limit, when several of them met a 429 or 503 outside the burst: the
// requests admitted before the first one, spread over the time until its
// announced wait ended (the window they had to fit in), with a tenth to
// spare; "" when fewer than two back-offs.
func (s *session) rateAdvice(started time.Time) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.backoffList) < 2 || s.limitedUntil.IsZero() {
		return ""
	}
	window := s.limitedUntil.Sub(started).Seconds()
	if window <= 0 {
		return ""
	}
	perSecond := 0.9 * float64(max(s.sentBeforeLimit, 1)) / window
	if perSecond >= 1 {
		return fmt.Sprintf("--rate %d/s", int(perSecond))
	}
	return fmt.Sprintf("--rate %d/m", max(1, int(perSecond*60)))
}
