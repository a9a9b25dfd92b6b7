package schemas

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseRate reads a pacing rate "N/s" or "N/m" (N may have a fraction) and
// returns requests per second.
func ParseRate(s string) (float64, error) {
	n, unit, ok := strings.Cut(strings.TrimSpace(s), "/")
	per := map[string]float64{"s": 1, "m": 60}[unit]
	v, err := strconv.ParseFloat(n, 64)
	if !ok || per == 0 || err != nil || v <= 0 || v > 1e6 {
		return 0, fmt.Errorf("%q: want a rate like 10/s or 600/m", s)
	}
	return v / per, nil
}
