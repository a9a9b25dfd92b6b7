package wire

import (
	"math"
	"time"
)

// SatAdd adds without overflow: --max-body 9223372036854775807 plus one
// must not wrap to a negative read limit (which reads nothing).
func SatAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}

// Defaults for Config's zero values.
const (
	DefaultMaxRequests = 500
	DefaultConcurrency = 4
	DefaultTimeout     = 10 * time.Second
	DefaultMaxBody     = 1 << 20
)
