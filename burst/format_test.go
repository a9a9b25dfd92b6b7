package burst_test

import (
	"github.com/errprobe/errprobe/ratelimit"
)

var legacy = ratelimit.Format{Kind: "legacy", LimitHeader: "X-Ratelimit-Limit", RemainingHeader: "X-Ratelimit-Remaining",
	ResetHeader: "X-Ratelimit-Reset", Reset: "auto"}
